package account_test

import (
	"fmt"

	"github.com/leakwatch/leakwatch/internal/account"
)

func ExampleEmail() {
	norm, ok := account.Email([]byte("  Alice.Smith@Example.COM "))
	fmt.Println(string(norm), ok)
	fmt.Println(string(account.Domain(norm)))
	_, ok = account.Email([]byte("alice@"))
	fmt.Println(ok)
	// Output:
	// alice.smith@example.com true
	// example.com
	// false
}

func ExampleLogin() {
	for _, in := range []string{"Walter@LocalHost", "+44 7946 000111", "@jdoe", "walter@"} {
		kind, norm, ok := account.Login([]byte(in))
		fmt.Println(kind, string(norm), ok)
	}
	// Output:
	// email walter@localhost true
	// phone +447946000111 true
	// username @jdoe true
	// username walter@ true
}

func ExamplePhone() {
	for _, in := range []struct{ number, country string }{
		{"(555) 010-0199", "US"},
		{"0044 20 7946 0958", "US"},
		{"+49 (0)30 901820", ""},
		{"030 901820", "DE"},
	} {
		fmt.Println(account.Phone([]byte(in.number), in.country))
	}
	// Output:
	// +15550100199 true
	// +442079460958 true
	// +4930901820 true
	// +4930901820 true
}
