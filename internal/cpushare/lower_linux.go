package cpushare

import "golang.org/x/sys/unix"

const lowerable = true

// lowest is the nice value of a low share's threads.
const lowest = 19

// lower gives the calling OS thread the lowest priority. On Linux, nice
// values belong to threads: PRIO_PROCESS with a thread id sets one.
func lower() error {
	return unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), lowest)
}
