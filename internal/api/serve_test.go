package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
)

// serve runs Serve in the background and returns the bound address and a
// function that stops the server and returns Serve's result.
func serve(t *testing.T, cfg Config, st store.Store, x Exposure) (string, func() error) {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	sctx, cancel := context.WithCancel(ctx)
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- Serve(sctx, cfg, st, x, func(a string) { addrc <- a }) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-errc:
		cancel()
		t.Fatalf("Serve: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("Serve never became ready")
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(15 * time.Second):
			return errors.New("Serve did not return after cancel")
		}
	}
	t.Cleanup(func() { stop() })
	return addr, stop
}

// selfSignedCheck verifies what InsecureSkipVerify skips: the server's
// certificate is self-signed for localhost and 127.0.0.1.
func selfSignedCheck(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) != 1 {
		return fmt.Errorf("%d certificates", len(cs.PeerCertificates))
	}
	leaf := cs.PeerCertificates[0]
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: host}); err != nil {
			return fmt.Errorf("certificate for %s: %w", host, err)
		}
	}
	return nil
}

func TestServeTLS(t *testing.T) {
	f := newFixture(t)
	cfg := f.cfg
	cfg.TLSSelfSigned = true
	cfg.Now = time.Now // clients check the certificate against the real time
	addr, stop := serve(t, cfg, f.st, f.x)

	for _, tc := range []struct {
		name   string
		curves []tls.CurveID
		want   tls.CurveID
	}{
		{"default client", nil, tls.X25519MLKEM768},
		{"classical client", []tls.CurveID{tls.X25519}, tls.X25519},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conf := &tls.Config{InsecureSkipVerify: true, VerifyConnection: selfSignedCheck, CurvePreferences: tc.curves, NextProtos: []string{"h2", "http/1.1"}}
			conn, err := tls.Dial("tcp", addr, conf)
			if err != nil {
				t.Fatal(err)
			}
			cs := conn.ConnectionState()
			conn.Close()
			if cs.CurveID != tc.want || cs.Version != tls.VersionTLS13 || cs.NegotiatedProtocol != "h2" {
				t.Errorf("negotiated %v, %v, %q; want %v, TLS 1.3, h2", cs.CurveID, tls.VersionName(cs.Version), cs.NegotiatedProtocol, tc.want)
			}
		})
	}

	t.Run("http", func(t *testing.T) {
		client := &http.Client{Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true, VerifyConnection: selfSignedCheck},
			ForceAttemptHTTP2: true,
		}}
		defer client.CloseIdleConnections()
		pw := sha1Hex("password")
		resp, err := client.Get("https://" + addr + "/range/" + pw[:5])
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != pw[5:]+":3" {
			t.Fatalf("status %d, body %q", resp.StatusCode, body)
		}
		if resp.TLS == nil || resp.TLS.CurveID != tls.X25519MLKEM768 || resp.ProtoMajor != 2 {
			t.Errorf("answer over %v with %s, want X25519MLKEM768 and HTTP/2", resp.TLS.CurveID, resp.Proto)
		}
		if hsts := resp.Header.Get("Strict-Transport-Security"); hsts == "" {
			t.Error("no Strict-Transport-Security over TLS")
		}
	})

	t.Run("TLS 1.2 refused", func(t *testing.T) {
		conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
		if err == nil {
			conn.Close()
			t.Fatal("TLS 1.2 handshake succeeded")
		}
	})

	if err := stop(); err != nil {
		t.Errorf("Serve after cancel: %v", err)
	}
	if _, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true}); err == nil {
		t.Error("server still accepts after shutdown")
	}
}

// gatedStore blocks Breaches until released, to hold a request in flight.
type gatedStore struct {
	store.Store
	entered chan struct{}
	release chan struct{}
}

func (g *gatedStore) Breaches(ctx context.Context) ([]catalog.Breach, error) {
	g.entered <- struct{}{}
	<-g.release
	return g.Store.Breaches(ctx)
}

func TestServeGracefulShutdown(t *testing.T) {
	f := newFixture(t)
	g := &gatedStore{Store: f.st, entered: make(chan struct{}), release: make(chan struct{})}
	addr, stop := serve(t, f.cfg, g, f.x)
	type result struct {
		code int
		body string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			done <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		done <- result{code: resp.StatusCode, body: string(b)}
	}()
	<-g.entered // the request is in flight
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Shutdown waits for the request; new connections are refused.
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-stopped:
		t.Fatalf("Serve returned (%v) with a request in flight", err)
	default:
	}
	close(g.release)
	r := <-done
	if r.err != nil || r.code != 200 || r.body != "ok\n" {
		t.Errorf("in-flight request: %d %q %v", r.code, r.body, r.err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestServeConfigErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"cert without key", Config{TLSCert: "cert.pem"}, "needs its key"},
		{"both", Config{TLSCert: "c", TLSKey: "k", TLSSelfSigned: true}, "not both"},
		{"missing files", Config{TLSCert: "/nonexistent/c", TLSKey: "/nonexistent/k"}, "loading TLS certificate"},
		{"bad address", Config{Addr: "256.0.0.1:http"}, "listening"},
		{"bad rpm", Config{DefaultRPM: -1}, "rate limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Serve(ctx, tc.cfg, f.st, f.x, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Serve: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestServeRangeCache(t *testing.T) {
	f := newFixture(t)
	cfg := f.cfg
	cfg.RangeCache = t.TempDir()
	addr, stop := serve(t, cfg, f.st, f.x)
	pw := sha1Hex("password")
	if !raceEnabled {
		// Wait for the SHA-1 pack (16^5 store reads), then ask again.
		deadline := time.Now().Add(60 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + "/metrics")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(b), `leakwatch_range_pack_ready{kind="sha1"} 1`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the SHA-1 range pack was not ready within a minute")
			}
			time.Sleep(100 * time.Millisecond)
		}
		for _, prefix := range []string{pw[:5], "00000", "FFFFF"} {
			resp, err := http.Get("http://" + addr + "/range/" + prefix)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want := ""
			if prefix == pw[:5] {
				want = pw[5:] + ":3"
			}
			if resp.StatusCode != 200 || string(b) != want {
				t.Errorf("/range/%s from the pack: %d %q, want %q", prefix, resp.StatusCode, b, want)
			}
		}
	}
	// Shutdown stops a build under way and leaves nothing in the directory.
	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
	if entries, _ := os.ReadDir(cfg.RangeCache); len(entries) != 0 {
		t.Errorf("%d files left in the range cache directory", len(entries))
	}
	if !strings.Contains(f.logs.String(), "range pack ready") && !raceEnabled {
		t.Errorf("no log of the pack:\n%s", f.logs.String())
	}
}
