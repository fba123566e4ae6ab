// Command talksearch serves full-text search over conference talks: their
// PDF slide decks and transcripts, with facets by speaker, state and topic.
//
// Usage:
//
//	talksearch serve   [--addr :8080] [--data ./data] [--corpus DIR]
//	talksearch index   [--data ./data] [--corpus DIR] [--force] [--json]
//	talksearch search  [--data ./data] [--state S] [--topic T] [--speaker P] [--json] "Anfrage"
//	talksearch extract [--json] FILE.pdf
//	talksearch snapshot [--data ./data] DIR
//	talksearch export  [--data ./data] [--index-name talksearch] > talks.ndjson
//	talksearch publish [--data ./data] [--wait 30s] REPLICA_DATA...
//	talksearch serve --replica [--data DIR] [--addr :8080]
//	talksearch help    [COMMAND]
//
// serve indexes the corpus into the data folder if anything changed, then
// serves the search page at / and the JSON API at /api/v1/. index builds
// or updates the index and exits; search prints the best talks and
// slides; extract prints the text of each page of a PDF; snapshot copies
// the index, also while serve runs; export writes the index's documents
// as NDJSON in OpenSearch bulk format; publish rolls the index out to the
// data folders of read-only replicas, which serve --replica serves.
// Without --corpus, a command uses the
// corpus the data folder records (the bundled sample for a new one).
//
// Each command has its own flags, listed by `talksearch COMMAND --help`; a
// flag of another command is an error that names its owner. A flag that
// configures a deployment can also be set by environment:
// TALKSEARCH_ and its name in upper case with _ for -, e.g.
// TALKSEARCH_RATE_LIMIT for --rate-limit. Flags win over the environment.
// The per-invocation flags --force, --json, --speaker, --state and --topic
// have no variable.
//
// Each PDF is extracted by a child process (this executable, started with
// TALKSEARCH_EXTRACT_CHILD=1) bounded by --file-timeout and
// --memory-limit-mb, so a file that hangs or allocates without end is
// reported and the rest of the corpus is indexed; --isolate=false reads
// PDFs in-process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/talksearch/talksearch/internal/extract"
)

func main() {
	if extract.ChildRequested() {
		// This process is an extraction child started by the indexer.
		os.Exit(extract.ServeChild(os.Stdin, os.Stdout))
	}
	os.Exit(runProcess(NewMain(), os.Args[1:]))
}

// runProcess parses args into m, runs the command until it ends or a signal
// stops it, and returns the exit code.
func runProcess(m *Main, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := m.ParseFlags(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(os.Stderr, "talksearch:", err)
		return 2
	}
	go exitIfStuck(ctx, stop)
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "talksearch:", err)
		return 1
	}
	return 0
}

// stopGrace is how long a command may take to stop after SIGINT or
// SIGTERM before the process exits anyway.
const stopGrace = 10 * time.Second

// exitIfStuck waits for the first signal, restores the default handling
// (a second signal kills at once) and exits if the command has not ended
// within stopGrace.
func exitIfStuck(ctx context.Context, stop context.CancelFunc) {
	<-ctx.Done()
	stop()
	time.Sleep(stopGrace)
	fmt.Fprintf(os.Stderr, "talksearch: did not stop within %s of the signal; exiting\n", stopGrace)
	os.Exit(1)
}
