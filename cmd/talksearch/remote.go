package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/talksearch/talksearch/search"
)

// controlClient talks HTTP to serve over the control socket of the data
// folder.
func (m *Main) controlClient() *http.Client {
	sock := filepath.Join(m.Config.Data, controlSocket)
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
}

// searchIndex answers q from the index of the data folder: opened here,
// or, while serve holds it, by that serve through its control socket.
// A fresh data folder is indexed first, as serve would.
func (m *Main) searchIndex(ctx context.Context, q search.Query) (*search.Result, error) {
	err := m.openIndex()
	var le *errIndexLocked
	if errors.As(err, &le) && le.byServe() {
		return m.searchViaServe(ctx, q, le)
	}
	if err != nil {
		return nil, err
	}
	if st, err := m.index.Stats(ctx); err != nil {
		return nil, err
	} else if st.Talks == 0 {
		cat, fsys, err := m.loadCatalogue()
		if err != nil {
			return nil, err
		}
		if _, err := m.update(ctx, cat, fsys, false); err != nil {
			return nil, err
		}
	}
	return m.index.Search(ctx, q)
}

// searchViaServe asks the serve that holds the index (le) to run q.
func (m *Main) searchViaServe(ctx context.Context, q search.Query, le *errIndexLocked) (*search.Result, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://serve/search", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	resp, err := m.controlClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w; its control socket did not answer either: %v", le, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("search through serve: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(strings.TrimSpace(string(data)))
	}
	var res search.Result
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("search through serve: %w", err)
	}
	return &res, nil
}

// handleSearch is POST /search on the control socket: the query as JSON
// (search.Query), the result as JSON (search.Result).
func (m *Main) handleSearch(w http.ResponseWriter, r *http.Request) {
	var q search.Query
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&q); err != nil {
		http.Error(w, "bad query: "+err.Error(), http.StatusBadRequest)
		return
	}
	res, err := m.live.Search(r.Context(), q)
	var qe *search.QueryError
	switch {
	case errors.As(err, &qe):
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(res)
}
