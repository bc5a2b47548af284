// Package libphonenumber checks leakwatch's decision of which logins are
// phone numbers (internal/account) against libphonenumber, the numbering
// plan data Android and most phone software use, through its Go port
// github.com/nyaruka/phonenumbers. It is a module of its own so that the
// leakwatch module does not depend on it: run it with
//
//	cd test/libphonenumber && go test ./...
//
// (.ci/run does). gen/ writes internal/account/e164plans.go from the same
// metadata.
package libphonenumber

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/nyaruka/phonenumbers"
)

// mobile reports whether libphonenumber takes the E.164 digits d (without
// '+') for a valid mobile number.
func mobile(t *testing.T, d string) bool {
	num, err := phonenumbers.Parse("+"+d, "")
	if err != nil {
		return false
	}
	if !phonenumbers.IsValidNumber(num) {
		return false
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return true
	}
	return false
}

// eligible reports whether account's rule for logins without '+' covers
// numbers like d at all: 11 to 15 digits, not starting with 0 or 1.
func eligible(d string) bool {
	return len(d) >= 11 && len(d) <= 15 && d[0] >= '2' && d[0] <= '9'
}

// TestDigitLoginsAreMobileNumbers: every digit string account takes for a
// phone number is a valid mobile number by libphonenumber (no false
// positives), and most of libphonenumber's mobile numbers of the eligible
// lengths are taken (the table errs towards too few). The numbers tried
// are every region's example mobile number and variations of its digits,
// which fall in and out of mobile ranges.
func TestDigitLoginsAreMobileNumbers(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tried, taken, mobiles, covered := 0, 0, 0, 0
	for region := range phonenumbers.GetSupportedRegions() {
		ex := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
		if ex == nil {
			continue
		}
		cc := strconv.Itoa(int(ex.GetCountryCode()))
		nsn := phonenumbers.GetNationalSignificantNumber(ex)
		base := cc + nsn
		if eligible(base) && !account.IsPhone([]byte(base)) {
			t.Errorf("%s: example mobile number %s is not a phone", region, base)
		}
		for range 2000 {
			d := []byte(base)
			// Keep the country code and a random number of leading
			// digits; vary the rest, and sometimes the length.
			keep := len(cc) + r.IntN(len(nsn)+1)
			for i := keep; i < len(d); i++ {
				d[i] = byte('0' + r.IntN(10))
			}
			switch r.IntN(8) {
			case 0:
				d = append(d, byte('0'+r.IntN(10)))
			case 1:
				if len(d) > keep {
					d = d[:len(d)-1]
				}
			}
			s := string(d)
			if !eligible(s) {
				continue
			}
			tried++
			isMobile := mobile(t, s)
			isPhone := account.IsPhone(d)
			if isPhone {
				taken++
				if !isMobile {
					t.Errorf("%s: %s is taken for a phone number; libphonenumber says it is no valid mobile number", region, s)
				}
			}
			if isMobile {
				mobiles++
				if isPhone {
					covered++
				}
			}
		}
	}
	t.Logf("%d eligible numbers tried: %d mobile by libphonenumber, %d taken for phones (%.2f%% of the mobile ones)",
		tried, mobiles, taken, 100*float64(covered)/float64(max(mobiles, 1)))
	if tried < 100000 || covered*1000 < mobiles*995 {
		t.Errorf("coverage: %d of %d mobile numbers taken, of %d tried; want 99.5%%", covered, mobiles, tried)
	}
}

// TestRegionLogins: with any region account knows, that region's example
// mobile number in libphonenumber's national format (trunk prefix and
// punctuation) and in its digits is a phone, of libphonenumber's E.164
// form.
func TestRegionLogins(t *testing.T) {
	for _, region := range account.PhoneRegions() {
		if region == "AR" {
			// Argentina's national mobile format adds a "15" that the
			// international form drops, and the international form adds
			// a "9": account reads its landlines only (a known gap).
			continue
		}
		ex := phonenumbers.GetExampleNumberForType(region, phonenumbers.MOBILE)
		national := phonenumbers.Format(ex, phonenumbers.NATIONAL)
		want := phonenumbers.Format(ex, phonenumbers.E164)
		kind, norm, ok := account.AppendLoginIn(nil, []byte(national), region)
		if !ok || kind != account.KindPhone || string(norm) != want {
			t.Errorf("%s: AppendLoginIn(%q) = %v %q; want phone %s", region, national, kind, norm, want)
		}
		digits := phonenumbers.NormalizeDigitsOnly(national)
		kind, norm, ok = account.AppendLoginIn(nil, []byte(digits), region)
		if !ok || kind != account.KindPhone || string(norm) != want {
			t.Errorf("%s: AppendLoginIn(%q) = %v %q; want phone %s", region, digits, kind, norm, want)
		}
	}
}
