// Command load is the load generator of bench/live.sh: a fixed number of
// keep-alive connections per endpoint, each sending its next request as
// soon as the last one is answered, /range/{random prefix} on some and
// /api/v3/breachedaccount/{known account} on others, at the same time.
// It records every request's latency and prints, per endpoint, one line
//
//	RESULT endpoint=range rps=N p50_us=N p99_us=N max_us=N errors=N requests=N
//
// when -d has passed or on SIGINT/SIGTERM (the benchmark stops it when an
// import ends). Percentiles are exact: every latency is kept and sorted.
//
//	load -url http://127.0.0.1:18090 -range 4 -account 4 \
//	     -accounts accounts.txt -keys keys.txt -d 20s
//
// Accounts and keys are files of one value a line; requests take keys in
// turn, so that the per-key rate limit (api.MaxRPM) does not cap the run.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "load: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "", "base URL of the server")
	nRange := fs.Int("range", 4, "connections requesting /range/{random prefix}")
	nAccount := fs.Int("account", 4, "connections requesting /api/v3/breachedaccount/{account}")
	accountsFile := fs.String("accounts", "", "file of known accounts, one a line")
	keysFile := fs.String("keys", "", "file of API keys, one a line")
	dur := fs.Duration("d", 0, "measure for this long (0: until SIGINT or SIGTERM)")
	seed := fs.Uint64("seed", 1, "seed of the random prefixes and accounts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" {
		return errors.New("-url is required")
	}
	var accounts, keys []string
	if *nAccount > 0 {
		var err error
		if accounts, err = readLines(*accountsFile); err != nil {
			return err
		}
		if keys, err = readLines(*keysFile); err != nil {
			return err
		}
	}
	if *dur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *dur)
		defer cancel()
	}
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: *nRange + *nAccount,
		DisableCompression:  true,
	}}
	if *nAccount > 0 {
		var err error
		if accounts, err = found(ctx, client, *base, accounts, keys); err != nil {
			return err
		}
	}

	type endpoint struct {
		name  string
		conns int
		req   func(r *rand.Rand, n int) (*http.Request, error)
	}
	endpoints := []endpoint{
		{"range", *nRange, func(r *rand.Rand, _ int) (*http.Request, error) {
			return http.NewRequest("GET", fmt.Sprintf("%s/range/%05X", *base, r.IntN(1<<20)), nil)
		}},
		{"breachedaccount", *nAccount, func(r *rand.Rand, n int) (*http.Request, error) {
			req, err := http.NewRequest("GET", *base+"/api/v3/breachedaccount/"+url.PathEscape(accounts[r.IntN(len(accounts))]), nil)
			if err == nil {
				req.Header.Set("hibp-api-key", keys[n%len(keys)])
			}
			return req, err
		}},
	}
	results := make([][]*conn, len(endpoints))
	var wg sync.WaitGroup
	start := time.Now()
	for i, ep := range endpoints {
		for j := range ep.conns {
			c := &conn{}
			results[i] = append(results[i], c)
			r := rand.New(rand.NewPCG(*seed, uint64(i<<16|j)))
			wg.Go(func() {
				for n := j; ctx.Err() == nil; n += ep.conns {
					req, err := ep.req(r, n)
					if err != nil {
						c.errs++
						return
					}
					c.do(ctx, client, req.WithContext(ctx))
				}
			})
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	for i, ep := range endpoints {
		if ep.conns == 0 {
			continue
		}
		var lat []time.Duration
		errs := 0
		for _, c := range results[i] {
			lat = append(lat, c.lat...)
			errs += c.errs
		}
		slices.Sort(lat)
		fmt.Fprintf(stdout, "RESULT endpoint=%s rps=%.0f p50_us=%d p99_us=%d max_us=%d errors=%d requests=%d\n",
			ep.name, float64(len(lat))/elapsed.Seconds(), pct(lat, 50).Microseconds(), pct(lat, 99).Microseconds(),
			pct(lat, 100).Microseconds(), errs, len(lat))
	}
	return nil
}

// found returns the accounts (up to 2,000) that the server finds: a login
// of a combolist may be quarantined or be no email address.
func found(ctx context.Context, client *http.Client, base string, accounts, keys []string) ([]string, error) {
	var out []string
	for i, a := range accounts[:min(len(accounts), 2000)] {
		req, err := http.NewRequestWithContext(ctx, "GET", base+"/api/v3/breachedaccount/"+url.PathEscape(a), nil)
		if err != nil {
			continue
		}
		req.Header.Set("hibp-api-key", keys[i%len(keys)])
		resp, err := client.Do(req)
		if err != nil {
			return nil, withoutURL(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("the server finds none of the accounts")
	}
	return out, nil
}

// conn is one connection's record: its latencies and failed requests.
type conn struct {
	lat  []time.Duration
	errs int
}

// do sends req and records its latency, or an error for a transport
// failure or a status other than 200. A request cut by the end of the
// run counts as neither.
func (c *conn) do(ctx context.Context, client *http.Client, req *http.Request) {
	t := time.Now()
	resp, err := client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	d := time.Since(t)
	if ctx.Err() != nil {
		return
	}
	if err != nil || resp.StatusCode != http.StatusOK {
		if c.errs == 0 {
			if err == nil {
				err = errors.New(resp.Status)
			}
			err = withoutURL(err)
			fmt.Fprintf(os.Stderr, "load: first failed request: %v\n", err)
		}
		c.errs++
		return
	}
	c.lat = append(c.lat, d)
}

// pct returns the p-th percentile (nearest rank) of sorted latencies.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

func readLines(name string) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	for sc.Scan() {
		if l := sc.Text(); l != "" {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s is empty", name)
	}
	return out, nil
}

// withoutURL drops the URL from a request's error: it may name an account.
func withoutURL(err error) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		return uerr.Err
	}
	return err
}
