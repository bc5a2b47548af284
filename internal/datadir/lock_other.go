//go:build !unix

package datadir

// lockDir does nothing where flock is not available: concurrent creations
// of one data directory are not serialised there.
func lockDir(dir string) (unlock func(), err error) { return func() {}, nil }
