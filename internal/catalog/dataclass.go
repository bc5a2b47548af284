package catalog

import (
	"math/bits"
	"slices"
	"strings"
)

// DataClass is one kind of personal data a breach exposed, such as email
// addresses or dates of birth. leakwatch records which classes a breach
// exposed, never their values.
type DataClass uint8

// The data classes leakwatch recognises. The zero value is ClassUnknown.
const (
	ClassUnknown DataClass = iota
	ClassEmail
	ClassUsername
	ClassPassword
	ClassPasswordHash
	ClassName
	ClassDateOfBirth
	ClassPhone
	ClassAddress
	ClassIP
	ClassGovernmentID
	ClassDeviceID
	ClassWebsite
	ClassGender
	ClassCookie
	ClassBrowserUserAgent
	ClassCreditCard
	ClassBankAccount
	ClassGeolocation
	ClassEmployer
	ClassJobTitle
	ClassSecurityQuestion
	ClassAuthToken
	ClassAppSoftware
	numClasses
)

// names are the HIBP spellings, so they can appear in Breach.DataClasses as
// they do on the public service.
var names = [numClasses]string{
	ClassUnknown:          "Other data",
	ClassEmail:            "Email addresses",
	ClassUsername:         "Usernames",
	ClassPassword:         "Passwords",
	ClassPasswordHash:     "Password hashes",
	ClassName:             "Names",
	ClassDateOfBirth:      "Dates of birth",
	ClassPhone:            "Phone numbers",
	ClassAddress:          "Physical addresses",
	ClassIP:               "IP addresses",
	ClassGovernmentID:     "Government issued IDs",
	ClassDeviceID:         "Device information",
	ClassWebsite:          "Website activity",
	ClassGender:           "Genders",
	ClassCookie:           "Browser cookies",
	ClassBrowserUserAgent: "Browser user agent details",
	ClassCreditCard:       "Credit cards",
	ClassBankAccount:      "Bank account numbers",
	ClassGeolocation:      "Geographic locations",
	ClassEmployer:         "Employers",
	ClassJobTitle:         "Job titles",
	ClassSecurityQuestion: "Security questions and answers",
	ClassAuthToken:        "Auth tokens",
	ClassAppSoftware:      "Software installed",
}

// String returns the HIBP name of the class, e.g. "Email addresses".
func (c DataClass) String() string {
	if c >= numClasses {
		return names[ClassUnknown]
	}
	return names[c]
}

// AllDataClasses returns every class in declaration order.
func AllDataClasses() []DataClass {
	out := make([]DataClass, 0, numClasses)
	for c := DataClass(0); c < numClasses; c++ {
		out = append(out, c)
	}
	return out
}

// ParseDataClass accepts a HIBP class name ("Email addresses") or a short
// token ("email", "dob", "phone"), case-insensitively.
func ParseDataClass(s string) (DataClass, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	for c, n := range names {
		if strings.ToLower(n) == t {
			return DataClass(c), true
		}
	}
	c, ok := shortNames[t]
	return c, ok
}

var shortNames = map[string]DataClass{
	"other": ClassUnknown, "ignore": ClassUnknown,
	"email": ClassEmail, "username": ClassUsername, "user": ClassUsername, "login": ClassUsername,
	"password": ClassPassword, "hash": ClassPasswordHash, "passwordhash": ClassPasswordHash,
	"name": ClassName, "dob": ClassDateOfBirth, "birthdate": ClassDateOfBirth,
	"phone": ClassPhone, "address": ClassAddress, "ip": ClassIP,
	"govid": ClassGovernmentID, "ssn": ClassGovernmentID, "taxid": ClassGovernmentID,
	"device": ClassDeviceID, "deviceid": ClassDeviceID, "website": ClassWebsite, "url": ClassWebsite,
	"gender": ClassGender, "cookie": ClassCookie, "useragent": ClassBrowserUserAgent,
	"creditcard": ClassCreditCard, "iban": ClassBankAccount, "bankaccount": ClassBankAccount,
	"geo": ClassGeolocation, "employer": ClassEmployer, "jobtitle": ClassJobTitle,
	"securityquestion": ClassSecurityQuestion, "token": ClassAuthToken, "software": ClassAppSoftware,
}

// ClassSet is a set of data classes, as a bit set.
type ClassSet uint64

// Add returns s with c added.
func (s ClassSet) Add(c DataClass) ClassSet { return s | 1<<c }

// Has reports whether c is in s.
func (s ClassSet) Has(c DataClass) bool { return s&(1<<c) != 0 }

// Len returns the number of classes in s.
func (s ClassSet) Len() int { return bits.OnesCount64(uint64(s)) }

// Names returns the HIBP names of the classes in s, sorted alphabetically
// as the public service lists them. ClassUnknown is never listed.
func (s ClassSet) Names() []string {
	out := []string{}
	for c := ClassUnknown + 1; c < numClasses; c++ {
		if s.Has(c) {
			out = append(out, c.String())
		}
	}
	slices.Sort(out)
	return out
}
