// Package storetest is the conformance suite every store.Store backend must
// pass. A backend's test calls Run with a function that opens a fresh, empty
// store.
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/catalog"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Run runs the suite. open must return a new empty store; Run closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Catalog", testCatalog},
		{"ImportVisibleOnlyAtCommit", testImportAtomic},
		{"ImportAbort", testImportAbort},
		{"ImportIntoExistingBreach", testImportExisting},
		{"PairsCountOnce", testPairsCountOnce},
		{"AliasesCountOnce", testAliasesCountOnce},
		{"OneHashPasswords", testOneHashPasswords},
		{"SourceLedger", testSourceLedger},
		{"OneImportAtATime", testOneImport},
		{"ConcurrentAdd", testConcurrentAdd},
		{"PasswordRange", testPasswordRange},
		{"EmailRange", testEmailRange},
		{"Quarantine", testQuarantine},
		{"DataKeys", testDataKeys},
		{"KeyCheck", testKeyCheck},
		{"APIKeys", testAPIKeys},
		{"AdminTokens", testAdminTokens},
		{"Generation", testGeneration},
		{"PwnCountKinds", testPwnCountKinds},
		{"DomainAccounts", testDomainAccounts},
		{"Sightings", testSightings},
		{"Records", testRecords},
		{"Events", testEvents},
		{"ImportRecords", testImportRecords},
		{"Overlap", testOverlap},
		{"PutDataKey", testPutDataKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			}()
			tc.fn(t, s)
		})
	}
}

var ctx = context.Background()

// acct returns a deterministic account key for n.
func acct(n int) store.AccountKey {
	var k store.AccountKey
	h := sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(n)))
	copy(k[:], h[:])
	return k
}

func sha1Of(n int) [20]byte {
	var out [20]byte
	h := sha256.Sum256(fmt.Appendf(nil, "pw%d", n))
	copy(out[:], h[:])
	return out
}

// pw returns a password fact: print p of the password numbered n.
func pw(p, n int) store.Password {
	var out store.Password
	h := sha256.Sum256(binary.BigEndian.AppendUint64([]byte("print"), uint64(p)))
	copy(out.Print[:], h[:])
	out.SHA1 = sha1Of(n)
	out.NTLM = [16]byte{byte(n), byte(n >> 8)}
	return out
}

func source(name string) store.Source {
	return store.Source{ID: sha256.Sum256([]byte(name)), Name: name, Rows: 1}
}

func breach(name string) catalog.Breach {
	return catalog.New(name, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
}

func mustImport(t *testing.T, s store.Store, b catalog.Breach, f *store.Facts, m store.Manifest) store.Result {
	t.Helper()
	imp, err := s.BeginImport(ctx, b)
	if err != nil {
		t.Fatalf("BeginImport: %v", err)
	}
	if err := imp.Add(ctx, f); err != nil {
		t.Fatalf("Add: %v", err)
	}
	res, err := imp.Commit(ctx, m)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return res
}

func breachesOf(t *testing.T, s store.Store, k store.AccountKey) []string {
	t.Helper()
	bs, err := s.AccountBreaches(ctx, k)
	if err != nil {
		t.Fatalf("AccountBreaches: %v", err)
	}
	names := []string{}
	for _, b := range bs {
		names = append(names, b.Name)
	}
	return names
}

func testCatalog(t *testing.T, s store.Store) {
	got, err := s.Breaches(ctx)
	if err != nil || len(got) != 0 {
		t.Fatalf("Breaches on empty store = %v, %v; want none", got, err)
	}
	if _, err := s.Breach(ctx, "Adobe"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Breach(missing) error = %v, want ErrNotFound", err)
	}
	b := breach("Adobe")
	b.Title, b.Domain, b.BreachDate, b.IsVerified = "Adobe", "adobe.com", "2013-10-04", true
	b.PwnCount = 999 // must be ignored
	if err := s.PutBreach(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.PutBreach(ctx, breach("000webhost")); err != nil {
		t.Fatal(err)
	}
	bad := breach("bad name!")
	if err := s.PutBreach(ctx, bad); !errors.Is(err, catalog.ErrInvalid) {
		t.Errorf("PutBreach(bad name) error = %v, want ErrInvalid", err)
	}
	got1, err := s.Breach(ctx, "aDoBe")
	if err != nil {
		t.Fatalf("case-insensitive Breach: %v", err)
	}
	want := b
	want.PwnCount, want.DataClasses = 0, []string{}
	if diff := cmp.Diff(want, got1); diff != "" {
		t.Errorf("Breach mismatch (-want +got):\n%s", diff)
	}
	// An update keeps the original spelling and AddedDate.
	upd := b
	upd.Name = "ADOBE"
	upd.Title = "Adobe Systems"
	upd.AddedDate = catalog.Timestamp{Time: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.PutBreach(ctx, upd); err != nil {
		t.Fatal(err)
	}
	got2, _ := s.Breach(ctx, "adobe")
	if got2.Name != "Adobe" || got2.Title != "Adobe Systems" || !got2.AddedDate.Equal(b.AddedDate.Time) {
		t.Errorf("after update: name %q title %q added %v", got2.Name, got2.Title, got2.AddedDate)
	}
	all, _ := s.Breaches(ctx)
	var names []string
	for _, b := range all {
		names = append(names, b.Name)
	}
	if diff := cmp.Diff([]string{"000webhost", "Adobe"}, names); diff != "" {
		t.Errorf("Breaches order (-want +got):\n%s", diff)
	}
}

func testImportAtomic(t *testing.T, s store.Store) {
	imp, err := s.BeginImport(ctx, breach("Combo1"))
	if err != nil {
		t.Fatal(err)
	}
	// Two pairs share password 1, and one pair repeats: it counts once.
	f := &store.Facts{
		Accounts:  []store.Account{{Key: acct(1)}, {Key: acct(2)}, {Key: acct(1)}},
		Passwords: []store.Password{pw(1, 1), pw(2, 1), pw(3, 2), pw(1, 1)},
	}
	if err := imp.Add(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Breach(ctx, "Combo1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("breach visible before commit: %v", err)
	}
	if got := breachesOf(t, s, acct(1)); len(got) != 0 {
		t.Errorf("account visible before commit: %v", got)
	}
	classes := catalog.ClassSet(0).Add(catalog.ClassEmail).Add(catalog.ClassPassword)
	res, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{source("a.txt")}, DataClasses: classes})
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.Result{Accounts: 2, Passwords: 2, NewAccounts: 2, NewPairs: 3, PwnCount: 2}); res != want {
		t.Errorf("Result = %+v, want %+v", res, want)
	}
	b, err := s.Breach(ctx, "combo1")
	if err != nil {
		t.Fatal(err)
	}
	if b.PwnCount != 2 || !slices.Equal(b.DataClasses, []string{"Email addresses", "Passwords"}) {
		t.Errorf("breach after commit: PwnCount %d DataClasses %v", b.PwnCount, b.DataClasses)
	}
	if got := breachesOf(t, s, acct(1)); !slices.Equal(got, []string{"Combo1"}) {
		t.Errorf("AccountBreaches = %v", got)
	}
	if got := breachesOf(t, s, acct(3)); len(got) != 0 {
		t.Errorf("unknown account in %v", got)
	}
	h := sha1Of(1)
	if n, err := s.PasswordCount(ctx, store.SHA1, h[:]); err != nil || n != 2 {
		t.Errorf("PasswordCount(sha1 pw1) = %d, %v; want 2", n, err)
	}
	if n, _ := s.PasswordCount(ctx, store.NTLM, []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); n != 2 {
		t.Errorf("PasswordCount(ntlm 1) = %d, want 2", n)
	}
	if n, _ := s.PasswordCount(ctx, store.NTLM, []byte{2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); n != 1 {
		t.Errorf("PasswordCount(ntlm 2) = %d, want 1", n)
	}
	if _, err := s.PasswordCount(ctx, store.SHA1, []byte{1}); err == nil {
		t.Error("PasswordCount accepted a short hash")
	}
	if err := imp.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if _, err := imp.Commit(ctx, store.Manifest{}); err == nil {
		t.Error("second Commit succeeded")
	}
}

func testImportAbort(t *testing.T, s store.Store) {
	imp, err := s.BeginImport(ctx, breach("Gone"))
	if err != nil {
		t.Fatal(err)
	}
	imp.Add(ctx, &store.Facts{Accounts: []store.Account{{Key: acct(7)}}, Passwords: []store.Password{pw(7, 7)}})
	if err := imp.Abort(); err != nil {
		t.Fatal(err)
	}
	if err := imp.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if _, err := s.Breach(ctx, "Gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("aborted breach exists: %v", err)
	}
	h := sha1Of(7)
	if n, _ := s.PasswordCount(ctx, store.SHA1, h[:]); n != 0 {
		t.Errorf("aborted password counted %d", n)
	}
	// The store accepts a new import afterwards.
	mustImport(t, s, breach("Gone"), &store.Facts{Accounts: []store.Account{{Key: acct(7)}}}, store.Manifest{})
	if got := breachesOf(t, s, acct(7)); !slices.Equal(got, []string{"Gone"}) {
		t.Errorf("after re-import: %v", got)
	}
}

func testImportExisting(t *testing.T, s store.Store) {
	b := breach("Telco")
	b.Title, b.Domain = "Telco Ltd", "telco.example"
	email := catalog.ClassSet(0).Add(catalog.ClassEmail)
	mustImport(t, s, b, &store.Facts{Accounts: []store.Account{{Key: acct(1)}, {Key: acct(2)}}, Passwords: []store.Password{pw(1, 1)}},
		store.Manifest{Sources: []store.Source{source("part1")}, DataClasses: email})
	mustImport(t, s, breach("Other"), &store.Facts{Accounts: []store.Account{{Key: acct(1)}}, Passwords: []store.Password{pw(1, 1)}}, store.Manifest{})
	// A second file of the same breach: one old account, one new; a new
	// pair with the same password.
	res := mustImport(t, s, breach("Telco"), &store.Facts{Accounts: []store.Account{{Key: acct(2)}, {Key: acct(3)}}, Passwords: []store.Password{pw(3, 1)}},
		store.Manifest{Sources: []store.Source{source("part2")}, DataClasses: catalog.ClassSet(0).Add(catalog.ClassPhone)})
	if res.NewAccounts != 1 || res.PwnCount != 3 {
		t.Errorf("Result = %+v, want NewAccounts 1 PwnCount 3", res)
	}
	got, _ := s.Breach(ctx, "Telco")
	if got.Title != "Telco Ltd" || got.PwnCount != 3 || !slices.Equal(got.DataClasses, []string{"Email addresses", "Phone numbers"}) {
		t.Errorf("Telco = %+v", got)
	}
	if got := breachesOf(t, s, acct(1)); !slices.Equal(got, []string{"Other", "Telco"}) {
		t.Errorf("AccountBreaches(1) = %v", got)
	}
	h := sha1Of(1)
	if n, _ := s.PasswordCount(ctx, store.SHA1, h[:]); n != 3 {
		t.Errorf("password count across imports = %d, want 3", n)
	}
}

func testSourceLedger(t *testing.T, s store.Store) {
	src := source("dump.csv")
	if ok, err := s.SourceImported(ctx, "Leak", src.ID); ok || err != nil {
		t.Fatalf("SourceImported before import = %v, %v", ok, err)
	}
	mustImport(t, s, breach("Leak"), &store.Facts{Passwords: []store.Password{pw(1, 1)}}, store.Manifest{Sources: []store.Source{src}})
	if ok, err := s.SourceImported(ctx, "leak", src.ID); !ok || err != nil {
		t.Fatalf("SourceImported after import = %v, %v", ok, err)
	}
	if ok, _ := s.SourceImported(ctx, "Elsewhere", src.ID); ok {
		t.Error("source counted as imported into another breach")
	}
	srcs, err := s.Sources(ctx, "LEAK")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.Source{src}, srcs); diff != "" {
		t.Errorf("Sources (-want +got):\n%s", diff)
	}
	if _, err := s.Sources(ctx, "Elsewhere"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Sources(unknown breach) error = %v, want ErrNotFound", err)
	}
	imp, err := s.BeginImport(ctx, breach("Leak"))
	if err != nil {
		t.Fatal(err)
	}
	imp.Add(ctx, &store.Facts{Passwords: []store.Password{pw(2, 1)}})
	if _, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{src}}); !errors.Is(err, store.ErrAlreadyImported) {
		t.Errorf("re-commit of a source: %v, want ErrAlreadyImported", err)
	}
	h := sha1Of(1)
	if n, _ := s.PasswordCount(ctx, store.SHA1, h[:]); n != 1 {
		t.Errorf("count after refused re-import = %d, want 1", n)
	}
}

func testOneImport(t *testing.T, s store.Store) {
	imp, err := s.BeginImport(ctx, breach("A"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.BeginImport(ctx, breach("B")); !errors.Is(err, store.ErrImportRunning) {
		t.Errorf("second BeginImport: %v, want ErrImportRunning", err)
	}
	imp.Abort()
	imp2, err := s.BeginImport(ctx, breach("B"))
	if err != nil {
		t.Fatalf("BeginImport after Abort: %v", err)
	}
	imp2.Abort()
}

func testConcurrentAdd(t *testing.T, s store.Store) {
	imp, err := s.BeginImport(ctx, breach("Big"))
	if err != nil {
		t.Fatal(err)
	}
	const workers, chunks, per = 4, 20, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for c := range chunks {
				f := &store.Facts{}
				for i := range per {
					n := (w*chunks+c)*per + i
					f.Accounts = append(f.Accounts, store.Account{Key: acct(n % 30000)})
					f.Passwords = append(f.Passwords, pw(n%5000, n%5000%1000))
				}
				if err := imp.Add(ctx, f); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	res, err := imp.Commit(ctx, store.Manifest{})
	if err != nil {
		t.Fatal(err)
	}
	if res.PwnCount != 30000 {
		t.Errorf("PwnCount = %d, want 30000", res.PwnCount)
	}
	var total int64
	for i := range 1000 {
		h := sha1Of(i)
		n, err := s.PasswordCount(ctx, store.SHA1, h[:])
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != 5000 || res.NewPairs != 5000 {
		t.Errorf("sum of password counts = %d, new pairs %d; want 5000 (one per distinct print)", total, res.NewPairs)
	}
}

func testPasswordRange(t *testing.T, s store.Store) {
	hashes := [][20]byte{
		{0x00, 0x00, 0x00},                   // prefix 00000
		{0x00, 0x00, 0x0f, 0xff},             // prefix 00000
		{0x00, 0x00, 0x10},                   // prefix 00001
		{0x5b, 0xaa, 0x61, 0xe4},             // prefix 5BAA6
		{0x5b, 0xaa, 0x6f, 0x00},             // prefix 5BAA6
		{0x5b, 0xaa, 0x70},                   // prefix 5BAA7
		{0xff, 0xff, 0xf0, 0x01},             // prefix FFFFF
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // prefix FFFFF
	}
	f := &store.Facts{}
	for i, h := range append(append([][20]byte{}, hashes...), hashes[3]) {
		p := pw(i, 0)
		p.SHA1 = h
		f.Passwords = append(f.Passwords, p)
	}
	mustImport(t, s, breach("Pw"), f, store.Manifest{})
	collect := func(prefix uint32) (out []string) {
		for ph, err := range s.PasswordRange(ctx, store.SHA1, prefix) {
			if err != nil {
				t.Fatalf("PasswordRange(%05X): %v", prefix, err)
			}
			out = append(out, fmt.Sprintf("%X:%d", ph.Hash[:4], ph.Count))
		}
		return out
	}
	for _, tc := range []struct {
		prefix uint32
		want   []string
	}{
		{0x00000, []string{"00000000:1", "00000FFF:1"}},
		{0x00001, []string{"00001000:1"}},
		{0x5BAA6, []string{"5BAA61E4:2", "5BAA6F00:1"}},
		{0x5BAA7, []string{"5BAA7000:1"}},
		{0x12345, nil},
		{0xFFFFF, []string{"FFFFF001:1", "FFFFFFFF:1"}},
	} {
		if diff := cmp.Diff(tc.want, collect(tc.prefix)); diff != "" {
			t.Errorf("range %05X (-want +got):\n%s", tc.prefix, diff)
		}
	}
	for _, err := range s.PasswordRange(ctx, store.SHA1, 1<<20) {
		if err == nil {
			t.Error("PasswordRange accepted a prefix of more than 20 bits")
		}
	}
	// NTLM is a separate corpus.
	for range s.PasswordRange(ctx, store.NTLM, 0x5BAA6) {
		t.Error("NTLM range holds SHA-1 hashes")
	}
	// PasswordHashes yields every range in order.
	var all []string
	for ph, err := range s.PasswordHashes(ctx, store.SHA1) {
		if err != nil {
			t.Fatalf("PasswordHashes: %v", err)
		}
		all = append(all, fmt.Sprintf("%X:%d", ph.Hash[:4], ph.Count))
	}
	want := []string{"00000000:1", "00000FFF:1", "00001000:1", "5BAA61E4:2", "5BAA6F00:1", "5BAA7000:1", "FFFFF001:1", "FFFFFFFF:1"}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("PasswordHashes (-want +got):\n%s", diff)
	}
}

func testEmailRange(t *testing.T, s store.Store) {
	r1, r2 := store.RangeTag{1}, store.RangeTag{2}
	f := &store.Facts{Accounts: []store.Account{
		{Key: acct(1), Range: r1, Sealed: []byte("sealed-1")},
		{Key: acct(2), Range: r1, Sealed: []byte("sealed-2")},
		{Key: acct(3), Range: r2, Sealed: []byte("sealed-3")},
		{Key: acct(1), Range: r1, Sealed: []byte("sealed-1")},
		{Key: acct(4)}, // a username: no range entry
	}}
	mustImport(t, s, breach("Mail"), f, store.Manifest{})
	got, err := s.EmailRange(ctx, r1)
	if err != nil {
		t.Fatal(err)
	}
	gotS := []string{}
	for _, g := range got {
		gotS = append(gotS, string(g))
	}
	slices.Sort(gotS)
	if diff := cmp.Diff([]string{"sealed-1", "sealed-2"}, gotS); diff != "" {
		t.Errorf("EmailRange (-want +got):\n%s", diff)
	}
	if got, _ := s.EmailRange(ctx, store.RangeTag{3}); len(got) != 0 {
		t.Errorf("empty bucket holds %d", len(got))
	}
}

func testQuarantine(t *testing.T, s store.Store) {
	src, src2 := source("bad.txt"), source("bad.txt.gz")
	q := []store.Quarantined{
		{Print: store.LinePrint{7}, Source: src.ID, Line: 7, Reason: "no-separator", Sealed: []byte("s7")},
		{Print: store.LinePrint{3}, Source: src.ID, Line: 3, Reason: "binary", Sealed: []byte("s3")},
	}
	mustImport(t, s, breach("Q"), &store.Facts{Quarantine: q}, store.Manifest{Sources: []store.Source{src}})
	list := func(name string) []store.Quarantined {
		var got []store.Quarantined
		for e, err := range s.Quarantine(ctx, name) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, e)
		}
		return got
	}
	if diff := cmp.Diff([]store.Quarantined{q[1], q[0]}, list("q")); diff != "" {
		t.Errorf("Quarantine (-want +got):\n%s", diff)
	}
	// The same lines from another file are kept once, where last seen.
	again := []store.Quarantined{q[0], q[1]}
	for i := range again {
		again[i].Source, again[i].Line = src2.ID, again[i].Line+1
	}
	mustImport(t, s, breach("Q"), &store.Facts{Quarantine: again}, store.Manifest{Sources: []store.Source{src2}})
	if diff := cmp.Diff([]store.Quarantined{again[1], again[0]}, list("Q")); diff != "" {
		t.Errorf("Quarantine after the same lines again (-want +got):\n%s", diff)
	}
	// A later import that parses line 7 resolves it.
	mustImport(t, s, breach("Q"), &store.Facts{Resolved: []store.LinePrint{{7}}}, store.Manifest{})
	if diff := cmp.Diff([]store.Quarantined{again[1]}, list("Q")); diff != "" {
		t.Errorf("Quarantine after resolving line 7 (-want +got):\n%s", diff)
	}
	// Resolved and quarantined again in one import: the quarantine wins.
	mustImport(t, s, breach("Q"), &store.Facts{Resolved: []store.LinePrint{{3}}, Quarantine: []store.Quarantined{q[1]}}, store.Manifest{})
	if diff := cmp.Diff([]store.Quarantined{q[1]}, list("Q")); diff != "" {
		t.Errorf("Quarantine after resolving and quarantining line 3 (-want +got):\n%s", diff)
	}
	for _, err := range s.Quarantine(ctx, "nosuch") {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Quarantine(unknown breach) error = %v", err)
		}
	}
}

func testDataKeys(t *testing.T, s store.Store) {
	id1, err := s.NextDataKeyID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id2, _ := s.NextDataKeyID(ctx)
	if id2 <= id1 || id1 == 0 {
		t.Errorf("NextDataKeyID gave %d then %d", id1, id2)
	}
	mustImport(t, s, breach("K"), &store.Facts{}, store.Manifest{DataKey: store.WrappedKey{ID: id1, Wrapped: []byte("w1")}})
	if err := s.ReplaceDataKeys(ctx, []store.WrappedKey{{ID: id1, Wrapped: []byte("w1-rotated")}, {ID: id2, Wrapped: []byte("w2")}}, []byte("check-2")); err != nil {
		t.Fatal(err)
	}
	if c, err := s.KeyCheck(ctx); err != nil || string(c) != "check-2" {
		t.Errorf("KeyCheck after ReplaceDataKeys = %q, %v", c, err)
	}
	got, err := s.DataKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.WrappedKey{{ID: id1, Wrapped: []byte("w1-rotated")}, {ID: id2, Wrapped: []byte("w2")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DataKeys (-want +got):\n%s", diff)
	}
}

func testAPIKeys(t *testing.T, s store.Store) {
	created := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, k := range []store.APIKey{
		{Name: "zeta", Hash: sha256.Sum256([]byte("z")), RPM: 10, Created: created},
		{Name: "alpha", Hash: sha256.Sum256([]byte("a")), Created: created},
	} {
		if err := s.PutAPIKey(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.APIKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "alpha" || got[1].RPM != 10 || got[1].Hash != sha256.Sum256([]byte("z")) || !got[1].Created.Equal(created) {
		t.Errorf("APIKeys = %+v", got)
	}
	if err := s.DeleteAPIKey(ctx, "alpha"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAPIKey(ctx, "alpha"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if got, _ := s.APIKeys(ctx); len(got) != 1 {
		t.Errorf("after delete: %d keys", len(got))
	}
}

func testGeneration(t *testing.T, s store.Store) {
	g0 := s.Generation()
	if g0%2 != 0 {
		t.Fatalf("generation %d of an idle store is odd", g0)
	}
	mustImport(t, s, breach("Gen"), &store.Facts{Passwords: []store.Password{pw(1, 1)}}, store.Manifest{})
	g1 := s.Generation()
	if g1 == g0 || g1%2 != 0 {
		t.Errorf("generation after a commit: %d, before %d", g1, g0)
	}
	// What commits nothing changes nothing.
	imp, err := s.BeginImport(ctx, breach("Aborted"))
	if err != nil {
		t.Fatal(err)
	}
	imp.Abort()
	if err := s.PutAPIKey(ctx, store.APIKey{Name: "k"}); err != nil {
		t.Fatal(err)
	}
	if g := s.Generation(); g != g1 {
		t.Errorf("generation after an abort and a key: %d, want %d", g, g1)
	}
}

func testAdminTokens(t *testing.T, s store.Store) {
	created := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	// An API key and an admin token of one name are apart.
	if err := s.PutAPIKey(ctx, store.APIKey{Name: "ops", Hash: sha256.Sum256([]byte("key")), Created: created}); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []store.AdminToken{
		{Name: "ops", Hash: sha256.Sum256([]byte("o")), Created: created},
		{Name: "backup", Hash: sha256.Sum256([]byte("b")), Created: created},
	} {
		if err := s.PutAdminToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.AdminTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "backup" || got[1].Hash != sha256.Sum256([]byte("o")) || !got[1].Created.Equal(created) {
		t.Errorf("AdminTokens = %+v", got)
	}
	if err := s.DeleteAdminToken(ctx, "ops"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAdminToken(ctx, "ops"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if keys, _ := s.APIKeys(ctx); len(keys) != 1 || keys[0].Name != "ops" {
		t.Errorf("deleting the admin token touched the API keys: %+v", keys)
	}
	if got, _ := s.AdminTokens(ctx); len(got) != 1 || got[0].Name != "backup" {
		t.Errorf("after delete: %+v", got)
	}
}

func testPwnCountKinds(t *testing.T, s store.Store) {
	// Emails and usernames of one breach: PwnCount counts the emails.
	f := &store.Facts{Accounts: []store.Account{
		{Key: acct(1), Email: true}, {Key: acct(2), Email: true}, {Key: acct(1), Email: true},
		{Key: acct(3)}, {Key: acct(4)}, {Key: acct(5)},
	}}
	res := mustImport(t, s, breach("Mixed"), f, store.Manifest{})
	if res.PwnCount != 2 || res.Accounts != 5 {
		t.Errorf("mixed: %+v, want PwnCount 2 of 5 accounts", res)
	}
	// A breach of usernames only counts them.
	res = mustImport(t, s, breach("Users"), &store.Facts{Accounts: []store.Account{{Key: acct(3)}, {Key: acct(4)}}}, store.Manifest{})
	if res.PwnCount != 2 {
		t.Errorf("usernames only: PwnCount %d, want 2", res.PwnCount)
	}
	b, _ := s.Breach(ctx, "Mixed")
	if b.PwnCount != 2 {
		t.Errorf("catalog PwnCount %d, want 2", b.PwnCount)
	}
}

func testPairsCountOnce(t *testing.T, s store.Store) {
	facts := func() *store.Facts {
		return &store.Facts{Accounts: []store.Account{{Key: acct(1)}, {Key: acct(2)}}, Passwords: []store.Password{pw(1, 1), pw(2, 1), pw(3, 2)}}
	}
	count := func(n int) int64 {
		h := sha1Of(n)
		c, err := s.PasswordCount(ctx, store.SHA1, h[:])
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	res := mustImport(t, s, breach("Dup"), facts(), store.Manifest{Sources: []store.Source{source("plain")}})
	if res.NewPairs != 3 || count(1) != 2 || count(2) != 1 {
		t.Fatalf("first import: %+v, counts %d %d", res, count(1), count(2))
	}
	// The same facts from another source (the file compressed, say): a
	// breach is a set of facts, nothing changes.
	res = mustImport(t, s, breach("Dup"), facts(), store.Manifest{Sources: []store.Source{source("gzipped")}})
	if res.NewPairs != 0 || res.Passwords != 0 || res.NewAccounts != 0 || count(1) != 2 || count(2) != 1 {
		t.Errorf("same facts again: %+v, counts %d %d; want nothing new", res, count(1), count(2))
	}
	// A grown file: one pair new to the breach counts.
	f := facts()
	f.Passwords = append(f.Passwords, pw(4, 2))
	res = mustImport(t, s, breach("Dup"), f, store.Manifest{})
	if res.NewPairs != 1 || count(2) != 2 {
		t.Errorf("grown: %+v, count %d; want one new pair", res, count(2))
	}
	// The same pairs in another breach count again.
	mustImport(t, s, breach("Other"), facts(), store.Manifest{})
	if count(1) != 4 || count(2) != 3 {
		t.Errorf("other breach: counts %d %d, want 4 3", count(1), count(2))
	}
}

func testKeyCheck(t *testing.T, s store.Store) {
	if _, err := s.KeyCheck(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("KeyCheck of a new store: %v, want ErrNotFound", err)
	}
	if err := s.InitKeyCheck(ctx, []byte("check-1")); err != nil {
		t.Fatal(err)
	}
	if err := s.InitKeyCheck(ctx, []byte("check-x")); !errors.Is(err, store.ErrExists) {
		t.Errorf("second InitKeyCheck: %v, want ErrExists", err)
	}
	if c, err := s.KeyCheck(ctx); err != nil || string(c) != "check-1" {
		t.Errorf("KeyCheck = %q, %v", c, err)
	}
	// No rotation while an import runs: its data key would be wrapped
	// under the key pair being retired.
	imp, err := s.BeginImport(ctx, breach("Busy"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReplaceDataKeys(ctx, nil, []byte("check-2")); !errors.Is(err, store.ErrImportRunning) {
		t.Errorf("ReplaceDataKeys during an import: %v, want ErrImportRunning", err)
	}
	imp.Abort()
	if c, _ := s.KeyCheck(ctx); string(c) != "check-1" {
		t.Errorf("KeyCheck changed by a refused rotation: %q", c)
	}
}

// testOneHashPasswords: a password fact may carry one hash only (a list of
// bare SHA-1 or NTLM hashes taken as they are): that corpus counts it once
// per print, the other corpus is untouched, and a second import of the
// same prints changes nothing.
func testOneHashPasswords(t *testing.T, s store.Store) {
	sha1Only := pw(1, 1)
	sha1Only.NTLM, sha1Only.Only = [16]byte{}, store.SHA1
	ntlmOnly := pw(2, 2)
	ntlmOnly.SHA1, ntlmOnly.Only = [20]byte{}, store.NTLM
	again := pw(3, 1) // another line with the SHA-1 of password 1
	again.NTLM, again.Only = [16]byte{}, store.SHA1
	both := pw(4, 1) // password 1 in clear: both hashes
	f := &store.Facts{Passwords: []store.Password{sha1Only, ntlmOnly, again, both, sha1Only}}
	res := mustImport(t, s, breach("Hashes"), f, store.Manifest{Sources: []store.Source{source("hashes.txt")}})
	if res.NewPairs != 4 {
		t.Errorf("NewPairs = %d, want 4", res.NewPairs)
	}
	count := func(kind store.HashKind, h []byte) int64 {
		t.Helper()
		n, err := s.PasswordCount(ctx, kind, h)
		if err != nil {
			t.Fatalf("PasswordCount(%s): %v", kind, err)
		}
		return n
	}
	h1, h2 := sha1Of(1), sha1Of(2)
	if n := count(store.SHA1, h1[:]); n != 3 {
		t.Errorf("SHA-1 of password 1 counted %d times, want 3", n)
	}
	if n := count(store.NTLM, both.NTLM[:]); n != 1 {
		t.Errorf("NTLM of password 1 counted %d times, want 1 (the SHA-1-only facts carry none)", n)
	}
	if n := count(store.NTLM, ntlmOnly.NTLM[:]); n != 1 {
		t.Errorf("NTLM-only hash counted %d times, want 1", n)
	}
	var zero [20]byte
	if count(store.SHA1, h2[:]) != 0 || count(store.SHA1, zero[:]) != 0 || count(store.NTLM, zero[:16]) != 0 {
		t.Error("a one-hash fact counted the hash it does not carry")
	}
	var found bool
	for ph, err := range s.PasswordRange(ctx, store.NTLM, uint32(ntlmOnly.NTLM[0])<<12|uint32(ntlmOnly.NTLM[1])<<4|uint32(ntlmOnly.NTLM[2]>>4)) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || bytes.Equal(ph.Hash, ntlmOnly.NTLM[:]) && ph.Count == 1
	}
	if !found {
		t.Error("the NTLM-only hash is not in its range")
	}
	res = mustImport(t, s, breach("Hashes"), f, store.Manifest{Sources: []store.Source{source("hashes-again.txt")}})
	if res.NewPairs != 0 || count(store.SHA1, h1[:]) != 3 || count(store.NTLM, ntlmOnly.NTLM[:]) != 1 {
		t.Errorf("the same prints imported again changed the counts: %+v", res)
	}
	imp, err := s.BeginImport(ctx, breach("Bad"))
	if err != nil {
		t.Fatal(err)
	}
	bad := pw(5, 5)
	bad.Only = 9
	if err := imp.Add(ctx, &store.Facts{Passwords: []store.Password{bad}}); err == nil {
		t.Error("Add accepted a password fact of an unknown hash kind")
	}
	imp.Abort()
}

// alias returns pw with the prints of its other accounts.
func alias(pw store.Password, prints ...int) store.Password {
	for i, p := range prints {
		pw.Aliases[i] = pwPrint(p)
	}
	pw.NAliases = uint8(len(prints))
	return pw
}

func pwPrint(p int) store.PairPrint { return pw(p, 0).Print }

// testAliasesCountOnce: a record with two accounts (an email and a
// username) and a password is one occurrence; found again through one of
// its accounts, in any order, it counts nothing more.
func testAliasesCountOnce(t *testing.T, s store.Store) {
	count := func(n int) int64 {
		h := sha1Of(n)
		c, err := s.PasswordCount(ctx, store.SHA1, h[:])
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// Prints: 1 = (email, pw1), 2 = (username, pw1).
	both := alias(pw(1, 1), 2)
	mustImport(t, s, breach("Two"), &store.Facts{Passwords: []store.Password{both}}, store.Manifest{})
	if count(1) != 1 {
		t.Fatalf("a record with two accounts counts %d, want 1", count(1))
	}
	mustImport(t, s, breach("Two"), &store.Facts{Passwords: []store.Password{pw(2, 1)}}, store.Manifest{})
	if count(1) != 1 {
		t.Errorf("the same credential through its username counts again: %d", count(1))
	}
	// The other order, in another breach.
	mustImport(t, s, breach("Three"), &store.Facts{Passwords: []store.Password{pw(2, 1)}}, store.Manifest{})
	mustImport(t, s, breach("Three"), &store.Facts{Passwords: []store.Password{both}}, store.Manifest{})
	if count(1) != 2 {
		t.Errorf("after the second breach: %d, want 2", count(1))
	}
	// In one import: a lone print and an occurrence sharing it count
	// once; two occurrences sharing a print count once; an occurrence with
	// one print new and one not counts nothing.
	res := mustImport(t, s, breach("Four"), &store.Facts{Passwords: []store.Password{
		alias(pw(10, 3), 11), pw(11, 3),
		alias(pw(20, 4), 21), alias(pw(22, 4), 21),
	}}, store.Manifest{})
	if count(3) != 1 || count(4) != 1 {
		t.Errorf("one import: counts %d %d, want 1 1 (%+v)", count(3), count(4), res)
	}
	mustImport(t, s, breach("Four"), &store.Facts{Passwords: []store.Password{alias(pw(30, 5), 10)}}, store.Manifest{})
	if count(5) != 0 {
		t.Errorf("an occurrence one of whose prints is known counts %d", count(5))
	}
}
