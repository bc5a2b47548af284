package api

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	rtmetrics "runtime/metrics"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/leakwatch/leakwatch/internal/pwned"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Metrics in the Prometheus text format (version 0.0.4), kept in fixed
// arrays of atomics: recording a request takes no lock and no allocation.
// Labels carry only route templates and status codes, never anything a
// client sent.

// latencyBuckets are the upper bounds of the request duration histogram.
var latencyBuckets = [...]time.Duration{
	250 * time.Microsecond, 500 * time.Microsecond, time.Millisecond, 2500 * time.Microsecond,
	5 * time.Millisecond, 10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond, time.Second, 5 * time.Second,
}

// statusCodes are the codes counted one by one; others count as "other".
var statusCodes = [...]int{200, 204, 304, 400, 401, 403, 404, 405, 413, 429, 500, 501, 503}

const numCodes = len(statusCodes) + 1

type histogram struct {
	buckets [len(latencyBuckets)]atomic.Uint64 // not cumulative
	count   atomic.Uint64
	sumNs   atomic.Uint64
}

type metrics struct {
	start        time.Time
	requests     [numRoutes][numCodes]atomic.Uint64
	latency      [numRoutes]histogram
	inflight     atomic.Int64
	authFailures atomic.Uint64
	rateLimited  atomic.Uint64
	// seconds counts requests per second of the last rateWindow seconds,
	// for the recent request rate: slot i holds the second in stamps[i].
	seconds [rateWindow]atomic.Uint64
	stamps  [rateWindow]atomic.Int64
}

const rateWindow = 16

// tick counts a request in the second it ended.
func (m *metrics) tick(now time.Time) {
	sec := now.Unix()
	i := sec % rateWindow
	if m.stamps[i].Load() != sec {
		if old := m.stamps[i].Swap(sec); old != sec {
			m.seconds[i].Store(0)
		}
	}
	m.seconds[i].Add(1)
}

// rate is the requests per second of the last complete seconds of the
// window.
func (m *metrics) rate(now time.Time) float64 {
	sec := now.Unix()
	var n uint64
	for d := int64(1); d < rateWindow; d++ {
		i := (sec - d) % rateWindow
		if m.stamps[i].Load() == sec-d {
			n += m.seconds[i].Load()
		}
	}
	return float64(n) / float64(rateWindow-1)
}

func newMetrics(start time.Time) *metrics { return &metrics{start: start} }

func codeIndex(code int) int {
	for i, c := range statusCodes {
		if c == code {
			return i
		}
	}
	return len(statusCodes)
}

func (m *metrics) observe(id routeID, code int, d time.Duration) {
	m.requests[id][codeIndex(code)].Add(1)
	h := &m.latency[id]
	for i, b := range latencyBuckets {
		if d <= b {
			h.buckets[i].Add(1)
			break
		}
	}
	h.count.Add(1)
	h.sumNs.Add(uint64(d))
}

func (h *Handler) serveMetrics(w http.ResponseWriter, r *http.Request, q *request) error {
	var b bytes.Buffer
	h.metrics.write(&b, &h.packs)
	w.Header().Set("Cache-Control", "no-store")
	return h.writeBody(w, r, "text/plain; version=0.0.4; charset=utf-8", b.Bytes())
}

func (m *metrics) write(b *bytes.Buffer, packs *[3]atomic.Pointer[pwned.Pack]) {
	head := func(name, typ, help string) {
		b.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " " + typ + "\n")
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

	head("leakwatch_http_requests_total", "counter", "HTTP requests answered, by route template and status code.")
	for id := range numRoutes {
		for ci := range numCodes {
			n := m.requests[id][ci].Load()
			if n == 0 {
				continue
			}
			code := "other"
			if ci < len(statusCodes) {
				code = strconv.Itoa(statusCodes[ci])
			}
			b.WriteString(`leakwatch_http_requests_total{route="` + routes[id].pattern + `",code="` + code + `"} ` + strconv.FormatUint(n, 10) + "\n")
		}
	}

	head("leakwatch_http_request_duration_seconds", "histogram", "Time to answer HTTP requests, by route template.")
	for id := range numRoutes {
		h := &m.latency[id]
		count := h.count.Load()
		if count == 0 {
			continue
		}
		label := `route="` + routes[id].pattern + `"`
		var cum uint64
		for i, bound := range latencyBuckets {
			cum += h.buckets[i].Load()
			b.WriteString("leakwatch_http_request_duration_seconds_bucket{" + label + `,le="` + num(bound.Seconds()) + `"} ` + strconv.FormatUint(cum, 10) + "\n")
		}
		b.WriteString("leakwatch_http_request_duration_seconds_bucket{" + label + `,le="+Inf"} ` + strconv.FormatUint(count, 10) + "\n")
		b.WriteString("leakwatch_http_request_duration_seconds_sum{" + label + "} " + num(time.Duration(h.sumNs.Load()).Seconds()) + "\n")
		b.WriteString("leakwatch_http_request_duration_seconds_count{" + label + "} " + strconv.FormatUint(count, 10) + "\n")
	}

	head("leakwatch_http_requests_in_flight", "gauge", "HTTP requests being answered.")
	b.WriteString("leakwatch_http_requests_in_flight " + strconv.FormatInt(m.inflight.Load(), 10) + "\n")
	head("leakwatch_api_key_rejections_total", "counter", "Requests refused for a missing, malformed or unknown API key.")
	b.WriteString("leakwatch_api_key_rejections_total " + strconv.FormatUint(m.authFailures.Load(), 10) + "\n")
	head("leakwatch_rate_limited_total", "counter", "Requests refused by a per-key rate limit.")
	b.WriteString("leakwatch_rate_limited_total " + strconv.FormatUint(m.rateLimited.Load(), 10) + "\n")
	head("leakwatch_range_pack_ready", "gauge", "Whether ranges of a hash kind are served from a range pack.")
	for _, k := range []store.HashKind{store.SHA1, store.NTLM} {
		ready := "0"
		if packs[k].Load() != nil {
			ready = "1"
		}
		b.WriteString(`leakwatch_range_pack_ready{kind="` + k.String() + `"} ` + ready + "\n")
	}
	head("process_start_time_seconds", "gauge", "Start time of the server since the Unix epoch, in seconds.")
	b.WriteString("process_start_time_seconds " + strconv.FormatInt(m.start.Unix(), 10) + "\n")

	samples := []rtmetrics.Sample{
		{Name: "/sched/goroutines:goroutines"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
	}
	rtmetrics.Read(samples)
	runtimeMetric := func(name, help string, s rtmetrics.Sample) {
		if s.Value.Kind() != rtmetrics.KindUint64 {
			return
		}
		head(name, "gauge", help)
		b.WriteString(name + " " + strconv.FormatUint(s.Value.Uint64(), 10) + "\n")
	}
	runtimeMetric("go_goroutines", "Goroutines that currently exist.", samples[0])
	runtimeMetric("go_memstats_heap_alloc_bytes", "Bytes of allocated heap objects.", samples[1])
	runtimeMetric("go_memory_total_bytes", "Memory mapped by the Go runtime.", samples[2])
	if rss, ok := residentBytes(); ok {
		head("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
		b.WriteString("process_resident_memory_bytes " + strconv.FormatUint(rss, 10) + "\n")
	}
}

// residentBytes reads the resident set size from /proc (Linux only).
func residentBytes() (uint64, bool) {
	f, err := os.Open("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, false
	}
	fields := bytes.Fields(sc.Bytes())
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseUint(string(fields[1]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * uint64(os.Getpagesize()), true
}
