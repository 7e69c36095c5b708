//go:build unix

package tui

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time so far: on a shared machine
// it measures a frame's cost where wall time measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
