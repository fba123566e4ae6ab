package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/talksearch/talksearch/corpus"
)

// speakerPool is how many distinct speakers the catalogue draws from.
const speakerPool = 600

// person is a speaker of the pool with the state they work in.
type person struct {
	corpus.Speaker
	state int // index into corpus.States
}

// plan is the generated catalogue: the events and, per event, its talks
// and the slide count of each.
type plan struct {
	events []eventPlan
	pages  int
}

type eventPlan struct {
	event corpus.Event
	talks []talkPlan
}

type talkPlan struct {
	talk   corpus.Talk
	n      int // the talk's number, seeding its deck
	slides int
}

// planner draws the catalogue from one random source, in a fixed order.
type planner struct {
	rng      *rand.Rand
	w        *writer
	people   []person
	peopleZ  []float64
	topicsZ  []float64
	perEvent int
}

func newPlanner(seed uint64, w *writer, perEvent int) *planner {
	p := &planner{rng: rand.New(rand.NewPCG(seed, 0x5ca1e6e4)), w: w, perEvent: perEvent}
	seen := map[string]bool{}
	for len(p.people) < speakerPool {
		name := firstNames[p.rng.IntN(len(firstNames))] + " " + lastNames[p.rng.IntN(len(lastNames))]
		if seen[name] {
			continue
		}
		seen[name] = true
		st := p.rng.IntN(len(stateCities))
		city := stateCities[st][p.rng.IntN(len(stateCities[st]))]
		org := fmt.Sprintf(orgKinds[p.rng.IntN(len(orgKinds))], city)
		p.people = append(p.people, person{Speaker: corpus.Speaker{Name: name, Role: roles[p.rng.IntN(len(roles))], Organisation: org}, state: st})
	}
	// Some speakers talk often, most once or twice.
	p.peopleZ = zipfCum(len(p.people))
	p.topicsZ = zipfCum(len(topics))
	return p
}

// makePlan draws talks until the catalogue has talks talks or pages
// pages (whichever is set); the last talk is cut to hit pages exactly.
func (p *planner) makePlan(talks, pages int) plan {
	var pl plan
	for n := 0; talks > 0 && n < talks || pages > 0 && pl.pages < pages; n++ {
		if n%p.perEvent == 0 {
			pl.events = append(pl.events, p.event(len(pl.events)))
		}
		t := p.talk(n)
		if pages > 0 && pl.pages+t.slides > pages {
			t.slides = pages - pl.pages
		}
		pl.pages += t.slides
		ev := &pl.events[len(pl.events)-1]
		t.talk.EventID = ev.event.ID
		ev.talks = append(ev.talks, t)
	}
	return pl
}

func (p *planner) event(i int) eventPlan {
	place := eventPlaces[i%len(eventPlaces)]
	year := 2005 + i%20
	return eventPlan{event: corpus.Event{
		ID:        fmt.Sprintf("fachtag-%03d", i+1),
		Name:      fmt.Sprintf("%d. Fachtag Kommunale IT %s", i+1, place),
		ShortName: fmt.Sprintf("FKI%03d", i+1),
		Year:      year,
		Place:     place,
		Organiser: "Verein Kommunale IT e. V.",
	}}
}

// talk draws one talk's catalogue entry and its slide count.
func (p *planner) talk(n int) talkPlan {
	r := p.rng
	t := corpus.Talk{ID: fmt.Sprintf("t%06d", n+1), Kind: p.kind()}
	t.Title = p.w.title(r)
	if r.IntN(3) == 0 {
		t.Title += ": " + p.w.title(r)
	}
	nSpeakers := 1
	switch x := r.IntN(100); {
	case x >= 95:
		nSpeakers = 3
	case x >= 80:
		nSpeakers = 2
	}
	for range nSpeakers {
		sp := p.people[draw(r, p.peopleZ)]
		if !containsSpeaker(t.Speakers, sp.Speaker) {
			t.Speakers = append(t.Speakers, sp.Speaker)
			t.States = appendNew(t.States, corpus.States[sp.state])
		}
	}
	if r.IntN(100) < 6 {
		t.States = []string{corpus.Nationwide}
	}
	for range 1 + r.IntN(3) {
		t.Topics = appendNew(t.Topics, topics[draw(r, p.topicsZ)])
	}
	t.Files.Slides = "slides/" + t.ID + ".pdf"
	return talkPlan{talk: t, n: n, slides: slideCount(r)}
}

func (p *planner) kind() string {
	switch x := p.rng.IntN(100); {
	case x < 2:
		return corpus.KindOpening
	case x < 7:
		return corpus.KindKeynote
	case x < 15:
		return corpus.KindWorkshop
	case x < 20:
		return corpus.KindDiscussion
	}
	return corpus.KindTalk
}

func containsSpeaker(list []corpus.Speaker, s corpus.Speaker) bool {
	for _, x := range list {
		if x.Name == s.Name {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// deck draws the slides of one talk from its own random source, so decks
// can be written in any order and in parallel with the same result.
func (w *writer) deck(seed uint64, ev corpus.Event, t talkPlan) []slide {
	r := rand.New(rand.NewPCG(seed, uint64(t.n)+1))
	var who []string
	for _, s := range t.talk.Speakers {
		line := s.Name
		if s.Organisation != "" {
			line += ", " + s.Organisation
		}
		who = append(who, line)
	}
	first := slide{Title: t.talk.Title, Bullets: append(who, fmt.Sprintf("%s, %s %d", ev.Name, ev.Place, ev.Year))}
	slides := []slide{first}
	for len(slides) < t.slides {
		slides = append(slides, w.slide(r))
	}
	return slides
}
