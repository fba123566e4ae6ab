package search

import "testing"

func TestRowSets(t *testing.T) {
	set := func(rows ...int32) rowSet {
		s := newRowSet(130)
		for _, r := range rows {
			s.add(r)
		}
		return s
	}
	a, b, c := set(0, 5, 64, 129), set(5, 64, 100), set(64, 70, 129)
	sets := []rowSet{a, b, c}
	tests := []struct {
		name string
		got  rowSet
		want rowSet
	}{
		{"all of a, b", rowsInAll(sets, []int{0, 1}), set(5, 64)},
		{"all of a, b, c", rowsInAll(sets, []int{0, 1, 2}), set(64)},
		{"at least 1", rowsInAtLeast(sets, 1), set(0, 5, 64, 70, 100, 129)},
		{"at least 2", rowsInAtLeast(sets, 2), set(5, 64, 129)},
		{"at least 3", rowsInAtLeast(sets, 3), set(64)},
	}
	for _, tc := range tests {
		if tc.got.count() != tc.want.count() || tc.got.countNot(tc.want) != 0 {
			t.Errorf("%s: %b, want %b", tc.name, tc.got, tc.want)
		}
	}
	if n := a.countNot(b); n != 2 {
		t.Errorf("a without b: %d rows, want 2 (0 and 129)", n)
	}
	u := set(1)
	u.or(c)
	if u.count() != 4 {
		t.Errorf("{1} or c: %d rows, want 4", u.count())
	}
}
