package pdftext

import (
	"strings"
	"testing"
)

// TestTailScan checks the check that keeps the library's lexer from
// looping: a stream counts as open when it ends with "<" and then only
// hex digits and white space, however it is cut into chunks.
func TestTailScan(t *testing.T) {
	for _, tt := range []struct {
		name, stream string
		open         bool
	}{
		{"closed hex string", "BT <48656c6c6f> Tj ET", false},
		{"open hex string", "BT <48656c6c6f", true},
		{"open hex string with spaces", "BT <4865 6c6c\n6f  \n", true},
		{"lone < at the end", "BT (x) Tj <", true},
		{"< at the very start", "<41 42", true},
		{"dictionary left open", "/P <<", false},
		{"dictionary and an open hex string", "/P <<<41", true},
		{"two dictionaries", "<<<<", false},
		{"dictionary key", "/P <</MCID 0", false},
		{"empty hex string", "<> Tj", false},
		{"ends with an operator", "BT (a < b) Tj ET\n", false},
		{"non-hex character: the lexer fails", "BT <48zz", false},
		{"only hex digits", "4142 43", false},
		{"empty", "", false},
	} {
		// Every cut into two chunks gives the same answer.
		for cut := 0; cut <= len(tt.stream); cut++ {
			var ts tailScan
			ts.add([]byte(tt.stream[:cut]))
			ts.add([]byte(tt.stream[cut:]))
			if got := ts.open(); got != tt.open {
				t.Errorf("%s: %q cut at %d: open %v, want %v", tt.name, tt.stream, cut, got, tt.open)
				break
			}
		}
		// And byte by byte.
		var ts tailScan
		for _, c := range []byte(tt.stream) {
			ts.add([]byte{c})
		}
		if got := ts.open(); got != tt.open {
			t.Errorf("%s: %q byte by byte: open %v, want %v", tt.name, strings.TrimSpace(tt.stream), got, tt.open)
		}
	}
}
