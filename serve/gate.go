package serve

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Pre-authentication limits. A connection counts as a "startup" from accept
// until it has logged in; startups are limited apart from seats and
// logged-in connections, so that connections which never log in cannot keep
// anyone else out:
//
//   - key exchange must be done within Config.HandshakeTimeout, and the login
//     within Config.LoginGrace;
//   - at most Config.MaxStartups startups at once, and at most
//     Config.MaxStartupsPerAddr from one IP address;
//   - from half of a limit on, a new connection displaces a startup that has
//     stalled — made no progress (version sent, key exchange done, an
//     authentication attempt) for a second, or failed an authentication
//     attempt — the most stalled first; at the limit itself it displaces one
//     in any case: a stalled one if there is one, else the one least far in
//     the handshake, the oldest first. For the global limit the startup is
//     taken from the addresses with the most startups.
//
// A legitimate client makes progress at every round trip (and a client whose
// bytes wait unread in the socket counts as having spoken), so a flood of
// silent or slow connections, from its own address or others, displaces
// itself; handshakes under way are left to finish while there is room. An
// attacker who reconnects thousands of times a second can still, rarely,
// displace a handshake in its first milliseconds — from the user's own
// address, or from many addresses with no more startups each than the
// user's; a busier address never displaces another's startups.

// Defaults of the pre-authentication limits.
const (
	DefaultHandshakeTimeout   = 10 * time.Second
	DefaultLoginGrace         = 30 * time.Second
	DefaultMaxStartups        = 128
	DefaultMaxStartupsPerAddr = 32
)

// stallAfter is how long a startup may go without progress before a new
// connection may displace it (below the hard limits).
const stallAfter = time.Second

// Progress of a connection through the handshake.
const (
	stageSilent  int32 = iota // nothing received yet
	stageTalking              // the client has sent something (its version)
	stageAuth                 // key exchange done, authenticating
	stageIn                   // logged in
)

var stageNames = [...]string{"silent", "talking", "authenticating", "logged-in"}

// conn is a connection the server tracks from accept to close.
type conn struct {
	net.Conn
	s     *Server
	id    int64
	ip    string // the startup accounting key
	start time.Time
	stage atomic.Int32
	last  atomic.Int64 // unix nanoseconds of the last progress
	fails atomic.Int32 // failed authentication attempts (the "none" probe aside)

	kex    *time.Timer // closes the connection if key exchange is not done in time
	closed atomic.Bool // closed by the server on purpose (logged already)
	once   sync.Once

	// guarded by gate.mu
	pending bool // counted as a startup
	authed  bool // counted as logged in
}

// progress records a step forward in the handshake.
func (c *conn) progress(stage int32) {
	for {
		old := c.stage.Load()
		if stage <= old {
			break
		}
		if c.stage.CompareAndSwap(old, stage) {
			break
		}
	}
	c.last.Store(time.Now().UnixNano())
}

// stall is how long the startup has gone without progress; a failed
// authentication counts as stalled already.
func (c *conn) stall(now time.Time) time.Duration {
	d := now.Sub(time.Unix(0, c.last.Load()))
	if c.fails.Load() > 0 {
		d += stallAfter
	}
	return d
}

func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.stage.Load() == stageSilent {
		c.progress(stageTalking)
	}
	return n, err
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		if c.kex != nil {
			c.kex.Stop()
		}
		c.s.gate.remove(c)
		c.s.log.Info("disconnect", "conn", c.id, "remote", c.RemoteAddr().String(),
			"duration", time.Since(c.start).Round(time.Millisecond).String())
	})
	return err
}

// drop closes the connection on the server's own decision, logging why.
func (c *conn) drop(msg string, args ...any) {
	if c.closed.Swap(true) {
		return
	}
	c.s.log.Warn(msg, append([]any{"conn", c.id, "remote", c.RemoteAddr().String(),
		"stage", stageNames[c.stage.Load()], "age", time.Since(c.start).Round(time.Millisecond).String()}, args...)...)
	c.Conn.Close() // the SSH layer then fails and closes the wrapper
}

// gate does the accounting of startups and logged-in connections.
type gate struct {
	max, perAddr, maxIn int

	mu      sync.Mutex
	pending map[*conn]struct{}
	byAddr  map[string]int
	in      int
	shut    bool
}

func newGate(max, perAddr, maxIn int) *gate {
	return &gate{max: max, perAddr: perAddr, maxIn: maxIn, pending: map[*conn]struct{}{}, byAddr: map[string]int{}}
}

// admit counts a new connection as a startup, first displacing startups as
// the limits require; it returns those (to be dropped by the caller), or
// false when the new connection must be refused (the server is closing).
func (g *gate) admit(c *conn) (victims []*conn, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut {
		return nil, false
	}
	now := time.Now()
	displace := func(n, limit int, ips func() map[string]bool) {
		if n < (limit+1)/2 {
			return
		}
		v := g.stalest(ips(), now)
		if v != nil && (n >= limit || v.stall(now) >= stallAfter) {
			g.unpend(v)
			victims = append(victims, v)
		}
	}
	displace(g.byAddr[c.ip], g.perAddr, func() map[string]bool { return map[string]bool{c.ip: true} })
	displace(len(g.pending), g.max, g.busiest)
	g.pending[c] = struct{}{}
	g.byAddr[c.ip]++
	c.pending = true
	return victims, true
}

// busiest is the set of addresses with the most startups.
func (g *gate) busiest() map[string]bool {
	most := 0
	for _, k := range g.byAddr {
		most = max(most, k)
	}
	out := map[string]bool{}
	for ip, k := range g.byAddr {
		if k == most {
			out[ip] = true
		}
	}
	return out
}

// stalest is the startup from ips to displace first: the one that has gone
// longest without progress if any has stalled, else the one least far in
// the handshake, the oldest of equals. A silent one is looked at once more
// first: a client whose version waits unread in the socket (a busy server)
// has spoken, and is not displaced as silent.
func (g *gate) stalest(ips map[string]bool, now time.Time) *conn {
	for {
		var v *conn
		var vs time.Duration
		for c := range g.pending {
			if !ips[c.ip] {
				continue
			}
			s := c.stall(now)
			if v == nil || worse(c, s, v, vs) {
				v, vs = c, s
			}
		}
		if v == nil || v.stage.Load() != stageSilent || !pending(v.Conn) {
			return v
		}
		v.progress(stageTalking)
	}
}

// worse reports whether startup a (stalled for as) is to be displaced
// before b (stalled for bs).
func worse(a *conn, as time.Duration, b *conn, bs time.Duration) bool {
	aStalled, bStalled := as >= stallAfter, bs >= stallAfter
	switch {
	case aStalled != bStalled:
		return aStalled
	case aStalled:
		return as > bs || as == bs && a.start.Before(b.start)
	}
	if sa, sb := a.stage.Load(), b.stage.Load(); sa != sb {
		return sa < sb
	}
	return a.start.Before(b.start)
}

func (g *gate) unpend(c *conn) {
	if !c.pending {
		return
	}
	c.pending = false
	delete(g.pending, c)
	if g.byAddr[c.ip]--; g.byAddr[c.ip] <= 0 {
		delete(g.byAddr, c.ip)
	}
}

// loggedIn moves a startup to the logged-in connections; it reports false
// when there are too many of those already.
func (g *gate) loggedIn(c *conn) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.unpend(c)
	if c.authed {
		return true
	}
	if g.in >= g.maxIn {
		return false
	}
	c.authed = true
	g.in++
	return true
}

func (g *gate) remove(c *conn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.unpend(c)
	if c.authed {
		c.authed = false
		g.in--
	}
}

// close refuses new connections and returns the startups, to be dropped.
func (g *gate) close() []*conn {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.shut = true
	var out []*conn
	for c := range g.pending {
		out = append(out, c)
	}
	return out
}

// counts reports the startups and logged-in connections.
func (g *gate) counts() (startups, in int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.pending), g.in
}

// ctxConnKey holds a connection's *conn in its ssh.Context.
type ctxConnKey struct{}

func connOf(ctx ssh.Context) *conn {
	c, _ := ctx.Value(ctxConnKey{}).(*conn)
	return c
}

func connID(ctx ssh.Context) int64 {
	if c := connOf(ctx); c != nil {
		return c.id
	}
	return 0
}

// onConnect numbers and tracks a new connection, making room for it among
// the startups.
func (s *Server) onConnect(ctx ssh.Context, nc net.Conn) net.Conn {
	c := &conn{Conn: nc, s: s, id: s.connSeq.Add(1), start: time.Now()}
	c.last.Store(c.start.UnixNano())
	ip, ok := addrIP(nc.RemoteAddr())
	c.ip = nc.RemoteAddr().String()
	if ok {
		c.ip = ip.String()
	}
	victims, ok := s.gate.admit(c)
	if !ok {
		s.log.Warn("connection refused: shutting down", "conn", c.id, "remote", nc.RemoteAddr().String())
		return nil
	}
	for _, v := range victims {
		v.drop("pre-auth connection dropped to make room", "for", c.id)
	}
	ctx.SetValue(ctxConnKey{}, c)
	s.log.Info("connect", "conn", c.id, "remote", nc.RemoteAddr().String())
	c.kex = time.AfterFunc(s.cfg.HandshakeTimeout, func() {
		if c.stage.Load() < stageAuth {
			c.drop("pre-auth connection dropped: no key exchange in time", "limit", s.cfg.HandshakeTimeout.String())
		}
	})
	return c
}

func (s *Server) onConnFailed(nc net.Conn, err error) {
	if errors.Is(err, net.ErrClosed) {
		return // dropped by the server, and logged then
	}
	s.log.Warn("connection failed", "remote", nc.RemoteAddr().String(), "err", err)
}

// sshConfig adds the hooks that follow a connection's progress to the
// library's per-connection configuration.
func (s *Server) sshConfig(ctx ssh.Context) *gossh.ServerConfig {
	c := connOf(ctx)
	return &gossh.ServerConfig{
		PreAuthConnCallback: func(gossh.ServerPreAuthConn) {
			if c != nil {
				c.progress(stageAuth)
			}
		},
		AuthLogCallback: func(_ gossh.ConnMetadata, method string, err error) {
			if c == nil {
				return
			}
			if err != nil {
				if method != "none" {
					c.fails.Add(1)
				}
				c.progress(stageAuth)
				return
			}
			c.progress(stageIn)
			if !s.gate.loggedIn(c) {
				c.drop("connection dropped: too many logged-in connections", "max", s.gate.maxIn)
			}
		},
	}
}
