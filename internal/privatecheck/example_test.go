package privatecheck_test

import (
	"crypto/rand"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
)

// A whole check in one process: the server builds an epoch's index from a
// leak, the client asks about a login and a password, the server answers
// with the evaluation and the bucket's tags, the client verifies the proof
// and reads its answer.
func Example() {
	// Server: one key per epoch, tags of every leaked pair.
	key, err := privatecheck.GenerateKey(privatecheck.Params{Epoch: 1, BucketBits: 9}, rand.Reader)
	if err != nil {
		panic(err)
	}
	ix := privatecheck.NewIndex(key)
	login, _ := privatecheck.ParseLogin("jdoe@example.com")
	if err := ix.Add(login, []byte("Tr0ub4dor&3")); err != nil {
		panic(err)
	}

	// Client: the epoch's parameters and pinned public key.
	c, err := privatecheck.NewClient(key.Params(), key.PublicKey())
	if err != nil {
		panic(err)
	}
	for _, pw := range []string{"Tr0ub4dor&3", "tr0ub4dor&3", "correct horse"} {
		req, st, err := c.Request("JDoe@Example.com", pw)
		if err != nil {
			panic(err)
		}
		resp, err := ix.Answer(req) // on the server
		if err != nil {
			panic(err)
		}
		res, err := st.Answer(resp)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%d-byte request: %v\n", len(req), res)
	}
	// Output:
	// 400-byte request: leaked
	// 400-byte request: similar
	// 400-byte request: username-only
}
