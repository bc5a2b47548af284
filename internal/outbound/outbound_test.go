package outbound

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/notify"
)

func TestPrivateWebhooks(t *testing.T) {
	var got int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got++ }))
	defer srv.Close()
	secret, err := notify.NewSecret(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	post := func(c Config, url string) error {
		out, err := c.Outbound()
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return out.Alert.Post(ctx, url, secret, "msg_1", time.Now(), []byte(`{}`))
	}
	// By default a loopback receiver is refused; with PrivateWebhooks it
	// is reached, but a link-local address (a metadata service) never.
	if err := post(Config{}, srv.URL); err == nil || got != 0 {
		t.Errorf("default config reached a loopback receiver: %v", err)
	}
	if err := post(Config{PrivateWebhooks: true}, srv.URL); err != nil || got != 1 {
		t.Errorf("PrivateWebhooks: %v, %d requests", err, got)
	}
	err = post(Config{PrivateWebhooks: true}, "https://169.254.169.254/latest")
	if err == nil || !strings.Contains(err.Error(), "link-local") && !strings.Contains(err.Error(), "webhook") {
		t.Errorf("a link-local receiver: %v", err)
	}
	if err := notify.CheckWebhookURL("https://user:pw@hooks.example/x"); err == nil {
		t.Error("a webhook URL with credentials was accepted")
	}
}
