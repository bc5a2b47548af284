package notify

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func testMail() Mail {
	return Mail{
		From:      "Leakwatch <alerts@leakwatch.example>",
		To:        "owner@example.com",
		Subject:   "Your address appeared in a new breach",
		Text:      "Hello,\n\nyour address appears in the Example breach (2024-05-01).\nSee https://leakwatch.example/a/1 for details.\n",
		MessageID: "<alert-42.1@leakwatch.example>",
		Date:      time.Date(2026, 11, 30, 23, 5, 9, 0, time.UTC),
	}
}

func TestMailBytes(t *testing.T) {
	got, err := testMail().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := "Date: Mon, 30 Nov 2026 23:05:09 +0000\r\n" +
		"From: \"Leakwatch\" <alerts@leakwatch.example>\r\n" +
		"To: <owner@example.com>\r\n" +
		"Subject: Your address appeared in a new breach\r\n" +
		"Message-ID: <alert-42.1@leakwatch.example>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n" +
		"\r\n" +
		"Hello,\r\n\r\nyour address appears in the Example breach (2024-05-01).\r\n" +
		"See https://leakwatch.example/a/1 for details.\r\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Bytes() mismatch (-want +got):\n%s", diff)
	}
}

// checkMessage parses msg as a reader would and checks it says what m says.
func checkMessage(t testing.TB, m Mail, msg []byte) {
	t.Helper()
	for i, line := range strings.SplitAfter(string(msg), "\r\n") {
		if strings.ContainsAny(strings.TrimSuffix(line, "\r\n"), "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 998+2 {
			t.Fatalf("line %d is %d bytes long", i+1, len(line))
		}
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(msg))
	if err != nil {
		t.Fatalf("reading the message back: %v", err)
	}
	var names []string
	for name := range parsed.Header {
		names = append(names, name)
	}
	if len(names) != 8 {
		t.Errorf("message has headers %q, want 8", names)
	}
	if got := parsed.Header.Get("Message-Id"); got != m.MessageID {
		t.Errorf("Message-ID = %q, want %q", got, m.MessageID)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decoding Subject: %v", err)
	}
	if subject != m.Subject {
		t.Errorf("Subject decodes to %q, want %q", subject, m.Subject)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(parsed.Body))
	if err != nil {
		t.Fatalf("decoding the body: %v", err)
	}
	wantBody := strings.ReplaceAll(m.Text, "\r\n", "\n")
	wantBody = strings.ReplaceAll(strings.ReplaceAll(wantBody, "\r", "\n"), "\n", "\r\n")
	if wantBody != "" && !strings.HasSuffix(wantBody, "\r\n") {
		wantBody += "\r\n"
	}
	if string(body) != wantBody {
		t.Errorf("body decodes to %q, want %q", body, wantBody)
	}
}

func TestMailBytesSubject(t *testing.T) {
	tests := []struct {
		name, subject string
		encoded       bool // whether the raw header is RFC 2047 encoded
	}{
		{"ascii", "New breach", false},
		{"empty", "", false},
		{"non-ascii", "Fuite de données – 3 comptes concernés", true},
		{"cjk", "あなたのアドレスが新しい漏洩に含まれています。詳細をご確認ください。漏洩", true},
		{"long ascii folds", strings.Repeat("breach notice ", 20) + "end", false},
		{"trailing space", "New breach ", true},
		{"double spaces", strings.Repeat("breach  notice ", 10) + "end", false},
		{"long word", strings.Repeat("x", 100), true},
		{"literal encoded word", "=?utf-8?b?aGk=?= is not a greeting", true},
		{"tab", "a\tb", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMail()
			m.Subject = tt.subject
			msg, err := m.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			checkMessage(t, m, msg)
			head, _, _ := strings.Cut(string(msg), "\r\n\r\n")
			for line := range strings.SplitSeq(head, "\r\n") {
				if len(line) > 78 && !strings.HasPrefix(line, "Message-ID") {
					t.Errorf("header line longer than 78: %q", line)
				}
			}
			if got := strings.Contains(head, "=?utf-8?b?"); got != tt.encoded {
				t.Errorf("Subject encoded = %v, want %v:\n%s", got, tt.encoded, head)
			}
		})
	}
}

func TestMailBytesRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Mail)
	}{
		{"CRLF in Subject", func(m *Mail) { m.Subject = "hi\r\nBcc: victim@example.net" }},
		{"LF in Subject", func(m *Mail) { m.Subject = "hi\nBcc: victim@example.net" }},
		{"CR in Subject", func(m *Mail) { m.Subject = "hi\rBcc: victim@example.net" }},
		{"NUL in Subject", func(m *Mail) { m.Subject = "hi\x00" }},
		{"C1 control in Subject", func(m *Mail) { m.Subject = "hi\u0085there" }},
		{"invalid UTF-8 in Subject", func(m *Mail) { m.Subject = "hi\xff" }},
		{"CRLF in To", func(m *Mail) { m.To = "owner@example.com\r\nBcc: victim@example.net" }},
		{"CRLF in From", func(m *Mail) { m.From = "alerts@leakwatch.example\r\nX: y" }},
		{"CRLF in Message-ID", func(m *Mail) { m.MessageID = "<a@b>\r\nBcc: victim@example.net" }},
		{"two recipients", func(m *Mail) { m.To = "owner@example.com, victim@example.net" }},
		{"no address", func(m *Mail) { m.To = "owner" }},
		{"non-ASCII address", func(m *Mail) { m.To = "pröprietär@example.com" }},
		{"Message-ID without brackets", func(m *Mail) { m.MessageID = "a@b" }},
		{"Message-ID without @", func(m *Mail) { m.MessageID = "<ab>" }},
		{"Message-ID with space", func(m *Mail) { m.MessageID = "<a b@c>" }},
		{"zero Date", func(m *Mail) { m.Date = time.Time{} }},
		{"invalid UTF-8 in Text", func(m *Mail) { m.Text = "\xff" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMail()
			tt.change(&m)
			msg, err := m.Bytes()
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("Bytes() = %q, %v; want ErrInvalidMessage", msg, err)
			}
			if !IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = false", err)
			}
			if strings.Contains(err.Error(), "example") {
				t.Errorf("error %q quotes the message", err)
			}
		})
	}
}

func FuzzMailBytes(f *testing.F) {
	m := testMail()
	f.Add(m.Subject, m.Text, m.To)
	f.Add("Fuite de données", "é\r\n.\r\n", "Ö <a@b.c>")
	f.Add("hi\r\nBcc: x@y", "", "a@b")
	f.Add(strings.Repeat("ab ", 60), strings.Repeat("x", 200), "\"q\\\"\" <a@b>")
	f.Fuzz(func(t *testing.T, subject, text, to string) {
		m := testMail()
		m.Subject, m.Text, m.To = subject, text, to
		msg, err := m.Bytes()
		if err != nil {
			if !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("error %v does not wrap ErrInvalidMessage", err)
			}
			return
		}
		checkMessage(t, m, msg)
	})
}
