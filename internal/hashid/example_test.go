package hashid_test

import (
	"fmt"

	"github.com/leakwatch/leakwatch/internal/hashid"
)

func ExampleIdentify() {
	for _, v := range []string{
		"$P$984478476IagS59wHZvyQMArzfx58u.",
		"*FCF7C1B8749CF99D88E5F34271D636178FB5D130",
		"7196759210defdc0",
		"Summer2024!",
	} {
		s, c := hashid.Identify([]byte(v))
		fmt.Println(s, c, s.HashcatModes())
	}
	// Output:
	// phpass certain [400]
	// mysql41 certain [300]
	// hex-16 ambiguous [200 5100 3000]
	// none not-hash []
}
