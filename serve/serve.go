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
// One user must not hurt another:
//
//   - Terminal sizes (pty request and window changes) are clamped to
//     MaxCols×MaxRows before anything is allocated for them.
//   - A session ends when its connection ends, whatever its lab is doing: the
//     seat is freed at once (a lab that does not stop within a couple of
//     seconds is left to finish on its own, its output cut off). A lab asked to
//     end (idle limit, shutdown) that has not within five seconds has its
//     connection closed. Window changes are taken from the SSH library as they
//     come, so a busy lab cannot stall its connection.
//   - Connections that have not logged in ("startups") are limited apart from
//     seats: key exchange within Config.HandshakeTimeout (10 s), login within
//     Config.LoginGrace (30 s), at most Config.MaxStartups (128) at once and
//     Config.MaxStartupsPerAddr (32) from one IP address; a new connection is
//     always taken, displacing a startup that has stalled or, at a limit, the
//     one least far along (silent ones first), so silent or slow connections
//     cannot lock anyone out. Logged-in connections are limited to
//     4×MaxSessions+16.
//   - Each session saves its runs in a folder of its own,
//     Lab.RunsDir/<key fingerprint>/<YYYYMMDD-HHMMSS>[-n]/, created
//     exclusively (and removed at the end if nothing was saved in it): no
//     two sessions ever write to the same file. The fingerprint is the key's
//     SHA-256 in URL-safe base64 ("open" on a server without authentication).
//
// authorized_keys options (names case-insensitive, values in double quotes,
// later ones overriding earlier ones as in sshd). A key may appear on several
// lines: the first line whose options let it in is used.
//
//   - from="pattern-list": honoured as by sshd with UseDNS no: comma-separated
//     addresses, CIDR networks (no host bits set) or wildcard patterns (* and
//     ?) on the address text, each optionally negated with !; a matching
//     negation refuses, otherwise a match is needed. Host names are not looked
//     up, so name patterns never match.
//   - expiry-time="YYYYMMDD[HHMM[SS]]": honoured; server local time, or UTC
//     with a Z (or UTC) suffix; after it the key is refused. The earliest of
//     several applies.
//   - no-pty, and restrict (which implies no-pty, as in sshd) unless a later
//     pty: honoured — the key logs in, but its sessions are refused with a
//     message, since the lab needs a terminal.
//   - no-port-forwarding, no-agent-forwarding, no-X11-forwarding, no-user-rc,
//     permitopen=, permitlisten=, tunnel=: accepted; the server forwards
//     nothing and runs no rc files anyway. port-forwarding, agent-forwarding,
//     X11-forwarding, user-rc: accepted, and not granted. environment=:
//     ignored (as sshd's default PermitUserEnvironment no).
//     no-touch-required: accepted, but security keys must still be touched.
//   - cert-authority: the line is skipped (certificates are not supported).
//   - command=, principals=, verify-required and unknown options: the line is
//     refused — its key does not log in by it — and the log says why, when the
//     file is read and at each refused login.
//
// The authorized_keys file is re-read whenever its content changes (compared
// by SHA-256 at every login attempt), so keys can be added or revoked while
// the server runs; an unreadable or malformed file lets nobody in.
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
	"io"
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

	// Limits before login (see the package documentation); 0 = the default.
	HandshakeTimeout   time.Duration // connect to the end of key exchange; DefaultHandshakeTimeout
	LoginGrace         time.Duration // connect to a successful login; DefaultLoginGrace
	MaxStartups        int           // connections not logged in yet, at once; DefaultMaxStartups
	MaxStartupsPerAddr int           // of those, from one IP address; DefaultMaxStartupsPerAddr
}

// SessionInfo describes one live session.
type SessionInfo struct {
	ID      int64
	User    string
	Remote  string
	Started time.Time
	Steps   int64 // training batches completed
	Cols    int   // the lab's terminal size (after clamping to MaxCols×MaxRows)
	Rows    int
	RunsDir string // where this session's saved runs go
}

// Server is the SSH lab server.
type Server struct {
	cfg  Config
	log  *slog.Logger
	srv  *ssh.Server
	keys *keyring // nil: open server
	cpu  *fairShare
	gate *gate

	connSeq, sessSeq atomic.Int64

	// how long a lab asked to end may take before its connection is cut, and
	// how long the server then waits for it before freeing its seat anyway
	quitGrace, stopGrace time.Duration
	// wrapOut, when set, wraps every lab's output (tests: a stuck lab)
	wrapOut func(io.Writer) io.Writer

	mu      sync.Mutex
	closing bool
	live    map[int64]*session
	windows map[ssh.Session]*winbox // terminal sizes of sessions with a pty, until their lab takes them
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
	case cfg.HandshakeTimeout == 0 && cfg.LoginGrace > 0:
		cfg.HandshakeTimeout = min(DefaultHandshakeTimeout, cfg.LoginGrace)
	case cfg.HandshakeTimeout == 0:
		cfg.HandshakeTimeout = DefaultHandshakeTimeout
	}
	cfg.LoginGrace = cmp.Or(cfg.LoginGrace, max(DefaultLoginGrace, cfg.HandshakeTimeout))
	cfg.MaxStartups = cmp.Or(cfg.MaxStartups, DefaultMaxStartups)
	cfg.MaxStartupsPerAddr = cmp.Or(cfg.MaxStartupsPerAddr, min(DefaultMaxStartupsPerAddr, cfg.MaxStartups))
	switch {
	case cfg.MaxSessions < 0:
		return nil, fmt.Errorf("max sessions must be positive, not %d", cfg.MaxSessions)
	case cfg.CPUs < 0:
		return nil, fmt.Errorf("cpus must be positive, not %d", cfg.CPUs)
	case cfg.Idle < 0:
		return nil, fmt.Errorf("idle timeout must not be negative")
	case cfg.HandshakeTimeout < 0 || cfg.LoginGrace < cfg.HandshakeTimeout:
		return nil, fmt.Errorf("handshake timeout (%v) must be positive and at most the login grace (%v)",
			cfg.HandshakeTimeout, cfg.LoginGrace)
	case cfg.MaxStartups < 0 || cfg.MaxStartupsPerAddr < 0 || cfg.MaxStartupsPerAddr > cfg.MaxStartups:
		return nil, fmt.Errorf("pre-auth limits: %d per address, %d in all: both positive, per address at most all",
			cfg.MaxStartupsPerAddr, cfg.MaxStartups)
	case cfg.HostKey == "":
		return nil, errors.New("no host key file given")
	case cfg.AuthorizedKeys == "" && !cfg.InsecureOpen:
		return nil, errors.New("no authorized keys file given: refusing to serve without authentication (pass --insecure-open to let anyone in)")
	case cfg.Lab.Factory == nil:
		return nil, errors.New("no lab factory")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, cpu: newFairShare(cfg.CPUs), live: map[int64]*session{},
		windows: map[ssh.Session]*winbox{}, quitGrace: 5 * time.Second, stopGrace: 2 * time.Second,
		gate: newGate(cfg.MaxStartups, cfg.MaxStartupsPerAddr, 4*cfg.MaxSessions+16)}
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
			srv.HandshakeTimeout = cfg.LoginGrace // key exchange: cfg.HandshakeTimeout (onConnect)
			srv.ServerConfigCallback = s.sshConfig
			srv.PtyHandler = s.ptyHandler
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
		"idle", s.cfg.Idle.String(), "cpus", s.cfg.CPUs, "max_startups", s.cfg.MaxStartups,
		"max_startups_per_addr", s.cfg.MaxStartupsPerAddr, "login_grace", s.cfg.LoginGrace.String())
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
	for _, c := range s.gate.close() {
		c.drop("pre-auth connection dropped: shutting down")
	}
	for _, ls := range live {
		ls.end(reasonShutdown, s.quitGrace)
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
	for _, c := range s.gate.close() {
		c.drop("pre-auth connection dropped: closing")
	}
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

// authorise checks a public key against the authorised keys and their
// options, and logs the result by key type and fingerprint. The line that let
// the key in is kept in the connection's context for its sessions.
func (s *Server) authorise(ctx ssh.Context, key ssh.PublicKey) bool {
	g, ok, reason := s.keys.lookup(key, ctx.RemoteAddr())
	args := []any{"conn", connID(ctx), "user", ctx.User(), "remote", ctx.RemoteAddr().String(),
		"method", "publickey", "key_type", key.Type(), "fingerprint", gossh.FingerprintSHA256(key)}
	if ok {
		ctx.SetValue(ctxGrantKey{string(key.Marshal())}, g)
		s.log.Info("auth", append(args, "result", "accepted", "key", g.comment, "line", g.line)...)
	} else {
		s.log.Warn("auth", append(args, "result", "rejected", "reason", reason)...)
	}
	return ok
}

// ctxGrantKey holds, in a connection's context, the grant of each key
// (wire form) accepted on it.
type ctxGrantKey struct{ wire string }

// grantOf is the grant of the key a session logged in with (ok false: no
// key, as on an open server).
func grantOf(sess ssh.Session) (grant, bool) {
	pk := sess.PublicKey()
	if pk == nil {
		return grant{}, false
	}
	g, ok := sess.Context().Value(ctxGrantKey{string(pk.Marshal())}).(grant)
	return g, ok
}
