package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/talksearch/talksearch/search"
)

// controlSocket is serve's local control channel in the data folder, a
// unix socket only its owner may use (mode 0600). `talksearch snapshot`
// asks serve through it to copy the index it holds open.
const controlSocket = "control.sock"

// runSnapshot writes a copy of the data folder's live index, with the
// corpus record and the administrator's synonyms, to the new folder
// Args[0], which `serve --data` starts from. When serve holds the index
// it asks serve to write the copy.
func (m *Main) runSnapshot(ctx context.Context) error {
	dest, err := filepath.Abs(m.Config.Args[0])
	if err != nil {
		return err
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s already exists; a snapshot is written to a new folder", dest)
	}
	msg, err := m.snapshotTo(ctx, dest)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, msg)
	return nil
}

// snapshotTo writes the copy of runSnapshot to dest, an absolute path,
// itself or through serve, and returns what it wrote in one line.
func (m *Main) snapshotTo(ctx context.Context, dest string) (string, error) {
	name, err := liveGeneration(m.Config.Data)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(m.Config.Data, name)
	if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 {
		return "", fmt.Errorf("there is no index in %s to copy", m.Config.Data)
	}
	opt := m.indexOptions()
	opt.LockTimeout, opt.AcceptOutdated = 200*time.Millisecond, true
	ix, err := search.Open(dir, opt)
	if errors.Is(err, search.ErrLocked) {
		msg, serr := m.snapshotViaServe(ctx, dest)
		if serr != nil {
			return "", fmt.Errorf("%w (and serve's control socket: %v)", m.lockedError(dir), serr)
		}
		return msg, nil
	}
	if err != nil {
		return "", err
	}
	defer ix.Close()
	return m.writeDataCopy(ctx, ix, dest)
}

// writeDataCopy writes a data folder holding a consistent copy of ix and
// the files that go with it to dest, beside it first and then renamed
// into place, and returns what it wrote in one line.
func (m *Main) writeDataCopy(ctx context.Context, ix *search.Index, dest string) (string, error) {
	if _, err := os.Lstat(dest); err == nil {
		return "", fmt.Errorf("%s already exists; a snapshot is written to a new folder", dest)
	}
	st, err := ix.Stats(ctx)
	if err != nil {
		return "", err
	}
	tmp := dest + ".tmp-" + strconv.Itoa(os.Getpid())
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return "", fmt.Errorf("snapshot: %w", err)
	}
	err = ix.Snapshot(filepath.Join(tmp, firstGen))
	for _, name := range []string{corpusFile, "synonyms.txt"} {
		if err == nil {
			err = copyIfPresent(filepath.Join(m.Config.Data, name), filepath.Join(tmp, name))
		}
	}
	if err == nil {
		err = syncFolder(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, dest)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("snapshot: %w", err)
	}
	if err := syncFolder(filepath.Dir(dest)); err != nil {
		return "", err
	}
	m.log.Info("snapshot written", "dir", dest, "talks", st.Talks)
	return fmt.Sprintf("snapshot of %d talks (%d documents) written to %s; start from it with talksearch serve --data %s",
		st.Talks, st.Documents, dest, dest), nil
}

// copyIfPresent copies the file src to dst, flushed; a missing src is
// not an error.
func copyIfPresent(src, dst string) error {
	in, err := os.Open(src)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// snapshotViaServe asks the serve that holds the index to write the copy.
func (m *Main) snapshotViaServe(ctx context.Context, dest string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://serve/snapshot?dir="+url.QueryEscape(dest), nil)
	if err != nil {
		return "", err
	}
	resp, err := m.controlClient().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	msg := strings.TrimSpace(string(body))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("serve could not write the snapshot: %s", msg)
	}
	return msg, nil
}

// startControl listens on the control socket of the data folder. Only
// the holder of the index gets here, so a socket file found there was
// left by a killed serve and is replaced.
func (m *Main) startControl() {
	name := filepath.Join(m.Config.Data, controlSocket)
	os.Remove(name)
	ln, err := net.Listen("unix", name)
	if err != nil {
		m.log.Warn("no control socket: talksearch snapshot works only while serve is stopped", "err", err)
		return
	}
	if err := os.Chmod(name, 0o600); err != nil {
		ln.Close()
		m.log.Warn("no control socket: cannot restrict it to its owner", "err", err)
		return
	}
	m.control = ln
	mux := http.NewServeMux()
	mux.HandleFunc("POST /snapshot", m.handleSnapshot)
	mux.HandleFunc("POST /search", m.handleSearch)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	m.bg.Add(1)
	go func() {
		defer m.bg.Done()
		srv.Serve(ln) // ends when stopJobs closes ln; running snapshots are jobs
	}()
}

// handleSnapshot writes a snapshot of the live index to the folder named
// by the dir parameter, an absolute path.
func (m *Main) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	dest := r.URL.Query().Get("dir")
	if !filepath.IsAbs(dest) {
		http.Error(w, "dir must be an absolute path", http.StatusBadRequest)
		return
	}
	ctx, done, err := m.startJob()
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer done()
	g, err := m.live.acquire()
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	defer g.release()
	msg, err := m.writeDataCopy(ctx, g.ix, dest)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, msg)
}
