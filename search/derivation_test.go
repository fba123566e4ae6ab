package search

import (
	"slices"
	"testing"
)

// TestNominalisationDerivations checks that a noun made of a verb finds
// the verb's forms and the verb finds the noun: -ung inside a query
// compound finds the participle (Zahlenrundung, "gerundet"), and the
// borrowed -ation ↔ -ieren works as -ung does, alone and inside a
// compound (docs/relevance-journal.md, entry 80). Each talk that says it
// must come first, ahead of a talk that has only another word of the
// query.
func TestNominalisationDerivations(t *testing.T) {
	ix := mustIndex(t,
		techDoc("gerundet", "Werte anzeigen", "Die Tabelle zeigt Zahlen gerundet auf zwei Stellen.", "Die Genauigkeit lässt sich einstellen."),
		techDoc("ecken", "Formen", "Rechtecke bekommen runde Ecken: Ecken runden.", "Die Linie bleibt schmal."),
		techDoc("zahlen", "Zahlenformate", "Zahlen erscheinen als Datum oder Währung.", "Das Format gilt für die Zelle."),
		techDoc("kombinieren", "Nummerierte Listen kombinieren", "Zwei Listen werden zu einer kombiniert.", "Die Nummern laufen weiter."),
		techDoc("listen", "Listen sortieren", "Listen werden nach dem Alphabet sortiert.", "Die Sortierung gilt für Zeilen."),
		techDoc("installieren", "Drucker installieren", "Der Treiber wird installiert.", "Danach druckt die Anwendung."),
		techDoc("drucker", "Drucker verwalten", "Drucker im Netz teilen.", "Die Warteschlange zeigt Aufträge."),
		techDoc("konfiguration", "Netz", "Die Konfiguration des Netzes steht in einer Datei.", "Adressen werden vergeben."),
		techDoc("router", "Router einrichten", "Den Router konfigurieren.", "Der Router wird neu gestartet."),
		techDoc("pruefen", "Netz prüfen", "Das Netz wird auf Fehler geprüft.", "Ein Bericht folgt."),
	)
	// No talk id begins another, so each prefix names the first talk.
	wantFirst(t, ix, "gerundet", "Zahlenrundung")                 // -ung part of a compound: the verb's participle
	wantFirst(t, ix, "kombinieren", "Listenkombination")          // -ation part of a compound: its verb
	wantFirst(t, ix, "installieren", "Installation des Druckers") // -ation noun → -ieren verb
	wantFirst(t, ix, "konfiguration", "Netz konfigurieren")       // -ieren verb → -ation noun, ahead of the verb alone
}

func TestVerbsOfNoun(t *testing.T) {
	for _, tt := range []struct {
		noun  string
		verbs []string
	}{
		{"speicherung", []string{"speichern"}},
		{"entfernung", []string{"entfernen"}},
		{"installation", []string{"installieren"}},
		{"organisation", []string{"organisieren"}},
		{"definition", []string{"definieren"}},
		{"kommunikation", []string{"kommunizieren", "kommunikieren"}},
		{"ung", nil},     // too short a stem
		{"station", nil}, // "st" is no stem
		{"kernel", nil},
	} {
		if got := verbsOfNoun(tt.noun); !slices.Equal(got, tt.verbs) {
			t.Errorf("verbsOfNoun(%q) = %v, want %v", tt.noun, got, tt.verbs)
		}
	}
}
