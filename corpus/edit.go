package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// CheckTalk normalises the metadata of a talk that is to be added to a
// manifest (id, title, kind, speakers, states, topics and recording) by
// the rules Load applies, and returns every problem, with fields named as
// in a manifest's talk ("states[1]", "files.recording"). Load drops what
// is wrong and goes on; a caller adding a talk should refuse it instead.
func CheckTalk(t *Talk) []Problem {
	var probs problems
	if validMeta("", "", t, &probs) {
		validRecording("", "", t, &probs)
	}
	for i := range probs {
		probs[i].Field = strings.TrimPrefix(probs[i].Field, ".")
	}
	return probs
}

// rawManifest is a manifest whose event and talks stay as they were
// written, so that editing one talk leaves the others untouched.
type rawManifest struct {
	Event json.RawMessage   `json:"event"`
	Talks []json.RawMessage `json:"talks"`
}

// NewManifest returns the data of a manifest for ev with the given talks.
func NewManifest(ev Event, talks ...Talk) ([]byte, error) {
	evData, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("corpus: encode event: %w", err)
	}
	m := rawManifest{Event: evData, Talks: []json.RawMessage{}}
	for _, t := range talks {
		if m.Talks, err = appendTalk(m.Talks, t); err != nil {
			return nil, err
		}
	}
	return encodeManifest(m)
}

// AppendTalk returns the manifest data with t added as its last talk;
// the event and the other talks keep their content.
func AppendTalk(data []byte, t Talk) ([]byte, error) {
	m, err := decodeManifest(data)
	if err != nil {
		return nil, err
	}
	if m.Talks, err = appendTalk(m.Talks, t); err != nil {
		return nil, err
	}
	return encodeManifest(m)
}

// RemoveTalk returns the manifest data without the talk id (every entry
// with that id); it reports false when the manifest has no such talk.
func RemoveTalk(data []byte, id string) ([]byte, bool, error) {
	m, err := decodeManifest(data)
	if err != nil {
		return nil, false, err
	}
	kept := m.Talks[:0]
	for _, raw := range m.Talks {
		var t struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &t) == nil && strings.TrimSpace(t.ID) == id {
			continue
		}
		kept = append(kept, raw)
	}
	if len(kept) == len(m.Talks) {
		return data, false, nil
	}
	m.Talks = kept
	out, err := encodeManifest(m)
	return out, err == nil, err
}

func decodeManifest(data []byte) (rawManifest, error) {
	var m rawManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("corpus: read manifest: %s", jsonErrorPos(data, err))
	}
	if m.Talks == nil {
		m.Talks = []json.RawMessage{}
	}
	return m, nil
}

func appendTalk(talks []json.RawMessage, t Talk) ([]json.RawMessage, error) {
	for _, l := range []*[]string{&t.States, &t.Topics} {
		if *l == nil {
			*l = []string{}
		}
	}
	if t.Speakers == nil {
		t.Speakers = []Speaker{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(t); err != nil {
		return nil, fmt.Errorf("corpus: encode talk %s: %w", t.ID, err)
	}
	return append(talks, bytes.TrimSpace(buf.Bytes())), nil
}

// encodeManifest writes m indented, with umlauts and & as they are.
func encodeManifest(m rawManifest) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("corpus: encode manifest: %w", err)
	}
	return buf.Bytes(), nil
}
