//go:build unix

package serve

import (
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// pending reports whether data from the peer waits unread on c (a TCP
// connection), without reading it or waiting.
func pending(c net.Conn) bool {
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	n := 0
	rc.Control(func(fd uintptr) {
		var b [1]byte
		n, _, _ = unix.Recvfrom(int(fd), b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
	})
	return n > 0
}
