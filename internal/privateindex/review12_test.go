package privateindex

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/privatecheck"
)

// review12: a rotation interrupted (server killed, Ctrl-C) and run again
// with another --bucket-bits silently resumes the building epoch with the
// bits of the first run: the operator's --bucket-bits is ignored without
// a word (seen end to end: `private rotate --bucket-bits 8` after a killed
// rotation made a 6-bit epoch current).
func TestReview12RotateResumeHonoursBucketBits(t *testing.T) {
	defer func(n int) { batchPairs = n }(batchPairs)
	batchPairs = 4
	f := open(t)
	if _, err := f.ix.Enable(ctx, EnableOptions{BucketBits: 1}); err != nil {
		t.Fatal(err)
	}
	var pairs [][2]string
	for i := range 40 {
		pairs = append(pairs, [2]string{fmt.Sprintf("user%d@example.com", i), fmt.Sprintf("secret-%d", i)})
	}
	f.importPairs(t, "Big", pairs)
	if _, err := f.ix.Build(ctx, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	batches := 0
	_, err := f.ix.Rotate(cctx, BuildOptions{Grace: time.Hour, BucketBits: 3, Progress: func(Progress) {
		if batches++; batches == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled rotation: %v", err)
	}
	// A pair imported while the rotation is interrupted.
	f.importPairs(t, "Later", [][2]string{{"late@example.org", "Tr0ub4dor&3"}})
	if _, err := f.ix.Build(ctx, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := f.ix.Rotate(ctx, BuildOptions{Grace: time.Hour, BucketBits: 5})
	if err != nil {
		t.Fatalf("second rotation: %v (an error saying the resumed epoch keeps its bits would be fine too)", err)
	}
	cur := st.Epochs[len(st.Epochs)-1]
	f.expect(t, cur.Epoch, "late@example.org", "Tr0ub4dor&3", privatecheck.Leaked)
	f.expect(t, cur.Epoch, pairs[39][0], pairs[39][1], privatecheck.Leaked)
	if cur.BucketBits != 5 {
		t.Errorf("rotate with BucketBits 5 made epoch %d current with %d bucket bits, silently", cur.Epoch, cur.BucketBits)
	}
}
