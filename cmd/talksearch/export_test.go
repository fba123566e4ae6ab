package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/talksearch/talksearch/search"
)

// TestExportCommand indexes the sample, exports it and checks every line
// pair: an action naming the index and a unique id, then a document of
// that id's type; the counts match the index's own.
func TestExportCommand(t *testing.T) {
	data := t.TempDir()
	if _, err := runMain(t, "index", "--data", data); err != nil {
		t.Fatal(err)
	}
	if _, err := runMain(t, "export", "--data", t.TempDir()); !errors.Is(err, errEmptyIndex) {
		t.Errorf("export of an empty index: err = %v", err)
	}
	out, err := runMain(t, "export", "--data", data, "--index-name", "vortraege")
	if err != nil {
		t.Fatal(err)
	}
	types, pages := map[string]int{}, map[string]int{}
	ids := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var action exportAction
		if err := json.Unmarshal(sc.Bytes(), &action); err != nil || action.Index.Index != "vortraege" || action.Index.ID == "" {
			t.Fatalf("action line %q: %v", sc.Text(), err)
		}
		if ids[action.Index.ID] {
			t.Errorf("id %s twice", action.Index.ID)
		}
		ids[action.Index.ID] = true
		if !sc.Scan() {
			t.Fatalf("action %s without a document", action.Index.ID)
		}
		var doc map[string]any
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatalf("document line %q: %v", sc.Text(), err)
		}
		typ, _ := doc["type"].(string)
		prefix := map[string]string{"talk": "t:", "slide": "s:", "segment": "g:"}[typ]
		if prefix == "" || !strings.HasPrefix(action.Index.ID, prefix) {
			t.Errorf("document %s has type %q", action.Index.ID, typ)
		}
		types[typ]++
		if typ == "talk" {
			pages[doc["talk_id"].(string)] += int(doc["pages"].(float64))
		} else if typ == "slide" {
			pages[doc["talk_id"].(string)]--
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}

	ix, err := search.Open(filepath.Join(data, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if types["talk"] != st.Talks || uint64(len(ids)) != st.Documents || types["slide"] == 0 || types["segment"] == 0 {
		t.Errorf("exported %v (%d documents); the index holds %d talks, %d documents", types, len(ids), st.Talks, st.Documents)
	}
	for id, n := range pages {
		if n != 0 {
			t.Errorf("talk %s: its pages and its exported slides differ by %d", id, n)
		}
	}
	if !strings.Contains(out, `"title":"Einführung der eAkte in Plauen"`) {
		t.Error("the export lacks the title of eakte-plauen, umlaut unescaped")
	}
}
