package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// printTables writes the three Markdown tables: indexing throughput,
// query latency, memory and disk.
func printTables(w io.Writer, c config, rs []result) {
	fmt.Fprintf(w, "\n### Indexing throughput (pages/s, %d workers)\n\n", c.workers)
	fmt.Fprintln(w, "| pages | talks | searchable (serve → ready) | with previews | extraction alone (pdftext, in-process) | pdftotext |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %d | %d | %s | %s | %s | %s |\n", r.Pages, r.Talks,
			rate(r.Pages, r.Searchable), rate(r.Pages, r.Total), rate(r.Pages, r.Extract), rate(r.Pages, r.Pdftotext))
	}
	fmt.Fprintln(w, "\nProcessor seconds (user + system, children included) per 1,000 pages, and the pages/s they allow on an otherwise idle machine with this many cores:")
	fmt.Fprintln(w, "\n| pages | load avg at start | searchable | with previews | extraction alone | pdftotext |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s |\n", r.Pages, r.Load, cpuRate(c, r.Pages, r.SearchableCPU),
			cpuRate(c, r.Pages, r.TotalCPU), cpuRate(c, r.Pages, r.ExtractCPU), cpuRate(c, r.Pages, r.PdftotextCPU))
	}
	fmt.Fprintf(w, "\n### Search latency with facets, ms p50 / p95 / p99 (query mix; in-process %d rounds of it, HTTP %s per column)\n\n", c.rounds, c.duration)
	head := "| pages | in-process |"
	sep := "|---:|---:|"
	for _, n := range c.clients {
		head += fmt.Sprintf(" HTTP %d clients (req/s, errors) |", n)
		sep += "---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, sep)
	for _, r := range rs {
		row := fmt.Sprintf("| %d | %s |", r.Pages, quantiles(r.InProcess))
		for _, n := range c.clients {
			l, ok := r.HTTP[n]
			if !ok {
				row += " – |"
				continue
			}
			row += fmt.Sprintf(" %s (%.0f/s, %s) |", quantiles(l), l.PerSecond, errorText(l))
		}
		fmt.Fprintln(w, row)
	}
	categoryTable(w, rs)
	fmt.Fprintln(w, "\n### Memory and disk")
	fmt.Fprintln(w, "\nPeak resident memory: of the serve process alone (VmHWM), and of it with its children (extraction children, pdftoppm) summed, sampled every 100 ms. Serving has no children.")
	fmt.Fprintln(w, "\n| pages | indexing: serve / with children | previews: with children | serving (all wrk runs) | index per 1,000 pages | previews per 1,000 pages |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %d | %s / %s | %s | %s | %s | %s |\n", r.Pages, mib(r.IndexRSS), mib(r.IndexTreeRSS),
			mib(r.PreviewTreeRSS), mib(r.ServeRSS), mib(r.IndexBytes*1000/int64(r.Pages)), mib(r.PreviewBytes*1000/int64(r.Pages)))
	}
	var notes []string
	for _, r := range rs {
		if r.Note != "" {
			notes = append(notes, fmt.Sprintf("%d pages: %s", r.Pages, r.Note))
		}
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(notes, "\n"))
	}
	fmt.Fprintln(w, "\nWall times:")
	for _, r := range rs {
		fmt.Fprintf(w, "- %d pages: searchable after %s, previews after %s; extraction alone %s, pdftotext %s.\n", r.Pages,
			r.Searchable.Round(time.Millisecond), r.Total.Round(time.Millisecond), r.Extract.Round(time.Millisecond), r.Pdftotext.Round(time.Millisecond))
	}
}

// categoryTable writes the in-process latency of each category of the
// query mix.
func categoryTable(w io.Writer, rs []result) {
	var cats []string
	for _, r := range rs {
		for cat := range r.InProcess.ByCategory {
			if !slices.Contains(cats, cat) {
				cats = append(cats, cat)
			}
		}
	}
	slices.Sort(cats)
	fmt.Fprintln(w, "\nIn-process by category of the mix, ms p50 / p99:")
	fmt.Fprintln(w, "\n| pages |"+strings.Join(cats, " |")+" |")
	fmt.Fprintln(w, "|---:|"+strings.Repeat("---:|", len(cats)))
	for _, r := range rs {
		row := fmt.Sprintf("| %d |", r.Pages)
		for _, cat := range cats {
			l := r.InProcess.ByCategory[cat]
			row += fmt.Sprintf(" %.1f / %.1f |", l.P50, l.P99)
		}
		fmt.Fprintln(w, row)
	}
}

// errorText says how many requests failed, and with which statuses.
func errorText(l latencies) string {
	s := fmt.Sprintf("%d errors of %d", l.Errors, l.N)
	var codes []int
	for code := range l.Refused {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	var parts []string
	for _, code := range codes {
		parts = append(parts, fmt.Sprintf("%d× %d", l.Refused[code], code))
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

// cpuRate is the processor seconds per 1,000 pages and the pages/s that
// c.workers cores would give if the work spread over them all.
func cpuRate(c config, pages int, cpu time.Duration) string {
	if cpu <= 0 {
		return "–"
	}
	per := cpu.Seconds() * 1000 / float64(pages)
	return fmt.Sprintf("%.2f s (%.0f/s)", per, float64(c.workers)*1000/per)
}

func rate(pages int, d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f", float64(pages)/d.Seconds())
}

func quantiles(l latencies) string {
	if l.N == 0 {
		return "–"
	}
	s := fmt.Sprintf("%.1f / %.1f / %.1f", l.P50, l.P95, l.P99)
	if l.Errors > 0 && l.PerSecond == 0 {
		s += fmt.Sprintf(" (%d errors)", l.Errors)
	}
	return s
}

func mib(b int64) string {
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}
