package cpushare

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// nice returns the nice value of the calling goroutine's thread.
func nice() (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The system call returns 20 - nice, so that it is never negative.
	p, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	return 20 - p, err
}
