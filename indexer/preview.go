package indexer

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/internal/extract"
)

// PreviewConfig configures the PNG previews of slide pages that the
// search page shows next to a hit. They are rendered with poppler's
// pdftoppm, one call per deck, into Dir/<talk-id>/<page>.png.
type PreviewConfig struct {
	// Dir is the folder of the previews; "" renders none.
	Dir string
	// Command is the pdftoppm executable; "" looks it up in PATH.
	Command string
	// Size is the longer side of a preview in pixels; 0 means 320.
	Size int
	// Timeout bounds the rendering of one deck; 0 means one minute.
	Timeout time.Duration
	// LowPriority runs pdftoppm under nice -n 19 (when nice is
	// installed), so that previews rendered beside a serving process or
	// a running index take only the CPU nothing else wants.
	LowPriority bool
	// Workers is the number of decks rendered at once; 0 means
	// Config.Workers.
	Workers int
}

// NotePreviewsUnavailable is the report note of a run that could not
// render slide previews because pdftoppm is missing.
const NotePreviewsUnavailable = "slide previews not rendered: pdftoppm (Debian package poppler-utils) is not installed"

// stampFile, in a talk's preview folder, identifies the deck and settings
// the previews were rendered from, so unchanged decks are skipped.
const stampFile = ".source"

// RenderScratchPrefix begins the name of the folder a deck's previews are
// rendered into before it replaces the deck's folder. Such a folder is
// the writer's, half written and soon gone: never to be copied.
const RenderScratchPrefix = ".render-"

// renderPreviews brings the previews of every talk with slides up to date
// and removes those of talks that left the catalogue. A deck that cannot
// be rendered is logged and left without previews; it never fails the run.
// When pdftoppm is missing, the report says so once.
func (in *Indexer) renderPreviews(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS, rep *Report) {
	r, ok := in.newRenderer(rep)
	if !ok {
		return
	}
	talks := in.previewTalks(cat, rep)
	workers := r.pc.Workers
	if workers <= 0 {
		workers = in.cfg.Workers
	}
	var (
		mu       sync.Mutex
		rendered int
	)
	forEach(ctx, workers, len(talks), func(i int) {
		t := talks[i]
		name := cat.Path(t, t.Files.Slides)
		n, err := in.renderDeck(ctx, r, fsys, name, filepath.Join(r.pc.Dir, t.ID))
		if errors.Is(err, errPreviewTimeout) {
			mu.Lock()
			rep.Limited = append(rep.Limited, FileError{Talk: t.ID, File: name,
				Reason: fmt.Sprintf("previews took longer than %s and were stopped; not retried until the file changes or --force", r.pc.Timeout)})
			mu.Unlock()
		}
		if err != nil {
			if ctx.Err() == nil { // a stop is not a fault of the deck
				in.log.Warn("slide previews not rendered", "talk", t.ID, "err", err)
			}
			return
		}
		mu.Lock()
		rendered += n
		mu.Unlock()
	})
	rep.Previews = rendered
}

// newRenderer fills in the defaults of the preview configuration, finds
// pdftoppm (and nice) and makes the previews folder. When it cannot, it
// notes why in rep and returns false.
func (in *Indexer) newRenderer(rep *Report) (renderer, bool) {
	pc := in.cfg.Previews
	if pc.Size <= 0 {
		pc.Size = 320
	}
	if pc.Timeout <= 0 {
		pc.Timeout = time.Minute
	}
	cmd := pc.Command
	if cmd == "" {
		cmd = "pdftoppm"
	}
	bin, err := exec.LookPath(cmd)
	if err != nil {
		rep.Notes = append(rep.Notes, NotePreviewsUnavailable)
		in.log.Warn("slide previews not rendered", "reason", "pdftoppm not found", "err", err)
		return renderer{}, false
	}
	if err := os.MkdirAll(pc.Dir, 0o755); err != nil {
		rep.Notes = append(rep.Notes, "slide previews not rendered: "+err.Error())
		in.log.Warn("slide previews not rendered", "err", err)
		return renderer{}, false
	}
	r := renderer{bin: bin, pc: pc}
	if pc.LowPriority {
		r.nice, _ = exec.LookPath("nice")
	}
	return r, true
}

// previewTalks removes the previews of talks that left the catalogue or
// have no slides, and returns the talks whose decks this run could read,
// newest first.
func (in *Indexer) previewTalks(cat *corpus.Catalogue, rep *Report) []corpus.Talk {
	want := map[string]corpus.Talk{}
	for _, t := range cat.Talks {
		if t.Files.Slides != "" {
			want[t.ID] = t
		}
	}
	in.removeStalePreviews(in.cfg.Previews.Dir, want)

	withheld := map[string]bool{} // decks this run could not read
	for _, n := range rep.Withheld {
		withheld[n] = true
	}
	var talks []corpus.Talk
	for _, t := range cat.Talks {
		if _, ok := want[t.ID]; ok && !withheld[corpus.FilePath(t.EventID, t.Files.Slides)] {
			talks = append(talks, t)
		}
	}
	newestFirst(cat, talks)
	return talks
}

// newestFirst orders talks as the search page lists them without a
// query, the newest event first and the catalogue's order within it, so
// that the previews of the first page a visitor sees are rendered first.
func newestFirst(cat *corpus.Catalogue, talks []corpus.Talk) {
	year := map[string]int{}
	for _, e := range cat.Events {
		year[e.ID] = e.Year
	}
	slices.SortStableFunc(talks, func(a, b corpus.Talk) int { return cmp.Compare(year[b.EventID], year[a.EventID]) })
}

// renderer is how one run calls pdftoppm.
type renderer struct {
	bin  string // pdftoppm
	nice string // nice, when pdftoppm runs at low priority
	pc   PreviewConfig
}

// RenderPreviews brings the slide previews of cat up to date without
// indexing anything, so that a server can answer searches while previews
// are still being rendered. The report has Previews and Notes filled in.
func (in *Indexer) RenderPreviews(ctx context.Context, cat *corpus.Catalogue, fsys fs.FS) *Report {
	began := time.Now()
	rep := &Report{Talks: len(cat.Talks), Failed: []FileError{}}
	if in.cfg.Previews.Dir != "" {
		in.renderPreviews(ctx, cat, fsys, rep)
	}
	rep.Duration = time.Since(began)
	return rep
}

// removeStalePreviews deletes the preview folders of talks that are no
// longer in the catalogue or have no slides.
func (in *Indexer) removeStalePreviews(dir string, want map[string]corpus.Talk) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		in.log.Warn("list previews", "err", err)
		return
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; ok || !e.IsDir() {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			in.log.Warn("remove stale previews", "dir", e.Name(), "err", err)
		}
	}
}

// errPreviewTimeout is a deck whose previews took longer than
// PreviewConfig.Timeout.
var errPreviewTimeout = errors.New("indexer: previews timed out")

// timedOutMark, added to a stamp, records that the previews of that
// version of the deck timed out; they are not tried again without
// Config.Force.
const timedOutMark = "timed out\n"

// renderDeck renders every page of the PDF name into dest/<page>.png,
// unless dest holds previews of the same file already, or records that
// they timed out. It returns the number of pages rendered, 0 when they
// were up to date.
func (in *Indexer) renderDeck(ctx context.Context, r renderer, fsys fs.FS, name, dest string) (int, error) {
	key, err := fileVersion(fsys, name)
	if err != nil {
		return 0, err
	}
	stamp := fmt.Sprintf("%s size=%d\n", key, r.pc.Size)
	if old, err := os.ReadFile(filepath.Join(dest, stampFile)); err == nil &&
		(string(old) == stamp || string(old) == stamp+timedOutMark && !in.cfg.Force) {
		return 0, nil
	}
	src, err := in.source(fsys, name)
	if err != nil {
		return 0, fmt.Errorf("indexer: previews: %s", reason(err))
	}

	// Render into a folder beside dest, then swap it in, so the server
	// never sees half a deck.
	parent := filepath.Dir(dest)
	tmp, err := os.MkdirTemp(parent, RenderScratchPrefix)
	if err != nil {
		return 0, fmt.Errorf("indexer: previews: %w", err)
	}
	defer os.RemoveAll(tmp)

	err = runPdftoppm(ctx, r, src, tmp)
	timedOut := errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil
	if err != nil && !timedOut {
		return 0, fmt.Errorf("indexer: previews: pdftoppm %s: %w", name, err)
	}
	if timedOut {
		// Keep no pages of this version, and remember not to try again.
		if err := clearPages(tmp); err != nil {
			return 0, err
		}
		stamp += timedOutMark
	}
	n, err := renamePages(tmp)
	if err != nil {
		return 0, err
	}
	if n == 0 && !timedOut {
		return 0, fmt.Errorf("indexer: previews: pdftoppm wrote no pages for %s", name)
	}
	if err := os.WriteFile(filepath.Join(tmp, stampFile), []byte(stamp), 0o644); err != nil {
		return 0, fmt.Errorf("indexer: previews: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return 0, fmt.Errorf("indexer: previews: %w", err)
	}
	if err := os.RemoveAll(dest); err != nil {
		return 0, fmt.Errorf("indexer: previews: %w", err)
	}
	if err := os.Rename(tmp, dest); err != nil {
		return 0, fmt.Errorf("indexer: previews: %w", err)
	}
	if timedOut {
		return 0, fmt.Errorf("%w: %s after %s", errPreviewTimeout, name, r.pc.Timeout)
	}
	return n, nil
}

// clearPages removes what pdftoppm wrote into dir.
func clearPages(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("indexer: previews: %w", err)
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("indexer: previews: %w", err)
		}
	}
	return nil
}

// runPdftoppm renders every page of src, streamed to pdftoppm, into
// dir/p-<page>.png within pc.Timeout. It returns an error wrapping
// context.DeadlineExceeded when the time was up.
func runPdftoppm(ctx context.Context, rd renderer, src extract.Source, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, rd.pc.Timeout)
	defer cancel()
	r, err := src.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	args := []string{rd.bin, "-png", "-r", "40", "-scale-to", strconv.Itoa(rd.pc.Size), "-forcenum", "-", filepath.Join(dir, "p")}
	if rd.nice != "" {
		args = append([]string{rd.nice, "-n", "19"}, args...)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stdin = io.LimitReader(r, src.Size)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		return fmt.Errorf("%w: %s", err, msg)
	}
	return nil
}

// renamePages renames pdftoppm's p-01.png, p-02.png, … in dir to 1.png,
// 2.png, … and returns how many there are.
func renamePages(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("indexer: previews: %w", err)
	}
	n := 0
	for _, e := range entries {
		num, ok := strings.CutPrefix(strings.TrimSuffix(e.Name(), ".png"), "p-")
		page, err := strconv.Atoi(num)
		if !ok || err != nil || page < 1 {
			continue
		}
		if err := os.Rename(filepath.Join(dir, e.Name()), filepath.Join(dir, strconv.Itoa(page)+".png")); err != nil {
			return 0, fmt.Errorf("indexer: previews: %w", err)
		}
		n++
	}
	return n, nil
}
