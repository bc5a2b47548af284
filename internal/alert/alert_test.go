package alert_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/ingest"
	"github.com/leakwatch/leakwatch/internal/keyring"
	"github.com/leakwatch/leakwatch/internal/notify"
	"github.com/leakwatch/leakwatch/internal/owner"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pebblestore"
)

var ctx = context.Background()

// mailbox records the messages a test's mail function was asked to send.
type mailbox struct {
	mu   sync.Mutex
	msgs []sent
	fail error // answer every send with this
}

type sent struct{ To, Subject, Text, ID string }

func (m *mailbox) send(_ context.Context, to, subject, text, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.msgs = append(m.msgs, sent{to, subject, text, id})
	return nil
}

func (m *mailbox) all() []sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.msgs)
}

// code returns the code of the last message.
func (m *mailbox) code(t *testing.T) string {
	t.Helper()
	msgs := m.all()
	if len(msgs) == 0 {
		t.Fatal("no message was mailed")
	}
	text := msgs[len(msgs)-1].Text
	i := strings.Index(text, "Your code is ")
	if i < 0 {
		t.Fatalf("no code in %q", text)
	}
	return text[i+len("Your code is ") : i+len("Your code is ")+8]
}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	dir    string
	st     store.Store
	kr     *keyring.Keyring
	mail   *mailbox
	clock  *clock
	owners *owner.Service
	alerts *alert.Service
}

// newFixture opens a store with a confirmed address alice@example.org and
// a verified domain example.org owned by boss@example.org.
func newFixture(t *testing.T, post func(ctx context.Context, url, secret, id string, ts time.Time, body []byte) error) *fixture {
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
	f := &fixture{dir: dir, st: st, kr: kr, mail: &mailbox{}, clock: &clock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}}
	f.owners = owner.New(st, kr, owner.Config{Mail: f.mail.send, Now: f.clock.now})
	f.alerts = alert.New(st, kr, f.owners, alert.Config{
		Mail: f.mail.send, Post: post, Now: f.clock.now, PublicURL: "https://leakwatch.example",
		Backoff: func(attempt int) time.Duration { return time.Duration(attempt) * time.Minute },
	})
	if _, err := f.owners.StartAddress(ctx, "Alice@Example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.owners.ConfirmAddress(ctx, "alice@example.org", f.mail.code(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.owners.AddDomain(ctx, "example.org", "boss@example.org", owner.MethodEmail, "postmaster"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.owners.VerifyDomain(ctx, "example.org", f.mail.code(t)); err != nil {
		t.Fatal(err)
	}
	f.mail.msgs = nil
	return f
}

// importLines imports a combolist into a breach, writing the commit's
// event as the server's imports do.
func (f *fixture) importLines(t *testing.T, breach, lines string) {
	t.Helper()
	p := filepath.Join(f.dir, fmt.Sprintf("%s-%d.txt", breach, time.Now().UnixNano()))
	if err := os.WriteFile(p, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	meta := catalog.New(breach, f.clock.now())
	meta.DataClasses = nil
	opts := ingest.Options{Breach: meta, TempDir: f.dir, Event: func() []byte { return alert.EncodeEvent(breach, f.clock.now()) }}
	if _, err := ingest.Import(ctx, f.st, f.kr, []string{p}, opts); err != nil {
		t.Fatal(err)
	}
}

func TestExpandAndDeliverOnce(t *testing.T) {
	f := newFixture(t, nil)
	f.clock.add(time.Hour) // subscriptions made before the commits
	if _, err := f.alerts.Subscribe(ctx, alert.KindEmail, "alice@example.org", "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.alerts.Subscribe(ctx, alert.KindDomain, "example.org", "", false); err != nil {
		t.Fatal(err)
	}
	// The same subscription again is the one there is: no double alerts.
	first, _ := f.alerts.Subscriptions(ctx)
	i := slices.IndexFunc(first, func(s alert.Subscription) bool { return s.Kind == alert.KindEmail })
	again, err := f.alerts.Subscribe(ctx, alert.KindEmail, "Alice@example.org", "", false)
	if err != nil || i < 0 || again.ID != first[i].ID {
		t.Errorf("subscribing again: %+v, %v; want the email subscription of %+v", again, err, first)
	}
	if subs, _ := f.alerts.Subscriptions(ctx); len(subs) != 2 {
		t.Errorf("%d subscriptions after subscribing twice", len(subs))
	}
	// A subscription to an address nobody confirmed is refused.
	if _, err := f.alerts.Subscribe(ctx, alert.KindEmail, "mallory@example.org", "", false); !errors.Is(err, alert.ErrNotVerified) {
		t.Errorf("subscribing an unconfirmed address: %v, want ErrNotVerified", err)
	}
	f.clock.add(time.Hour)
	f.importLines(t, "Shop", "alice@example.org:hunter2\nbob@example.org:secret-pw\ncarol@other.test:pw\n")
	// Expanding twice (as after a crash) queues nothing twice.
	for i, want := range []int{2, 0} {
		n, err := f.alerts.Expand(ctx)
		if err != nil || n != want {
			t.Fatalf("Expand #%d = %d, %v; want %d", i+1, n, err, want)
		}
	}
	sentN, failed, err := f.alerts.Deliver(ctx)
	if err != nil || sentN != 2 || failed != 0 {
		t.Fatalf("Deliver = %d sent, %d failed, %v", sentN, failed, err)
	}
	msgs := f.mail.all()
	slices.SortFunc(msgs, func(a, b sent) int { return strings.Compare(a.To, b.To) })
	if got := []string{msgs[0].To, msgs[1].To}; !slices.Equal(got, []string{"alice@example.org", "boss@example.org"}) {
		t.Fatalf("mailed %q", got)
	}
	if !strings.Contains(msgs[1].Subject, "2 addresses at example.org") {
		t.Errorf("domain alert subject %q", msgs[1].Subject)
	}
	for _, m := range msgs {
		if !strings.Contains(m.Text, "Breach: Shop") || !strings.Contains(m.Text, "https://leakwatch.example/api/v3/breach/Shop") {
			t.Errorf("alert text lacks the breach or its link:\n%s", m.Text)
		}
		for _, secret := range []string{"hunter2", "secret-pw", "carol"} {
			if strings.Contains(m.Text+m.Subject, secret) {
				t.Errorf("alert to %s holds %q", m.To, secret)
			}
		}
	}
	// A second import into the same breach tells alice nothing new; the
	// domain's owner is told when more of its addresses appear.
	f.importLines(t, "Shop", "alice@example.org:other\n")
	if n, _ := f.alerts.Expand(ctx); n != 0 {
		t.Errorf("re-import queued %d", n)
	}
	f.importLines(t, "Shop", "dave@example.org:x\n")
	if n, _ := f.alerts.Expand(ctx); n != 1 {
		t.Errorf("a new address at the domain queued %d, want 1", n)
	}
	// A subscription made after a commit is not told of it.
	f.clock.add(time.Hour)
	f.importLines(t, "Later", "alice@example.org:pw\n")
	f.clock.add(time.Hour)
	if _, err := f.owners.StartAddress(ctx, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	f.owners.ConfirmAddress(ctx, "bob@example.org", f.mail.code(t))
	f.alerts.Subscribe(ctx, alert.KindEmail, "bob@example.org", "", false)
	if n, _ := f.alerts.Expand(ctx); n != 2 { // alice and the domain (1 address)
		t.Errorf("Later queued %d, want 2", n)
	}
}

// receiver is a webhook receiver that verifies signatures.
type receiver struct {
	mu     sync.Mutex
	secret string
	status int
	ids    []string
	bodies []map[string]any
	bad    int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	// The test's clock runs ahead of time.Now: a wide tolerance.
	if err := notify.Verify(r.secret, req.Header, body, time.Now(), 72*time.Hour); err != nil {
		r.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	r.ids = append(r.ids, req.Header.Get("webhook-id"))
	var v map[string]any
	json.Unmarshal(body, &v)
	r.bodies = append(r.bodies, v)
	if r.status != 0 {
		w.WriteHeader(r.status)
	}
}

func TestWebhookRetriesKeepTheirIDAndDie(t *testing.T) {
	rcv := &receiver{status: http.StatusInternalServerError}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	post := func(ctx context.Context, url, secret, id string, ts time.Time, body []byte) error {
		return notify.Webhook{URL: url, Secret: secret, Client: srv.Client()}.Send(ctx, id, ts, body)
	}
	f := newFixture(t, post)
	f.clock.add(time.Hour)
	sub, err := f.alerts.Subscribe(ctx, alert.KindEmail, "alice@example.org", srv.URL+"/hook", true)
	if err != nil {
		t.Fatal(err)
	}
	rcv.secret = sub.Secret
	if _, err := f.alerts.Subscribe(ctx, alert.KindEmail, "alice@example.org", "ftp://x", true); !errors.Is(err, alert.ErrBadWebhook) {
		t.Errorf("an ftp webhook: %v", err)
	}
	f.clock.add(time.Hour)
	f.importLines(t, "Forum", "alice@example.org:pw\n")
	if _, err := f.alerts.Expand(ctx); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= alert.MaxAttempts; attempt++ {
		if _, failed, err := f.alerts.Deliver(ctx); err != nil || failed != 1 {
			o, d, _ := f.alerts.Pending(ctx)
			t.Fatalf("attempt %d: failed %d, %v; outbox %+v dead %+v", attempt, failed, err, o, d)
		}
		// Nothing is due until the backoff passes.
		if _, failed, _ := f.alerts.Deliver(ctx); failed != 0 {
			t.Fatalf("attempt %d: delivered again before its backoff", attempt)
		}
		f.clock.add(time.Duration(attempt)*time.Minute + time.Second)
	}
	outbox, dead, err := f.alerts.Pending(ctx)
	if err != nil || len(outbox) != 0 || len(dead) != 1 {
		t.Fatalf("after %d failures: %d pending, %d dead, %v", alert.MaxAttempts, len(outbox), len(dead), err)
	}
	if dead[0].Attempts != alert.MaxAttempts || !strings.Contains(dead[0].LastError, "500") {
		t.Errorf("dead letter %+v", dead[0])
	}
	// Retried, it is delivered with the id it had.
	rcv.mu.Lock()
	rcv.status = 0
	rcv.mu.Unlock()
	if n, err := f.alerts.Retry(ctx, ""); err != nil || n != 1 {
		t.Fatalf("Retry = %d, %v", n, err)
	}
	if sentN, _, err := f.alerts.Deliver(ctx); err != nil || sentN != 1 {
		t.Fatalf("Deliver after retry = %d, %v", sentN, err)
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if rcv.bad != 0 || len(rcv.ids) != alert.MaxAttempts+1 {
		t.Fatalf("receiver saw %d good and %d bad requests", len(rcv.ids), rcv.bad)
	}
	for _, id := range rcv.ids {
		if id != rcv.ids[0] || id != alert.WebhookID(dead[0].ID) {
			t.Fatalf("webhook ids differ across retries: %q", rcv.ids)
		}
	}
	data := rcv.bodies[0]["data"].(map[string]any)
	want := map[string]any{"email": "alice@example.org", "breach": "Forum", "type": "breach.email"}
	got := map[string]any{"email": data["email"], "breach": data["breach"].(map[string]any)["Name"], "type": rcv.bodies[0]["type"]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("webhook body (-want +got):\n%s", diff)
	}
}

func TestPermanentFailureIsDeadAtOnce(t *testing.T) {
	rcv := &receiver{status: http.StatusGone}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	post := func(ctx context.Context, url, secret, id string, ts time.Time, body []byte) error {
		return notify.Webhook{URL: url, Secret: secret, Client: srv.Client()}.Send(ctx, id, ts, body)
	}
	f := newFixture(t, post)
	f.clock.add(time.Hour)
	sub, err := f.alerts.Subscribe(ctx, alert.KindDomain, "example.org", srv.URL, true)
	if err != nil {
		t.Fatal(err)
	}
	rcv.secret = sub.Secret
	f.clock.add(time.Hour)
	f.importLines(t, "Forum", "alice@example.org:pw\n")
	f.alerts.Expand(ctx)
	if _, failed, err := f.alerts.Deliver(ctx); failed != 1 || err != nil {
		t.Fatalf("Deliver: %d failed, %v", failed, err)
	}
	outbox, dead, _ := f.alerts.Pending(ctx)
	if len(outbox) != 0 || len(dead) != 1 || dead[0].Attempts != 1 {
		t.Fatalf("a 410 answer: outbox %d, dead %+v", len(outbox), dead)
	}
	if _, err := f.alerts.Retry(ctx, "nonexistent"); !errors.Is(err, alert.ErrNotFound) {
		t.Errorf("Retry of an unknown id: %v", err)
	}
}

// A domain's webhook-only subscription belongs to the owner who made it:
// once the domain is removed and verified by another owner, it tells the
// old owner nothing of the new owner's domain.
func TestWebhookDomainSubscriptionEndsWithItsOwner(t *testing.T) {
	var mu sync.Mutex
	var posted []string // the subscriptions webhooks were posted for
	post := func(_ context.Context, url, secret, id string, ts time.Time, body []byte) error {
		var v struct {
			Data struct{ Subscription string } `json:"data"`
		}
		json.Unmarshal(body, &v)
		mu.Lock()
		posted = append(posted, v.Data.Subscription)
		mu.Unlock()
		return nil
	}
	f := newFixture(t, post)
	f.clock.add(time.Hour)
	old, err := f.alerts.Subscribe(ctx, alert.KindDomain, "example.org", "https://hooks.example.net/a", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.owners.RemoveDomain(ctx, "example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.owners.AddDomain(ctx, "example.org", "mallory@example.net", owner.MethodEmail, "security"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.owners.VerifyDomain(ctx, "example.org", f.mail.code(t)); err != nil {
		t.Fatal(err)
	}
	// The new owner subscribing the same webhook makes a subscription of
	// their own.
	mine, err := f.alerts.Subscribe(ctx, alert.KindDomain, "example.org", "https://hooks.example.net/a", true)
	if err != nil || mine.ID == old.ID {
		t.Fatalf("the new owner's subscription: %+v, %v; the old one is %s", mine, err, old.ID)
	}
	f.clock.add(time.Hour)
	f.importLines(t, "Shop", "bob@example.org:pw\n")
	if _, err := f.alerts.Expand(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.alerts.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if want := []string{mine.ID}; !slices.Equal(posted, want) {
		t.Errorf("webhooks posted for subscriptions %q, want %q (the old owner's is %s)", posted, want, old.ID)
	}
}

// A breach's title with a line break or an escape sequence (import
// --title takes any) still makes a mail: its Subject cannot hold them, and
// the alert was a dead letter at the first attempt.
func TestTitleWithControlCharactersIsMailed(t *testing.T) {
	f := newFixture(t, nil)
	f.clock.add(time.Hour)
	if _, err := f.alerts.Subscribe(ctx, alert.KindEmail, "alice@example.org", "", false); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Hour)
	p := filepath.Join(f.dir, "forum.txt")
	if err := os.WriteFile(p, []byte("alice@example.org:pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	meta := catalog.New("Forum", f.clock.now())
	meta.Title = "Forum\r\nBcc: mallory@example.net\x1b[2J"
	opts := ingest.Options{Breach: meta, TempDir: f.dir, Event: func() []byte { return alert.EncodeEvent("Forum", f.clock.now()) }}
	if _, err := ingest.Import(ctx, f.st, f.kr, []string{p}, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := f.alerts.Expand(ctx); err != nil {
		t.Fatal(err)
	}
	send := func(ctx context.Context, to, subject, text, id string) error {
		m := notify.Mail{From: "leakwatch@example.net", To: to, Subject: subject, Text: text, MessageID: id, Date: f.clock.now()}
		if _, err := m.Bytes(); err != nil {
			return err
		}
		return f.mail.send(ctx, to, subject, text, id)
	}
	f.alerts = alert.New(f.st, f.kr, f.owners, alert.Config{Mail: send, Now: f.clock.now, PublicURL: "https://leakwatch.example"})
	if sentN, failed, err := f.alerts.Deliver(ctx); err != nil || sentN != 1 || failed != 0 {
		_, dead, _ := f.alerts.Pending(ctx)
		t.Fatalf("Deliver = %d sent, %d failed, %v; dead letters %+v", sentN, failed, err, dead)
	}
	m := f.mail.all()[0]
	if want := "Your address is in the Forum  Bcc: mallory@example.net [2J breach"; m.Subject != want {
		t.Errorf("Subject %q, want %q", m.Subject, want)
	}
}

// A receiver that answers 429 or 503 with Retry-After is not tried again
// sooner than it asked.
func TestRetryAfterIsHonoured(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	post := func(ctx context.Context, url, secret, id string, ts time.Time, body []byte) error {
		return notify.Webhook{URL: url, Secret: secret, Client: srv.Client()}.Send(ctx, id, ts, body)
	}
	f := newFixture(t, post) // its backoff: a minute per attempt
	f.clock.add(time.Hour)
	if _, err := f.alerts.Subscribe(ctx, alert.KindEmail, "alice@example.org", srv.URL, true); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Hour)
	f.importLines(t, "Forum", "alice@example.org:pw\n")
	if _, err := f.alerts.Expand(ctx); err != nil {
		t.Fatal(err)
	}
	if _, failed, err := f.alerts.Deliver(ctx); err != nil || failed != 1 {
		t.Fatalf("Deliver: %d failed, %v", failed, err)
	}
	outbox, _, err := f.alerts.Pending(ctx)
	if err != nil || len(outbox) != 1 {
		t.Fatalf("outbox %+v, %v", outbox, err)
	}
	if got, want := outbox[0].Due, f.clock.now().Add(time.Hour); got.Before(want) {
		t.Errorf("due again at %v, before the hour the receiver asked for (%v)", got, want)
	}
}

// Mail alerts wait while no mail server is configured (alerts deliver run
// from cron without the SMTP settings): no attempt is spent, and they are
// sent once there is one.
func TestMailWaitsForAMailer(t *testing.T) {
	f := newFixture(t, nil)
	f.clock.add(time.Hour)
	if _, err := f.alerts.Subscribe(ctx, alert.KindEmail, "alice@example.org", "", false); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Hour)
	f.importLines(t, "Forum", "alice@example.org:pw\n")
	noMail := alert.New(f.st, f.kr, f.owners, alert.Config{Now: f.clock.now})
	for range alert.MaxAttempts + 1 {
		if _, err := noMail.Expand(ctx); err != nil {
			t.Fatal(err)
		}
		if sentN, failed, err := noMail.Deliver(ctx); err != nil || sentN+failed != 0 {
			t.Fatalf("Deliver without a mailer = %d sent, %d failed, %v", sentN, failed, err)
		}
		f.clock.add(6 * time.Hour)
	}
	outbox, dead, err := f.alerts.Pending(ctx)
	if err != nil || len(outbox) != 1 || len(dead) != 0 || outbox[0].Attempts != 0 {
		t.Fatalf("without a mailer: outbox %+v, dead %+v, %v", outbox, dead, err)
	}
	if sentN, _, err := f.alerts.Deliver(ctx); err != nil || sentN != 1 || len(f.mail.all()) != 1 {
		t.Fatalf("Deliver with a mailer = %d sent, %v; mailed %d", sentN, err, len(f.mail.all()))
	}
}

// Without a public URL (LEAKWATCH_PUBLIC_URL unset) a message has no
// link: a bare path is none.
func TestNoLinkWithoutPublicURL(t *testing.T) {
	f := newFixture(t, nil)
	f.alerts = alert.New(f.st, f.kr, f.owners, alert.Config{Mail: f.mail.send, Now: f.clock.now})
	f.clock.add(time.Hour)
	if _, err := f.alerts.Subscribe(ctx, alert.KindEmail, "alice@example.org", "", false); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Hour)
	f.importLines(t, "Forum", "alice@example.org:pw\n")
	f.alerts.Expand(ctx)
	if sentN, _, err := f.alerts.Deliver(ctx); err != nil || sentN != 1 {
		t.Fatalf("Deliver = %d, %v", sentN, err)
	}
	if text := f.mail.all()[0].Text; strings.Contains(text, "/api/v3/") || !strings.Contains(text, "Breach: Forum") {
		t.Errorf("a message without a public URL:\n%s", text)
	}
}

// An alert queued for a domain's owner is not sent once the claim is
// removed: it goes to the dead letters, saying why.
func TestQueuedDomainAlertAfterRemoval(t *testing.T) {
	f := newFixture(t, nil)
	f.clock.add(time.Hour)
	if _, err := f.alerts.Subscribe(ctx, alert.KindDomain, "example.org", "", false); err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Hour)
	f.importLines(t, "Forum", "bob@example.org:pw\n")
	if n, err := f.alerts.Expand(ctx); err != nil || n != 1 {
		t.Fatalf("Expand = %d, %v", n, err)
	}
	if err := f.owners.RemoveDomain(ctx, "example.org"); err != nil {
		t.Fatal(err)
	}
	if sent, failed, err := f.alerts.Deliver(ctx); err != nil || sent != 0 || failed != 1 {
		t.Fatalf("Deliver = %d sent, %d failed, %v", sent, failed, err)
	}
	if msgs := f.mail.all(); len(msgs) != 0 {
		t.Errorf("mailed %d messages about a removed domain", len(msgs))
	}
	_, dead, _ := f.alerts.Pending(ctx)
	if len(dead) != 1 || !strings.Contains(dead[0].LastError, "claim") {
		t.Errorf("dead letters %+v", dead)
	}
}
