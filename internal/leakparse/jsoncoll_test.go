package leakparse

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// classSink counts records, fields by class and quarantines by reason.
type classSink struct {
	records int
	fields  map[catalog.DataClass]int
	quar    map[Reason]int
	noPass  int // records without a password
}

func (s *classSink) Record(r *Record) error {
	s.records++
	pass := false
	for _, f := range r.Fields {
		s.fields[f.Class]++
		pass = pass || f.Class == catalog.ClassPassword
	}
	if !pass {
		s.noPass++
	}
	return nil
}

func (s *classSink) Quarantine(q *Quarantine) error { s.quar[q.Reason]++; return nil }

func newClassSink() *classSink {
	return &classSink{fields: map[catalog.DataClass]int{}, quar: map[Reason]int{}}
}

// firebaseUsers writes n users as a Firebase Realtime Database export: an
// object of records keyed by uid, under "users" (wrapped) or at the top.
func firebaseUsers(n int, wrapped bool) []byte {
	var b bytes.Buffer
	if wrapped {
		b.WriteString(`{"users": {`)
	} else {
		b.WriteString("{")
	}
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `"uid%024d": {"email": "user%d@example.com", "password": "pw-%d!", "passwordHash": "%032x", "displayName": "User %d", "createdAt": %d}`,
			i, i, i, i*7919, i, 1600000000000+i)
	}
	if wrapped {
		b.WriteString("}}")
	} else {
		b.WriteString("}")
	}
	return b.Bytes()
}

// TestObjectOfRecords: 3,000 Firebase users, keyed by uid, are 3,000
// records, each with its email, password and hash; none is dropped and no
// value of a later user is lost to the column cap.
func TestObjectOfRecords(t *testing.T) {
	for _, wrapped := range []bool{false, true} {
		t.Run(fmt.Sprintf("wrapped=%v", wrapped), func(t *testing.T) {
			s := newClassSink()
			st, err := Parse(context.Background(), bytes.NewReader(firebaseUsers(3000, wrapped)), Options{}, s)
			if err != nil {
				t.Fatal(err)
			}
			if st.Format != FormatJSON || s.records != 3000 || len(s.quar) != 0 || s.noPass != 0 {
				t.Errorf("format %s, %d records, quarantines %v, %d without a password", st.Format, s.records, s.quar, s.noPass)
			}
			for _, c := range []catalog.DataClass{catalog.ClassEmail, catalog.ClassPassword, catalog.ClassPasswordHash, catalog.ClassName} {
				if s.fields[c] != 3000 {
					t.Errorf("%d fields of class %v, want 3000", s.fields[c], c)
				}
			}
		})
	}
}

// TestColumnOverflowIsNeverSilent: past maxColumns, a value no class takes
// quarantines its row (too-many-columns) instead of vanishing; a value the
// content classifies is kept.
func TestColumnOverflowIsNeverSilent(t *testing.T) {
	var b strings.Builder
	n := maxColumns + 500
	for i := range n {
		fmt.Fprintf(&b, `{"email": "u%d@example.com", "attr_%d": "v%d"}`+"\n", i, i, i)
	}
	fmt.Fprintf(&b, `{"email": "last@example.com", "other_contact_%d": "second@example.org"}`+"\n", n)
	s := newClassSink()
	st, err := Parse(context.Background(), strings.NewReader(b.String()), Options{Format: FormatNDJSON}, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := int64(s.records) + st.Quarantined; got != st.Lines {
		t.Errorf("%d records + %d quarantined != %d lines", s.records, st.Quarantined, st.Lines)
	}
	if s.quar[ReasonTooManyColumns] == 0 || s.records < maxColumns-2 {
		t.Errorf("%d records, quarantines %v", s.records, s.quar)
	}
	if s.fields[catalog.ClassEmail] != s.records+1 {
		t.Errorf("%d emails in %d records, want the overflow email kept too", s.fields[catalog.ClassEmail], s.records)
	}
}
