package api

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPI checks that the served OpenAPI document and the route table
// agree: every route is described and every described path is routed.
func TestOpenAPI(t *testing.T) {
	f := newFixture(t)
	resp := f.do("GET", "/openapi.json")
	body := readBody(t, resp)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ctypeJSON {
		t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	param := regexp.MustCompile(`\{[a-z]+\}`)
	routed := map[routeID]bool{}
	for path, ops := range doc.Paths {
		id, _ := match(param.ReplaceAllString(path, "5BAA6"))
		if id == routeNotFound {
			t.Errorf("described path %s is not routed", path)
		}
		routed[id] = true
		if _, ok := ops["get"]; !ok {
			t.Errorf("path %s has no GET", path)
		}
		if id != routeUnsupported && path != routes[id].pattern {
			t.Errorf("path %s is routed as %s", path, routes[id].pattern)
		}
	}
	for id := range numRoutes {
		if id != routeNotFound && !routed[id] {
			t.Errorf("route %s is not described", routes[id].pattern)
		}
	}
	for _, u := range unsupported {
		if !slices.ContainsFunc(sortedKeys(doc.Paths), func(p string) bool { return strings.HasPrefix(p, "/api/v3/"+u) }) {
			t.Errorf("unsupported service %s not described", u)
		}
	}
}

// TestOpenAPILint runs Redocly CLI's linter over the document with the
// configuration in test/openapi (npm run lint). It needs node and the
// package; without them it fails under CI and is skipped elsewhere.
func TestOpenAPILint(t *testing.T) {
	const dir = "../../test/openapi"
	needNode(t, dir, "@redocly/cli", "the OpenAPI lint")
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipOrFail(t, fmt.Sprintf("the OpenAPI lint needs npm: %v", err))
	}
	cmd := exec.Command(npm, "run", "--silent", "lint")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("redocly lint: %v\n%s", err, out)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
