package catalog

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The JSON of a Breach must match HIBP's byte for byte: field names, order
// and date formats.
func TestBreachJSON(t *testing.T) {
	b := New("Adobe", time.Date(2013, 12, 4, 0, 0, 0, 0, time.UTC))
	b.Title, b.Domain, b.BreachDate, b.PwnCount = "Adobe", "adobe.com", "2013-10-04", 152445165
	b.Description = "In October 2013, 153 million Adobe accounts were breached."
	b.LogoPath = "https://example.com/Adobe.png"
	b.DataClasses = []string{"Email addresses", "Password hints", "Passwords", "Usernames"}
	b.IsVerified = true
	got, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Name":"Adobe","Title":"Adobe","Domain":"adobe.com","BreachDate":"2013-10-04","AddedDate":"2013-12-04T00:00:00Z",` +
		`"ModifiedDate":"2013-12-04T00:00:00Z","PwnCount":152445165,"Description":"In October 2013, 153 million Adobe accounts were breached.",` +
		`"LogoPath":"https://example.com/Adobe.png","DataClasses":["Email addresses","Password hints","Passwords","Usernames"],` +
		`"IsVerified":true,"IsFabricated":false,"IsSensitive":false,"IsRetired":false,"IsSpamList":false,"IsMalware":false,` +
		`"IsSubscriptionFree":false,"IsStealerLog":false}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Breach JSON (-want +got):\n%s", diff)
	}
	var back Breach
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Breach)
		ok   bool
	}{
		{"defaults", func(*Breach) {}, true},
		{"dots and dashes", func(b *Breach) { b.Name = "Collection_1.part-2" }, true},
		{"space in name", func(b *Breach) { b.Name = "two words" }, false},
		{"slash in name", func(b *Breach) { b.Name = "a/b" }, false},
		{"empty name", func(b *Breach) { b.Name = "" }, false},
		{"upper-case domain", func(b *Breach) { b.Domain = "Adobe.com" }, false},
		{"domain", func(b *Breach) { b.Domain = "login.adobe.co.uk" }, true},
		{"bad date", func(b *Breach) { b.BreachDate = "2013-02-30" }, false},
		{"date", func(b *Breach) { b.BreachDate = "2013-02-28" }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := New("Adobe", time.Now())
			tc.edit(&b)
			err := b.Validate()
			if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
				t.Errorf("Validate() = %v, want ok=%t", err, tc.ok)
			}
		})
	}
}

func TestDataClasses(t *testing.T) {
	for in, want := range map[string]DataClass{
		"email": ClassEmail, "Email addresses": ClassEmail, " DOB ": ClassDateOfBirth,
		"ssn": ClassGovernmentID, "ignore": ClassUnknown, "Phone numbers": ClassPhone,
	} {
		if got, ok := ParseDataClass(in); !ok || got != want {
			t.Errorf("ParseDataClass(%q) = %v, %t; want %v", in, got, ok, want)
		}
	}
	if _, ok := ParseDataClass("shoe size"); ok {
		t.Error("ParseDataClass accepted an unknown class")
	}
	s := ClassSet(0).Add(ClassPhone).Add(ClassEmail).Add(ClassUnknown).Add(ClassEmail)
	if diff := cmp.Diff([]string{"Email addresses", "Phone numbers"}, s.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	if s.Len() != 3 || !s.Has(ClassPhone) || s.Has(ClassName) {
		t.Errorf("set %b", s)
	}
	if len(AllDataClasses()) != int(numClasses) {
		t.Error("AllDataClasses misses some")
	}
}
