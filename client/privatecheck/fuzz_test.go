package privatecheck

import (
	"strings"
	"testing"
)

// FuzzParseParams: no params document makes the parser panic, and a
// document it accepts has only the protocol's constants and well-formed
// epochs.
func FuzzParseParams(f *testing.F) {
	doc := `{"v":1,"suite":"ristretto255-SHA512","mode":"verifiable","elements":12,` +
		`"slow_hash":{"alg":"argon2id","t":1,"m_kib":256,"p":1,"len":32},` +
		`"canary":{"login":"leakwatch-canary@invalid","password":"c4n4ry"},` +
		`"epochs":[{"epoch":3,"state":"current","public_key":"KEY","bucket_bits":17,"tag_bits":32},` +
		`{"epoch":2,"state":"retiring","not_after":"2027-01-08T00:00:00Z","public_key":"KEY","bucket_bits":17,"tag_bits":32}]}`
	f.Add(strings.ReplaceAll(doc, "KEY", strings.Repeat("A", 43)))
	f.Add(doc)
	f.Add(`{"v":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseParams([]byte(s))
		if err != nil {
			return
		}
		if p.SlowHash.T != 1 || p.SlowHash.MemoryKiB != 256 {
			t.Errorf("accepted slow hash %+v", p.SlowHash)
		}
		for _, e := range p.Epochs {
			if len(e.PublicKey) != publicKeyLen || e.TagBits != 32 {
				t.Errorf("accepted epoch %+v", e)
			}
		}
	})
}
