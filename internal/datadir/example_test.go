package datadir_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/leakwatch/leakwatch/internal/datadir"
)

// A server backs up the data directory it holds open; the backup, without
// the key file, is restored elsewhere with the operator's key file.
func ExampleBackup() {
	ctx := context.Background()
	root, _ := os.MkdirTemp("", "leakwatch-example")
	defer os.RemoveAll(root)
	src := datadir.Options{Dir: filepath.Join(root, "data"), Keyring: filepath.Join(root, "keys", "keyring.json")}
	d, err := datadir.Init(ctx, src)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	var archive bytes.Buffer // a file, or an admin API response
	m, err := datadir.Backup(ctx, d, &archive, datadir.BackupOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("key file in the backup:", m.Keys)

	dst := datadir.Options{Dir: filepath.Join(root, "restored"), Keyring: src.Keyring, NeedKeys: true}
	if _, err := datadir.Restore(ctx, dst, &archive); err != nil {
		log.Fatal(err)
	}
	r, err := datadir.Open(ctx, dst)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println("restored")
	// Output:
	// key file in the backup: false
	// restored
}
