package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// command is one subcommand of talksearch and the flags it owns. As in
// cmd/go, each command has its own flag set, so a flag of another command
// is an error and --help lists only the command's own flags.
type command struct {
	name    string
	args    string // what follows [flags] on the usage line
	summary string // one line for `talksearch help`
	define  func(fs *flag.FlagSet, c *Config)
}

// commands are talksearch's commands in the order help lists them.
func commands() []command {
	return []command{
		{"serve", "", "index the corpus if it changed, then serve the search page and the JSON API (the default)",
			func(fs *flag.FlagSet, c *Config) {
				httpFlags(fs, c)
				opsFlags(fs, c)
				fs.BoolVar(&c.Replica, "replica", c.Replica, "serve the index that talksearch publish installs into --data, read-only: never index, watch or take admin writes")
				indexFlags(fs, c)
				thesaurusFlag(fs, c)
				previewsFlag(fs, c)
				extractFlags(fs, c)
				logFlag(fs, c)
			}},
		{"index", "", "build or update the index, print a report and exit",
			func(fs *flag.FlagSet, c *Config) {
				indexFlags(fs, c)
				fs.BoolVar(&c.Force, "force", c.Force, "re-index unchanged talks too")
				previewsFlag(fs, c)
				extractFlags(fs, c)
				jsonFlag(fs, c, "print the report as JSON")
				logFlag(fs, c)
			}},
		{"search", `"Anfrage"`, "print the best talks and slides for a query (indexes first if the index is empty)",
			func(fs *flag.FlagSet, c *Config) {
				indexFlags(fs, c)
				thesaurusFlag(fs, c)
				extractFlags(fs, c)
				jsonFlag(fs, c, "print the result as JSON")
				fs.Var(&c.Speakers, "speaker", "only talks by this speaker (repeatable)")
				fs.Var(&c.States, "state", "only talks from this state (repeatable)")
				fs.Var(&c.Topics, "topic", "only talks on this topic (repeatable)")
				logFlag(fs, c)
			}},
		{"extract", "FILE.pdf", "print the text of each page of a PDF, read as the indexer reads it",
			func(fs *flag.FlagSet, c *Config) {
				extractFlags(fs, c)
				jsonFlag(fs, c, "print the pages as JSON")
				logFlag(fs, c)
			}},
		{"snapshot", "DIR", "write a consistent copy of the index to the new folder DIR, also while serve runs; serve --data DIR starts from it",
			func(fs *flag.FlagSet, c *Config) {
				fs.StringVar(&c.Data, "data", c.Data, "folder of the index to copy")
				logFlag(fs, c)
			}},
		{"export", "", "write every talk, slide and transcript passage of the index as NDJSON in OpenSearch bulk format",
			func(fs *flag.FlagSet, c *Config) {
				fs.StringVar(&c.Data, "data", c.Data, "folder for the index and caches")
				fs.StringVar(&c.ExportIndex, "index-name", c.ExportIndex, "the _index named in each bulk action line")
				logFlag(fs, c)
			}},
		{"publish", "REPLICA_DATA...", "copy the live index to the data folders of read-only replicas (serve --replica), one after the other; each switches to it without a failed request",
			func(fs *flag.FlagSet, c *Config) {
				fs.StringVar(&c.Data, "data", c.Data, "folder of the index to publish (the writer's)")
				fs.DurationVar(&c.Wait, "wait", 30*time.Second, "how long to wait for each replica to switch to the new index before the next one gets it; 0 does not wait")
				logFlag(fs, c)
			}},
		{"help", "[COMMAND]", "list the commands, or the flags of one",
			func(*flag.FlagSet, *Config) {}},
	}
}

// httpFlags configure the HTTP server of serve.
func httpFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to serve HTTP on")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL prefix for absolute links in API responses")
	fs.StringVar(&c.CORSOrigins, "cors-origins", c.CORSOrigins, "comma-separated origins that browsers may call the API from; none by default")
	fs.Float64Var(&c.RateLimit, "rate-limit", c.RateLimit, "requests per second per client IP; 0 turns the limit off")
	fs.IntVar(&c.RateBurst, "rate-burst", c.RateBurst, "requests a client may make at once above the rate")
	fs.BoolVar(&c.RateLimitLocal, "rate-limit-local", c.RateLimitLocal, "rate-limit loopback clients too")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", c.TrustProxy, "take the client IP from X-Forwarded-For set by a proxy on a loopback or private address")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", c.RequestTimeout, "deadline of one API or page request")
}

// opsFlags configure serve's admin API and watching.
func opsFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.AdminTokenFile, "admin-token-file", c.AdminTokenFile, "file holding the admin API's bearer token (one line, at least 16 characters); without it the admin API is off")
	fs.IntVar(&c.AdminMaxUploadMB, "admin-max-upload-mb", c.AdminMaxUploadMB, "size limit of a file uploaded through the admin API in MB; 0 means --max-file-mb")
	fs.BoolVar(&c.Watch, "watch", c.Watch, "index new, changed and deleted files of the corpus folder as they appear")
	fs.DurationVar(&c.WatchInterval, "watch-interval", c.WatchInterval, "with --watch, how often the whole corpus folder is rescanned as a safety net")
}

// indexFlags configure the commands that open the index and may build it.
func indexFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Data, "data", c.Data, "folder for the index and caches")
	fs.StringVar(&c.Corpus, "corpus", c.Corpus, "folder of talks to index, or \"sample\" for the bundled sample; default: the corpus the data folder records (the sample for a new one)")
	fs.IntVar(&c.Workers, "workers", c.Workers, "files extracted in parallel; 0 means one per core")
	fs.IntVar(&c.MaxFileMB, "max-file-mb", c.MaxFileMB, "size limit of one corpus file in MB; a larger file is reported and not read")
}

// extractFlags configure how PDFs are read.
func extractFlags(fs *flag.FlagSet, c *Config) {
	fs.BoolVar(&c.Isolate, "isolate", c.Isolate, "extract each PDF in a child process bounded in time and memory")
	fs.DurationVar(&c.FileTimeout, "file-timeout", c.FileTimeout, "time limit of one PDF's extraction, and of the OCR of each page")
	fs.IntVar(&c.MemoryLimitMB, "memory-limit-mb", c.MemoryLimitMB, "memory bound of one PDF's extraction in MB, with --isolate")
}

// thesaurusFlag names the thesaurus that questions read.
func thesaurusFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.Thesaurus, "thesaurus", c.Thesaurus, "German thesaurus in OpenThesaurus's text format (Debian's openthesaurus-de-text), read at start if present: a question word the archive hardly uses also finds the synonyms it uses more; \"none\" for none")
}

// previewsFlag turns the slide previews of serve and index on or off.
func previewsFlag(fs *flag.FlagSet, c *Config) {
	fs.BoolVar(&c.Previews, "previews", c.Previews, "render slide previews (pdftoppm) in the background, at low priority, once the index is searchable")
}

func logFlag(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json")
}

func jsonFlag(fs *flag.FlagSet, c *Config, usage string) {
	fs.BoolVar(&c.JSON, "json", c.JSON, usage)
}

// hasEnv reports whether a flag can be set by environment. The settings
// of a deployment can; the options of one invocation (--force, --json and
// the search filters) cannot.
func hasEnv(flagName string) bool {
	switch flagName {
	case "force", "json", "speaker", "state", "topic", "index-name", "wait":
		return false
	}
	return true
}

// envName is the environment variable of a flag: TALKSEARCH_ and the
// flag's name in upper case with _ for -, e.g. TALKSEARCH_RATE_LIMIT.
func envName(flagName string) string {
	return "TALKSEARCH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

const usage = `talksearch: full-text search over conference talks

Usage: talksearch COMMAND [flags] [arguments]

Commands:
`

const usageFooter = `
Run "talksearch help COMMAND" or "talksearch COMMAND --help" for the flags
of a command. Flags may stand before or after the arguments. A flag that
configures a deployment can also be set by an environment variable,
TALKSEARCH_ and the flag's name in upper case with _ for -, e.g.
TALKSEARCH_RATE_LIMIT for --rate-limit; a flag wins over the environment.
`

// ParseFlags reads the command and its flags; environment variables give
// the defaults that flags override.
func (m *Main) ParseFlags(args []string) error {
	c := &m.Config
	switch {
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		c.Command, args = args[0], args[1:]
	case len(args) > 0 && isHelpFlag(args[0]):
		c.Command, args = "help", args[1:]
	}
	cmd, ok := lookupCommand(c.Command)
	if !ok {
		return fmt.Errorf("unknown command %q (use serve, index, search, extract, snapshot, export or publish; see talksearch help)", c.Command)
	}
	fs := newFlagSet(cmd, c, m.Stderr)
	if err := m.setFromEnv(fs); err != nil {
		return err
	}
	if err := checkForeign(fs, args, cmd.name); err != nil {
		return err
	}
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	c.Args = fs.Args()
	if cmd.name == "help" {
		return m.help(c.Args)
	}
	return validate(c, fs)
}

func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "--h":
		return true
	}
	return false
}

func lookupCommand(name string) (command, bool) {
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd, true
		}
	}
	return command{}, false
}

// newFlagSet defines cmd's flags on a new flag set that fills c. The
// usage of a flag with an environment variable names it.
func newFlagSet(cmd command, c *Config, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("talksearch "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(out)
	cmd.define(fs, c)
	fs.VisitAll(func(f *flag.Flag) {
		if hasEnv(f.Name) {
			f.Usage += " (" + envName(f.Name) + ")"
		}
	})
	fs.Usage = func() { printCommandUsage(fs.Output(), cmd, fs) }
	return fs
}

// setFromEnv is the one place the environment is read: every flag of fs
// that has an environment variable, set and not empty, takes its value
// from there; the command line parsed afterwards overrides it.
func (m *Main) setFromEnv(fs *flag.FlagSet) error {
	getenv := m.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if !hasEnv(f.Name) {
			return
		}
		name := envName(f.Name)
		v := getenv(name)
		if v == "" {
			return
		}
		if err := f.Value.Set(v); err != nil {
			errs = append(errs, fmt.Errorf("invalid value %q in %s for --%s: %w", v, name, f.Name, err))
		}
	})
	return errors.Join(errs...)
}

// checkForeign returns an error naming the right command when args hold a
// flag that fs does not define but another command does. It walks args as
// fs.Parse does, skipping the value of a flag that takes one; flags no
// command knows are left to fs.Parse to report.
func checkForeign(fs *flag.FlagSet, args []string, cmdName string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return nil
		}
		if len(a) < 2 || a[0] != '-' {
			continue // a positional argument, or "-"
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		if f := fs.Lookup(name); f != nil {
			if !hasValue && !isBoolFlag(f) {
				i++ // the flag's value
			}
			continue
		}
		if owners := flagOwners(name, cmdName); len(owners) > 0 {
			return fmt.Errorf("flag --%s belongs to %s, not %s", name, joinOwners(owners), cmdName)
		}
	}
	return nil
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagOwners lists the commands other than except that define the flag.
func flagOwners(name, except string) []string {
	var owners []string
	for _, cmd := range commands() {
		if cmd.name == except {
			continue
		}
		if newFlagSet(cmd, &Config{}, io.Discard).Lookup(name) != nil {
			owners = append(owners, cmd.name)
		}
	}
	return owners
}

// joinOwners writes "talksearch serve", "talksearch index" and "talksearch search".
func joinOwners(owners []string) string {
	quoted := make([]string, len(owners))
	for i, o := range owners {
		quoted[i] = fmt.Sprintf("%q", "talksearch "+o)
	}
	if len(quoted) == 1 {
		return quoted[0]
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}

// parseInterspersed parses flags that may stand before or after the
// positional arguments, as in `talksearch search "eAkte" --state Sachsen`.
func parseInterspersed(fset *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fset.Parse(args); err != nil {
			return err
		}
		if fset.NArg() == 0 {
			break
		}
		positional = append(positional, fset.Arg(0))
		args = fset.Args()[1:]
	}
	return fset.Parse(append([]string{"--"}, positional...))
}

// validate checks the values of the flags fs defines, and the arguments
// of the command.
func validate(c *Config, fs *flag.FlagSet) error {
	switch {
	case c.Command == "extract" && len(c.Args) != 1:
		return errors.New("extract needs exactly one PDF file")
	case c.Command == "snapshot" && len(c.Args) != 1:
		return errors.New("snapshot needs exactly one folder to write the copy to, e.g. talksearch snapshot /backup/talksearch-2026-05-01")
	case c.Command == "publish" && len(c.Args) == 0:
		return errors.New("publish needs the data folder of at least one replica, e.g. talksearch publish --data /srv/writer /srv/replica-1 /srv/replica-2")
	case c.Command == "search" && len(c.Args) == 0:
		return errors.New(`search needs a query, e.g. talksearch search "E-Rechnung"`)
	case (c.Command == "serve" || c.Command == "index" || c.Command == "export") && len(c.Args) > 0:
		return fmt.Errorf("%s takes no arguments, but got %q (the corpus folder is given with --corpus)", c.Command, strings.Join(c.Args, " "))
	}
	for _, check := range []struct {
		flag string
		ok   bool
		msg  string
	}{
		{"log-format", c.LogFormat == "text" || c.LogFormat == "json", fmt.Sprintf("--log-format must be text or json, not %q", c.LogFormat)},
		{"data", c.Data != "", "--data must name a folder"},
		{"index-name", c.ExportIndex != "", "--index-name must not be empty"},
		{"rate-limit", c.RateLimit >= 0 && c.RateBurst >= 0, "--rate-limit and --rate-burst must not be negative"},
		{"file-timeout", c.FileTimeout > 0, "--file-timeout must be positive, e.g. 60s"},
		{"memory-limit-mb", c.MemoryLimitMB >= 64, "--memory-limit-mb must be at least 64"},
		{"max-file-mb", c.MaxFileMB >= 1 && c.MaxFileMB <= 2048, "--max-file-mb must be between 1 and 2048"},
		{"request-timeout", c.RequestTimeout > 0, "--request-timeout must be positive, e.g. 10s"},
		{"admin-max-upload-mb", c.AdminMaxUploadMB >= 0 && c.AdminMaxUploadMB <= c.MaxFileMB, "--admin-max-upload-mb must be between 0 and --max-file-mb"},
		{"watch-interval", c.WatchInterval >= time.Second, "--watch-interval must be at least 1s"},
		{"wait", c.Wait >= 0, "--wait must not be negative"},
		{"replica", !c.Replica || !c.Watch && c.AdminTokenFile == "",
			"--replica serves the index talksearch publish installs and writes nothing: it takes neither --watch nor --admin-token-file (index and change the corpus on the writer; see README, Scale-out)"},
	} {
		if fs.Lookup(check.flag) != nil && !check.ok {
			return errors.New(check.msg)
		}
	}
	return nil
}

// help prints the list of commands, or the usage of the one named, to
// Stdout and returns flag.ErrHelp.
func (m *Main) help(args []string) error {
	if len(args) == 0 {
		printCommands(m.Stdout)
		return flag.ErrHelp
	}
	cmd, ok := lookupCommand(args[0])
	if len(args) > 1 || !ok {
		return fmt.Errorf("help: unknown command %q (use serve, index, search, extract, snapshot, export or publish)", strings.Join(args, " "))
	}
	defaults := NewMain().Config
	fs := newFlagSet(cmd, &defaults, m.Stdout)
	fs.Usage()
	return flag.ErrHelp
}

func printCommands(w io.Writer) {
	fmt.Fprint(w, usage)
	for _, cmd := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, usageFooter)
}

// printCommandUsage prints a command's usage line and its own flags.
func printCommandUsage(w io.Writer, cmd command, fs *flag.FlagSet) {
	line := "talksearch " + cmd.name
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		line += " [flags]"
	}
	if cmd.args != "" {
		line += " " + cmd.args
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n", line, strings.ToUpper(cmd.summary[:1])+cmd.summary[1:])
	if hasFlags {
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
	}
}
