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

// Reindex starts a background job that re-indexes the whole corpus.
func (s adminService) Reindex(context.Context) (api.Job, error) {
	m := s.m
	job, err := m.ops.jobs.start("reindex")
	if err != nil {
		return job, err
	}
	m.log.Info("admin: reindex started", "job", job.ID)
	m.ops.bg.Go(func() { m.runReindex(job.ID) })
	return job, nil
}

// runReindex runs the reindex job id under the one writer, until done
// or serve stops.
func (m *Main) runReindex(id string) {
	m.ops.mu.Lock()
	defer m.ops.mu.Unlock()
	rep, err := m.rebuild(m.ops.ctx, func(p indexer.Progress) {
		m.ops.jobs.update(id, func(job *api.Job) {
			job.Progress = api.JobProgress{Talks: p.Talks, Done: p.Done, Skipped: p.Skipped, Pages: p.Pages, Segments: p.Segments}
		})
	})
	m.ops.jobs.finish(id, rep, err)
	if err != nil {
		m.log.Error("admin: reindex failed", "job", id, "err", err)
		return
	}
	m.log.Info("admin: reindex done", "job", id)
}

// rebuild re-indexes the whole corpus, reporting progress as it goes.
// For now it is a forced update of the live index (every talk rebuilt,
// searches go on meanwhile). The caller holds the writer.
func (m *Main) rebuild(ctx context.Context, progress func(indexer.Progress)) (*indexer.Report, error) {
	cat, err := m.reloadCatalogue()
	if err != nil {
		return nil, err
	}
	rep, err := m.update(ctx, cat, m.ops.fsys, false, func(c *indexer.Config) {
		c.Force = true
		c.Progress = progress
	})
	if err == nil {
		m.ops.cat.Store(cat)
		m.requestPreviews()
	}
	return rep, err
}
