package domainproof

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

const testToken = "leakwatch-verification=aaaqeayeaudaocajbifqydiob4"

// dnsServer is an authoritative-looking DNS server on 127.0.0.1, on one
// random port over UDP and TCP, answering from a table of TXT records and
// truncating UDP answers that do not fit the client's buffer.
type dnsServer struct {
	addr    string
	txt     map[string][][]string // owner name -> records -> strings
	cname   map[string]string     // owner name -> target
	rcode   map[string]int        // owner name -> rcode other than success
	tcpHits atomic.Int32
}

func startDNS(t *testing.T, txt map[string][][]string, cname map[string]string, rcode map[string]int) *dnsServer {
	t.Helper()
	s := &dnsServer{txt: txt, cname: cname, rcode: rcode}
	var pc net.PacketConn
	var l net.Listener
	for range 20 { // a UDP port whose TCP twin is free too
		var err error
		pc, err = net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		l, err = net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			break
		}
		pc.Close()
		pc, l = nil, nil
	}
	if l == nil {
		t.Fatal("no port free for both UDP and TCP")
	}
	s.addr = pc.LocalAddr().String()
	udp := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(s.serve)}
	tcp := &dns.Server{Listener: l, Handler: dns.HandlerFunc(s.serve)}
	for _, srv := range []*dns.Server{udp, tcp} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe()
		<-started
		t.Cleanup(func() { srv.Shutdown() })
	}
	return s
}

func (s *dnsServer) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	if rc, ok := s.rcode[name]; ok {
		m.Rcode = rc
	} else if target, ok := s.cname[name]; ok {
		m.Answer = append(m.Answer, &dns.CNAME{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeCNAME, Class: dns.ClassINET, Ttl: 60}, Target: target})
		for _, strs := range s.txt[target] {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: target, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: strs})
		}
	} else if recs, ok := s.txt[name]; ok {
		if q.Qtype == dns.TypeTXT {
			for _, strs := range recs {
				m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: strs})
			}
		}
	} else {
		m.Rcode = dns.RcodeNameError
	}
	if opt := req.IsEdns0(); opt != nil {
		m.SetEdns0(opt.UDPSize(), false)
	}
	if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
		s.tcpHits.Add(1)
	} else {
		size := dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil {
			size = int(opt.UDPSize())
		}
		m.Truncate(size)
	}
	w.WriteMsg(m)
}

func TestCheckDNS(t *testing.T) {
	filler := strings.Repeat("v=filler ", 28) // 252 bytes, one TXT string
	big := [][]string{{"v=spf1 -all"}}
	for range 6 { // about 1.5 kB of other records: too large for 1232 bytes of UDP
		big = append(big, []string{filler})
	}
	big = append(big, []string{testToken})
	srv := startDNS(t, map[string][][]string{
		"present.test.":      {{"v=spf1 include:_spf.example.net ~all"}, {testToken}, {"google-site-verification=xyz"}},
		"multi.test.":        {{"leakwatch-", "verification=aaaqeayeaudaocajbifqydiob4"}},
		"multi-space.test.":  {{"leakwatch-verification=", " aaaqeayeaudaocajbifqydiob4"}},
		"padded.test.":       {{"  " + testToken + " "}},
		"big.test.":          big,
		"wrong.test.":        {{"leakwatch-verification=bbbbbbbbbbbbbbbbbbbbbbbbbb"}, {testToken + "x"}},
		"none.test.":         {},
		"sub.present2.test.": {{testToken}},
		"present2.test.":     {{"v=spf1 -all"}},
		"target.example.":    {{testToken}},
	}, map[string]string{
		"alias.test.": "target.example.",
	}, map[string]int{
		"servfail.test.": dns.RcodeServerFailure,
		"refused.test.":  dns.RcodeRefused,
	})

	tests := []struct {
		name    string
		domain  string
		proven  bool
		notErr  bool   // the error wraps ErrNotProven
		wantErr string // substring of the error
		wantTCP bool
	}{
		{name: "present among others", domain: "present.test", proven: true},
		{name: "upper case and final dot", domain: "PRESENT.test.", proven: true},
		{name: "multi-string joined without separator", domain: "multi.test", proven: true},
		{name: "surrounding space trimmed", domain: "padded.test", proven: true},
		{name: "record too large for UDP retried over TCP", domain: "big.test", proven: true, wantTCP: true},
		{name: "CNAME the resolver followed", domain: "alias.test", proven: true},
		{name: "inner space is not joined away", domain: "multi-space.test", notErr: true, wantErr: "no TXT record of multi-space.test holds the token"},
		{name: "wrong token", domain: "wrong.test", notErr: true, wantErr: "no TXT record of wrong.test holds the token"},
		{name: "no TXT records", domain: "none.test", notErr: true, wantErr: "no TXT record of none.test holds the token"},
		{name: "token only on a subdomain", domain: "present2.test", notErr: true, wantErr: "no TXT record of present2.test holds the token"},
		{name: "NXDOMAIN", domain: "missing.test", notErr: true, wantErr: "missing.test does not exist (NXDOMAIN"},
		{name: "SERVFAIL", domain: "servfail.test", wantErr: "TXT query for servfail.test at " + srv.addr + ": SERVFAIL"},
		{name: "REFUSED", domain: "refused.test", wantErr: "REFUSED"},
		{name: "invalid domain", domain: "192.0.2.1", wantErr: "IP address"},
	}
	c := &Checker{Resolver: srv.addr, Timeout: 5 * time.Second}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := srv.tcpHits.Load()
			err := c.CheckDNS(t.Context(), tt.domain, testToken)
			if tt.proven {
				if err != nil {
					t.Fatalf("CheckDNS(%q): %v", tt.domain, err)
				}
			} else {
				checkErr(t, err, tt.notErr, tt.wantErr)
			}
			if tcp := srv.tcpHits.Load() > before; tcp != tt.wantTCP {
				t.Errorf("CheckDNS(%q) asked over TCP: %v, want %v", tt.domain, tcp, tt.wantTCP)
			}
			// The dispatcher gives the same answer.
			if err2 := c.Check(t.Context(), MethodDNS, tt.domain, testToken); (err2 == nil) != (err == nil) {
				t.Errorf("Check(dns, %q) = %v, CheckDNS = %v", tt.domain, err2, err)
			}
		})
	}
}

func TestCheckDNSTimeout(t *testing.T) {
	// A UDP socket that never answers.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	c := &Checker{Resolver: pc.LocalAddr().String(), Timeout: 200 * time.Millisecond}
	start := time.Now()
	err = c.CheckDNS(context.Background(), "example.com", testToken)
	if err == nil || errors.Is(err, ErrNotProven) {
		t.Fatalf("CheckDNS against a silent server = %v, want a transport error", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("CheckDNS took %v with a timeout of 200ms", d)
	}
	if !strings.Contains(err.Error(), "TXT query for example.com at "+pc.LocalAddr().String()) {
		t.Errorf("error %q does not say what was asked of whom", err)
	}
}

func TestCheckDNSBadToken(t *testing.T) {
	srv := startDNS(t, map[string][][]string{"empty.test.": {{""}}}, nil, nil)
	c := &Checker{Resolver: srv.addr}
	for _, tok := range []string{"", " ", "a b"} {
		if err := c.CheckDNS(t.Context(), "empty.test", tok); err == nil || errors.Is(err, ErrNotProven) {
			t.Errorf("CheckDNS(token %q) = %v, want a usage error", tok, err)
		}
	}
}

// checkErr checks that err is an error, wrapping ErrNotProven exactly when
// notProven, holding want, and never holding the token.
func checkErr(t *testing.T, err error, notProven bool, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one with %q", want)
	}
	if errors.Is(err, ErrNotProven) != notProven {
		t.Errorf("error %q: wraps ErrNotProven = %v, want %v", err, !notProven, notProven)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not hold %q", err, want)
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "aaaqeayeaudaocajbifqydiob4") {
		t.Errorf("error %q holds the token", err)
	}
}

func TestResolver(t *testing.T) {
	tests := []struct{ in, want string }{
		{"192.0.2.53:5353", "192.0.2.53:5353"},
		{"192.0.2.53", "192.0.2.53:53"},
		{"2001:db8::53", "[2001:db8::53]:53"},
		{"[2001:db8::53]", "[2001:db8::53]:53"},
		{"[2001:db8::53]:5353", "[2001:db8::53]:5353"},
		{"ns.example.net", "ns.example.net:53"},
	}
	for _, tt := range tests {
		got, err := (&Checker{Resolver: tt.in}).resolver()
		if err != nil || got != tt.want {
			t.Errorf("resolver() with Resolver %q = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
}
