package privatecheck

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"testing"

	"github.com/cloudflare/circl/oprf"
	"golang.org/x/crypto/argon2"
)

// TestKnownAnswers pins the bytes the design fixes: the canonical U of a
// login (package account's normalisation), the bucket label and
// truncation, the slow-hash salt layout and parameters, the OPRF input
// prefixes and the tag truncation, under a key derived from a fixed seed.
// A change here changes every bucket or tag: it needs new labels and a
// rebuilt index (docs/private-check.md section 2). The bucket values were
// checked against Python's hashlib.sha256.
func TestKnownAnswers(t *testing.T) {
	k := testKey(t, testParams, 1)
	if got, want := hex.EncodeToString(k.PublicKey()), "4efa888bd4e7efd7567da0cad6d431ccdfc991cb3d96472924b8e8c494a68878"; got != want {
		t.Fatalf("test key: public key %s, want %s", got, want)
	}
	for _, tc := range []struct {
		login    string
		u        string
		bucket17 uint32
		bucket24 uint32
		x        string // slow hash of "Password"
		pair     Tag    // tag of (login, "Password")
		username Tag
	}{
		{" Alice@EXAMPLE.com", "01616c696365406578616d706c652e636f6d", 54100, 0x69aa77,
			"a20b7d662a4fca01361897e08e36434945c27c7afaf12469ff0b0bcc6c41c6b7", 0x7607d2be, 0x2cc95dce},
		{"JDoe ", "026a646f65", 78883, 0x9a119a,
			"1b396abf0467a5e029c38a4219490d8389ec83cf3e0699caec3705e50398e233", 0x39d0cd98, 0x53f32611},
		{"+1 650 253 0000", "032b3136353032353330303030", 115831, 0xe23b98,
			"24f8d43d4394155ef4823b51577601c1090556591f1537348a10b963eaf4dab6", 0xe8b12ebd, 0xc4ccc82a},
		{"79161234567", "032b3739313631323334353637", 22990, 0x2ce77c,
			"cd81710878600cf709812cd15b96f5f7eade38fd86ad6d1fb182b1a51df9ed16", 0xd83e36d6, 0x30e6522a},
	} {
		t.Run(tc.login, func(t *testing.T) {
			l, err := ParseLogin(tc.login)
			if err != nil {
				t.Fatal(err)
			}
			u := l.appendU(nil)
			if got := hex.EncodeToString(u); got != tc.u {
				t.Errorf("U = %s, want %s", got, tc.u)
			}
			if got := (Params{BucketBits: 17}).BucketOf(l); got != tc.bucket17 {
				t.Errorf("bucket at 17 bits = %d, want %d", got, tc.bucket17)
			}
			if got := (Params{BucketBits: 24}).BucketOf(l); got != tc.bucket24 {
				t.Errorf("bucket at 24 bits = %#x, want %#x", got, tc.bucket24)
			}
			if got := (Params{BucketBits: 0}).BucketOf(l); got != 0 {
				t.Errorf("bucket at 0 bits = %d, want 0", got)
			}

			x, err := slowHash(l, []byte("Password"))
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(x); got != tc.x {
				t.Errorf("slow hash %s, want %s", got, tc.x)
			}
			// The salt layout, spelled out.
			salt := append([]byte("leakwatch/private/pair/v1"), byte(len(u)>>8), byte(len(u)))
			if got := hex.EncodeToString(argon2.IDKey([]byte("Password"), append(salt, u...), 1, 256, 1, 32)); got != tc.x {
				t.Errorf("slow hash by the documented recipe %s, want %s", got, tc.x)
			}

			pt, err := k.PairTag(l, []byte("Password"))
			if err != nil {
				t.Fatal(err)
			}
			if pt != tc.pair {
				t.Errorf("pair tag %#08x, want %#08x", uint32(pt), uint32(tc.pair))
			}
			ut, err := k.UsernameTag(l)
			if err != nil {
				t.Fatal(err)
			}
			if ut != tc.username {
				t.Errorf("username tag %#08x, want %#08x", uint32(ut), uint32(tc.username))
			}

			// The tags by the documented recipe: the first 4 bytes of
			// FullEvaluate of 0x01 ‖ x and of 0x02 ‖ U.
			srv := oprf.NewVerifiableServer(suite, k.priv)
			out, err := srv.FullEvaluate(append([]byte{0x01}, x...))
			if err != nil {
				t.Fatal(err)
			}
			if got := Tag(binary.BigEndian.Uint32(out)); got != pt {
				t.Errorf("pair tag by the recipe %#08x, PairTag %#08x", uint32(got), uint32(pt))
			}
			out, err = srv.FullEvaluate(append([]byte{0x02}, u...))
			if err != nil {
				t.Fatal(err)
			}
			if got := Tag(binary.BigEndian.Uint32(out)); got != ut {
				t.Errorf("username tag by the recipe %#08x, UsernameTag %#08x", uint32(got), uint32(ut))
			}
		})
	}
}

// TestGenerateKeyFromReader checks that GenerateKey draws its key from
// the injected reader alone: the same bytes give the same key, and an
// exhausted reader an error.
func TestGenerateKeyFromReader(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	p := Params{Epoch: 1, BucketBits: 9}
	k1, err := GenerateKey(p, bytes.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := GenerateKey(p, bytes.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1.PublicKey(), k2.PublicKey()) {
		t.Error("same seed, different keys")
	}
	k3, err := GenerateKey(Params{Epoch: 2, BucketBits: 9}, bytes.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(k1.PublicKey(), k3.PublicKey()) {
		t.Error("same seed, same key in another epoch")
	}
	if _, err := GenerateKey(p, bytes.NewReader(seed[:31])); err == nil {
		t.Error("GenerateKey accepted a short read")
	}
}

// TestBucketBitsFor checks the rule against the table of
// docs/private-check.md section 2 and the benchmark's bucketBits.
func TestBucketBitsFor(t *testing.T) {
	for _, tc := range []struct {
		pairs int
		want  uint8
	}{{0, 0}, {2048, 0}, {2049, 1}, {1e6, 9}, {50e6, 15}, {184e6, 17}, {1 << 40, MaxBucketBits}} {
		if got := BucketBitsFor(tc.pairs); got != tc.want {
			t.Errorf("BucketBitsFor(%d) = %d, want %d", tc.pairs, got, tc.want)
		}
		if tc.pairs < 1<<30 && int(BucketBitsFor(tc.pairs)) != bucketBits(tc.pairs) {
			t.Errorf("BucketBitsFor(%d) = %d, the benchmark's rule %d", tc.pairs, BucketBitsFor(tc.pairs), bucketBits(tc.pairs))
		}
	}
}
