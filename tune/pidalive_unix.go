//go:build unix

package tune

import (
	"errors"
	"syscall"
)

// pidAlive reports whether a process with that id exists on this host
// (signal 0 checks without signalling; EPERM means it exists but is not ours).
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
