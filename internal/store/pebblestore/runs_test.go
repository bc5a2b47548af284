package pebblestore

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

func TestRunBufferSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 63, 64, 1000, 50000} {
		b := &runBuffer{}
		for i := 0; i < n; i++ {
			var k [21]byte
			k[0] = "asne"[r.IntN(4)]
			switch r.IntN(4) {
			case 0: // shares an 8-byte prefix with others, differs after
				binary.BigEndian.PutUint64(k[1:], 42)
				k[20] = byte(r.IntN(256))
			case 1: // a duplicate
				k[1] = 7
			default:
				binary.BigEndian.PutUint64(k[1:], r.Uint64())
				binary.BigEndian.PutUint64(k[9:], r.Uint64())
			}
			b.add(k[:r.IntN(5)+16], opSet, nil)
		}
		b.sort()
		for i := 1; i < len(b.items); i++ {
			prev, _, _ := b.entry(b.items[i-1].off)
			cur, _, _ := b.entry(b.items[i].off)
			if bytes.Compare(prev, cur) > 0 {
				t.Fatalf("n=%d: item %d out of order", n, i)
			}
		}
	}
}

func BenchmarkRunBufferSort(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	src := &runBuffer{}
	for range 1 << 20 {
		var k [21]byte
		k[0] = "asne"[r.IntN(4)]
		binary.BigEndian.PutUint64(k[1:], r.Uint64())
		src.add(k[:], opSet, nil)
	}
	items := append([]sortItem(nil), src.items...)
	b.ReportAllocs()
	for b.Loop() {
		copy(src.items, items)
		src.sort()
	}
	b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

// TestGroupSort sorts a bucket-shaped buffer (one table byte, one top of
// the second byte) large enough for grouping.
func TestGroupSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	b := &runBuffer{}
	for i := 0; i < 60000; i++ {
		k := make([]byte, 21)
		k[0] = 's'
		binary.BigEndian.PutUint64(k[1:], r.Uint64())
		binary.BigEndian.PutUint64(k[9:], r.Uint64())
		k[1] = 0x40 | k[1]&3
		if i%10 == 0 {
			k = k[:2+r.IntN(3)] // short keys sort before their extensions
		}
		if i%7 == 0 && len(k) == 21 {
			copy(k[3:], "duplicate-key-tail")
			k[1], k[2] = 0x41, 9
		}
		b.add(k, opSet, []byte{byte(i)})
	}
	want := map[string]int{}
	for _, it := range b.items {
		k, _, _ := b.entry(it.off)
		want[string(k)]++
	}
	b.groupSort(nil)
	got := map[string]int{}
	for i := range b.items {
		k, _, _ := b.entry(b.items[i].off)
		got[string(k)]++
		if i > 0 {
			prev, _, _ := b.entry(b.items[i-1].off)
			if bytes.Compare(prev, k) > 0 {
				t.Fatalf("item %d out of order", i)
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d distinct keys after sorting, %d before", len(got), len(want))
	}
	for k, n := range want {
		if got[k] != n {
			t.Fatalf("key %x: %d copies after, %d before", k, got[k], n)
		}
	}
}
