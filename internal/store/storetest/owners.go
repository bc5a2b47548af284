package storetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leakwatch/leakwatch/internal/store"
)

// sealedOf collects what an iterator of sealed accounts yields, as
// "sealed" or "sealed!" for a noisy one.
func sealedOf(t *testing.T, seq func(yield func(store.SealedAccount, error) bool)) []string {
	t.Helper()
	out := []string{}
	for a, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		s := string(a.Sealed)
		if a.Noise {
			s += "!"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func testDomainAccounts(t *testing.T, s store.Store) {
	d1, d2 := store.DomainTag{1}, store.DomainTag{2}
	f := &store.Facts{Accounts: []store.Account{
		{Key: acct(1), Email: true, Range: store.RangeTag{1}, Sealed: []byte("a@one"), Domain: d1},
		{Key: acct(2), Email: true, Range: store.RangeTag{2}, Sealed: []byte("b@one"), Domain: d1},
		{Key: acct(3), Email: true, Range: store.RangeTag{1}, Sealed: []byte("c@two"), Domain: d2},
		{Key: acct(4)}, // a username: no domain
	}}
	mustImport(t, s, breach("Mail"), f, store.Manifest{})
	// The same account in a second breach is listed once.
	mustImport(t, s, breach("Again"), &store.Facts{Accounts: f.Accounts[:1]}, store.Manifest{})
	if diff := cmp.Diff([]string{"a@one", "b@one"}, sealedOf(t, s.DomainAccounts(ctx, d1))); diff != "" {
		t.Errorf("DomainAccounts(d1) (-want +got):\n%s", diff)
	}
	if got := sealedOf(t, s.DomainAccounts(ctx, store.DomainTag{9})); len(got) != 0 {
		t.Errorf("unknown domain holds %q", got)
	}
	for _, c := range []struct {
		acct   int
		breach string
		want   bool
	}{{1, "Mail", true}, {1, "again", true}, {2, "Again", false}, {4, "MAIL", true}, {1, "Unknown", false}, {9, "Mail", false}} {
		if got, err := s.AccountInBreach(ctx, acct(c.acct), c.breach); err != nil || got != c.want {
			t.Errorf("AccountInBreach(%d, %s) = %v, %v; want %v", c.acct, c.breach, got, err, c.want)
		}
	}
}

func testSightings(t *testing.T, s store.Store) {
	w1, w2 := store.DomainTag{7, 1}, store.DomainTag{7, 2}
	f := &store.Facts{
		Accounts: []store.Account{
			{Key: acct(1), Email: true, Range: store.RangeTag{1}, Sealed: []byte("a@one"), Domain: store.DomainTag{1}},
			{Key: acct(2), Email: true, Range: store.RangeTag{2}, Sealed: []byte("b@two"), Domain: store.DomainTag{2}},
		},
		Sightings: []store.Sighting{
			{Account: acct(1), Range: store.RangeTag{1}, Website: w1, Sealed: []byte("site-one")},
			{Account: acct(1), Range: store.RangeTag{1}, Website: w2, Noise: true, Sealed: []byte("site-two")},
			{Account: acct(2), Range: store.RangeTag{2}, Website: w1, Sealed: []byte("site-one")},
			{Account: acct(2), Range: store.RangeTag{2}, Website: w1, Sealed: []byte("site-one")},
		},
	}
	mustImport(t, s, breach("Stealer"), f, store.Manifest{StealerLog: true})
	// An existing breach becomes a stealer-log breach with the commit of
	// an import that says so, its other metadata kept.
	old := breach("Combo")
	old.Title = "Old title"
	mustImport(t, s, old, &store.Facts{Accounts: f.Accounts[:1]}, store.Manifest{})
	mustImport(t, s, breach("Combo"), &store.Facts{Accounts: f.Accounts[:1]}, store.Manifest{StealerLog: true})
	for name, title := range map[string]string{"Stealer": "Stealer", "Combo": "Old title"} {
		b, err := s.Breach(ctx, name)
		if err != nil || !b.IsStealerLog || b.Title != title {
			t.Errorf("Breach(%s) = %+v, %v; want IsStealerLog and title %q", name, b, err, title)
		}
	}
	sites, err := s.AccountSites(ctx, acct(1))
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Site{{Website: w1, Sealed: []byte("site-one"), Breach: "Stealer"}, {Website: w2, Noise: true, Sealed: []byte("site-two"), Breach: "Stealer"}}
	if diff := cmp.Diff(want, sites); diff != "" {
		t.Errorf("AccountSites (-want +got):\n%s", diff)
	}
	if sites, err := s.AccountSites(ctx, acct(3)); err != nil || len(sites) != 0 {
		t.Errorf("AccountSites of an unseen account = %v, %v; want none", sites, err)
	}
	if diff := cmp.Diff([]string{"a@one", "b@two"}, sealedOf(t, s.WebsiteAccounts(ctx, w1))); diff != "" {
		t.Errorf("WebsiteAccounts(w1) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a@one!"}, sealedOf(t, s.WebsiteAccounts(ctx, w2))); diff != "" {
		t.Errorf("WebsiteAccounts(w2) (-want +got):\n%s", diff)
	}
}

func recordsOf(t *testing.T, s store.Store, tb store.Table, prefix string) []string {
	t.Helper()
	out := []string{}
	for r, err := range s.Records(ctx, tb, []byte(prefix)) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(r.ID)+"="+string(r.Value))
	}
	return out
}

func testRecords(t *testing.T, s store.Store) {
	if _, err := s.Record(ctx, store.TableDomains, []byte("x")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Record of nothing: %v, want ErrNotFound", err)
	}
	err := s.WriteRecords(ctx,
		store.RecordOp{Table: store.TableDomains, ID: []byte("b"), Value: []byte("2")},
		store.RecordOp{Table: store.TableDomains, ID: []byte("a"), Value: []byte("1")},
		store.RecordOp{Table: store.TableSubscriptions, ID: []byte("a"), Value: []byte("other table")},
	)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a=1", "b=2"}, recordsOf(t, s, store.TableDomains, "")); diff != "" {
		t.Errorf("Records (-want +got):\n%s", diff)
	}
	// IfAbsent keeps what is there and sets what is not; a delete and a
	// set apply together.
	err = s.WriteRecords(ctx,
		store.RecordOp{Table: store.TableDomains, ID: []byte("a"), Value: []byte("changed"), IfAbsent: true},
		store.RecordOp{Table: store.TableDomains, ID: []byte("c"), Value: []byte("3"), IfAbsent: true},
		store.RecordOp{Table: store.TableDomains, ID: []byte("b"), Delete: true},
	)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a=1", "c=3"}, recordsOf(t, s, store.TableDomains, "")); diff != "" {
		t.Errorf("Records after IfAbsent and Delete (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c=3"}, recordsOf(t, s, store.TableDomains, "c")); diff != "" {
		t.Errorf("Records by prefix (-want +got):\n%s", diff)
	}
	v, err := s.Record(ctx, store.TableSubscriptions, []byte("a"))
	if err != nil || string(v) != "other table" {
		t.Errorf("Record = %q, %v", v, err)
	}
}

func testEvents(t *testing.T, s store.Store) {
	f := &store.Facts{Accounts: []store.Account{{Key: acct(1)}}}
	mustImport(t, s, breach("First"), f, store.Manifest{Sources: []store.Source{source("1")}, Event: []byte("one")})
	mustImport(t, s, breach("First"), f, store.Manifest{Sources: []store.Source{source("2")}})
	mustImport(t, s, breach("Second"), f, store.Manifest{Sources: []store.Source{source("3")}, Event: []byte("two")})
	var got []string
	var ids [][]byte
	for r, err := range s.Records(ctx, store.TableEvents, nil) {
		if err != nil {
			t.Fatal(err)
		}
		got, ids = append(got, string(r.Value)), append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"one", "two"}, got); diff != "" {
		t.Fatalf("events in commit order (-want +got):\n%s", diff)
	}
	// An aborted import leaves no event.
	imp, err := s.BeginImport(ctx, breach("Third"))
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Add(ctx, f); err != nil {
		t.Fatal(err)
	}
	imp.Abort()
	if err := s.WriteRecords(ctx, store.RecordOp{Table: store.TableEvents, ID: ids[0], Delete: true}); err != nil {
		t.Fatal(err)
	}
	if n := len(recordsOf(t, s, store.TableEvents, "")); n != 1 {
		t.Errorf("%d events after one of two was removed", n)
	}
}

// testImportRecords: records an import carries appear with its commit,
// not before, and not at all when it is aborted.
func testImportRecords(t *testing.T, s store.Store) {
	rec := func(id string) store.RecordOp {
		return store.RecordOp{Table: store.TablePrivateSpool, ID: []byte(id), Value: []byte("v" + id)}
	}
	imp, err := s.BeginImport(ctx, breach("First"))
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Add(ctx, &store.Facts{Accounts: []store.Account{{Key: acct(1)}}, Records: []store.RecordOp{rec("a"), rec("b")}}); err != nil {
		t.Fatal(err)
	}
	if err := imp.Add(ctx, &store.Facts{Records: []store.RecordOp{rec("c")}}); err != nil {
		t.Fatal(err)
	}
	if got := recordsOf(t, s, store.TablePrivateSpool, ""); len(got) != 0 {
		t.Fatalf("records before the commit: %q", got)
	}
	if _, err := imp.Commit(ctx, store.Manifest{Sources: []store.Source{source("1")}}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a=va", "b=vb", "c=vc"}, recordsOf(t, s, store.TablePrivateSpool, "")); diff != "" {
		t.Errorf("records after the commit (-want +got):\n%s", diff)
	}

	imp, err = s.BeginImport(ctx, breach("Second"))
	if err != nil {
		t.Fatal(err)
	}
	if err := imp.Add(ctx, &store.Facts{Records: []store.RecordOp{rec("d")}}); err != nil {
		t.Fatal(err)
	}
	imp.Abort()
	if got := recordsOf(t, s, store.TablePrivateSpool, ""); len(got) != 3 {
		t.Errorf("an aborted import's record stayed: %q", got)
	}

	// Only sets.
	imp, err = s.BeginImport(ctx, breach("Third"))
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Abort()
	del := rec("a")
	del.Delete = true
	if err := imp.Add(ctx, &store.Facts{Records: []store.RecordOp{del}}); err == nil {
		t.Error("an import's delete was accepted")
	}
}

func testPutDataKey(t *testing.T, s store.Store) {
	id, err := s.NextDataKeyID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutDataKey(ctx, store.WrappedKey{ID: id, Wrapped: []byte("wrapped")}); err != nil {
		t.Fatal(err)
	}
	keys, err := s.DataKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]store.WrappedKey{{ID: id, Wrapped: []byte("wrapped")}}, keys); diff != "" {
		t.Errorf("DataKeys (-want +got):\n%s", diff)
	}
}

// testOverlap: what a breach shares with the others, by accounts and by
// credential pairs.
func testOverlap(t *testing.T, s store.Store) {
	accts := func(ns ...int) []store.Account {
		var out []store.Account
		for _, n := range ns {
			out = append(out, store.Account{Key: acct(n)})
		}
		return out
	}
	mustImport(t, s, breach("Alpha"), &store.Facts{Accounts: accts(1, 2, 3), Passwords: []store.Password{pw(1, 1), pw(2, 2), pw(3, 3)}},
		store.Manifest{Sources: []store.Source{source("a")}})
	mustImport(t, s, breach("Beta"), &store.Facts{Accounts: accts(2, 3, 4), Passwords: []store.Password{pw(2, 2), pw(5, 9)}},
		store.Manifest{Sources: []store.Source{source("b")}})
	mustImport(t, s, breach("Gamma"), &store.Facts{Accounts: accts(3, 9), Passwords: []store.Password{pw(3, 3)}},
		store.Manifest{Sources: []store.Source{source("c")}})
	mustImport(t, s, breach("Delta"), &store.Facts{Accounts: accts(7)}, store.Manifest{Sources: []store.Source{source("d")}})
	o, err := s.Overlap(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Overlap{Accounts: 3, Pairs: 3, SharedAccounts: 2, SharedPairs: 2,
		Others: []store.OverlapWith{{Breach: "Beta", Accounts: 2, Pairs: 1}, {Breach: "Gamma", Accounts: 1, Pairs: 1}}}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("Overlap (-want +got):\n%s", diff)
	}
	// CountDomain counts the accounts at a domain in the whole store.
	dom := store.DomainTag{9}
	mustImport(t, s, breach("Epsilon"), &store.Facts{Accounts: []store.Account{
		{Key: acct(11), Email: true, Sealed: []byte("s"), Domain: dom}, {Key: acct(12), Email: true, Sealed: []byte("s"), Domain: dom}}},
		store.Manifest{Sources: []store.Source{source("e")}})
	for limit, want := range map[int64]int64{10: 2, 1: 1} {
		if n, err := s.CountDomain(ctx, dom, limit); err != nil || n != want {
			t.Errorf("CountDomain, limit %d: %d, %v", limit, n, err)
		}
	}
	if n, err := s.CountDomain(ctx, store.DomainTag{8}, 10); err != nil || n != 0 {
		t.Errorf("CountDomain of an empty domain: %d, %v", n, err)
	}
	if o, err := s.Overlap(ctx, "Delta"); err != nil || o.Accounts != 1 || o.SharedAccounts != 0 || len(o.Others) != 0 {
		t.Errorf("a breach sharing nothing: %+v, %v", o, err)
	}
	if _, err := s.Overlap(ctx, "Nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("no such breach: %v", err)
	}
}
