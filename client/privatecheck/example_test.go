package privatecheck_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/leakwatch/leakwatch/client/privatecheck"
	"github.com/leakwatch/leakwatch/client/privatecheck/privatechecktest"
)

// Check a login and password against a server, here an in-memory one
// holding one leaked pair.
func Example() {
	s, err := privatechecktest.NewServer()
	if err != nil {
		panic(err)
	}
	s.Add("jdoe@example.com", "Summer2023")
	ts := httptest.NewServer(s)
	defer ts.Close()

	c := &privatecheck.Client{BaseURL: ts.URL, APIKey: "(your API key)"}
	ctx := context.Background()
	for _, pw := range []string{"Summer2023", "summer2023", "correct horse battery staple"} {
		a, err := c.Check(ctx, "JDoe@Example.com", pw)
		if err != nil {
			panic(err)
		}
		fmt.Printf("epoch %d: %v\n", a.Epoch, a.Result)
	}
	a, _ := c.Check(ctx, "someone.else@example.com", "Summer2023")
	fmt.Println(a.Result)
	// Output:
	// epoch 1: leaked
	// epoch 1: similar
	// epoch 1: username-only
	// not found
}
