package api

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus metrics of one app, in a registry of their
// own: two apps in one process (as in tests) never share counters.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	reg      *prometheus.Registry
	stats    StatsSource // nil: no index statistics
	log      *slog.Logger
	inFlight chan struct{} // bounds concurrent scrapes
}

func newMetrics(cfg Config, log *slog.Logger) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "talksearch_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "talksearch_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "status"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "talksearch_build_info",
		Help:        "Always 1; the labels name the running version.",
		ConstLabels: prometheus.Labels{"version": cfg.Version, "goversion": runtime.Version()},
	})
	build.Set(1)
	ready := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "talksearch_ready",
		Help: "1 once the index is open and built, 0 before.",
	}, func() float64 {
		if cfg.Ready() {
			return 1
		}
		return 0
	})
	reg.MustRegister(m.requests, m.duration, build, ready,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg, m.stats, m.log, m.inFlight = reg, cfg.Stats, log, make(chan struct{}, 2)
	return m
}

// ServeHTTP answers a scrape. The index statistics are read with the
// scrape's context, by a collector registered for this scrape only.
// The caller holds a slot of inFlight (see app.serveMetrics).
func (m *metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g := prometheus.Gatherer(m.reg)
	if m.stats != nil {
		scrape := prometheus.NewRegistry()
		scrape.MustRegister(&indexCollector{ctx: r.Context(), src: m.stats, log: m.log})
		g = prometheus.Gatherers{m.reg, scrape}
	}
	promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{m.log},
		ErrorHandling: promhttp.ContinueOnError,
	}).ServeHTTP(w, r)
}

// observe counts one answered request.
func (m *metrics) observe(route string, status int, took time.Duration) {
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, code).Inc()
	m.duration.WithLabelValues(route, code).Observe(took.Seconds())
}

// indexCollector reads the index's statistics for one scrape, with that
// scrape's context.
type indexCollector struct {
	ctx context.Context // the scrape's; the collector lives for one scrape
	src StatsSource
	log *slog.Logger
}

var (
	descTalks = prometheus.NewDesc("talksearch_index_talks",
		"Talks in the index.", nil, nil)
	descDocs = prometheus.NewDesc("talksearch_index_documents",
		"Documents in the index: one per talk, slide and transcript passage.", nil, nil)
	descLastIndexed = prometheus.NewDesc("talksearch_index_last_indexed_timestamp_seconds",
		"When the index was last written, as a Unix time; 0 when unknown.", nil, nil)
	descSize = prometheus.NewDesc("talksearch_index_size_bytes",
		"Bytes the index takes on disk.", nil, nil)
)

// Describe implements prometheus.Collector.
func (ic *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descTalks
	ch <- descDocs
	ch <- descLastIndexed
	ch <- descSize
}

// Collect implements prometheus.Collector: one Stats call per scrape.
func (ic *indexCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(ic.ctx, 5*time.Second)
	defer cancel()
	st, err := ic.src.Stats(ctx)
	if err != nil {
		ic.log.Warn("metrics: index stats", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(descTalks, prometheus.GaugeValue, float64(st.Talks))
	ch <- prometheus.MustNewConstMetric(descDocs, prometheus.GaugeValue, float64(st.Documents))
	last := 0.0
	if !st.LastIndexed.IsZero() {
		last = float64(st.LastIndexed.Unix())
	}
	ch <- prometheus.MustNewConstMetric(descLastIndexed, prometheus.GaugeValue, last)
	// *search.Index knows its folder; a source that does not reports no size.
	if d, ok := ic.src.(interface{ Dir() string }); ok {
		ch <- prometheus.MustNewConstMetric(descSize, prometheus.GaugeValue, float64(dirSize(d.Dir())))
	}
}

// dirSize adds up the sizes of the files under dir. Files that vanish
// while it walks (the index merges segments) are skipped.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if e.Type().IsRegular() {
			if info, err := e.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// slogPrinter lets promhttp log its errors through slog.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) { p.log.Warn("metrics", "err", fmt.Sprint(v...)) }

// errScrapeBusy refuses a scrape while others run.
var errScrapeBusy = errors.New("too many concurrent scrapes")

// serveMetrics answers GET /metrics, one scrape at a time per slot of
// inFlight; a scrape over the limit is a 503 problem.
func (a *app) serveMetrics(c echo.Context) error {
	select {
	case a.metrics.inFlight <- struct{}{}:
		defer func() { <-a.metrics.inFlight }()
	default:
		return errScrapeBusy
	}
	a.metrics.ServeHTTP(c.Response(), c.Request())
	return nil
}
