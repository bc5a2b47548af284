package main

// End-to-end tests of owners and alerts: the real command line and a real
// server process, talking to real protocol peers (alertpeers_test.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/owner"
)

// The leaked credentials the tests import; the passwords must never
// reach a message, a log or alerts list.
const (
	alice, alicePassword = "alice@example.org", "alice-Pa55word!"
	bob, bobPassword     = "bob@example.org", "bob-S3cret#horse"
	boss                 = "boss@example.org"
	smtpFrom             = "alerts@leakwatch.test"
)

var (
	anEmail      = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+`)
	alertMsgID   = regexp.MustCompile(`^<[0-9a-f]{32}@leakwatch>$`)
	alertHookID  = regexp.MustCompile(`^msg_[0-9a-f]{32}$`)
	mailedCode   = regexp.MustCompile(`Your code is ([0-9]+)\.`)
	bounded      = 30 * time.Second // the longest any wait in these tests may take
	serverStarts = 30 * time.Second
)

// alertRig is a data directory, its peers and the settings that point
// leakwatch at them, and the server process when one runs.
type alertRig struct {
	t    *testing.T
	data string
	dir  string
	mail *mailServer
	dns  *dnsServer
	hook *hookServer
	env  map[string]string
	srv  *exec.Cmd
	logs *syncBuffer // the stderr of every server process of the rig
}

func newAlertRig(t *testing.T) *alertRig {
	t.Helper()
	dir := t.TempDir()
	r := &alertRig{t: t, dir: dir, data: filepath.Join(dir, "data"), logs: &syncBuffer{},
		mail: startMailServer(t), dns: startDNSServer(t), hook: startHookServer(t)}
	r.env = map[string]string{
		"LEAKWATCH_SMTP_ADDR":       r.mail.Addr,
		"LEAKWATCH_SMTP_FROM":       smtpFrom,
		"LEAKWATCH_SMTP_USER":       smtpUser,
		"LEAKWATCH_SMTP_PASSWORD":   smtpPassword,
		"LEAKWATCH_SMTP_TLS":        "starttls",
		"LEAKWATCH_SMTP_CA":         r.mail.CertFile,
		"LEAKWATCH_DNS_RESOLVER":    r.dns.Addr,
		"LEAKWATCH_WEBHOOK_PRIVATE": "1",
		"LEAKWATCH_PUBLIC_URL":      "https://leakwatch.test",
		"LEAKWATCH_ALERT_POLL":      "100ms",
	}
	r.must("init")
	return r
}

// run runs leakwatch --data DATA args in this process, with the rig's
// settings as its whole environment.
func (r *alertRig) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runEnv(context.Background(), append([]string{"--data", r.data}, args...), strings.NewReader(""), &out, &errb,
		func(k string) string { return r.env[k] })
	return code, out.String(), errb.String()
}

func (r *alertRig) must(args ...string) string {
	r.t.Helper()
	code, out, errb := r.run(args...)
	if code != 0 {
		r.t.Fatalf("leakwatch %s: exit %d: %s", strings.Join(args, " "), code, errb)
	}
	return out
}

// start starts leakwatch serve as a child process and waits until it
// answers on its socket.
func (r *alertRig) start() {
	r.t.Helper()
	if r.srv != nil {
		r.t.Fatal("a server runs already")
	}
	cmd := exec.Command(os.Args[0], "--data", r.data, "serve", "--addr", "127.0.0.1:0", "--range-cache", "off", "--log-level", "debug")
	cmd.Env = append(os.Environ(), "LEAKWATCH_TEST_AS_MAIN=1")
	for k, v := range r.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = r.logs
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.srv = cmd
	r.t.Cleanup(func() {
		if r.srv == cmd {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	waitFor(r.t, serverStarts, "the server to start", func() bool {
		_, out, _ := r.run("status")
		return strings.Contains(out, "server:    running")
	})
}

// kill ends the server with SIGKILL: no shutdown, no flush.
func (r *alertRig) kill() {
	r.t.Helper()
	r.srv.Process.Signal(syscall.SIGKILL)
	r.srv.Wait()
	r.srv = nil
}

// stop ends the server with SIGTERM; it must exit 0.
func (r *alertRig) stop() {
	r.t.Helper()
	r.srv.Process.Signal(syscall.SIGTERM)
	if err := r.srv.Wait(); err != nil {
		r.t.Errorf("the server ended with %v after SIGTERM", err)
	}
	r.srv = nil
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
	}
}

// code waits for the n-th message to an address and returns the code in it.
func (r *alertRig) code(to string, n int) string {
	r.t.Helper()
	waitFor(r.t, bounded, "a mailed code to "+to, func() bool { return len(r.mail.to(to)) >= n })
	m := r.mail.to(to)[n-1]
	c := mailedCode.FindStringSubmatch(m.Body)
	if c == nil {
		r.t.Fatalf("no code in the message to %s: %q", to, m.Body)
	}
	if !m.TLS || m.User != smtpUser || m.From != smtpFrom {
		r.t.Errorf("the code to %s went without STARTTLS or AUTH, or from %q: tls %v user %q", to, m.From, m.TLS, m.User)
	}
	return c[1]
}

// wrongCode returns a code of the same length as code that differs from it.
func wrongCode(code string) string {
	b := []byte(code)
	b[0] = '0' + (b[0]-'0'+1)%10
	return string(b)
}

// owners proves example.org by a DNS TXT record (owner boss@), confirms
// alice's address by a mailed code, and subscribes alice (mail and the
// webhook) and the domain (mail to its owner). It returns the webhook
// subscription.
func (r *alertRig) owners() alert.Subscription {
	t := r.t
	t.Helper()
	var d owner.Domain
	if err := json.Unmarshal([]byte(r.must("domains", "add", "example.org", "--owner", boss, "--method", "dns", "--json")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Method != owner.MethodDNS || d.Token == "" || d.IsVerified() {
		t.Fatalf("the claim: %+v", d)
	}
	// Before the record exists, the proof fails and says why.
	code, out, errb := r.run("domains", "verify", "example.org")
	if code == 0 || !strings.Contains(errb, "leakwatch: no TXT record of example.org holds the token") || !strings.Contains(errb, "\nhint: publish the proof") || strings.Contains(out, "verified") {
		t.Fatalf("verify before the TXT record: exit %d, stdout %q, stderr %q", code, out, errb)
	}
	r.dns.setTXT("example.org", "v=spf1 -all") // other records do not matter
	r.dns.setTXT("example.org", d.Token)
	if out := r.must("domains", "verify", "example.org"); !strings.Contains(out, "state: verified") {
		t.Fatalf("verify with the TXT record: %s", out)
	}

	if code, _, errb := r.run("addresses", "confirm", alice, "12345678"); code == 0 || !strings.Contains(errb, "hint: leakwatch addresses verify EMAIL mails the code first") {
		t.Errorf("confirming an address before asking for a code: exit %d: %s", code, errb)
	}
	if _, _, errb := r.run("addresses", "verify", alice); !strings.Contains(errb, "a code was mailed") {
		t.Fatalf("addresses verify: %s", errb)
	}
	c := r.code(alice, 1)
	if code, _, errb := r.run("addresses", "confirm", alice, wrongCode(c)); code == 0 || !strings.Contains(errb, "wrong or expired code") {
		t.Fatalf("a wrong code: exit %d: %s", code, errb)
	}
	if _, _, errb := r.run("alerts", "subscribe", "--email", alice); !strings.Contains(errb, "not verified") {
		t.Errorf("subscribing an address not yet confirmed: %s", errb)
	}
	if _, _, errb := r.run("addresses", "confirm", alice, c); !strings.Contains(errb, "the address is verified") {
		t.Fatalf("the right code: %s", errb)
	}

	var sub alert.Subscription
	if err := json.Unmarshal([]byte(r.must("alerts", "subscribe", "--email", alice, "--webhook", r.hook.URL, "--json")), &sub); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sub.Secret, "whsec_") || sub.MailTo != alice || sub.Webhook != r.hook.URL {
		t.Fatalf("the subscription: %+v", sub)
	}
	r.hook.setSecret(sub.Secret)
	if out := r.must("alerts", "subscribe", "--domain", "example.org"); !strings.HasPrefix(out, "subscription: ") {
		t.Fatalf("subscribe --domain: %s", out)
	}
	return sub
}

// importLeak writes a combolist of alice and bob and imports it into a
// breach (through the server when one runs).
func (r *alertRig) importLeak(breach, title string) {
	r.t.Helper()
	leak := filepath.Join(r.dir, breach+".txt")
	rows := alice + ":" + alicePassword + "\n" + bob + ":" + bobPassword + "\nnot a record\n"
	if err := os.WriteFile(leak, []byte(rows), 0o600); err != nil {
		r.t.Fatal(err)
	}
	if out := r.must("import", "--quiet", "--breach", breach, "--title", title, "--domain", strings.ToLower(breach)+".test", leak); !strings.Contains(out, "imported") {
		r.t.Fatalf("import: %s", out)
	}
}

// outbox returns alerts list --json.
func (r *alertRig) outbox() control.AlertsReport {
	r.t.Helper()
	out := r.must("alerts", "list", "--json")
	r.checkNoPasswords("alerts list --json", out)
	if strings.Contains(out, "whsec_") {
		r.t.Errorf("alerts list --json shows a webhook secret:\n%s", out)
	}
	var rep control.AlertsReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		r.t.Fatalf("alerts list --json: %v: %s", err, out)
	}
	return rep
}

// waitEmptyOutbox waits until nothing is pending and nothing is dead.
func (r *alertRig) waitEmptyOutbox() {
	r.t.Helper()
	waitFor(r.t, bounded, "an empty outbox", func() bool {
		rep := r.outbox()
		return len(rep.Outbox) == 0 && len(rep.Dead) == 0
	})
	if out := r.must("alerts", "list"); strings.Count(out, "\n") != 1 {
		r.t.Errorf("alerts list of an empty outbox:\n%s", out)
	}
}

func (r *alertRig) checkNoPasswords(what, s string) {
	r.t.Helper()
	for _, pw := range []string{alicePassword, bobPassword, smtpPassword} {
		if strings.Contains(s, pw) {
			r.t.Errorf("%s holds a password:\n%s", what, s)
		}
	}
}

// checkLogs checks the servers' logs: no password, no address.
func (r *alertRig) checkLogs() {
	r.t.Helper()
	logs := r.logs.String()
	if !strings.Contains(logs, "alerts delivered") {
		r.t.Errorf("the log does not say alerts were delivered:\n%s", logs)
	}
	r.checkNoPasswords("the server's log", logs)
	if m := anEmail.FindAllString(logs, -1); m != nil {
		r.t.Errorf("the server's log holds addresses %q:\n%s", m, logs)
	}
}

// alertMails returns the accepted alert messages (not mailed codes) to an
// address whose subject names a breach title.
func (r *alertRig) alertMails(to, title string) []mailMsg {
	var out []mailMsg
	for _, m := range r.mail.to(to) {
		if alertMsgID.MatchString(m.MessageID) && strings.Contains(m.Subject, title) {
			out = append(out, m)
		}
	}
	return out
}

// hookCalls returns the accepted webhooks about a breach.
func (r *alertRig) hookCalls(breach string) []hookCall {
	calls, _, _ := r.hook.received()
	var out []hookCall
	for _, c := range calls {
		if strings.Contains(string(c.Body), `"Name":"`+breach+`"`) {
			out = append(out, c)
		}
	}
	return out
}

// waitAlerts waits until alice and the domain's owner each got one mail
// about a breach and the webhook one call, and a while longer to see that
// nothing comes twice; it returns them.
func (r *alertRig) waitAlerts(breach, title string) (aliceMail, bossMail mailMsg, call hookCall) {
	t := r.t
	t.Helper()
	waitFor(t, bounded, "the alerts about "+breach, func() bool {
		return len(r.alertMails(alice, title)) >= 1 && len(r.alertMails(boss, title)) >= 1 && len(r.hookCalls(breach)) >= 1
	})
	time.Sleep(500 * time.Millisecond) // five polls
	a, b, h := r.alertMails(alice, title), r.alertMails(boss, title), r.hookCalls(breach)
	if len(a) != 1 || len(b) != 1 || len(h) != 1 {
		t.Fatalf("%s: %d mails to alice, %d to the domain's owner, %d webhooks; want one each", breach, len(a), len(b), len(h))
	}
	if _, _, bad := r.hook.received(); bad != nil {
		t.Errorf("webhooks that failed verification: %q", bad)
	}
	for _, m := range []mailMsg{a[0], b[0]} {
		if !m.TLS || m.User != smtpUser || m.From != smtpFrom || m.Header.Get("From") != "<"+smtpFrom+">" && m.Header.Get("From") != smtpFrom {
			t.Errorf("an alert to %s: tls %v user %q envelope from %q From %q", m.To, m.TLS, m.User, m.From, m.Header.Get("From"))
		}
		r.checkNoPasswords("an alert mail", m.Subject+"\n"+m.Body)
	}
	r.checkNoPasswords("an alert webhook", string(h[0].Body))
	return a[0], b[0], h[0]
}

// TestAlertsEndToEnd is the first flow: owners prove a domain by DNS and
// an address by a mailed code, subscribe, and a leak is imported with no
// server running; the server, once started, mails the address and the
// domain's owner and posts the signed webhook, each once. A domain is
// proven by a code mailed to its postmaster too.
func TestAlertsEndToEnd(t *testing.T) {
	r := newAlertRig(t)
	sub := r.owners()

	r.importLeak("Acme", "Acme Forum")
	// No server: the commit left an event, and nothing expanded it into
	// deliveries yet.
	if rep := r.outbox(); len(rep.Outbox) != 0 || len(rep.Dead) != 0 {
		t.Fatalf("before any server ran, alerts list shows %+v", rep)
	}
	if n := len(r.mail.delivered()); n != 1 {
		t.Fatalf("%d messages before the server ran; want only alice's code", n)
	}

	start := time.Now()
	r.start()
	am, bm, call := r.waitAlerts("Acme", "Acme Forum")
	t.Logf("alerts delivered %s after the server started", time.Since(start).Round(time.Millisecond))

	if am.Subject != "Your address is in the Acme Forum breach" || !strings.Contains(am.Body, alice+" is in a breach.") ||
		!strings.Contains(am.Body, "Breach: Acme Forum") || !strings.Contains(am.Body, "https://leakwatch.test/api/v3/breach/Acme") ||
		!strings.Contains(am.Header.Get("To"), alice) {
		t.Errorf("alice's mail:\nSubject: %s\nTo: %s\n%s", am.Subject, am.Header.Get("To"), am.Body)
	}
	if !strings.Contains(bm.Subject, "2 addresses at example.org") || !strings.Contains(bm.Body, "2 addresses at example.org") ||
		!strings.Contains(bm.Body, "Acme Forum") || strings.Contains(bm.Body, alice) || strings.Contains(bm.Body, bob) {
		t.Errorf("the domain owner's mail:\nSubject: %s\n%s", bm.Subject, bm.Body)
	}
	if !alertHookID.MatchString(call.ID) {
		t.Errorf("webhook-id %q", call.ID)
	}
	var body struct {
		Type string `json:"type"`
		Data struct {
			Subscription string `json:"subscription"`
			Email        string `json:"email"`
			Breach       struct{ Name, Title string }
		} `json:"data"`
	}
	if err := json.Unmarshal(call.Body, &body); err != nil {
		t.Fatalf("the webhook's body: %v: %s", err, call.Body)
	}
	if body.Type != "breach.email" || body.Data.Email != alice || body.Data.Subscription != sub.ID || body.Data.Breach.Name != "Acme" || body.Data.Breach.Title != "Acme Forum" {
		t.Errorf("the webhook's body: %s", call.Body)
	}
	r.waitEmptyOutbox()

	// A domain proven by a code mailed to one of its standard addresses,
	// through the running server.
	out := r.must("domains", "add", "example.net", "--owner", "x@example.net", "--method", "email", "--mailbox", "postmaster")
	if !strings.Contains(out, "a code was mailed to postmaster@example.net") || !strings.Contains(out, "--code CODE") {
		t.Errorf("domains add --method email:\n%s", out)
	}
	c := r.code("postmaster@example.net", 1)
	if m := r.mail.to("postmaster@example.net")[0]; !strings.Contains(m.Body, "x@example.net") || !strings.Contains(m.Subject, "verify example.net") {
		t.Errorf("the code's message:\nSubject: %s\n%s", m.Subject, m.Body)
	}
	if code, _, errb := r.run("domains", "verify", "example.net"); code == 0 || !strings.Contains(errb, "--code CODE") {
		t.Errorf("domains verify without --code: exit %d: %s", code, errb)
	}
	if code, _, errb := r.run("domains", "verify", "example.net", "--code", wrongCode(c)); code == 0 || !strings.Contains(errb, "wrong or expired code") {
		t.Errorf("a wrong domain code: exit %d: %s", code, errb)
	}
	if out := r.must("domains", "verify", "example.net", "--code", c); !strings.Contains(out, "state: verified") {
		t.Errorf("domains verify --code: %s", out)
	}
	if out := r.must("domains", "list"); !strings.Contains(out, "example.net") || !strings.Contains(out, "example.org") {
		t.Errorf("domains list:\n%s", out)
	}

	r.stop()
	r.checkLogs()
	r.checkNoPasswords("alerts list", r.must("alerts", "list"))
}

// TestAlertsKillMidDelivery is the second flow: the server is killed with
// SIGKILL while the mail server and the webhook receiver hold its first
// attempts unanswered; the server started again sends the same messages
// with the same Message-ID and webhook-id, so receivers can drop the
// duplicates. Then the server is killed right after an import commits,
// before anything was delivered, and the alerts still arrive.
func TestAlertsKillMidDelivery(t *testing.T) {
	r := newAlertRig(t)
	r.owners()
	r.start()

	r.mail.hold()
	r.hook.hold()
	r.importLeak("Acme", "Acme Forum")
	waitFor(t, bounded, "the first attempts", func() bool {
		_, tried, _ := r.hook.received()
		return len(r.mail.tried()) >= 3 && len(tried) >= 1 // alice's code, then the two alerts
	})
	r.kill()
	firstMail := map[string]string{} // Message-ID by recipient
	for _, m := range r.mail.tried()[1:] {
		firstMail[m.To] = m.MessageID
	}
	_, tried, _ := r.hook.received()
	firstHook := tried[0].ID
	if len(firstMail) != 2 || firstMail[alice] == "" || firstMail[boss] == "" || len(tried) != 1 {
		t.Fatalf("first attempts: mail %q, webhooks %d", firstMail, len(tried))
	}
	if n := len(r.alertMails(alice, "Acme")) + len(r.alertMails(boss, "Acme")) + len(r.hookCalls("Acme")); n != 0 {
		t.Fatalf("%d alerts were accepted while the receivers held them", n)
	}
	// The server died with the deliveries in flight: they are still due.
	if rep := r.outbox(); len(rep.Outbox) != 3 {
		t.Errorf("after the kill, %d deliveries pending; want 3", len(rep.Outbox))
	}
	r.mail.release()
	r.hook.release()

	r.start()
	am, bm, call := r.waitAlerts("Acme", "Acme Forum")
	if am.MessageID != firstMail[alice] || bm.MessageID != firstMail[boss] {
		t.Errorf("Message-IDs after the restart: %s and %s; before the kill %s and %s", am.MessageID, bm.MessageID, firstMail[alice], firstMail[boss])
	}
	if call.ID != firstHook {
		t.Errorf("webhook-id after the restart %s; before the kill %s", call.ID, firstHook)
	}
	r.waitEmptyOutbox()

	// Killed right after a commit: the event is in the store, whether or
	// not the server had queued its deliveries.
	r.mail.hold()
	r.hook.hold()
	r.importLeak("Beta", "Beta Shop")
	r.kill()
	_, tried, _ = r.hook.received()
	t.Logf("at the kill after the commit the receivers had seen %d mails and %d webhooks of Beta",
		len(r.mail.tried())-3-2, len(tried)-2)
	rep := r.outbox()
	t.Logf("after the kill after the commit, %d deliveries were pending (0: the event was not yet expanded)", len(rep.Outbox))
	if len(rep.Outbox) != 0 && len(rep.Outbox) != 3 || len(rep.Dead) != 0 {
		t.Errorf("after the kill after the commit: %+v", rep)
	}
	r.mail.release()
	r.hook.release()
	r.start()
	r.waitAlerts("Beta", "Beta Shop")
	r.waitEmptyOutbox()
	r.stop()
	r.checkLogs()
}

// TestAlertsFailingWebhook is the third flow: a receiver that answers 500
// leaves the delivery pending, and alerts list shows its attempts and the
// last error.
func TestAlertsFailingWebhook(t *testing.T) {
	r := newAlertRig(t)
	r.owners()
	r.hook.failWith(500)
	r.start()
	r.importLeak("Acme", "Acme Forum")
	var d alert.Delivery
	waitFor(t, bounded, "a failed attempt in alerts list", func() bool {
		for _, x := range r.outbox().Outbox {
			if x.Channel == "webhook" && x.Attempts >= 1 {
				d = x
				return true
			}
		}
		return false
	})
	if _, tried, _ := r.hook.received(); len(tried) == 0 {
		t.Fatal("the receiver saw no attempt")
	}
	if d.Attempts != 1 || !strings.Contains(d.LastError, "500") || d.Breach != "Acme" || d.To != r.hook.URL || !d.Due.After(d.Created) {
		t.Errorf("the failed delivery: %+v", d)
	}
	// Mail went out all the same, and left the outbox.
	waitFor(t, bounded, "the mail alerts", func() bool {
		return len(r.alertMails(alice, "Acme")) == 1 && len(r.alertMails(boss, "Acme")) == 1
	})
	rep := r.outbox()
	if len(rep.Outbox) != 1 || len(rep.Dead) != 0 {
		t.Errorf("alerts list --json: %+v", rep)
	}
	out := r.must("alerts", "list")
	r.checkNoPasswords("alerts list", out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[1], d.ID) ||
		!strings.Contains(lines[1], " pending ") || !strings.Contains(lines[1], " webhook ") || !strings.Contains(lines[1], " 1 ") || !strings.Contains(lines[1], "500") {
		t.Errorf("alerts list:\n%s", out)
	}

	// Unsubscribing drops the deliveries not yet made: no more attempts.
	_, tried, _ := r.hook.received()
	if _, _, errb := r.run("alerts", "unsubscribe", d.Subscription); !strings.Contains(errb, "removed subscription") {
		t.Fatalf("alerts unsubscribe: %s", errb)
	}
	if rep := r.outbox(); len(rep.Outbox) != 0 || len(rep.Dead) != 0 {
		t.Errorf("after unsubscribing, alerts list --json: %+v", rep)
	}
	if _, _, errb := r.run("alerts", "retry", "--all"); !strings.Contains(errb, "0 deliveries are due again") {
		t.Errorf("alerts retry --all: %s", errb)
	}
	r.stop()
	if _, after, _ := r.hook.received(); len(after) != len(tried) {
		t.Errorf("%d attempts after unsubscribing", len(after)-len(tried))
	}
	r.checkLogs()
}

// TestAlertsRemovedDomain: once its owner removes a domain's claim, the
// domain's subscription tells nobody of the addresses at it.
func TestAlertsRemovedDomain(t *testing.T) {
	r := newAlertRig(t)
	r.owners()
	if _, _, errb := r.run("domains", "remove", "example.org"); !strings.Contains(errb, "removed the claim of example.org") {
		t.Fatalf("domains remove: %s", errb)
	}
	r.importLeak("Acme", "Acme Forum")
	r.start()
	waitFor(t, bounded, "alice's alerts", func() bool {
		return len(r.alertMails(alice, "Acme")) == 1 && len(r.hookCalls("Acme")) == 1
	})
	r.waitEmptyOutbox()
	if m := r.mail.to(boss); len(m) != 0 {
		t.Errorf("the owner of a removed claim was mailed: %s: %s", m[0].Subject, m[0].Body)
	}
	r.stop()
	r.checkLogs()
}
