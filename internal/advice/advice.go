// Package advice says what to do now about an exposure: short, plain-text
// steps for each data class a breach exposed, most urgent first, as
// Mozilla Monitor and Google's dark-web report give them. The steps are
// written once here and served by the web UI and the API alike.
package advice

import (
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// StealerLogs is the pseudo data class under which ForBreaches lists the
// advice for a breach that is a stealer log (catalog.Breach.IsStealerLog).
const StealerLogs = "Stealer logs"

// Step is one thing to do. Title and Detail are plain text, never HTML:
// callers escape them as they escape any text.
type Step struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// Advice is the steps for one data class. DataClass is the HIBP name of
// the class ("Passwords"), StealerLogs, or a name catalog does not know
// as a breach spelled it.
type Advice struct {
	DataClass string `json:"dataClass"`
	Steps     []Step `json:"steps"`
}

// ForClass returns the steps for c, most important first. Every class has
// at least one step; a class catalog does not know (and ClassUnknown) gets
// a generic step. Some classes share steps. The caller owns the slice.
func ForClass(c catalog.DataClass) []Step {
	s, ok := byClass[c]
	if !ok {
		s = generic
	}
	return slices.Clone(s)
}

// ForStealerLog returns the steps for an exposure in a stealer log: clean
// the infected device before anything else. The caller owns the slice.
func ForStealerLog() []Step { return slices.Clone(stealer) }

// ForBreaches returns the advice for the union of the data classes the
// breaches exposed, one entry per class, most urgent first:
//
//   - StealerLogs, when any breach is a stealer log: the device itself is
//     infected, and a stealer on it captures new passwords too;
//   - passwords and password hashes;
//   - authentication data: auth tokens, browser cookies, security questions;
//   - financial data: credit cards, bank accounts;
//   - government ids, dates of birth;
//   - phone numbers;
//   - the rest, with "Other data" last but one;
//   - names catalog.ParseDataClass does not know, in byte order, each
//     with the generic step under its own (trimmed) name.
//
// Names are parsed with catalog.ParseDataClass, so "Passwords" and
// "password" are one class, listed under its HIBP name. The order is the
// same whatever the order of bs. Classes that share steps each have their
// own entry. The result is never nil.
func ForBreaches(bs []catalog.Breach) []Advice {
	var set catalog.ClassSet
	stealerLog := false
	var unknown []string
	for _, b := range bs {
		stealerLog = stealerLog || b.IsStealerLog
		for _, n := range b.DataClasses {
			if c, ok := catalog.ParseDataClass(n); ok {
				set = set.Add(c)
				continue
			}
			if n = strings.TrimSpace(n); n != "" {
				unknown = append(unknown, n)
			}
		}
	}
	return build(stealerLog, set, unknown)
}

// All returns the advice for every data class catalog knows, and for
// stealer logs, in the order ForBreaches uses.
func All() []Advice {
	var set catalog.ClassSet
	for _, c := range catalog.AllDataClasses() {
		set = set.Add(c)
	}
	return build(true, set, nil)
}

func build(stealerLog bool, set catalog.ClassSet, unknown []string) []Advice {
	out := []Advice{}
	if stealerLog {
		out = append(out, Advice{DataClass: StealerLogs, Steps: ForStealerLog()})
	}
	for _, c := range urgency {
		if set.Has(c) {
			out = append(out, Advice{DataClass: c.String(), Steps: ForClass(c)})
		}
	}
	slices.Sort(unknown)
	for _, n := range slices.Compact(unknown) {
		out = append(out, Advice{DataClass: n, Steps: ForClass(catalog.ClassUnknown)})
	}
	return out
}

// urgency is every known class, most urgent first. A test checks that it
// lists each class of catalog.AllDataClasses exactly once.
var urgency = []catalog.DataClass{
	catalog.ClassPassword,
	catalog.ClassPasswordHash,
	catalog.ClassAuthToken,
	catalog.ClassCookie,
	catalog.ClassSecurityQuestion,
	catalog.ClassCreditCard,
	catalog.ClassBankAccount,
	catalog.ClassGovernmentID,
	catalog.ClassDateOfBirth,
	catalog.ClassPhone,
	catalog.ClassEmail,
	catalog.ClassUsername,
	catalog.ClassAddress,
	catalog.ClassName,
	catalog.ClassEmployer,
	catalog.ClassJobTitle,
	catalog.ClassWebsite,
	catalog.ClassGeolocation,
	catalog.ClassIP,
	catalog.ClassDeviceID,
	catalog.ClassBrowserUserAgent,
	catalog.ClassAppSoftware,
	catalog.ClassGender,
	catalog.ClassUnknown,
}
