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
