package hashid_test

// Benchmarks of the per-value cost. The combolist import calls IsHash once
// per line, so kind=password is the figure to watch (target: well under
// 50 ns/value for passwords of 8 to 16 characters).
//
// Recipe:
//
//	go test -run '^$' -bench . -benchtime 2s ./internal/hashid/

import (
	"crypto/md5"
	"encoding/hex"
	"testing"

	"github.com/leakwatch/leakwatch/internal/hashid"
	"github.com/leakwatch/leakwatch/internal/leakgen"
)

// benchValues returns test inputs of one kind: leakgen passwords of 8 to 16
// characters, all leakgen passwords, MD5 hex digests (the commonest hash in
// combolists), or the Certain samples.
func benchValues(kind string) [][]byte {
	var out [][]byte
	switch kind {
	case "md5":
		for i := range 4096 {
			s := md5.Sum([]byte{byte(i), byte(i >> 8)})
			out = append(out, []byte(hex.EncodeToString(s[:])))
		}
		return out
	case "hash":
		for _, s := range samples {
			if s.c == hashid.Certain {
				out = append(out, []byte(s.v))
			}
		}
		return out
	}
	for _, p := range leakgen.People(1) {
		if len(out) == 4096 {
			break
		}
		if n := len(p.Password); kind == "password" || 8 <= n && n <= 16 {
			out = append(out, []byte(p.Password))
		}
	}
	return out
}

func BenchmarkIsHash(b *testing.B) {
	for _, kind := range []string{"password-8to16", "password", "md5", "hash"} {
		b.Run("kind="+kind, func(b *testing.B) {
			vs := benchValues(kind)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, v := range vs {
					if hashid.IsHash(v) {
						n++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vs)), "ns/value")
			_ = n
		})
	}
}

func BenchmarkIdentify(b *testing.B) {
	for _, kind := range []string{"password-8to16", "password", "md5", "hash"} {
		b.Run("kind="+kind, func(b *testing.B) {
			vs := benchValues(kind)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				for _, v := range vs {
					if _, c := hashid.Identify(v); c != hashid.NotHash {
						n++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(vs)), "ns/value")
			_ = n
		})
	}
}
