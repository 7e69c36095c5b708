//go:build !unix

package serve

import "net"

// pending reports whether data from the peer waits unread on c; it cannot
// tell on this system.
func pending(net.Conn) bool { return false }
