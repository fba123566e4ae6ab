package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// parseWith parses args with env as the whole environment and returns the
// Main, its stdout and stderr.
func parseWith(env map[string]string, args ...string) (*Main, string, string, error) {
	var out, errOut bytes.Buffer
	m := NewMain()
	m.Stdout, m.Stderr = &out, &errOut
	m.Getenv = func(k string) string { return env[k] }
	err := m.ParseFlags(args)
	return m, out.String(), errOut.String(), err
}

// TestCommandHelp checks that each command's --help, and help COMMAND,
// list the command's own flags and no others, and that help and --help
// list the commands.
func TestCommandHelp(t *testing.T) {
	for _, tt := range []struct {
		command string
		usage   string
		own     []string
		foreign []string
	}{
		{"serve", "Usage: talksearch serve [flags]\n",
			[]string{"-addr", "-data", "-corpus", "-base-url", "-log-format", "-workers", "-isolate", "-file-timeout", "-memory-limit-mb",
				"-cors-origins", "-rate-limit ", "-rate-burst", "-rate-limit-local", "-trust-proxy", "-request-timeout", "(TALKSEARCH_RATE_LIMIT)"},
			[]string{"-force", "-json", "-speaker", "-state", "-topic"}},
		{"index", "Usage: talksearch index [flags]\n",
			[]string{"-data", "-corpus", "-force", "-workers", "-isolate", "-file-timeout", "-memory-limit-mb", "-json", "-log-format"},
			[]string{"-addr", "-rate-limit", "-speaker", "-base-url", "(TALKSEARCH_FORCE)"}},
		{"search", "Usage: talksearch search [flags] \"Anfrage\"\n",
			[]string{"-data", "-corpus", "-json", "-speaker", "-state", "-topic", "-workers", "-log-format"},
			[]string{"-addr", "-force", "-rate-limit", "-cors-origins"}},
		{"extract", "Usage: talksearch extract [flags] FILE.pdf\n",
			[]string{"-json", "-isolate", "-file-timeout", "-memory-limit-mb", "-log-format"},
			[]string{"-data", "-corpus", "-addr", "-workers", "-force", "-speaker", "-rate-limit"}},
	} {
		t.Run(tt.command, func(t *testing.T) {
			_, _, flagHelp, err := parseWith(nil, tt.command, "--help")
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("--help: err = %v", err)
			}
			_, helpCmd, _, err := parseWith(nil, "help", tt.command)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("help %s: err = %v", tt.command, err)
			}
			if flagHelp != helpCmd {
				t.Errorf("--help on stderr and help %s on stdout differ:\n%s\n---\n%s", tt.command, flagHelp, helpCmd)
			}
			if !strings.HasPrefix(helpCmd, tt.usage) {
				t.Errorf("usage line: %q", helpCmd)
			}
			for _, f := range tt.own {
				if !strings.Contains(helpCmd, f) {
					t.Errorf("help lacks %s:\n%s", f, helpCmd)
				}
			}
			for _, f := range tt.foreign {
				if strings.Contains(helpCmd, f) {
					t.Errorf("help lists %s:\n%s", f, helpCmd)
				}
			}
		})
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, out, _, err := parseWith(nil, args...)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("err = %v", err)
			}
			for _, cmd := range []string{"serve ", "index ", "search ", "extract ", "export ", "help "} {
				if !strings.Contains(out, "\n  "+cmd) {
					t.Errorf("command list lacks %s:\n%s", cmd, out)
				}
			}
			if strings.Contains(out, "-rate-limit ") {
				t.Errorf("command list shows flags:\n%s", out)
			}
		})
	}
	if _, _, _, err := parseWith(nil, "help", "tanzen"); err == nil || errors.Is(err, flag.ErrHelp) {
		t.Errorf("help tanzen: err = %v", err)
	}
}

// TestForeignFlag checks that a flag of another command is an error that
// names the commands owning it, wherever it stands.
func TestForeignFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string // "" means no error
	}{
		{[]string{"extract", "--rate-limit", "5", "d.pdf"}, `flag --rate-limit belongs to "talksearch serve", not extract`},
		{[]string{"extract", "d.pdf", "-rate-limit=5"}, `flag --rate-limit belongs to "talksearch serve", not extract`},
		{[]string{"extract", "d.pdf", "--data", "x"}, `flag --data belongs to "talksearch serve", "talksearch index", "talksearch search", "talksearch snapshot", "talksearch export" and "talksearch publish", not extract`},
		{[]string{"export", "--force"}, `flag --force belongs to "talksearch index", not export`},
		{[]string{"serve", "--force"}, `flag --force belongs to "talksearch index", not serve`},
		{[]string{"index", "--speaker", "Schüppel"}, `flag --speaker belongs to "talksearch search", not index`},
		{[]string{"search", "eAkte", "--addr=:1"}, `flag --addr belongs to "talksearch serve", not search`},
		{[]string{"--rate-limit", "5", "--json"}, `flag --json belongs to "talksearch index", "talksearch search" and "talksearch extract", not serve`},
		{[]string{"help", "--addr", ":1"}, `flag --addr belongs to "talksearch serve", not help`},
		// A flag's value that looks like a flag is a value.
		{[]string{"search", "eAkte", "--speaker", "--force"}, ""},
		// After -- everything is an argument.
		{[]string{"search", "--", "--force"}, ""},
		// serve and index take no arguments: a folder given without
		// --corpus would otherwise be ignored silently.
		{[]string{"index", "./vortraege"}, `index takes no arguments, but got "./vortraege" (the corpus folder is given with --corpus)`},
		{[]string{"serve", "--addr", ":1", "x"}, `serve takes no arguments, but got "x" (the corpus folder is given with --corpus)`},
		// A flag no command has is the flag package's usual error.
		{[]string{"serve", "--tanzen"}, "flag provided but not defined: -tanzen"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, _, _, err := parseWith(nil, tt.args...)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("err = %v, want %s", err, tt.want)
			}
		})
	}
}

// TestFlagEnvironment checks that environment variables give the
// defaults, that flags win over them, that a bad value names its
// variable, and that only the command's own flags read the environment.
func TestFlagEnvironment(t *testing.T) {
	for _, tt := range []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(Config) bool
		wantErr string // "" means no error
	}{
		{"env over default", map[string]string{"TALKSEARCH_RATE_LIMIT": "5", "TALKSEARCH_FILE_TIMEOUT": "2m", "TALKSEARCH_ISOLATE": "false", "TALKSEARCH_DATA": "/srv/data"},
			[]string{"serve"},
			func(c Config) bool {
				return c.RateLimit == 5 && c.FileTimeout == 2*time.Minute && !c.Isolate && c.Data == "/srv/data"
			}, ""},
		{"flag over env", map[string]string{"TALKSEARCH_RATE_LIMIT": "5", "TALKSEARCH_WORKERS": "3"},
			[]string{"serve", "--rate-limit", "7", "--workers=2"},
			func(c Config) bool { return c.RateLimit == 7 && c.Workers == 2 }, ""},
		{"empty env is unset", map[string]string{"TALKSEARCH_ADDR": "", "TALKSEARCH_LOG_FORMAT": ""},
			[]string{"serve"},
			func(c Config) bool { return c.Addr == ":8080" && c.LogFormat == "text" }, ""},
		{"every env name", map[string]string{
			"TALKSEARCH_ADDR": ":9", "TALKSEARCH_DATA": "d", "TALKSEARCH_CORPUS": "c", "TALKSEARCH_BASE_URL": "https://x.de",
			"TALKSEARCH_LOG_FORMAT": "json", "TALKSEARCH_WORKERS": "4", "TALKSEARCH_ISOLATE": "false", "TALKSEARCH_FILE_TIMEOUT": "5s",
			"TALKSEARCH_MEMORY_LIMIT_MB": "512", "TALKSEARCH_CORS_ORIGINS": "https://a.de", "TALKSEARCH_RATE_LIMIT": "1.5",
			"TALKSEARCH_RATE_BURST": "3", "TALKSEARCH_RATE_LIMIT_LOCAL": "true", "TALKSEARCH_TRUST_PROXY": "true", "TALKSEARCH_REQUEST_TIMEOUT": "4s", "TALKSEARCH_MAX_FILE_MB": "50",
			"TALKSEARCH_ADMIN_TOKEN_FILE": "/run/secrets/admin", "TALKSEARCH_ADMIN_MAX_UPLOAD_MB": "20", "TALKSEARCH_WATCH": "true", "TALKSEARCH_WATCH_INTERVAL": "30s",
			"TALKSEARCH_PREVIEWS": "false", "TALKSEARCH_THESAURUS": "/srv/thesaurus.txt"},
			[]string{"serve"},
			func(c Config) bool {
				return reflect.DeepEqual(c, Config{Command: "serve", Addr: ":9", Data: "d", Corpus: "c", BaseURL: "https://x.de", LogFormat: "json", Workers: 4,
					Isolate: false, FileTimeout: 5 * time.Second, MemoryLimitMB: 512, CORSOrigins: "https://a.de", RateLimit: 1.5,
					RateBurst: 3, RateLimitLocal: true, TrustProxy: true, RequestTimeout: 4 * time.Second, MaxFileMB: 50,
					AdminTokenFile: "/run/secrets/admin", AdminMaxUploadMB: 20, Watch: true, WatchInterval: 30 * time.Second, ExportIndex: "talksearch",
					Thesaurus: "/srv/thesaurus.txt"})
			}, ""},
		{"per-invocation flags have none", map[string]string{"TALKSEARCH_FORCE": "true", "TALKSEARCH_JSON": "true"},
			[]string{"index"},
			func(c Config) bool { return !c.Force && !c.JSON }, ""},
		{"another command's variable is not read", map[string]string{"TALKSEARCH_RATE_LIMIT": "viel", "TALKSEARCH_ADDR": ":9"},
			[]string{"index"},
			func(c Config) bool { return c.RateLimit == 20 && c.Addr == ":8080" }, ""},
		{"bad value names the variable", map[string]string{"TALKSEARCH_RATE_LIMIT": "viel"},
			[]string{"serve"}, nil, `invalid value "viel" in TALKSEARCH_RATE_LIMIT for --rate-limit`},
		{"bad duration names the variable", map[string]string{"TALKSEARCH_FILE_TIMEOUT": "eine Minute"},
			[]string{"extract", "d.pdf"}, nil, `invalid value "eine Minute" in TALKSEARCH_FILE_TIMEOUT for --file-timeout`},
		{"env value is validated", map[string]string{"TALKSEARCH_MEMORY_LIMIT_MB": "10"},
			[]string{"index"}, nil, "--memory-limit-mb must be at least 64"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _, err := parseWith(tt.env, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want it to contain %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m.Config.Args = nil
			if !tt.check(m.Config) {
				t.Errorf("config = %+v", m.Config)
			}
		})
	}
}

// TestEnvNames pins the environment variable of every flag that has one,
// as docker-compose.yml and deployments use them.
func TestEnvNames(t *testing.T) {
	var got []string
	seen := map[string]bool{}
	for _, cmd := range commands() {
		fs := newFlagSet(cmd, &Config{}, io.Discard)
		fs.VisitAll(func(f *flag.Flag) {
			if hasEnv(f.Name) && !seen[f.Name] {
				seen[f.Name] = true
				got = append(got, envName(f.Name))
			}
		})
	}
	slices.Sort(got)
	want := []string{"TALKSEARCH_ADDR", "TALKSEARCH_ADMIN_MAX_UPLOAD_MB", "TALKSEARCH_ADMIN_TOKEN_FILE", "TALKSEARCH_BASE_URL", "TALKSEARCH_CORPUS", "TALKSEARCH_CORS_ORIGINS", "TALKSEARCH_DATA",
		"TALKSEARCH_FILE_TIMEOUT", "TALKSEARCH_ISOLATE", "TALKSEARCH_LOG_FORMAT", "TALKSEARCH_MAX_FILE_MB", "TALKSEARCH_MEMORY_LIMIT_MB", "TALKSEARCH_PREVIEWS", "TALKSEARCH_RATE_BURST",
		"TALKSEARCH_RATE_LIMIT", "TALKSEARCH_RATE_LIMIT_LOCAL", "TALKSEARCH_REPLICA", "TALKSEARCH_REQUEST_TIMEOUT", "TALKSEARCH_THESAURUS", "TALKSEARCH_TRUST_PROXY", "TALKSEARCH_WATCH",
		"TALKSEARCH_WATCH_INTERVAL", "TALKSEARCH_WORKERS"}
	if !slices.Equal(got, want) {
		t.Errorf("environment variables:\n got %q\nwant %q", got, want)
	}
}

// TestThesaurusOption checks which commands read --thesaurus into the
// index options: serve and search do, once; index does not, nor "none";
// a missing file is none, logged.
func TestThesaurusOption(t *testing.T) {
	const file = "../../search/testdata/thesaurus.txt"
	for _, tt := range []struct {
		command, path string
		want          bool
		log           string
	}{
		{"serve", file, true, "read the thesaurus"},
		{"search", file, true, "read the thesaurus"},
		{"index", file, false, ""},
		{"serve", "none", false, ""},
		{"serve", filepath.Join(t.TempDir(), "missing.txt"), false, "cannot read the thesaurus"},
	} {
		var logs bytes.Buffer
		m := NewMain()
		m.Config.Command, m.Config.Thesaurus = tt.command, tt.path
		m.log = slog.New(slog.NewTextHandler(&logs, nil))
		first := m.indexOptions().Thesaurus
		if got := first != nil; got != tt.want {
			t.Errorf("%s --thesaurus %s: thesaurus read %v, want %v", tt.command, tt.path, got, tt.want)
		}
		if again := m.indexOptions().Thesaurus; again != first {
			t.Errorf("%s --thesaurus %s: read again for a second index", tt.command, tt.path)
		}
		if !strings.Contains(logs.String(), tt.log) || (tt.log == "" && logs.Len() > 0) {
			t.Errorf("%s --thesaurus %s logged %q, want %q", tt.command, tt.path, logs.String(), tt.log)
		}
	}
}
