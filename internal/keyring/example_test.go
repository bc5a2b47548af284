package keyring_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/leakwatch/leakwatch/internal/account"
	"github.com/leakwatch/leakwatch/internal/keyring"
)

// Example shows the life of a record: normalise the account, derive its
// account key, seal the record under a data key, and keep the data key only
// in wrapped form.
func Example() {
	dir, err := os.MkdirTemp("", "leakwatch-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	// Once per installation; the key file lives outside the data store.
	k, err := keyring.Create(filepath.Join(dir, "keys.json"), nil)
	if err != nil {
		log.Fatal(err)
	}

	// Once per data key (for example per import): store w next to the data.
	dk, err := keyring.NewDataKey(1, nil)
	if err != nil {
		log.Fatal(err)
	}
	w, err := k.WrapDataKey(dk)
	if err != nil {
		log.Fatal(err)
	}

	// Per record: the account key is the store's lookup key and the nonce
	// seed, so re-importing the same record writes the same bytes.
	email, ok := account.Email([]byte(" Alice@Example.COM "))
	if !ok {
		log.Fatal("not an email address")
	}
	key := k.AccountKey(account.KindEmail, email)
	sealed := dk.Seal(nil, key[:], []byte("Adobe,LinkedIn"), key[:])

	// Reading it back, possibly after a restart: unwrap, then open.
	dk2, err := k.UnwrapDataKey(w)
	if err != nil {
		log.Fatal(err)
	}
	id, _ := keyring.SealedKeyID(sealed)
	record, err := dk2.Open(nil, sealed, key[:])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("data key %d: %s\n", id, record)
	// Output:
	// data key 1: Adobe,LinkedIn
}

// ExampleKeyring_NewHasher shows the hot path of an import: one Hasher per
// goroutine, no allocation per value.
func ExampleKeyring_NewHasher() {
	dir, err := os.MkdirTemp("", "leakwatch-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	k, err := keyring.Create(filepath.Join(dir, "keys.json"), nil)
	if err != nil {
		log.Fatal(err)
	}

	h := k.NewHasher()
	var buf []byte
	for _, in := range []string{"Bob@Example.net", "bob@example.NET "} {
		buf, _ = account.AppendEmail(buf[:0], []byte(in))
		key := h.AccountKey(account.KindEmail, buf)
		fmt.Println(key == k.AccountKey(account.KindEmail, []byte("bob@example.net")))
	}
	// Output:
	// true
	// true
}

// ExampleKeyring_Rotate replaces the KEM key pair: re-wrap every data key
// under the new pair, then retire the old one.
func ExampleKeyring_Rotate() {
	dir, err := os.MkdirTemp("", "leakwatch-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	k, err := keyring.Create(filepath.Join(dir, "keys.json"), nil)
	if err != nil {
		log.Fatal(err)
	}
	dk, _ := keyring.NewDataKey(1, nil)
	old, _ := k.WrapDataKey(dk)

	newID, err := k.Rotate(nil)
	if err != nil {
		log.Fatal(err)
	}
	dk, err = k.UnwrapDataKey(old)
	if err != nil {
		log.Fatal(err)
	}
	rewrapped, err := k.WrapDataKey(dk)
	if err != nil {
		log.Fatal(err)
	}
	if err := k.Retire(old.KEMKeyID); err != nil {
		log.Fatal(err)
	}
	fmt.Println(newID, rewrapped.KEMKeyID, k.KeyIDs())
	// Output:
	// 2 2 [2]
}
