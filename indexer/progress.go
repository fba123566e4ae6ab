package indexer

// Progress is how far a run has come. Config.Progress receives it once
// change detection has counted the talks to build, and again after each
// built talk has been counted in the report.
type Progress struct {
	Talks    int // talks to (re)index in this run
	Done     int // of those, built and counted
	Skipped  int // unchanged talks, not built again
	Pages    int // slides extracted so far
	Segments int // transcript passages so far
	Failed   int // files that could not be read so far
}

// progress reports rep's state to Config.Progress, if set.
func (in *Indexer) progress(rep *Report, talks int) {
	if in.cfg.Progress == nil {
		return
	}
	in.cfg.Progress(Progress{
		Talks:    talks,
		Done:     rep.Indexed,
		Skipped:  rep.Skipped,
		Pages:    rep.Pages,
		Segments: rep.Segments,
		Failed:   len(rep.Failed),
	})
}

// held reports whether Config.Hold keeps the talk as it is this run.
func (in *Indexer) held(id string) bool {
	return in.cfg.Hold != nil && in.cfg.Hold(id)
}
