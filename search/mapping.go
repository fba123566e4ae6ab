package search

import (
	"crypto/sha256"
	"fmt"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/mapping"
)

// mappingVersion is stored in the index; Open returns ErrNeedsRebuild when
// an index was written with another version. Bump it with every change to
// buildMapping or to what Index writes, and when the indexer builds a
// talk's document differently from the same files (19: the stemmer
// strips the -s plural of loanwords after o, p, y and w).
const mappingVersion = "19"

// indexVersion is what an index records of how it was written: the
// mapping version, the analysis chain and a digest of the embedded word
// lists that index-time decompounding and the E-prefix step read. A
// release that changes any of them finds ErrNeedsRebuild on Open, and
// talksearch rebuilds the index from its corpus by itself; no operator
// has to remember it. The archive's own vocabulary is read at query time
// and needs no rebuild as the archive grows.
func indexVersion(analysis string) string {
	h := sha256.New()
	for _, name := range []string{"dict/words.txt"} {
		data, _ := dictFS.ReadFile(name)
		h.Write(data)
	}
	return fmt.Sprintf("%s/%s/%x", mappingVersion, analysis, h.Sum(nil)[:6])
}

// stockAnalyzer is bleve's own German analyzer, used by AnalysisStock.
const stockAnalyzer = de.AnalyzerName

// Document types, stored in the field "type".
const (
	typeTalk    = "talk"
	typeSlide   = "slide"
	typeSegment = "segment"
)

// Field names. The keyword fields double as facet and filter fields.
const (
	fieldType        = "type"
	fieldTalkID      = "talk_id"
	fieldMeta        = "meta" // stored JSON of Talk, not indexed
	fieldTitle       = "title"
	fieldTopics      = "topics_text"
	fieldPeople      = "people"
	fieldAbout       = "about"
	fieldBody        = "body"
	fieldLead        = "lead" // the opening words of the talk's text (leadText)
	fieldLeadParts   = "lead_parts"
	fieldTitleParts  = "title_parts"
	fieldTopicsParts = "topics_parts"
	fieldBodyParts   = "body_parts"
	fieldTitlePairs  = "title_pairs"
	fieldTopicsPairs = "topics_pairs"
	fieldPeoplePairs = "people_pairs"
	fieldAboutPairs  = "about_pairs"
	fieldBodyPairs   = "body_pairs"
	fieldTextPairs   = "text_pairs"
	fieldText        = "text"
	fieldPage        = "page"
	fieldStart       = "start"
	fieldExtractor   = "extractor" // what produced a slide\'s text
	fieldOrder       = "order"
	fieldTitleKey    = "title_key"
	fieldVocab       = "vocab"       // "folded\x00shown" words, for suggestions
	fieldWords       = "words"       // folded words of title and speakers, for suggestions
	fieldVocabKey    = "vocab_key"   // folded words, for "Meinten Sie …?" and the decompounder
	fieldVocabRev    = "vocab_rev"   // folded words reversed: the compounds that end in a word
	fieldEventLabel  = "event_label" // "id\x00name\x00year", the event facet

	FieldSpeaker      = "speaker"
	FieldOrganisation = "organisation"
	FieldState        = "state"
	FieldTopic        = "topic"
	FieldKind         = "kind"
	FieldEvent        = "event"
	FieldYear         = "year"
)

// FacetFields lists the facet fields in the order results report them.
var FacetFields = []string{FieldSpeaker, FieldOrganisation, FieldState, FieldTopic, FieldKind, FieldEvent, FieldYear}

// buildMapping returns the whole index mapping: explicit document mappings
// for talks, slides and transcript segments, and nothing else indexed.
func buildMapping(analysis string) (mapping.IndexMapping, error) {
	k := fieldKinds{analysis: analysis, whole: analyzerWhole, parts: analyzerParts, all: analyzerAll}
	if analysis == AnalysisStock {
		k.whole, k.parts, k.all = stockAnalyzer, stockAnalyzer, stockAnalyzer
	}
	im := bleve.NewIndexMapping()
	// BM25 saturates term frequency and normalises by field length, so a
	// long talk does not win by repeating a word, nor a short one lose.
	im.ScoringModel = "bm25"
	if err := addAnalyzers(im); err != nil {
		return nil, err
	}
	im.TypeField = fieldType
	im.DefaultAnalyzer = k.whole
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	im.AddDocumentMapping(typeTalk, k.talkMapping())
	im.AddDocumentMapping(typeSlide, k.partMapping())
	im.AddDocumentMapping(typeSegment, k.partMapping())
	return im, nil
}

// fieldKinds makes the field mappings of one analysis chain.
type fieldKinds struct {
	analysis          string
	whole, parts, all string // the analyzers of whole words, parts, and both
}

// text is full text that is searched but never shown: not stored.
func (k fieldKinds) text(analyzer string) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = false
	f.IncludeInAll = false
	// Term vectors hold positions, which phrase queries need.
	f.IncludeTermVectors = true
	f.DocValues = false
	return f
}

// shown is full text shown as a highlighted snippet: stored, with term
// vectors.
func (k fieldKinds) shown() *mapping.FieldMapping {
	f := k.text(k.all)
	f.Store = true
	f.IncludeTermVectors = true
	return f
}

func (k fieldKinds) kw(store bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Analyzer = keyword.Name
	f.Store = store
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = true
	return f
}

func (k fieldKinds) num(store bool) *mapping.FieldMapping {
	f := bleve.NewNumericFieldMapping()
	f.Store = store
	f.IncludeInAll = false
	f.DocValues = true
	return f
}

func (k fieldKinds) stored() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Index = false
	f.Store = true
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = false
	return f
}

// pairs is a word-pair field for phrases (pairs.go): matched, never
// scored, so no term vectors.
func (k fieldKinds) pairs() *mapping.FieldMapping {
	f := k.text(analyzerPairs)
	f.IncludeTermVectors = false
	return f
}

// talkMapping is the mapping of a talk document.
func (k fieldKinds) talkMapping() *mapping.DocumentMapping {
	talk := bleve.NewDocumentStaticMapping()
	talk.AddFieldMappingsAt(fieldType, k.kw(false))
	talk.AddFieldMappingsAt(fieldTalkID, k.kw(false))
	talk.AddFieldMappingsAt(fieldMeta, k.stored())
	for _, f := range []string{fieldTitle, fieldTopics, fieldPeople, fieldAbout, fieldBody, fieldLead} {
		talk.AddFieldMappingsAt(f, k.text(k.whole))
	}
	for _, f := range []string{fieldTitleParts, fieldTopicsParts, fieldBodyParts, fieldLeadParts} {
		talk.AddFieldMappingsAt(f, k.text(k.parts))
	}
	if k.analysis != AnalysisStock {
		for _, f := range pairFields {
			talk.AddFieldMappingsAt(f, k.pairs())
		}
	}
	talk.AddFieldMappingsAt(fieldOrder, k.num(false))
	for _, f := range append([]string{fieldTitleKey, fieldVocab, fieldWords, fieldVocabKey, fieldVocabRev, fieldEventLabel, fieldLengths}, FacetFields...) {
		talk.AddFieldMappingsAt(f, k.kw(false))
	}
	return talk
}

// partMapping is the mapping of a slide or transcript segment document.
func (k fieldKinds) partMapping() *mapping.DocumentMapping {
	m := bleve.NewDocumentStaticMapping()
	m.AddFieldMappingsAt(fieldType, k.kw(false))
	m.AddFieldMappingsAt(fieldTalkID, k.kw(true))
	m.AddFieldMappingsAt(fieldText, k.shown())
	m.AddFieldMappingsAt(fieldPage, k.num(true))
	m.AddFieldMappingsAt(fieldStart, k.num(true))
	m.AddFieldMappingsAt(fieldExtractor, k.stored())
	if k.analysis != AnalysisStock {
		m.AddFieldMappingsAt(fieldTextPairs, k.pairs())
	}
	return m
}
