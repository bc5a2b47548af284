//go:build !unix

package datadir

import (
	"io/fs"
	"os"
)

// keepOwner gives dir the mode of the directory it replaces.
func keepOwner(dir string, was fs.FileInfo) {
	os.Chmod(dir, was.Mode().Perm())
}
