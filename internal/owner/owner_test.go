package owner_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/leakwatch/leakwatch/internal/domainproof"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

var ctx = context.Background()

// txtServer is a DNS server on loopback answering TXT queries from a map.
type txtServer struct {
	mu  sync.Mutex
	txt map[string][]string // fqdn -> records
}

func (s *txtServer) set(name string, records ...string) {
	s.mu.Lock()
	s.txt[dns.Fqdn(name)] = records
	s.mu.Unlock()
}

func (s *txtServer) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	s.mu.Lock()
	for _, q := range r.Question {
		for _, v := range s.txt[strings.ToLower(q.Name)] {
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 60}, Txt: []string{v}})
		}
	}
	s.mu.Unlock()
	w.WriteMsg(m)
}

func startDNS(t *testing.T) (*txtServer, string) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &txtServer{txt: map[string][]string{}}
	srv := &dns.Server{PacketConn: pc, Handler: h}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return h, pc.LocalAddr().String()
}

type mail struct {
	mu   sync.Mutex
	to   []string
	text []string
}

func (m *mail) send(_ context.Context, to, subject, text, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.to, m.text = append(m.to, to), append(m.text, text)
	return nil
}

func (m *mail) code() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.text[len(m.text)-1]
	i := strings.Index(t, "Your code is ") + len("Your code is ")
	return t[i : i+domainproof.CodeDigits]
}

func open(t *testing.T) (string, store.Store, *keyring.Keyring) {
	t.Helper()
	dir := t.TempDir()
	st, err := pebblestore.Open(filepath.Join(dir, "store"), pebblestore.Options{CacheSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kr, err := keyring.Create(filepath.Join(dir, "keyring.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st, kr
}

func TestDomainProofs(t *testing.T) {
	dir, st, kr := open(t)
	txt, resolver := startDNS(t)
	var page, file string
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Write([]byte(page))
		case domainproof.FilePath:
			w.Write([]byte(file))
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	checker := &domainproof.Checker{Resolver: resolver, HTTPClient: site.Client(), SiteURL: func(string) string { return site.URL }}
	m := &mail{}
	o := owner.New(st, kr, owner.Config{Mail: m.send, Prove: func(ctx context.Context, method, domain, token string) error {
		meth, err := domainproof.ParseMethod(method)
		if err != nil {
			return err
		}
		return checker.Check(ctx, meth, domain, token)
	}})

	// DNS: not proven until the record exists.
	d, err := o.AddDomain(ctx, "Example.ORG.", "Boss@Example.org", owner.MethodDNS, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "example.org" || d.Owner != "boss@example.org" || !strings.HasPrefix(d.Token, domainproof.TokenPrefix) {
		t.Fatalf("claim %+v", d)
	}
	if _, err := o.VerifyDomain(ctx, "example.org", ""); !errors.Is(err, owner.ErrNotProven) {
		t.Fatalf("verify before the record: %v, want ErrNotProven", err)
	}
	txt.set("example.org", "v=spf1 -all", d.Token)
	if d, err = o.VerifyDomain(ctx, "example.org", ""); err != nil || !d.IsVerified() {
		t.Fatalf("verify with the record: %+v, %v", d, err)
	}
	// Its owner adding it again keeps it verified.
	if again, err := o.AddDomain(ctx, "example.org", "boss@example.org", owner.MethodFile, ""); err != nil || !again.IsVerified() || again.Method != owner.MethodDNS {
		t.Errorf("adding a verified domain again: %+v, %v", again, err)
	}
	// Another owner cannot take a verified domain over.
	if _, err := o.AddDomain(ctx, "example.org", "eve@evil.test", owner.MethodDNS, ""); !errors.Is(err, owner.ErrOwned) {
		t.Errorf("taking over a verified domain: %v, want ErrOwned", err)
	}

	// Meta tag and file.
	for _, c := range []struct {
		method, domain string
		publish        func(token string)
	}{
		{owner.MethodMeta, "meta.example", func(tok string) {
			page = `<html><head><meta name="leakwatch-verification" content="` + tok + `"></head></html>`
		}},
		{owner.MethodFile, "file.example", func(tok string) { file = tok + "\n" }},
	} {
		d, err := o.AddDomain(ctx, c.domain, "ops@"+c.domain, c.method, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.VerifyDomain(ctx, c.domain, ""); !errors.Is(err, owner.ErrNotProven) {
			t.Errorf("%s before publishing: %v", c.method, err)
		}
		c.publish(d.Token)
		if d, err := o.VerifyDomain(ctx, c.domain, ""); err != nil || !d.IsVerified() {
			t.Errorf("%s after publishing: %v", c.method, err)
		}
	}

	// Mailed code: to the chosen standard address; five wrong tries and
	// the code is spent.
	if _, err := o.AddDomain(ctx, "mail.example", "ops@mail.example", owner.MethodEmail, "hostmaster"); err != nil {
		t.Fatal(err)
	}
	if got := m.to[len(m.to)-1]; got != "hostmaster@mail.example" {
		t.Errorf("code mailed to %q", got)
	}
	code := m.code()
	// Verifying without the code (forgetting --code) is no try.
	if _, err := o.VerifyDomain(ctx, "mail.example", ""); !errors.Is(err, owner.ErrWrongCode) {
		t.Fatalf("no code: %v", err)
	}
	for range 4 {
		if _, err := o.VerifyDomain(ctx, "mail.example", "00000000"); !errors.Is(err, owner.ErrWrongCode) {
			t.Fatalf("wrong code: %v", err)
		}
	}
	if d, err := o.VerifyDomain(ctx, "mail.example", code); err != nil || !d.IsVerified() {
		t.Fatalf("the right code after no code and four wrong ones: %v", err)
	}
	if err := o.RemoveDomain(ctx, "mail.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.AddDomain(ctx, "mail.example", "ops@mail.example", owner.MethodEmail, "hostmaster"); err != nil {
		t.Fatal(err)
	}
	code = m.code()
	for range 5 {
		if _, err := o.VerifyDomain(ctx, "mail.example", "00000000"); !errors.Is(err, owner.ErrWrongCode) {
			t.Fatalf("wrong code: %v", err)
		}
	}
	if _, err := o.VerifyDomain(ctx, "mail.example", code); !errors.Is(err, owner.ErrWrongCode) {
		t.Errorf("the right code after five wrong ones: %v, want ErrWrongCode", err)
	}
	if _, err := o.AddDomain(ctx, "mail.example", "ops@mail.example", owner.MethodEmail, "root"); err == nil {
		t.Error("a mailbox that is no standard address was accepted")
	}
	for _, bad := range []string{"localhost", "127.0.0.1", "co.uk", "a@b.example", ""} {
		if _, err := o.AddDomain(ctx, bad, "ops@x.example", owner.MethodDNS, ""); err == nil {
			t.Errorf("AddDomain(%q) was accepted", bad)
		}
	}

	// The audience of the owner's key: its verified domains.
	k, _, _ := o.AccountKey("boss@example.org")
	who, err := o.Audience(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"example.org"}, who.Domains); diff != "" || len(who.Emails) != 0 {
		t.Errorf("audience %+v (-want +got domains):\n%s", who, diff)
	}
	ds, _ := o.Domains(ctx)
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	if diff := cmp.Diff([]string{"example.org", "file.example", "mail.example", "meta.example"}, names); diff != "" {
		t.Errorf("Domains (-want +got):\n%s", diff)
	}
	if err := o.RemoveDomain(ctx, "example.org"); err != nil {
		t.Fatal(err)
	}
	if who, _ := o.Audience(ctx, k); len(who.Domains) != 0 {
		t.Errorf("a removed domain is still in the audience: %+v", who)
	}

	// The store holds none of the names and addresses in plaintext.
	st.Close()
	for _, secret := range []string{"example.org", "boss@example.org", "ops@meta.example", "mail.example", "hostmaster"} {
		filepath.WalkDir(filepath.Join(dir, "store"), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %q in plaintext", p, secret)
			}
			return nil
		})
	}
}

func TestAddressCodes(t *testing.T) {
	_, st, kr := open(t)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	m := &mail{}
	o := owner.New(st, kr, owner.Config{Mail: m.send, Now: func() time.Time { return now }})
	if _, err := owner.New(st, kr, owner.Config{}).StartAddress(ctx, "a@b.example"); !errors.Is(err, owner.ErrNeedsMailer) {
		t.Errorf("without a mailer: %v", err)
	}
	if _, err := o.StartAddress(ctx, "Alice@Example.org"); err != nil {
		t.Fatal(err)
	}
	if m.to[0] != "alice@example.org" {
		t.Errorf("mailed %q", m.to[0])
	}
	code := m.code()
	now = now.Add(25 * time.Hour) // expired
	if _, err := o.ConfirmAddress(ctx, "alice@example.org", code); !errors.Is(err, owner.ErrWrongCode) {
		t.Errorf("an expired code: %v", err)
	}
	o.StartAddress(ctx, "alice@example.org")
	if a, err := o.ConfirmAddress(ctx, "ALICE@example.org", " "+m.code()+" "); err != nil || !a.IsVerified() {
		t.Fatalf("the right code: %+v, %v", a, err)
	}
	k, _, _ := o.AccountKey("alice@example.org")
	who, _ := o.Audience(ctx, k)
	if !who.OwnsEmail("alice@example.org") || who.OwnsEmail("bob@example.org") || who.OwnsDomain("example.org") {
		t.Errorf("audience %+v", who)
	}
	if who, _ := o.Audience(ctx, store.AccountKey{}); len(who.Emails)+len(who.Domains) != 0 {
		t.Errorf("the public's audience %+v", who)
	}
	// Asking again for a verified address mails a new code, and only that
	// code confirms it again; it stays verified meanwhile.
	mails := len(m.to)
	if _, err := o.StartAddress(ctx, "alice@example.org"); err != nil || len(m.to) != mails+1 {
		t.Fatalf("a code for a verified address: %v, %d mails", err, len(m.to)-mails)
	}
	if _, err := o.ConfirmAddress(ctx, "alice@example.org", "00000000"); !errors.Is(err, owner.ErrWrongCode) {
		t.Errorf("a wrong code for a verified address: %v", err)
	}
	if a, err := o.Address(ctx, "alice@example.org"); err != nil || !a.IsVerified() {
		t.Errorf("after a wrong code: %+v, %v", a, err)
	}
	if _, err := o.ConfirmAddress(ctx, "alice@example.org", m.code()); err != nil {
		t.Errorf("the new code: %v", err)
	}
}

func TestRenew(t *testing.T) {
	_, st, kr := open(t)
	txt, resolver := startDNS(t)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	checker := &domainproof.Checker{Resolver: resolver}
	m := &mail{}
	o := owner.New(st, kr, owner.Config{Mail: m.send, Now: func() time.Time { return now }, Prove: func(ctx context.Context, method, domain, token string) error {
		meth, err := domainproof.ParseMethod(method)
		if err != nil {
			return err
		}
		return checker.Check(ctx, meth, domain, token)
	}})
	for _, name := range []string{"kept.example", "dropped.example"} {
		d, err := o.AddDomain(ctx, name, "ops@"+name, owner.MethodDNS, "")
		if err != nil {
			t.Fatal(err)
		}
		txt.set(name, d.Token)
		if _, err := o.VerifyDomain(ctx, name, ""); err != nil {
			t.Fatal(err)
		}
	}
	o.AddDomain(ctx, "mailed.example", "ops@mailed.example", owner.MethodEmail, "")
	if _, err := o.VerifyDomain(ctx, "mailed.example", m.code()); err != nil {
		t.Fatal(err)
	}
	if rs, err := o.Renew(ctx); err != nil || len(rs) != 0 {
		t.Fatalf("Renew before a year: %+v, %v", rs, err)
	}
	now = now.Add(owner.RenewAfter + time.Hour)
	txt.set("dropped.example") // its record is gone
	rs, err := o.Renew(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rs {
		got[r.Domain] = r.Renewed
	}
	// The owners of the lapsed domains were told.
	var told []string
	for _, to := range m.to[len(m.to)-2:] {
		told = append(told, to)
	}
	slices.Sort(told)
	if diff := cmp.Diff([]string{"ops@dropped.example", "ops@mailed.example"}, told); diff != "" {
		t.Errorf("lapse mails (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]bool{"kept.example": true, "dropped.example": false, "mailed.example": false}, got); diff != "" {
		t.Errorf("renewals (-want +got):\n%s", diff)
	}
	for name, verified := range map[string]bool{"kept.example": true, "dropped.example": false, "mailed.example": false} {
		d, err := o.Domain(ctx, name)
		if err != nil || d.IsVerified() != verified || verified && !d.Verified.Equal(now) {
			t.Errorf("%s after renewal: %+v, %v", name, d, err)
		}
	}
	// Verified again, a lapsed domain is back.
	txt.set("dropped.example", mustDomain(t, o, "dropped.example").Token)
	if d, err := o.VerifyDomain(ctx, "dropped.example", ""); err != nil || !d.IsVerified() {
		t.Errorf("verifying a lapsed domain again: %v", err)
	}
}

func mustDomain(t *testing.T, o *owner.Service, name string) owner.Domain {
	t.Helper()
	d, err := o.Domain(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
