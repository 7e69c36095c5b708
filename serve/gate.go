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
//   - a new connection is always taken: at a limit, the startup that has made
//     the least progress is dropped to make room — a silent one before one
//     that sent its version, before one in authentication; the oldest
//     first; for the global limit, from the address with the most startups.
//
// A legitimate client talks at once, so a flood of silent (or slow)
// connections, from its own address or others, only ever displaces itself.

// Defaults of the pre-authentication limits.
const (
	DefaultHandshakeTimeout   = 10 * time.Second
	DefaultLoginGrace         = 30 * time.Second
	DefaultMaxStartups        = 32
	DefaultMaxStartupsPerAddr = 8
)

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

	kex    *time.Timer // closes the connection if key exchange is not done in time
	closed atomic.Bool // closed by the server on purpose (logged already)
	once   sync.Once

	// guarded by gate.mu
	pending bool // counted as a startup
	authed  bool // counted as logged in
}

func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 && c.stage.Load() == stageSilent {
		c.stage.CompareAndSwap(stageSilent, stageTalking)
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

// admit counts a new connection as a startup and returns the startups it
// displaced (to be dropped by the caller), or false when the server is
// closing.
func (g *gate) admit(c *conn) (victims []*conn, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.shut {
		return nil, false
	}
	if g.byAddr[c.ip] >= g.perAddr {
		if v := g.weakest(c.ip); v != nil {
			g.unpend(v)
			victims = append(victims, v)
		}
	}
	if len(g.pending) >= g.max {
		if v := g.weakest(g.busiest()); v != nil {
			g.unpend(v)
			victims = append(victims, v)
		}
	}
	g.pending[c] = struct{}{}
	g.byAddr[c.ip]++
	c.pending = true
	return victims, true
}

// busiest is the address with the most startups.
func (g *gate) busiest() string {
	best, n := "", -1
	for ip, k := range g.byAddr {
		if k > n || k == n && ip < best {
			best, n = ip, k
		}
	}
	return best
}

// weakest is the startup from ip with the least progress, the oldest first.
func (g *gate) weakest(ip string) *conn {
	var v *conn
	for c := range g.pending {
		if c.ip != ip {
			continue
		}
		if v == nil || c.stage.Load() < v.stage.Load() ||
			c.stage.Load() == v.stage.Load() && c.start.Before(v.start) {
			v = c
		}
	}
	return v
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
				c.stage.Store(stageAuth)
			}
		},
		AuthLogCallback: func(_ gossh.ConnMetadata, _ string, err error) {
			if err != nil || c == nil {
				return
			}
			c.stage.Store(stageIn)
			if !s.gate.loggedIn(c) {
				c.drop("connection dropped: too many logged-in connections", "max", s.gate.maxIn)
			}
		},
	}
}
