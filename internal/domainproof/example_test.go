package domainproof_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/leakwatch/leakwatch/internal/domainproof"
)

func Example() {
	domain, err := domainproof.ValidDomain("Bücher.Example.")
	if err != nil {
		panic(err)
	}
	fmt.Println(domain)

	// The owner asks to verify by file: issue a token, tell them where to put it.
	token := domainproof.NewToken(nil)
	fmt.Printf("put the token in https://%s%s\n", domain, domainproof.FilePath)

	// A web site standing in for the owner's, first without the file, then with it.
	var published atomic.Bool
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if published.Load() && r.URL.Path == domainproof.FilePath {
			fmt.Fprintln(w, token)
			return
		}
		http.NotFound(w, r)
	}))
	defer site.Close()
	c := &domainproof.Checker{
		SiteURL:    func(string) string { return site.URL },
		HTTPClient: site.Client(), // the default client refuses loopback addresses
	}

	err = c.Check(context.Background(), domainproof.MethodFile, domain, token)
	fmt.Println("before:", errors.Is(err, domainproof.ErrNotProven))
	published.Store(true)
	err = c.Check(context.Background(), domainproof.MethodFile, domain, token)
	fmt.Println("after:", err)

	// Or by mail: a code to one of the standard addresses, kept only as a hash.
	fmt.Println(domainproof.StandardAddresses(domain)[0])
	code := domainproof.NewCode(nil)
	salt := []byte("16+ random bytes")
	stored := domainproof.HashCode(code, salt)
	fmt.Println("code matches:", domainproof.CodeMatches(code, salt, stored))

	// Output:
	// xn--bcher-kva.example
	// put the token in https://xn--bcher-kva.example/leakwatch-verification.txt
	// before: true
	// after: <nil>
	// security@xn--bcher-kva.example
	// code matches: true
}
