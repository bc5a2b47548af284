// Package catalog describes breaches: the HIBP Breach model, the data classes
// a breach exposed, and the rules a breach's metadata must follow.
package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Breach is one breach as the HIBP API v3 describes it. The JSON encoding
// matches the public service field for field and in the same order.
//
// PwnCount and DataClasses are computed from imported data; PutBreach-style
// callers never set them.
type Breach struct {
	Name               string    `json:"Name"`
	Title              string    `json:"Title"`
	Domain             string    `json:"Domain"`
	BreachDate         string    `json:"BreachDate"` // YYYY-MM-DD
	AddedDate          Timestamp `json:"AddedDate"`
	ModifiedDate       Timestamp `json:"ModifiedDate"`
	PwnCount           int64     `json:"PwnCount"`
	Description        string    `json:"Description"` // HTML
	LogoPath           string    `json:"LogoPath"`
	DataClasses        []string  `json:"DataClasses"`
	IsVerified         bool      `json:"IsVerified"`
	IsFabricated       bool      `json:"IsFabricated"`
	IsSensitive        bool      `json:"IsSensitive"`
	IsRetired          bool      `json:"IsRetired"`
	IsSpamList         bool      `json:"IsSpamList"`
	IsMalware          bool      `json:"IsMalware"`
	IsSubscriptionFree bool      `json:"IsSubscriptionFree"`
	IsStealerLog       bool      `json:"IsStealerLog"`
	Attribution        string    `json:"Attribution,omitempty"`
	DisclosureURL      string    `json:"DisclosureUrl,omitempty"`
}

// Timestamp is a UTC time that encodes as HIBP writes dates with a time:
// "2013-12-04T00:00:00Z".
type Timestamp struct{ time.Time }

const timestampLayout = "2006-01-02T15:04:05Z"

// MarshalJSON implements json.Marshaler.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(timestampLayout) + `"`), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := time.Parse(timestampLayout, s)
	if err != nil {
		return fmt.Errorf("bad timestamp %q: %w", s, err)
	}
	t.Time = v
	return nil
}

// ErrInvalid is wrapped by every validation error of a breach's metadata.
var ErrInvalid = errors.New("invalid breach")

var (
	nameRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
	domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// ValidName reports whether s can name a breach: 1 to 64 letters, digits,
// '.', '_' or '-', starting with a letter or digit (it appears in URLs).
func ValidName(s string) bool { return nameRE.MatchString(s) }

// Validate checks the user-editable metadata of b.
func (b *Breach) Validate() error {
	if !ValidName(b.Name) {
		return fmt.Errorf("%w: name %q must be 1-64 letters, digits, '.', '_' or '-'", ErrInvalid, b.Name)
	}
	if b.Domain != "" && !domainRE.MatchString(b.Domain) {
		return fmt.Errorf("%w: domain %q is not a lower-case host name", ErrInvalid, b.Domain)
	}
	if b.BreachDate != "" {
		if _, err := time.Parse(time.DateOnly, b.BreachDate); err != nil {
			return fmt.Errorf("%w: date %q is not YYYY-MM-DD", ErrInvalid, b.BreachDate)
		}
	}
	if len(b.Title) > 256 || len(b.Description) > 64<<10 {
		return fmt.Errorf("%w: title or description too long", ErrInvalid)
	}
	return nil
}

// New returns a breach named name with the defaults leakwatch uses for a
// breach first seen at an import: the title is the name, it is unverified,
// and it was added and modified at now.
func New(name string, now time.Time) Breach {
	ts := Timestamp{now.UTC().Truncate(time.Second)}
	return Breach{Name: name, Title: name, AddedDate: ts, ModifiedDate: ts, DataClasses: []string{}}
}
