package search

import (
	"context"
	"testing"
)

// acronymDocs is a small archive that names things by their acronyms,
// written for these tests. "AND" stands in one heading in capitals, but
// the archive writes "and" in lower case more often.
func acronymDocs() []Doc {
	return []Doc{
		helpDoc("dhcp", "Netzwerk", "Der DHCP-Dienst vergibt Adressen. DHCP läuft auf dem Hauptserver."),
		helpDoc("host", "Rechnernamen", "Jeder Host hat einen Namen; die Configuration steht in einer Datei."),
		helpDoc("lvm", "Partitionen", "Mit LVM lassen sich Partitionen vergrößern."),
		helpDoc("ssh", "Fernwartung", "Der Hauptserver ist per SSH erreichbar."),
		helpDoc("shell", "Befehle", "Eine Shell führt Befehle aus; der Zugang ist sicher."),
		helpDoc("din", "Papierformate", "Das Format A4 ist nach DIN genormt."),
		helpDoc("institut", "Institut für Schulentwicklung", "Das Institut berät Schulen."),
		helpDoc("and1", "Operatoren", "AND verknüpft Bedingungen."),
		helpDoc("and2", "Englisch", "Rock and Roll"),
		helpDoc("and3", "Mehr Englisch", "Salt and Pepper"),
	}
}

// TestAcronymLongForm checks that a long form finds the talk that names
// the thing by its acronym, written in capitals in the archive, and that
// initials which spell an acronym the archive writes rarely in capitals,
// or words in lower case, are left alone.
func TestAcronymLongForm(t *testing.T) {
	ix := mustIndex(t, acronymDocs()...)
	wantFirst(t, ix, "dhcp", "Dynamic Host Configuration Protocol")
	wantFirst(t, ix, "lvm", "Logical Volume Manager", "Logical Volume Manager einrichten")
	// Of two words, the second gives two letters.
	wantFirst(t, ix, "ssh", "Secure Shell", "Secure Shell Zugang")
	// Stop words inside a German long form give no letter.
	wantFirst(t, ix, "din", "Deutsches Institut für Normung")

	v := ix.newVocab(context.Background(), newBudget())
	defer v.close()
	for _, tt := range []struct {
		folded string
		want   bool
	}{
		{"dhcp", true},
		{"lvm", true},
		{"and", false},  // "AND" once, "and" twice
		{"host", false}, // never in capitals
		{"xyz", false},  // not in the archive
	} {
		if got := v.writtenInCapitals(tt.folded); got != tt.want {
			t.Errorf("writtenInCapitals(%q) = %v, want %v", tt.folded, got, tt.want)
		}
	}

	for _, tt := range []struct {
		query   string
		acronym bool
	}{
		{"Dynamic Host Configuration Protocol", true},
		{"Logical Volume Manager einrichten", true},
		{"dynamic host configuration protocol", false}, // no capitals: no name
		{"Dynamic Host", false},                        // DHO is no word of the archive
		{"Arbeit Netz Dienst", false},                  // AND is written in lower case more often
		{"Dynamic Host Configuration", false},          // DHC is no word of the archive
	} {
		tq := ix.parseText(context.Background(), tt.query, false)
		got := tq.passageSeen["t\x00dhcp"] || tq.passageSeen["t\x00lvm"] || tq.passageSeen["t\x00and"]
		if got != tt.acronym {
			t.Errorf("%q: acronym matched = %v, want %v (passage terms %v)", tt.query, got, tt.acronym, tq.passageSeen)
		}
	}
}
