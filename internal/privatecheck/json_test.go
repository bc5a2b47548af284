package privatecheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	ix := index(t)
	c := testClient(t, ix.key)
	req, st, err := c.Request("dave", "p@ssw0rd")
	if err != nil {
		t.Fatal(err)
	}
	jreq, err := RequestToJSON(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(jreq) > 2048 {
		t.Errorf("JSON request of %d bytes, above the 2 KiB limit", len(jreq))
	}
	var fields map[string]any
	if err := json.Unmarshal(jreq, &fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"v", "epoch", "bits", "bucket", "elements"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("JSON request without %q: %s", f, jreq)
		}
	}
	back, err := RequestFromJSON(jreq)
	if err != nil || !bytes.Equal(back, req) {
		t.Fatalf("request JSON round trip: %v, %x != %x", err, back, req)
	}

	resp, err := ix.Answer(back)
	if err != nil {
		t.Fatal(err)
	}
	jresp, err := ResponseToJSON(resp)
	if err != nil {
		t.Fatal(err)
	}
	fields = nil
	if err := json.Unmarshal(jresp, &fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"v", "epoch", "bits", "bucket", "tag_bits", "evaluated", "proof", "pairs", "usernames"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("JSON response without %q: %s", f, jresp)
		}
	}
	rback, err := ResponseFromJSON(jresp)
	if err != nil || !bytes.Equal(rback, resp) {
		t.Fatalf("response JSON round trip: %v", err)
	}
	if got, err := st.Answer(rback); err != nil || got != Similar {
		t.Fatalf("answer through JSON: %v, %v; want similar", got, err)
	}

	s := string(jreq)
	for _, bad := range []string{
		"", "{}", "null", s + "{}", s + "x",
		strings.Replace(s, `"v":1`, `"v":2`, 1),
		strings.Replace(s, `"v":1`, `"v":1,"x":0`, 1),
		strings.Replace(s, `"epoch":3`, `"epoch":-3`, 1),
		strings.Replace(s, `"epoch":3`, `"epoch":4294967296`, 1),
		strings.Replace(s, `"elements":["`, `"elements":["AAAA","`, 1),
		strings.Replace(s, `"elements":["`, `"elements":["=`, 1),
	} {
		if _, err := RequestFromJSON([]byte(bad)); !errors.Is(err, ErrBadRequest) {
			t.Errorf("RequestFromJSON(%.60q...) = %v, want ErrBadRequest", bad, err)
		}
	}
	for _, bad := range []string{"", "{}", string(jresp) + "{}", strings.Replace(string(jresp), `"proof":"`, `"proof":"AA`, 1)} {
		if _, err := ResponseFromJSON([]byte(bad)); !errors.Is(err, ErrBadResponse) {
			t.Errorf("ResponseFromJSON(%.60q...) = %v, want ErrBadResponse", bad, err)
		}
	}
}

// FuzzRequestFromJSON checks that the JSON request parser never panics and
// gives ErrBadRequest or a request of RequestLen bytes.
func FuzzRequestFromJSON(f *testing.F) {
	jreq, err := RequestToJSON(validRequest(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(jreq)
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := RequestFromJSON(data)
		if err == nil && len(req) != RequestLen {
			t.Fatalf("request of %d bytes", len(req))
		}
		if err != nil && err != ErrBadRequest {
			t.Fatalf("unexpected error %v", err)
		}
	})
}
