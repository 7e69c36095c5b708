// Package serve serves the lab over SSH (charm.land/wish/v2): every SSH
// session with a terminal gets its own lab (tui.Model, tea.Program and
// training engine) sized and coloured for the client's terminal.
//
// Security model: public-key authentication against an authorized_keys file
// (or, only when asked for explicitly, no authentication at all); a persistent
// host key; no shell, no commands, no subsystems, no port forwarding — the lab
// is the only thing a session can run. Sessions are capped, closed after a
// stretch without input, and share the CPU fairly: all sessions together
// train at most Config.CPUs batches at once, taking turns batch by batch.
//
// Logs are structured (log/slog): connections, authentication results,
// sessions and disconnections. Key material never appears in them; accepted
// and rejected keys are named by type and SHA256 fingerprint.
package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/tui"
)

// ErrServerClosed is what Serve returns after Shutdown or Close.
var ErrServerClosed = ssh.ErrServerClosed

// Defaults of Config.
const (
	DefaultAddr        = "127.0.0.1:23234"
	DefaultMaxSessions = 8
	DefaultIdle        = 30 * time.Minute
)

// Config configures a Server.
type Config struct {
	Addr           string // listen address for ListenAndServe; default DefaultAddr (loopback only)
	HostKey        string // private host key file; an ed25519 key is created there (0600) if missing. Required.
	AuthorizedKeys string // OpenSSH authorized_keys file; "" only with InsecureOpen
	InsecureOpen   bool   // without AuthorizedKeys: let anyone in, unauthenticated
	MaxSessions    int    // concurrent labs; 0 = DefaultMaxSessions
	// Idle closes a session after this long without input from its user;
	// 0 = never. (The CLI's default is DefaultIdle.)
	Idle time.Duration
	// CPUs bounds the training batches that run at once across all sessions
	// (each on one goroutine); 0 = GOMAXPROCS.
	CPUs int
	// Lab is the template of every session's lab: Presets, Factory, Preset,
	// Seed, RunsDir, Mouse, Demo, Now. Color and Context are set per session;
	// Factory must be safe for concurrent use (it may share read-only data).
	Lab tui.Options
	// Logger receives the structured log; nil = slog.Default().
	Logger *slog.Logger
}

// SessionInfo describes one live session.
type SessionInfo struct {
	ID      int64
	User    string
	Remote  string
	Started time.Time
	Steps   int64 // training batches completed
}

// Server is the SSH lab server.
type Server struct {
	cfg  Config
	log  *slog.Logger
	srv  *ssh.Server
	keys *keyring // nil: open server
	cpu  *fairShare

	connSeq, sessSeq atomic.Int64
	conns            atomic.Int64

	mu      sync.Mutex
	closing bool
	live    map[int64]*session
}

// errors of admission
var (
	errFull    = errors.New("full")
	errClosing = errors.New("closing")
)

// New checks the configuration, loads (or creates) the host key and the
// authorised keys, and builds the server. It does not listen yet.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.CPUs == 0 {
		cfg.CPUs = runtime.GOMAXPROCS(0)
	}
	switch {
	case cfg.MaxSessions < 0:
		return nil, fmt.Errorf("max sessions must be positive, not %d", cfg.MaxSessions)
	case cfg.CPUs < 0:
		return nil, fmt.Errorf("cpus must be positive, not %d", cfg.CPUs)
	case cfg.Idle < 0:
		return nil, fmt.Errorf("idle timeout must not be negative")
	case cfg.HostKey == "":
		return nil, errors.New("no host key file given")
	case cfg.AuthorizedKeys == "" && !cfg.InsecureOpen:
		return nil, errors.New("no authorized keys file given: refusing to serve without authentication (pass --insecure-open to let anyone in)")
	case cfg.Lab.Factory == nil:
		return nil, errors.New("no lab factory")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, cpu: newFairShare(cfg.CPUs), live: map[int64]*session{}}
	if s.log == nil {
		s.log = slog.Default()
	}
	signer, created, err := loadHostKey(cfg.HostKey)
	if err != nil {
		return nil, err
	}
	s.log.Info("host key", "path", cfg.HostKey, "created", created,
		"type", signer.PublicKey().Type(), "fingerprint", gossh.FingerprintSHA256(signer.PublicKey()))
	if cfg.AuthorizedKeys != "" {
		if s.keys, err = loadKeyring(cfg.AuthorizedKeys, s.log); err != nil {
			return nil, err
		}
		s.log.Info("authorized keys", "path", cfg.AuthorizedKeys, "keys", s.keys.len())
	} else {
		s.log.Warn("INSECURE: no authentication, anyone who reaches the address gets a lab (--insecure-open)")
	}

	opts := []ssh.Option{
		wish.WithAddress(cfg.Addr),
		wish.WithVersion("infomorph-tui"),
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		wish.WithMiddleware(s.middleware),
		func(srv *ssh.Server) error {
			// Only "session" channels: no direct-tcpip (local forwarding), no
			// tcpip-forward requests (remote forwarding), no subsystems (sftp…).
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": ssh.DefaultSessionHandler}
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			srv.LocalPortForwardingCallback = nil
			srv.ReversePortForwardingCallback = nil
			srv.SessionRequestCallback = func(_ ssh.Session, kind string) bool { return kind == "shell" || kind == "exec" }
			srv.HandshakeTimeout = 30 * time.Second
			if cfg.Idle > 0 {
				// a backstop for connections without a session; sessions are
				// closed on input idleness (with a message) well before
				srv.IdleTimeout = cfg.Idle + time.Minute
			}
			srv.ConnCallback = s.onConnect
			srv.ConnectionFailedCallback = s.onConnFailed
			return nil
		},
	}
	if s.keys != nil {
		opts = append(opts, wish.WithPublicKeyAuth(s.authorise))
	}
	if s.srv, err = wish.NewServer(opts...); err != nil {
		return nil, err
	}
	return s, nil
}

// ListenAndServe listens on Config.Addr and serves until Shutdown.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve serves SSH on ln until Shutdown; it then returns ssh.ErrServerClosed.
func (s *Server) Serve(ln net.Listener) error {
	s.log.Info("listening", "addr", ln.Addr().String(), "max_sessions", s.cfg.MaxSessions,
		"idle", s.cfg.Idle.String(), "cpus", s.cfg.CPUs)
	return s.srv.Serve(ln)
}

// Shutdown stops taking sessions, tells every connected user that the
// server is going down and ends their labs, waits for them (at most until
// ctx ends) and closes every connection.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	live := slices.Collect(maps.Values(s.live))
	s.mu.Unlock()
	s.log.Info("shutting down", "sessions", len(live))
	for _, ls := range live {
		ls.end(reasonShutdown)
	}
	var err error
	for _, ls := range live {
		select {
		case <-ls.done:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
	}
	// give clients a moment to hang up by themselves, then close the rest
	grace, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if s.srv.Shutdown(grace) != nil {
		s.srv.Close()
	}
	s.log.Info("stopped")
	return err
}

// Close closes the listeners and every connection at once, without telling
// anyone.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	return s.srv.Close()
}

// Sessions lists the live sessions, oldest first.
func (s *Server) Sessions() []SessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SessionInfo, 0, len(s.live))
	for _, ls := range s.live {
		out = append(out, ls.info())
	}
	slices.SortFunc(out, func(a, b SessionInfo) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// admit registers a session if there is room.
func (s *Server) admit(ls *session) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return len(s.live), errClosing
	case len(s.live) >= s.cfg.MaxSessions:
		return len(s.live), errFull
	}
	s.live[ls.id] = ls
	return len(s.live), nil
}

func (s *Server) leave(ls *session) {
	s.mu.Lock()
	delete(s.live, ls.id)
	s.mu.Unlock()
}

// ctxConnKey holds a connection's number in its ssh.Context.
type ctxConnKey struct{}

func connID(ctx ssh.Context) int64 {
	id, _ := ctx.Value(ctxConnKey{}).(int64)
	return id
}

// maxConns bounds open connections (including ones still authenticating);
// above it new connections are dropped at once.
func (s *Server) maxConns() int64 { return int64(4*s.cfg.MaxSessions + 16) }

// onConnect logs a new connection and numbers it.
func (s *Server) onConnect(ctx ssh.Context, c net.Conn) net.Conn {
	id := s.connSeq.Add(1)
	remote := c.RemoteAddr().String()
	if n := s.conns.Add(1); n > s.maxConns() {
		s.conns.Add(-1)
		s.log.Warn("connection dropped: too many open", "conn", id, "remote", remote, "open", n-1)
		return nil
	}
	ctx.SetValue(ctxConnKey{}, id)
	s.log.Info("connect", "conn", id, "remote", remote)
	return &trackedConn{Conn: c, s: s, id: id, start: time.Now()}
}

func (s *Server) onConnFailed(c net.Conn, err error) {
	s.log.Warn("connection failed", "remote", c.RemoteAddr().String(), "err", err)
}

// trackedConn logs its disconnection once.
type trackedConn struct {
	net.Conn
	s     *Server
	id    int64
	start time.Time
	once  sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.s.conns.Add(-1)
		c.s.log.Info("disconnect", "conn", c.id, "remote", c.RemoteAddr().String(),
			"duration", time.Since(c.start).Round(time.Millisecond).String())
	})
	return err
}

// authorise checks a public key against the authorised keys and logs the
// result by key type and fingerprint.
func (s *Server) authorise(ctx ssh.Context, key ssh.PublicKey) bool {
	comment, ok := s.keys.lookup(key)
	args := []any{"conn", connID(ctx), "user", ctx.User(), "remote", ctx.RemoteAddr().String(),
		"method", "publickey", "key_type", key.Type(), "fingerprint", gossh.FingerprintSHA256(key)}
	if ok {
		s.log.Info("auth", append(args, "result", "accepted", "key", comment)...)
	} else {
		s.log.Warn("auth", append(args, "result", "rejected")...)
	}
	return ok
}
