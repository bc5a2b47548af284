package advice

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

func TestEveryClassHasSteps(t *testing.T) {
	for _, c := range catalog.AllDataClasses() {
		t.Run(c.String(), func(t *testing.T) {
			if _, ok := byClass[c]; !ok {
				t.Errorf("no steps written for %v", c)
			}
			checkSteps(t, ForClass(c))
		})
	}
	t.Run("stealer log", func(t *testing.T) { checkSteps(t, ForStealerLog()) })
	t.Run("out of range", func(t *testing.T) {
		if diff := cmp.Diff(generic, ForClass(catalog.DataClass(200))); diff != "" {
			t.Errorf("ForClass(200) is not the generic advice (-want +got):\n%s", diff)
		}
	})
}

func checkSteps(t *testing.T, steps []Step) {
	t.Helper()
	if len(steps) == 0 {
		t.Fatal("no steps")
	}
	for _, s := range steps {
		if s.Title == "" || s.Detail == "" {
			t.Errorf("empty title or detail: %+v", s)
		}
		if strings.ContainsAny(s.Title+s.Detail, "<>&") {
			t.Errorf("step is not plain text: %+v", s)
		}
		if strings.HasSuffix(s.Title, ".") || !strings.HasSuffix(s.Detail, ".") {
			t.Errorf("want a title without and a detail with a final period: %+v", s)
		}
	}
}

func TestUrgencyListsEveryClassOnce(t *testing.T) {
	got := slices.Clone(urgency)
	slices.Sort(got)
	if diff := cmp.Diff(catalog.AllDataClasses(), got); diff != "" {
		t.Errorf("urgency does not list every class once (-want +got):\n%s", diff)
	}
}

func TestForClassReturnsCopy(t *testing.T) {
	s := ForClass(catalog.ClassPassword)
	s[0].Title = "changed"
	if ForClass(catalog.ClassPassword)[0].Title == "changed" {
		t.Error("ForClass shares its slice with the caller")
	}
}

func classes(as []Advice) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.DataClass)
	}
	return out
}

func TestForBreaches(t *testing.T) {
	tests := []struct {
		name string
		bs   []catalog.Breach
		want []string
	}{
		{"none", nil, []string{}},
		{"no classes", []catalog.Breach{{Name: "A"}}, []string{}},
		{
			"stealer log first",
			[]catalog.Breach{
				{Name: "A", DataClasses: []string{"Names", "Email addresses", "Passwords"}},
				{Name: "B", DataClasses: []string{"Email addresses"}, IsStealerLog: true},
			},
			[]string{"Stealer logs", "Passwords", "Email addresses", "Names"},
		},
		{
			"urgency order",
			[]catalog.Breach{{Name: "A", DataClasses: []string{
				"Names", "Phone numbers", "Dates of birth", "Credit cards", "Auth tokens", "Password hashes", "Passwords",
			}}},
			[]string{"Passwords", "Password hashes", "Auth tokens", "Credit cards", "Dates of birth", "Phone numbers", "Names"},
		},
		{
			"dedupe across breaches and spellings",
			[]catalog.Breach{
				{Name: "A", DataClasses: []string{"Passwords", "Email addresses"}},
				{Name: "B", DataClasses: []string{"password", " PASSWORDS ", "email"}, IsStealerLog: true},
				{Name: "C", IsStealerLog: true},
			},
			[]string{"Stealer logs", "Passwords", "Email addresses"},
		},
		{
			"unknown names last, sorted, deduplicated, under their own name",
			[]catalog.Breach{
				{Name: "A", DataClasses: []string{"Shoe sizes", "Names", "Other data", " ", "Astrological signs"}},
				{Name: "B", DataClasses: []string{"Shoe sizes "}},
			},
			[]string{"Names", "Other data", "Astrological signs", "Shoe sizes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ForBreaches(tt.bs)
			if diff := cmp.Diff(tt.want, classes(got)); diff != "" {
				t.Errorf("classes (-want +got):\n%s", diff)
			}
			rev := slices.Clone(tt.bs)
			slices.Reverse(rev)
			if diff := cmp.Diff(got, ForBreaches(rev)); diff != "" {
				t.Errorf("order depends on the order of the breaches (-forward +reversed):\n%s", diff)
			}
			for _, a := range got {
				if len(a.Steps) == 0 {
					t.Errorf("%s: no steps", a.DataClass)
				}
			}
		})
	}
	got := ForBreaches([]catalog.Breach{{DataClasses: []string{"Shoe sizes"}}})
	if diff := cmp.Diff(generic, got[0].Steps); diff != "" {
		t.Errorf("unknown class: not the generic advice (-want +got):\n%s", diff)
	}
	got = ForBreaches([]catalog.Breach{{IsStealerLog: true}})
	if !strings.Contains(got[0].Steps[0].Title, "Clean") {
		t.Errorf("stealer log advice does not start with cleaning the device: %+v", got[0].Steps[0])
	}
}

func TestAll(t *testing.T) {
	all := All()
	if len(all) != len(catalog.AllDataClasses())+1 || all[0].DataClass != StealerLogs {
		t.Errorf("All = %v, want stealer logs then every class", classes(all))
	}
}

func TestHandler(t *testing.T) {
	tests := []struct {
		name, method, query string
		status              int
		want                []string // classes, for 200
		wantErr             string   // substring of the error, otherwise
	}{
		{"all", "GET", "", 200, classes(All()), ""},
		{"classes", "GET", "?dataClass=Names&dataClass=passwords&dataClass=Names", 200, []string{"Passwords", "Names"}, ""},
		{"stealer only", "GET", "?stealerLog=true", 200, []string{"Stealer logs"}, ""},
		{"stealer false", "GET", "?stealerLog=false&dataClass=dob", 200, []string{"Dates of birth"}, ""},
		{"stealer and class", "GET", "?dataClass=Email+addresses&stealerLog=1", 200, []string{"Stealer logs", "Email addresses"}, ""},
		{"head", "HEAD", "?dataClass=phone", 200, nil, ""},
		{"unknown class", "GET", "?dataClass=Names&dataClass=%3Cscript%3E", 400, nil, "dataClass parameter 2"},
		{"empty class", "GET", "?dataClass=", 400, nil, "unknown data class"},
		{"bad stealerLog", "GET", "?stealerLog=maybe", 400, nil, "stealerLog"},
		{"too many", "GET", "?" + strings.Repeat("dataClass=Names&", 65), 400, nil, "too many"},
		{"post", "POST", "", 405, nil, "method"},
	}
	h := Handler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, "/api/advice"+tt.query, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.method == "HEAD" {
				if rec.Body.Len() != 0 {
					t.Errorf("HEAD has a body")
				}
				return
			}
			if tt.status != 200 {
				var e struct{ Error string }
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
					t.Fatalf("error body %s: %v", rec.Body, err)
				}
				if !strings.Contains(e.Error, tt.wantErr) || strings.Contains(e.Error, "script") {
					t.Errorf("error %q, want it to contain %q and not echo the value", e.Error, tt.wantErr)
				}
				return
			}
			var got []Advice
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body: %v", err)
			}
			if diff := cmp.Diff(tt.want, classes(got)); diff != "" {
				t.Errorf("classes (-want +got):\n%s", diff)
			}
			if !strings.Contains(rec.Body.String(), `"dataClass":`) || !strings.Contains(rec.Body.String(), `"title":`) {
				t.Errorf("body does not use the documented JSON names: %.200s", rec.Body)
			}
		})
	}
}

func ExampleForBreaches() {
	bs := []catalog.Breach{
		{Name: "Forum", DataClasses: []string{"Email addresses", "Passwords", "Usernames"}},
		{Name: "Logs", DataClasses: []string{"Email addresses"}, IsStealerLog: true},
	}
	for _, a := range ForBreaches(bs) {
		fmt.Printf("%s: %s\n", a.DataClass, a.Steps[0].Title)
	}
	// Output:
	// Stealer logs: Clean the infected device first
	// Passwords: Change this password
	// Email addresses: Expect targeted phishing
	// Usernames: Expect sign-in attempts
}
