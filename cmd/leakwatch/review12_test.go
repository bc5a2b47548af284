package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// review12: a leak with an email and a username column spools only the
// record's primary login (the email). The username is in the leak (check
// email and /breachedaccount find it), but check login --private with the
// username and the exact password answers "not found: neither this login
// nor this password is in the leaks" -- a false all-clear for every site
// whose users sign in with a username.
func TestReview12PrivateCheckUsernameColumn(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	runLeakwatch(t, "--data", data, "init")
	runLeakwatch(t, "--data", data, "private", "enable", "--bucket-bits", "2")
	leak := filepath.Join(dir, "users.csv")
	if err := os.WriteFile(leak, []byte("email,username,password\nzed@example.com,ZedUser,csvpass1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	runLeakwatch(t, "--data", data, "import", "--quiet", "--breach", "Csv", leak)
	if out := runLeakwatch(t, "--data", data, "check", "email", "ZedUser"); !strings.Contains(out, "Csv") {
		t.Fatalf("check email ZedUser: %s", out)
	}
	var key struct{ Secret string }
	if err := json.Unmarshal([]byte(runLeakwatch(t, "--data", data, "keys", "create", "k", "--json")), &key); err != nil {
		t.Fatal(err)
	}
	_, url := startPublicServer(t, data)
	if code, got := checkLoginPrivate(t, url, key.Secret, "zed@example.com", "csvpass1"); code != 0 || got != "leaked" {
		t.Errorf("check login by email: %d %q", code, got)
	}
	if code, got := checkLoginPrivate(t, url, key.Secret, "ZedUser", "csvpass1"); code != 0 || got != "leaked" {
		t.Errorf("check login by the leak's username: %d %q, want 0 \"leaked\"", code, got)
	}
}
