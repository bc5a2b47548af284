// Package privatecheck will hold the private credential check of issue 12
// (docs/private-check.md). For now it holds only the benchmarks that fixed
// its parameters: the cost of the RFC 9497 OPRF (circl, ristretto255-SHA512)
// on either side, of the candidate client-side slow hashes, and the size of
// a bucket answer at the proposed bucket and tag lengths:
//
//	go test -run XXX -bench . ./internal/privatecheck/
package privatecheck
