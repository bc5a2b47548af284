package privatecheck

import (
	"strconv"
	"strings"
	"unicode"
)

// SimilarPasswords returns the similar-password variants a client checks
// besides the password itself, at most Variants of them, by the fixed
// rules of docs/private-check.md section 6, in this order:
//
//  1. the case of the first letter (the first rune that is a letter) toggled;
//  2. all lower case;
//  3. the case of every letter inverted (caps lock);
//  4. trailing digits (ASCII 0-9) removed;
//  5. trailing symbols removed (a symbol: a rune that is not a letter,
//     digit or space);
//  6. "1" appended;
//  7. "!" appended;
//  8. the trailing number plus 1, keeping its width ("pw09" -> "pw10");
//  9. the trailing number minus 1, keeping its width ("pw10" -> "pw09");
//  10. de-leeted: '@' and '4' -> 'a', '3' -> 'e', '1' -> 'i', '0' -> 'o',
//     '$' and '5' -> 's', '7' -> 't', everywhere in the password.
//
// A rule that does not apply, yields an empty string, the password itself
// or a variant already listed, is skipped; the result is deterministic.
// Request pads the list with random dummies to exactly Variants.
func SimilarPasswords(password string) []string {
	out := make([]string, 0, Variants)
	add := func(v string) {
		if v == "" || v == password {
			return
		}
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	add(toggleFirstLetter(password))
	add(strings.ToLower(password))
	add(strings.Map(invertCase, password))
	digits := strings.TrimRightFunc(password, isDigit)
	add(digits)
	add(strings.TrimRightFunc(password, isSymbol))
	add(password + "1")
	add(password + "!")
	if n := len(password) - len(digits); n > 0 && n <= 18 {
		v, _ := strconv.ParseUint(password[len(digits):], 10, 64)
		add(digits + pad(v+1, n))
		if v > 0 {
			add(digits + pad(v-1, n))
		}
	}
	add(deleet.Replace(password))
	return out
}

func toggleFirstLetter(s string) string {
	for i, r := range s {
		if unicode.IsLetter(r) {
			return s[:i] + string(invertCase(r)) + s[i+len(string(r)):]
		}
	}
	return ""
}

func invertCase(r rune) rune {
	switch {
	case unicode.IsUpper(r):
		return unicode.ToLower(r)
	case unicode.IsLower(r):
		return unicode.ToUpper(r)
	}
	return r
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isSymbol(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsSpace(r)
}

// pad formats v in decimal with at least width digits.
func pad(v uint64, width int) string {
	s := strconv.FormatUint(v, 10)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

var deleet = strings.NewReplacer("@", "a", "4", "a", "3", "e", "1", "i", "0", "o", "$", "s", "5", "s", "7", "t")
