package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/talksearch/talksearch/api"
	"github.com/talksearch/talksearch/indexer"
)

// keptJobs is how many finished jobs jobs remembers.
const keptJobs = 20

// jobs is the registry of the admin API's background jobs, in memory:
// they are forgotten when serve stops.
type jobs struct {
	mu      sync.Mutex
	list    []api.Job // oldest first
	running string    // id of the running reindex, "" for none
}

// start registers a new running job of kind, or refuses when a reindex
// is running already.
func (j *jobs) start(kind string) (api.Job, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.running != "" {
		return api.Job{}, refuse(api.AdminJobRunning, "", j.running)
	}
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	job := api.Job{ID: hex.EncodeToString(rnd[:]), Kind: kind, State: api.JobRunning, Started: time.Now().UTC()}
	j.running = job.ID
	j.list = append(j.list, job)
	if len(j.list) > keptJobs {
		j.list = j.list[len(j.list)-keptJobs:]
	}
	return job, nil
}

// update applies fn to the job id.
func (j *jobs) update(id string, fn func(*api.Job)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for i := range j.list {
		if j.list[i].ID == id {
			fn(&j.list[i])
		}
	}
}

// get returns a copy of the job id.
func (j *jobs) get(id string) (api.Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, job := range j.list {
		if job.ID == id {
			return job, true
		}
	}
	return api.Job{}, false
}

// finish records the outcome of the job id.
func (j *jobs) finish(id string, rep *indexer.Report, err error) {
	j.update(id, func(job *api.Job) {
		now := time.Now().UTC()
		job.Finished = &now
		job.State = api.JobDone
		if err != nil {
			job.State = api.JobFailed
		}
		if rep != nil {
			job.Progress.Skipped, job.Progress.Removed = rep.Skipped, rep.Removed
			job.Progress.Pages, job.Progress.Segments = rep.Pages, rep.Segments
			for _, f := range rep.Failed {
				job.Failed = append(job.Failed, api.JobFailure{Talk: f.Talk, File: f.File, Reason: f.Reason})
			}
		}
	})
	j.mu.Lock()
	j.running = ""
	j.mu.Unlock()
}

// Job returns a job of the admin API.
func (s adminService) Job(id string) (api.Job, bool) { return s.m.ops.jobs.get(id) }

// Reindex starts a background job that rebuilds the whole index beside
// the live one and swaps it in. serve waits for it when it stops, up to
// its shutdown deadline.
func (s adminService) Reindex(context.Context) (api.Job, error) {
	m := s.m
	ctx, done, err := m.startJob()
	if err != nil {
		return api.Job{}, &api.AdminError{Reason: api.AdminStopping, Err: err}
	}
	job, err := m.ops.jobs.start("reindex")
	if err != nil {
		done()
		return job, err
	}
	m.log.Info("admin: reindex started", "job", job.ID)
	go func() {
		defer done()
		m.runReindex(ctx, job.ID)
	}()
	return job, nil
}

// runReindex runs the reindex job id under the corpus writer, until done
// or ctx (the job context of startJob) ends.
func (m *Main) runReindex(ctx context.Context, id string) {
	m.ops.mu.Lock()
	defer m.ops.mu.Unlock()
	cat, err := m.reloadCatalogue()
	var rep *indexer.Report
	if err == nil {
		rep, err = m.rebuildWith(ctx, cat, m.ops.fsys, func(c *indexer.Config) {
			c.Progress = func(p indexer.Progress) {
				m.ops.jobs.update(id, func(job *api.Job) {
					job.Progress = api.JobProgress{Talks: p.Talks, Done: p.Done, Skipped: p.Skipped, Pages: p.Pages, Segments: p.Segments}
				})
			}
		})
	}
	if err == nil {
		m.ops.cat.Store(cat)
		m.requestPreviews()
	}
	m.ops.jobs.finish(id, rep, err)
	if err != nil {
		m.log.Error("admin: reindex failed", "job", id, "err", err)
		return
	}
	m.log.Info("admin: reindex done", "job", id)
}
