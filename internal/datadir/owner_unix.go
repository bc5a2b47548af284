//go:build unix

package datadir

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// keepOwner gives dir the mode and, where it may, the owner of the
// directory it replaces, and gives its files that owner too (a service's
// state directory belongs to the service's user, who must read what root
// restored). It does what it can: a restore run by an unprivileged user
// keeps its own.
func keepOwner(dir string, was fs.FileInfo) {
	os.Chmod(dir, was.Mode().Perm())
	st, ok := was.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Geteuid() {
		return
	}
	filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err == nil {
			os.Lchown(path, int(st.Uid), int(st.Gid))
		}
		return nil
	})
}
