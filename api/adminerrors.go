package api

import (
	"net/http"
)

// adminFields are the German names of the upload's form fields.
var adminFields = map[string]string{
	"event":        "Veranstaltung (event)",
	"event_name":   "Name der Veranstaltung (event_name)",
	"event_year":   "Jahr der Veranstaltung (event_year)",
	"id":           "Kennung (id)",
	"title":        "Titel (title)",
	"kind":         "Format (kind)",
	"speakers":     "Vortragende (speakers)",
	"states":       "Bundesland (states)",
	"topics":       "Thema (topics)",
	"recording":    "Aufzeichnung (recording)",
	"pdf":          "PDF-Datei (pdf)",
	"transcript":   "Mitschrift (transcript)",
	"Content-Type": "Inhaltstyp (Content-Type)",
}

// adminHints say what a valid value of a field looks like.
var adminHints = map[string]string{
	"event":        " Erlaubt sind Kleinbuchstaben, Ziffern, „-“, „_“ und „.“, zum Beispiel „itf2018“.",
	"id":           " Erlaubt sind Kleinbuchstaben, Ziffern, „-“, „_“ und „.“, zum Beispiel „eakte-plauen“; ohne Angabe wird sie aus dem Titel gebildet.",
	"kind":         " Erlaubt sind Eröffnung, Keynote, Vortrag, Workshop und Diskussion.",
	"states":       " Erlaubt sind die 16 Länder (zum Beispiel „Thüringen“) und „bundesweit“.",
	"topics":       " Ein Thema darf nicht leer sein.",
	"speakers":     ` Erwartet wird eine JSON-Liste wie [{"name":"Anna Beispiel","role":"Amtsleiterin","organisation":"Stadt Gera"}]; jede Person braucht einen Namen oder eine Organisation.`,
	"recording":    " Erwartet wird eine http(s)-Adresse.",
	"event_year":   " Erwartet wird eine Jahreszahl wie 2024.",
	"Content-Type": " Erwartet wird multipart/form-data mit der PDF-Datei im Feld „pdf“.",
}

// adminProblem is the German problem of a refused admin request.
func adminProblem(e *AdminError) problem {
	field := adminFields[e.Field]
	if field == "" {
		field = "„" + clip(e.Field) + "“"
	}
	p := func(status int, typ, title, detail string) problem {
		return problem{Type: typ, Title: title, Status: status, Detail: detail, Param: e.Field}
	}
	switch e.Reason {
	case AdminBadField:
		if e.Field == "Content-Type" {
			return p(http.StatusUnsupportedMediaType, problemMediaType, "Inhaltstyp nicht unterstützt",
				"Der Inhalt der Anfrage ist kein gültiges multipart/form-data."+adminHints[e.Field])
		}
		return p(http.StatusBadRequest, problemBadParam, "Ungültige Angabe",
			"Der Wert „"+clip(e.Value)+"“ für "+field+" ist nicht zulässig."+adminHints[e.Field])
	case AdminMissingField:
		return p(http.StatusBadRequest, problemBadParam, "Angabe fehlt", "Die Angabe "+field+" fehlt.")
	case AdminNotPDF:
		return p(http.StatusUnsupportedMediaType, problemMediaType, "Keine PDF-Datei",
			"Die Datei im Feld „pdf“ ist keine PDF-Datei: Sie beginnt nicht mit „%PDF-“. Entscheidend ist der Inhalt, nicht der Dateiname.")
	case AdminNotTranscript:
		return p(http.StatusUnsupportedMediaType, problemMediaType, "Keine Mitschrift",
			"Die Mitschrift muss Text in UTF-8 sein und auf .vtt, .srt, .txt oder .md enden.")
	case AdminTooLarge:
		return p(http.StatusRequestEntityTooLarge, problemTooLarge, "Datei zu groß",
			"Die hochgeladene Datei ist größer als erlaubt (--admin-max-upload-mb).")
	case AdminUnreadablePDF:
		return p(http.StatusUnprocessableEntity, problemUnreadable, "PDF-Datei nicht lesbar",
			"Die PDF-Datei lässt sich nicht lesen (beschädigt, verschlüsselt oder zu aufwendig); sie wurde nicht übernommen.")
	case AdminTalkExists:
		return p(http.StatusConflict, problemConflict, "Vortrag vorhanden",
			"Einen Vortrag mit der Kennung „"+clip(e.Value)+"“ oder seine Datei gibt es schon. Bitte eine andere Kennung (id) wählen oder den Vortrag erst löschen.")
	case AdminTalkNotFound:
		return p(http.StatusNotFound, problemNotFound, "Nicht gefunden", "Diesen Vortrag gibt es nicht.")
	case AdminJobNotFound:
		return p(http.StatusNotFound, problemNotFound, "Nicht gefunden", "Diesen Auftrag gibt es nicht (mehr); Aufträge gelten bis zum Neustart des Dienstes.")
	case AdminEventNoManifest:
		return p(http.StatusConflict, problemConflict, "Veranstaltung ohne manifest.json",
			"Die Veranstaltung „"+clip(e.Value)+"“ ist ein Ordner mit PDF-Dateien ohne manifest.json. Vorträge mit Angaben lassen sich nur zu Veranstaltungen mit manifest.json hinzufügen.")
	case AdminSingleEvent:
		return p(http.StatusConflict, problemConflict, "Unbekannte Veranstaltung",
			"Der Korpus ist eine einzelne Veranstaltung („"+clip(e.Value)+"“); eine weitere lässt sich hier nicht anlegen.")
	case AdminReadOnly:
		return p(http.StatusConflict, problemConflict, "Nur lesbar",
			"Der Dienst zeigt die mitgelieferte Beispielsammlung, die sich nicht ändern lässt. Bitte den Dienst mit einem eigenen Korpus-Ordner (--corpus) starten.")
	case AdminStopping:
		return p(http.StatusServiceUnavailable, problemNotReady, "Dienst wird beendet",
			"Der Dienst wird gerade beendet und nimmt keine neuen Aufträge an. Bitte nach dem Neustart erneut versuchen.")
	case AdminJobRunning:
		return p(http.StatusConflict, problemConflict, "Auftrag läuft schon",
			"Es läuft schon eine Neuindizierung (Auftrag „"+clip(e.Value)+"“). Ihr Stand: /api/v1/admin/jobs/"+clip(e.Value))
	}
	return problem{Type: problemInternal, Title: "Interner Fehler", Status: http.StatusInternalServerError,
		Detail: "Der Korpus konnte nicht geschrieben werden; es wurde nichts geändert. Bitte später erneut versuchen."}
}
