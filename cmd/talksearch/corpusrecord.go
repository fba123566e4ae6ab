package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/talksearch/talksearch/corpus"
	"github.com/talksearch/talksearch/search"
)

// The data folder remembers the corpus its index was built from in
// corpusFile, written when an index run starts (so an interrupted first
// run is remembered too). serve, index and search without --corpus (and
// without TALKSEARCH_CORPUS) use it; the bundled sample is the default
// only for a data folder without a record and without talks.
const (
	corpusFile = "corpus.json"
	// sampleCorpus is the --corpus value, and the record, of the bundled
	// sample corpus.
	sampleCorpus = "sample"
)

// corpusRecord is the content of corpusFile.
type corpusRecord struct {
	Corpus      string    `json:"corpus"` // absolute folder, or "sample"
	Fingerprint string    `json:"catalogue_fingerprint"`
	Talks       int       `json:"talks"` // in the catalogue when recorded
	Recorded    time.Time `json:"recorded"`
}

// corpusChoice is the corpus a command works on, and why.
type corpusChoice struct {
	name     string        // absolute folder, or sampleCorpus
	explicit bool          // given by --corpus or TALKSEARCH_CORPUS
	recorded *corpusRecord // the data folder's record; nil when it has none
}

func (c *corpusChoice) isSample() bool { return c.name == sampleCorpus }

// chooseCorpus decides the corpus once per command: an explicit choice
// wins, then the data folder's record, then the bundled sample.
func (m *Main) chooseCorpus() (*corpusChoice, error) {
	if m.corpus != nil {
		return m.corpus, nil
	}
	rec, err := readCorpusRecord(m.Config.Data)
	if err != nil {
		return nil, err
	}
	c := &corpusChoice{name: sampleCorpus, recorded: rec}
	switch {
	case m.Config.Corpus == sampleCorpus:
		c.explicit = true
	case m.Config.Corpus != "":
		abs, err := filepath.Abs(m.Config.Corpus)
		if err != nil {
			return nil, fmt.Errorf("corpus: %w", err)
		}
		c.name, c.explicit = abs, true
	case rec != nil:
		c.name = rec.Corpus
	}
	m.corpus = c
	return c, nil
}

// readCorpusRecord reads the record of data; nil when there is none.
func readCorpusRecord(data string) (*corpusRecord, error) {
	name := filepath.Join(data, corpusFile)
	b, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the recorded corpus: %w", err)
	}
	var rec corpusRecord
	if err := json.Unmarshal(b, &rec); err != nil || rec.Corpus == "" {
		return nil, fmt.Errorf("%s is damaged (%v); give --corpus DIR (or --corpus sample) to say which corpus this data folder indexes", name, err)
	}
	return &rec, nil
}

// writeCorpusRecord replaces the record of data atomically.
func writeCorpusRecord(data string, rec corpusRecord) error {
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return fmt.Errorf("record the corpus: %w", err)
	}
	root, err := os.OpenRoot(data)
	if err != nil {
		return fmt.Errorf("record the corpus: %w", err)
	}
	defer root.Close()
	if err := atomicReplace(root, corpusFile, corpusFile+".tmp-"+strconv.Itoa(os.Getpid()), append(b, '\n'), nil); err != nil {
		return fmt.Errorf("record the corpus: %w", err)
	}
	return syncFolder(data)
}

// catalogueFingerprint is a hash over the catalogue's talks and events.
func catalogueFingerprint(cat *corpus.Catalogue) string {
	b, _ := json.Marshal(cat)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// corpusSwitch is an explicit change of the corpus of a data folder.
type corpusSwitch struct {
	From, To string
	Removed  int // talks of the index that the new corpus does not have; -1 when not counted
}

// guardCorpus runs before anything is written to ix (nil when the index
// is held elsewhere and a new generation is built): it refuses to remove
// talks when the corpus was not chosen explicitly, then records the
// corpus. An explicit change of corpus is allowed, logged, and kept for
// the report.
func (m *Main) guardCorpus(ctx context.Context, ix *search.Index, cat *corpus.Catalogue) error {
	c, err := m.chooseCorpus()
	if err != nil {
		return err
	}
	// Counted even when ctx has ended: the record is written first.
	unrecorded := !c.explicit && c.recorded == nil
	inIndex, gone, err := talksNotIn(context.WithoutCancel(ctx), ix, cat, unrecorded)
	if err != nil {
		return err
	}
	switch {
	case unrecorded && gone > 0:
		return fmt.Errorf("the index in %s holds %d talks, %d of them not in the bundled sample, and the data folder does not record "+
			"which corpus they came from: give --corpus DIR (their folder) to keep them, or --corpus sample to replace them with the sample",
			m.Config.Data, inIndex, gone)
	case !c.explicit && len(cat.Talks) == 0 && inIndex > 0:
		return fmt.Errorf("the corpus %s has no talks, but the index holds %d: nothing was changed; is the folder there (mounted)? "+
			"To empty the index on purpose, give --corpus %s", c.name, inIndex, c.name)
	}
	if c.recorded != nil && c.recorded.Corpus != c.name {
		m.switched = &corpusSwitch{From: c.recorded.Corpus, To: c.name, Removed: gone}
		if ix == nil {
			m.switched.Removed = -1 // serve holds the old index: not counted
		}
		m.log.Warn("the data folder changes its corpus", "from", c.recorded.Corpus, "to", c.name, "talks_removed", gone)
	}
	rec := corpusRecord{Corpus: c.name, Fingerprint: catalogueFingerprint(cat), Talks: len(cat.Talks), Recorded: time.Now().UTC()}
	if c.recorded != nil && c.recorded.Corpus == c.name && c.recorded.Fingerprint == rec.Fingerprint {
		return nil // nothing new to record
	}
	if err := writeCorpusRecord(m.Config.Data, rec); err != nil {
		return err
	}
	c.recorded = &rec
	return nil
}

// talksNotIn counts the talks of ix, and those of them cat lacks. With
// sameEvent a talk of cat counts only when it is in the same event as in
// ix: an unrecorded index is taken for the sample only when its talks
// are the sample's, not a folder's decks that share their names.
func talksNotIn(ctx context.Context, ix *search.Index, cat *corpus.Catalogue, sameEvent bool) (inIndex, gone int, err error) {
	if ix == nil {
		return 0, 0, nil
	}
	ids, err := ix.TalkIDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	eventOf := make(map[string]string, len(cat.Talks))
	for _, t := range cat.Talks {
		eventOf[t.ID] = t.EventID
	}
	for _, id := range ids {
		ev, ok := eventOf[id]
		if ok && sameEvent {
			t, err := ix.Talk(ctx, id)
			ok = err == nil && t.Event.ID == ev
		}
		if !ok {
			gone++
		}
	}
	return len(ids), gone, nil
}

// corpusMissing explains a corpus folder that cannot be opened.
func (m *Main) corpusMissing(c *corpusChoice, err error) error {
	if c.explicit {
		return fmt.Errorf("corpus: %w", err)
	}
	return fmt.Errorf("the data folder %s was indexed from %s, which cannot be opened (%w); nothing was changed: "+
		"make the folder available again (mounted?), or give --corpus DIR to index another one", m.Config.Data, c.name, err)
}
