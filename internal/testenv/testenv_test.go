package testenv

import "testing"

func TestLookPathFindsShell(t *testing.T) {
	if p := LookPath(t, "sh is missing", "no-such-tool-talksearch", "sh"); p == "" {
		t.Fatal("sh not found")
	}
}

func TestRequired(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  bool
	}{{"", false}, {"0", false}, {"1", true}} {
		t.Setenv(RequireEnv, tt.value)
		if got := Required(); got != tt.want {
			t.Errorf("%s=%q: Required() = %v, want %v", RequireEnv, tt.value, got, tt.want)
		}
	}
}
