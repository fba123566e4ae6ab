// Command gen turns the sample corpus's slide-deck sources into PDF slide
// decks made by LibreOffice Impress, so that the indexer meets real
// producer output: a title slide, outline lists, Impress tables, a footer
// and slide numbers, and Title/Author in the PDF's Info dictionary.
//
// Run it from the repository root after changing a source:
//
//	go run ./corpus/sample/gen [flags]
//
// The flags are:
//
//	-src dir        slide-deck sources, one <id>.md per talk (default corpus/sample/src)
//	-manifest file  the event's manifest (default corpus/sample/itf2018/manifest.json)
//	-out dir        where the PDFs go (default corpus/sample/itf2018/slides)
//	-only id        convert only this talk
//	-keep dir       also write the generated .fodp documents into dir
//	-soffice path   the LibreOffice binary (default soffice)
//
// It needs LibreOffice Impress and the Liberation fonts, from Debian:
//
//	apt-get update && apt-get install -y --no-install-recommends \
//	    libreoffice-impress fonts-liberation2 fonts-dejavu-core
//
// A source is UTF-8 text. Slides are separated by a line "---"; each opens
// with "# Heading", followed by bullets ("- text", "  - sub-bullet"), plain
// lines (paragraphs), table rows ("| a | b |", the first row is the header)
// and an optional final "> note" set small above the footer. Slide 1 is the
// title slide: its heading is the talk's title and its plain lines name the
// speakers and the event.
//
// Each source becomes a Flat ODP document in a temporary directory, and one
// soffice call converts them all. The same source always gives the same
// document; only LibreOffice's timestamps and IDs in the PDF change.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// manifest is the part of the event manifest that the generator reads.
type manifest struct {
	Event struct {
		Name      string `json:"name"`
		Year      int    `json:"year"`
		Place     string `json:"place"`
		Organiser string `json:"organiser"`
	} `json:"event"`
	Talks []talk `json:"talks"`
}

// talk is one talk of the manifest.
type talk struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Speakers []struct {
		Name         string `json:"name"`
		Organisation string `json:"organisation"`
	} `json:"speakers"`
	Topics []string `json:"topics"`
	Files  struct {
		Slides string `json:"slides"`
	} `json:"files"`
}

// job is one deck to convert.
type job struct {
	meta deckMeta
	src  string
	pdf  string // output file name
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen: ")
	var o options
	flag.StringVar(&o.src, "src", "corpus/sample/src", "directory of slide-deck sources (<id>.md)")
	flag.StringVar(&o.manifest, "manifest", "corpus/sample/itf2018/manifest.json", "event manifest")
	flag.StringVar(&o.out, "out", "corpus/sample/itf2018/slides", "output directory for the PDFs")
	flag.StringVar(&o.only, "only", "", "convert only the talk with this id")
	flag.StringVar(&o.keep, "keep", "", "also write the .fodp documents into this directory")
	flag.StringVar(&o.soffice, "soffice", "soffice", "LibreOffice binary")
	flag.Parse()
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

// options are the command-line flags.
type options struct {
	src, manifest, out, only, keep, soffice string
}

// run converts the sources; a deck that fails is reported, and the others are still written.
func run(o options) error {
	jobs, err := plan(o.src, o.manifest, o.only)
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		return fmt.Errorf("no sources in %s", o.src)
	}
	tmp, err := os.MkdirTemp("", "talksearch-gen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	ready, failures, err := writeDocuments(o, tmp, jobs)
	if err != nil {
		return err
	}
	if len(ready) > 0 {
		n, err := convertAll(o, tmp, ready)
		if err != nil {
			return err
		}
		failures += n
	}
	if failures > 0 {
		return fmt.Errorf("%d of %d decks failed", failures, len(jobs))
	}
	return nil
}

// writeDocuments renders each job's Flat ODP document into tmp, and into
// o.keep if set. It returns the jobs that rendered and how many did not.
func writeDocuments(o options, tmp string, jobs []job) (ready []job, failures int, err error) {
	for _, j := range jobs {
		doc, err := render(j)
		if err != nil {
			log.Printf("%s: %v", j.src, err)
			failures++
			continue
		}
		if err := os.WriteFile(filepath.Join(tmp, j.meta.ID+".fodp"), []byte(doc), 0o644); err != nil {
			return nil, 0, err
		}
		if o.keep != "" {
			if err := os.MkdirAll(o.keep, 0o755); err != nil {
				return nil, 0, err
			}
			if err := os.WriteFile(filepath.Join(o.keep, j.meta.ID+".fodp"), []byte(doc), 0o644); err != nil {
				return nil, 0, err
			}
		}
		ready = append(ready, j)
	}
	return ready, failures, nil
}

// convertAll converts the documents of the ready jobs in tmp with one
// soffice call and installs the PDFs in o.out. It returns how many PDFs
// could not be installed.
func convertAll(o options, tmp string, ready []job) (failures int, err error) {
	fodps := make([]string, len(ready))
	for i, j := range ready {
		fodps[i] = filepath.Join(tmp, j.meta.ID+".fodp")
	}
	start := time.Now()
	if err := convert(o.soffice, tmp, fodps); err != nil {
		return 0, err
	}
	elapsed := time.Since(start)
	log.Printf("converted %d decks in %.1fs (%.1fs per deck)", len(ready), elapsed.Seconds(), elapsed.Seconds()/float64(len(ready)))
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return 0, err
	}
	for _, j := range ready {
		if err := install(filepath.Join(tmp, "pdf", j.meta.ID+".pdf"), filepath.Join(o.out, j.pdf)); err != nil {
			log.Printf("%s: %v", j.src, err)
			failures++
		}
	}
	return failures, nil
}

// plan pairs every source with its talk in the manifest.
func plan(srcDir, manPath, only string) ([]job, error) {
	data, err := os.ReadFile(manPath)
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", manPath, err)
	}
	srcs, err := filepath.Glob(filepath.Join(srcDir, "*.md"))
	if err != nil {
		return nil, err
	}
	sort.Strings(srcs)
	footer := m.Event.Name
	if m.Event.Place != "" {
		footer += " · " + m.Event.Place
		if m.Event.Year != 0 {
			footer += " " + strconv.Itoa(m.Event.Year)
		}
	}
	var jobs []job
	for _, src := range srcs {
		id := strings.TrimSuffix(filepath.Base(src), ".md")
		if only != "" && id != only {
			continue
		}
		i := slices.IndexFunc(m.Talks, func(t talk) bool { return t.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("%s: talk %q is not in %s", src, id, manPath)
		}
		t := m.Talks[i]
		creator := m.Event.Organiser
		if len(t.Speakers) > 0 {
			creator = t.Speakers[0].Name
			if creator == "" {
				creator = t.Speakers[0].Organisation
			}
		}
		pdf := filepath.Base(t.Files.Slides)
		if t.Files.Slides == "" {
			pdf = id + ".pdf"
		}
		jobs = append(jobs, job{
			meta: deckMeta{ID: id, Title: t.Title, Creator: creator, Subject: m.Event.Name, Keywords: t.Topics, Footer: footer},
			src:  src,
			pdf:  pdf,
		})
	}
	if only != "" && len(jobs) == 0 {
		return nil, fmt.Errorf("no source %s.md in %s", only, srcDir)
	}
	return jobs, nil
}

// render parses a source and builds its Flat ODP document.
func render(j job) (string, error) {
	f, err := os.Open(j.src)
	if err != nil {
		return "", err
	}
	defer f.Close()
	slides, err := parseSource(f)
	if err != nil {
		return "", err
	}
	doc, warnings := buildFODP(j.meta, slides)
	for _, w := range warnings {
		log.Printf("%s: warning: %s", j.src, w)
	}
	return doc, nil
}

// convert runs one soffice call over all documents, with a private user
// profile so that it neither waits for nor hands its work to another
// LibreOffice running on the machine.
func convert(soffice, tmp string, fodps []string) error {
	profile := "file://" + filepath.ToSlash(filepath.Join(tmp, "profile"))
	args := append([]string{
		"-env:UserInstallation=" + profile,
		"--headless", "--norestore", "--nolockcheck",
		"--convert-to", "pdf:impress_pdf_Export",
		"--outdir", filepath.Join(tmp, "pdf"),
	}, fodps...)
	cmd := exec.Command(soffice, args...)
	// A German locale makes the PDF's /Lang de-DE, as on a German desktop.
	cmd.Env = append(os.Environ(), "LANG=de_DE.UTF-8", "LC_ALL=de_DE.UTF-8")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", soffice, err, out)
	}
	return nil
}

// install copies a converted PDF to its place, through a temporary file so
// that a reader never sees half a PDF.
func install(from, to string) error {
	in, err := os.Open(from)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("soffice wrote no %s", filepath.Base(from))
	}
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(to), ".gen-*.pdf")
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(out.Name())
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(out.Name())
		return err
	}
	if err := os.Chmod(out.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(out.Name(), to)
}
