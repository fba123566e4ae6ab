package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/talksearch/talksearch"

// deps lists the packages pkg depends on, itself included.
func deps(t *testing.T, pkg string) map[string]bool {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	set := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		set[p] = true
	}
	return set
}

// TestImportRules checks, for each room, the packages it must never
// reach, directly or through another package.
func TestImportRules(t *testing.T) {
	pdfLib := "github.com/ledongthuc/pdf"
	bleve := "github.com/blevesearch/bleve/v2"
	echo := "github.com/labstack/echo/v4"
	ours := func(p string) string { return module + "/" + p }
	for _, tt := range []struct {
		pkg       string
		forbidden []string
	}{
		{"api", []string{pdfLib, ours("internal/pdftext"), ours("internal/extract"), ours("indexer"), ours("corpus")}},
		{"search", []string{pdfLib, echo, ours("internal/pdftext"), ours("internal/extract"), ours("indexer"), ours("corpus"), ours("api")}},
		{"corpus", []string{bleve, echo, pdfLib, ours("search"), ours("indexer"), ours("api")}},
		{"indexer", []string{echo, ours("api")}},
		{"internal/extract", []string{bleve, echo, ours("search"), ours("corpus"), ours("indexer"), ours("api")}},
		{"internal/pdftext", []string{bleve, echo, ours("internal/extract"), ours("search"), ours("corpus"), ours("indexer"), ours("api")}},
		{"internal/german", []string{bleve, ours("search"), ours("corpus"), pdfLib}},
	} {
		t.Run(tt.pkg, func(t *testing.T) {
			got := deps(t, ours(tt.pkg))
			if !got[ours(tt.pkg)] {
				t.Fatalf("go list -deps did not list %s itself", tt.pkg)
			}
			for _, f := range tt.forbidden {
				if got[f] {
					t.Errorf("%s depends on %s", tt.pkg, f)
				}
			}
		})
	}
}

// TestOnlyCmdImportsAPI checks that no package of the module but the
// talksearch command imports api.
func TestOnlyCmdImportsAPI(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	api := module + "/api"
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] == module+"/cmd/talksearch" {
			continue
		}
		for _, imp := range fields[1:] {
			if imp == api {
				t.Errorf("%s imports api; only cmd/talksearch may", fields[0])
			}
		}
	}
}
