package main

// The real protocol peers the alert tests talk to: an SMTP submission
// server (go-smtp) with STARTTLS and AUTH PLAIN, a DNS server (miekg/dns)
// serving the TXT records a test sets, and a webhook receiver that checks
// every Standard Webhooks signature. Each can hold what it receives
// unanswered (hold), to stand for a peer the server is talking to when it
// is killed.

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/miekg/dns"

	"github.com/leakwatch/leakwatch/internal/notify"
	"github.com/leakwatch/leakwatch/internal/testcert"
)

// holdMax bounds how long a held peer waits before it answers anyway.
const holdMax = 2 * time.Minute

// gate holds peers while it is closed.
type gate struct {
	mu   sync.Mutex
	open chan struct{} // nil: not holding
}

// hold makes the peer hold what it receives until release.
func (g *gate) hold() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open == nil {
		g.open = make(chan struct{})
	}
}

// release answers what is held, and holds nothing more.
func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.open != nil {
		close(g.open)
		g.open = nil
	}
}

// wait returns at once when the gate is not holding, else when it is
// released, done is closed or holdMax has passed; it reports whether it
// held.
func (g *gate) wait(done <-chan struct{}) bool {
	g.mu.Lock()
	c := g.open
	g.mu.Unlock()
	if c == nil {
		return false
	}
	select {
	case <-c:
	case <-done:
	case <-time.After(holdMax):
	}
	return true
}

// mailMsg is one message the SMTP server received.
type mailMsg struct {
	From, To  string // the envelope
	Header    mail.Header
	Subject   string
	MessageID string
	Body      string // decoded text
	TLS       bool
	User      string
}

// mailServer is a real SMTP server on 127.0.0.1.
type mailServer struct {
	Addr     string
	CertFile string
	gate

	mu       sync.Mutex
	attempts []mailMsg // every message whose data arrived
	msgs     []mailMsg // the messages accepted (250 after the data)
}

const (
	smtpUser     = "leakwatch-alerts"
	smtpPassword = "smtp pass phrase"
)

func startMailServer(t *testing.T) *mailServer {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile, _ := testcert.Write(t, dir)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	ms := &mailServer{CertFile: certFile}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &mailSession{srv: ms, conn: c}, nil
	}))
	s.Domain = "mx.test"
	s.ReadTimeout = 30 * time.Second
	s.WriteTimeout = 30 * time.Second
	s.MaxMessageBytes = 1 << 20
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.Addr = ln.Addr().String()
	go s.Serve(ln)
	t.Cleanup(func() { ms.release(); s.Close() })
	return ms
}

// delivered returns the messages accepted so far.
func (ms *mailServer) delivered() []mailMsg {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]mailMsg(nil), ms.msgs...)
}

// tried returns every message whose data arrived, accepted or not.
func (ms *mailServer) tried() []mailMsg {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]mailMsg(nil), ms.attempts...)
}

// to returns the accepted messages to an address.
func (ms *mailServer) to(addr string) []mailMsg {
	var out []mailMsg
	for _, m := range ms.delivered() {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

type mailSession struct {
	srv  *mailServer
	conn *smtp.Conn
	msg  mailMsg
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != smtpUser || password != smtpPassword {
			return smtp.ErrAuthFailed
		}
		s.msg.User = username
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.msg.User == "" {
		return smtp.ErrAuthRequired
	}
	_, s.msg.TLS = s.conn.TLSConnectionState()
	s.msg.From = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.To = to
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		return err
	}
	msg := s.msg
	msg.Header, msg.Body = m.Header, string(body)
	msg.Subject, msg.MessageID = m.Header.Get("Subject"), m.Header.Get("Message-ID")
	if dec, err := new(mime.WordDecoder).DecodeHeader(msg.Subject); err == nil {
		msg.Subject = dec
	}
	s.srv.mu.Lock()
	s.srv.attempts = append(s.srv.attempts, msg)
	s.srv.mu.Unlock()
	if s.srv.wait(nil) {
		// Held: whoever sent it is gone by now (killed), or gives up.
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "held by the test"}
	}
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, msg)
	s.srv.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        {}
func (s *mailSession) Logout() error { return nil }

// dnsServer is a real DNS server on 127.0.0.1, UDP and TCP on one port,
// authoritative for the TXT records set.
type dnsServer struct {
	Addr string

	mu  sync.Mutex
	txt map[string][]string // by lower-case FQDN
}

func startDNSServer(t *testing.T) *dnsServer {
	t.Helper()
	ds := &dnsServer{txt: map[string][]string{}}
	var pc net.PacketConn
	var ln net.Listener
	for i := 0; ; i++ {
		var err error
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			break
		}
		pc.Close()
		if i == 20 {
			t.Fatalf("no port free for both UDP and TCP: %v", err)
		}
	}
	ds.Addr = pc.LocalAddr().String()
	h := dns.HandlerFunc(ds.serve)
	udp := &dns.Server{PacketConn: pc, Handler: h}
	tcp := &dns.Server{Listener: ln, Handler: h}
	go udp.ActivateAndServe()
	go tcp.ActivateAndServe()
	t.Cleanup(func() { udp.Shutdown(); tcp.Shutdown() })
	return ds
}

// setTXT adds a TXT record to a name.
func (ds *dnsServer) setTXT(name, value string) {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	k := strings.ToLower(dns.Fqdn(name))
	ds.txt[k] = append(ds.txt[k], value)
}

func (ds *dnsServer) serve(w dns.ResponseWriter, q *dns.Msg) {
	r := new(dns.Msg)
	r.SetReply(q)
	r.Authoritative = true
	if len(q.Question) == 1 {
		name := strings.ToLower(q.Question[0].Name)
		ds.mu.Lock()
		vals, known := ds.txt[name]
		ds.mu.Unlock()
		switch {
		case !known && !strings.HasSuffix(name, "example.org.") && !strings.HasSuffix(name, "example.net."):
			r.Rcode = dns.RcodeNameError
		case q.Question[0].Qtype == dns.TypeTXT:
			for _, v := range vals {
				r.Answer = append(r.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{v}})
			}
		}
	}
	w.WriteMsg(r)
}

// hookCall is one webhook request the receiver verified.
type hookCall struct {
	ID   string // webhook-id
	Body []byte
}

// hookServer is a webhook receiver that verifies every request with
// notify.Verify and the subscription's secret.
type hookServer struct {
	URL string
	gate

	mu       sync.Mutex
	secret   string
	fail     int // answer every request with this status when not 0
	attempts []hookCall
	calls    []hookCall // answered 2xx
	bad      []string   // requests that failed verification, and why
}

func startHookServer(t *testing.T) *hookServer {
	t.Helper()
	hs := &hookServer{}
	srv := httptest.NewServer(http.HandlerFunc(hs.serve))
	hs.URL = srv.URL + "/hooks/leakwatch"
	t.Cleanup(func() { hs.release(); srv.Close() })
	return hs
}

func (hs *hookServer) setSecret(s string) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	hs.secret = s
}

func (hs *hookServer) failWith(status int) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	hs.fail = status
}

func (hs *hookServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	hs.mu.Lock()
	secret, fail := hs.secret, hs.fail
	hs.mu.Unlock()
	if err == nil {
		err = notify.Verify(secret, r.Header, body, time.Now(), 0)
	}
	if err == nil && (r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")) {
		err = errors.New("not a POST of JSON")
	}
	hs.mu.Lock()
	if err != nil {
		hs.bad = append(hs.bad, err.Error())
		hs.mu.Unlock()
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	call := hookCall{ID: r.Header.Get(notify.HeaderID), Body: body}
	hs.attempts = append(hs.attempts, call)
	hs.mu.Unlock()
	if hs.wait(r.Context().Done()) {
		http.Error(w, "held by the test", http.StatusServiceUnavailable)
		return
	}
	if fail != 0 {
		http.Error(w, "the receiver is down", fail)
		return
	}
	hs.mu.Lock()
	hs.calls = append(hs.calls, call)
	hs.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// received returns the calls answered 2xx, the calls that arrived
// verified, and the reasons of the requests that failed verification.
func (hs *hookServer) received() (calls, attempts []hookCall, bad []string) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	return append([]hookCall(nil), hs.calls...), append([]hookCall(nil), hs.attempts...), append([]string(nil), hs.bad...)
}
