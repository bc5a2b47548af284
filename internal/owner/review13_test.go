package owner_test

import (
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/owner"
)

// The web UI's POST /alerts/confirm calls ConfirmAddress (daemon
// uiBackend.ConfirmAlerts) and subscribes the address when it returns nil.
// Posted straight, without the POST /alerts that mails a code, it must not
// succeed for an address someone else verified earlier (e.g. a domain
// owner's, via `leakwatch addresses verify/confirm`).
func TestReview13ConfirmWithoutPendingCode(t *testing.T) {
	_, st, kr := open(t)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	m := &mail{}
	o := owner.New(st, kr, owner.Config{Mail: m.send, Now: func() time.Time { return now }})
	o.StartAddress(ctx, "alice@example.org")
	if _, err := o.ConfirmAddress(ctx, "alice@example.org", m.code()); err != nil {
		t.Fatal(err)
	}
	// An attacker, who never saw a code:
	if _, err := o.ConfirmAddress(ctx, "alice@example.org", "1"); err == nil {
		t.Errorf("a wrong code, with no code pending, confirms a verified address: POST /alerts/confirm subscribes it")
	}
}
