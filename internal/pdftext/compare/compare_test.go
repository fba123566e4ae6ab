package compare

import (
	"reflect"
	"testing"
)

func TestTexts(t *testing.T) {
	ref := "Die Straßenverkehrsbehörde prüft die E-Rechnung. Die ﬁnale Prüfung folgt."
	got := "die Straßenverkehrsbehörde prüftdie E-Rechnung Die finale Prüfung"
	r := Texts(got, ref)
	if r.RefWords != 10 || r.GotWords != 8 || r.Common != 7 {
		t.Errorf("words: %+v", r)
	}
	if !reflect.DeepEqual(r.Glued, []string{"prüftdie"}) {
		t.Errorf("glued = %q", r.Glued)
	}
	if r.UmlautWords != 3 || r.UmlautFound != 2 {
		t.Errorf("umlaut words %d found %d, want 3 and 2", r.UmlautWords, r.UmlautFound)
	}
	if r.Recall() != 0.7 || r.UmlautRecall() != 2.0/3 {
		t.Errorf("recall %v, umlaut recall %v", r.Recall(), r.UmlautRecall())
	}
	if e := Texts("", ""); e.Recall() != 1 || e.GluedRate() != 0 {
		t.Errorf("empty texts: %+v", e)
	}
}

func TestMedian(t *testing.T) {
	for _, tt := range []struct {
		in   []float64
		want float64
	}{{nil, 0}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
