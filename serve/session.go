package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/tui"
)

// Why a session ended.
const (
	reasonQuit     = "quit"         // the user left the lab
	reasonIdle     = "idle"         // no input for Config.Idle
	reasonShutdown = "shutdown"     // the server is stopping
	reasonGone     = "disconnected" // the client went away
)

// The largest terminal a lab is drawn for: bigger sizes asked for by a
// client (in its pty request or a window change) are clamped to it before
// anything is allocated for them.
const (
	MaxCols = 500
	MaxRows = 200
)

// clampWindow bounds a client's terminal size; a size left at zero (some
// clients send it with a later window change) is taken as 80×24.
func clampWindow(w, h int) (int, int) {
	if w <= 0 || h <= 0 {
		return 80, 24
	}
	return min(w, MaxCols), min(h, MaxRows)
}

// session is one user's lab.
type session struct {
	id      int64
	user    string
	remote  string
	started time.Time
	steps   atomic.Int64
	input   atomic.Int64 // unix nanoseconds of the last input from the user
	cols    atomic.Int64
	rows    atomic.Int64
	done    chan struct{} // closed when the session's handler has returned
	hard    chan struct{} // closed when a lab asked to end has not in time
	once    sync.Once

	mu      sync.Mutex
	reason  string
	prog    *tea.Program
	runsDir string
}

func (ls *session) info() SessionInfo {
	ls.mu.Lock()
	runs := ls.runsDir
	ls.mu.Unlock()
	return SessionInfo{ID: ls.id, User: ls.user, Remote: ls.remote, Started: ls.started, Steps: ls.steps.Load(),
		Cols: int(ls.cols.Load()), Rows: int(ls.rows.Load()), RunsDir: runs}
}

// end asks the lab to quit for reason (the first reason given sticks); if it
// has not within grace, the session is cut off (see handle).
func (ls *session) end(reason string, grace time.Duration) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.reason != "" {
		return
	}
	ls.reason = reason
	if ls.prog != nil {
		go ls.prog.Quit()
		time.AfterFunc(grace, func() { ls.once.Do(func() { close(ls.hard) }) })
	}
}

// setReason records why the session ends unless a reason is known already.
func (ls *session) setReason(reason string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.reason == "" {
		ls.reason = reason
	}
}

func (ls *session) why() string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.reason
}

// start records the running program; it reports false when the session was
// ended before its lab started.
func (ls *session) start(p *tea.Program) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.prog = p
	return ls.reason == ""
}

// inputMeter notes when the user last typed.
type inputMeter struct {
	r    io.Reader
	last *atomic.Int64
}

func (m inputMeter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if n > 0 {
		m.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// errSessionOver is what a lab's writes get once its session has ended.
var errSessionOver = errors.New("session over")

// gatedWriter passes a lab's output on until its session is over.
type gatedWriter struct {
	w    io.Writer
	shut atomic.Bool
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if g.shut.Load() {
		return 0, errSessionOver
	}
	return g.w.Write(p)
}

// winbox holds a session's latest terminal size (clamped). Window changes
// are taken from the SSH library as they come, whatever the lab is doing:
// the library handles a session's requests on one goroutine, so a change it
// cannot hand over stalls the whole connection, its disconnection included.
type winbox struct {
	term string
	note chan struct{} // a new size is waiting

	mu         sync.Mutex
	cols, rows int
}

func (b *winbox) put(w ssh.Window) {
	b.mu.Lock()
	b.cols, b.rows = clampWindow(w.Width, w.Height)
	b.mu.Unlock()
	select {
	case b.note <- struct{}{}:
	default:
	}
}

func (b *winbox) size() (int, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.cols, b.rows
}

// emulatePty is the library's default pty handler (no real pty: the lab
// writes escape sequences to the channel).
var emulatePty = func() ssh.PtyHandler {
	var srv ssh.Server
	_ = ssh.EmulatePty()(&srv)
	return srv.PtyHandler
}()

// ptyHandler accepts a pty request as the library does, and from then on
// drains the session's window changes into a winbox for its lab.
func (s *Server) ptyHandler(ctx ssh.Context, sess ssh.Session, pty ssh.Pty) (func() error, error) {
	closer, err := emulatePty(ctx, sess, pty)
	if err != nil {
		return nil, err
	}
	_, winch, ok := sess.Pty()
	if !ok || winch == nil {
		return closer, nil
	}
	box := &winbox{term: pty.Term, note: make(chan struct{}, 1)}
	box.cols, box.rows = clampWindow(pty.Window.Width, pty.Window.Height)
	s.mu.Lock()
	s.windows[sess] = box
	s.mu.Unlock()
	go func() {
		for w := range winch { // closed when the session's requests end
			box.put(w)
		}
		s.mu.Lock()
		if s.windows[sess] == box {
			delete(s.windows, sess)
		}
		s.mu.Unlock()
	}()
	return closer, nil
}

// takeWindows hands a session's winbox to its lab (nil: no pty).
func (s *Server) takeWindows(sess ssh.Session) *winbox {
	s.mu.Lock()
	defer s.mu.Unlock()
	box := s.windows[sess]
	delete(s.windows, sess)
	return box
}

// middleware is the server's only handler: the lab, for sessions with a
// terminal and no command.
func (s *Server) middleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.handle(sess)
		next(sess)
	}
}

func (s *Server) handle(sess ssh.Session) {
	ls := &session{
		id: s.sessSeq.Add(1), user: sess.User(), remote: sess.RemoteAddr().String(),
		started: time.Now(), done: make(chan struct{}), hard: make(chan struct{}),
	}
	defer close(ls.done)
	log := s.log.With("conn", connID(sess.Context()), "session", ls.id, "user", ls.user, "remote", ls.remote)
	if s.keys == nil {
		log.Info("auth", "method", "none", "result", "accepted (insecure-open)")
	}
	g, _ := grantOf(sess)
	box := s.takeWindows(sess)
	switch {
	case sess.RawCommand() != "":
		log.Warn("session refused", "reason", "exec request")
		fmt.Fprint(sess.Stderr(), "This server runs the infomorph-tui lab only; it does not run commands.\n"+
			"Connect without a command: ssh -t -p PORT HOST\n")
		_ = sess.Exit(1)
		return
	case g.noPty:
		log.Warn("session refused", "reason", "no-pty", "key", g.comment, "line", g.line)
		fmt.Fprint(sess.Stderr(), "Your key may not open a terminal on this server (no-pty or restrict in its\n"+
			"authorized_keys line), and the infomorph-tui lab needs one. Ask the server's administrator.\n")
		_ = sess.Exit(1)
		return
	case box == nil:
		log.Warn("session refused", "reason", "no terminal")
		fmt.Fprint(sess.Stderr(), "The infomorph-tui lab needs a terminal: connect with ssh -t -p PORT HOST\n")
		_ = sess.Exit(1)
		return
	}
	n, err := s.admit(ls)
	switch {
	case errors.Is(err, errFull):
		log.Warn("session refused", "reason", "full", "sessions", n, "max", s.cfg.MaxSessions)
		seats := fmt.Sprintf("all %d seats are taken", s.cfg.MaxSessions)
		if s.cfg.MaxSessions == 1 {
			seats = "its one seat is taken"
		}
		fmt.Fprintf(sess, "\nSorry, the lab is full right now: %s.\nPlease try again in a little while.\n\n", seats)
		_ = sess.Exit(1)
		return
	case errors.Is(err, errClosing):
		log.Warn("session refused", "reason", "shutting down")
		fmt.Fprint(sess, "\nSorry, the lab server is shutting down. Please try again later.\n\n")
		_ = sess.Exit(1)
		return
	}
	defer s.leave(ls)
	ls.input.Store(time.Now().UnixNano())

	ctx, cancel := context.WithCancel(sess.Context())
	defer cancel()
	cols, rows := box.size()
	ls.cols.Store(int64(cols))
	ls.rows.Store(int64(rows))
	opts := s.cfg.Lab
	runs, err := s.sessionRunsDir(sess.PublicKey())
	if err != nil {
		log.Error("runs folder", "err", err)
	} else {
		defer os.Remove(runs) // only if nothing was saved in it
	}
	ls.mu.Lock()
	ls.runsDir = runs
	ls.mu.Unlock()
	env := append(sess.Environ(), "TERM="+box.term)
	profile := colorprofile.Env(env)
	opts.Color = "never"
	if profile > colorprofile.ASCII {
		opts.Color = "always"
	}
	opts.Context = ctx
	opts.RunsDir = runs
	opts.Factory = sharedFactory(ctx, s.cfg.Lab.Factory, s.cpu, &ls.steps)
	var w io.Writer = sess
	if s.wrapOut != nil {
		w = s.wrapOut(w)
	}
	out := &gatedWriter{w: w}
	p := tea.NewProgram(tui.New(opts),
		tea.WithInput(inputMeter{r: sess, last: &ls.input}),
		tea.WithOutput(out),
		tea.WithEnvironment(env),
		tea.WithWindowSize(cols, rows),
		tea.WithColorProfile(profile),
		tea.WithContext(ctx),
		tea.WithoutSignalHandler(), // signals belong to the server, not to one session
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return nil // there is no shell to suspend to
			}
			return msg
		}),
	)
	log.Info("session start", "term", box.term, "size", fmt.Sprintf("%dx%d", cols, rows),
		"profile", profile.String(), "sessions", n, "max", s.cfg.MaxSessions, "runs", runs)
	if !ls.start(p) {
		s.farewell(sess, ls, log, true)
		return
	}

	go s.resizes(ctx, p, box, ls)
	if s.cfg.Idle > 0 {
		go s.watchIdle(ctx, ls)
	}
	ran := make(chan error, 1)
	go func() {
		_, err := p.Run()
		ran <- err
	}()
	// The session ends when its lab does, when its connection ends, or when
	// its lab was asked to end (idle, shutdown) and has not in time — whatever
	// the lab is doing then.
	finished := true
	select {
	case err = <-ran:
	case <-sess.Context().Done():
		ls.setReason(reasonGone)
		finished = false
	case <-ls.hard:
		finished = false
	}
	if !finished {
		out.shut.Store(true)
		cancel()    // stops the lab's training worker and the program
		go p.Kill() // may wait for a write in progress
		if c := connOf(sess.Context()); c != nil && ls.why() != reasonGone {
			// a client that is there but does not take the output
			c.drop("connection closed: the lab did not end in time", "session", ls.id, "reason", ls.why())
		}
		select {
		case err = <-ran:
		case <-time.After(s.stopGrace):
			err = nil
			log.Warn("lab still stopping; its seat is freed", "waited", s.stopGrace.String())
		}
	}
	cancel() // stops the lab's training worker and the watchers
	if ls.why() == "" {
		ls.mu.Lock()
		ls.reason = reasonQuit
		if err != nil && !errors.Is(err, tea.ErrProgramKilled) || sess.Context().Err() != nil {
			ls.reason = reasonGone
		}
		ls.mu.Unlock()
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		log.Warn("lab error", "err", err)
	}
	s.farewell(sess, ls, log, finished)
}

// farewell tells the user why the session ends (when tell, as the client
// still listens), logs it and closes the session.
func (s *Server) farewell(sess ssh.Session, ls *session, log *slog.Logger, tell bool) {
	reason := ls.why()
	switch {
	case !tell:
	case reason == reasonIdle:
		fmt.Fprintf(sess, "\nDisconnected after %s without input. Come back any time!\n", s.cfg.Idle)
	case reason == reasonShutdown:
		fmt.Fprint(sess, "\nThe lab server is shutting down, so your session has ended (unsaved runs are lost).\n"+
			"Sorry for the interruption!\n")
	case reason == reasonQuit:
		fmt.Fprint(sess, "Thanks for visiting the infomorph-tui lab.\n")
	}
	log.Info("session end", "reason", reason, "duration", time.Since(ls.started).Round(time.Millisecond).String(),
		"steps", ls.steps.Load())
	_ = sess.Exit(0)
}

// resizes forwards the client's window changes to the lab.
func (s *Server) resizes(ctx context.Context, p *tea.Program, box *winbox, ls *session) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-box.note:
			w, h := box.size()
			ls.cols.Store(int64(w))
			ls.rows.Store(int64(h))
			p.Send(tea.WindowSizeMsg{Width: w, Height: h}) // returns once the program has ended
		}
	}
}

// watchIdle ends the session once the user has typed nothing for Config.Idle.
func (s *Server) watchIdle(ctx context.Context, ls *session) {
	t := time.NewTimer(s.cfg.Idle)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			quiet := time.Since(time.Unix(0, ls.input.Load()))
			if quiet >= s.cfg.Idle {
				ls.end(reasonIdle, s.quitGrace)
				return
			}
			t.Reset(s.cfg.Idle - quiet)
		}
	}
}

// sessionRunsDir creates the folder a session's lab saves its runs in:
// RunsDir/<key>/<start time>[-n], where <key> is the SHA-256 fingerprint of
// the user's key (URL-safe base64; "open" without authentication). The
// session folder is created exclusively, so no two sessions — of one user or
// of several, in the same second or not — ever write to the same folder.
func (s *Server) sessionRunsDir(pk ssh.PublicKey) (string, error) {
	base := cmp.Or(s.cfg.Lab.RunsDir, "runs")
	user := "open"
	if pk != nil {
		fp := strings.TrimPrefix(gossh.FingerprintSHA256(pk), "SHA256:")
		user = strings.NewReplacer("/", "_", "+", "-").Replace(fp)
	}
	dir := filepath.Join(base, user)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return dir, err
	}
	now := time.Now
	if s.cfg.Lab.Now != nil {
		now = s.cfg.Lab.Now
	}
	stamp := now().Format("20060102-150405")
	for i := 1; i <= 1000; i++ {
		name := stamp
		if i > 1 {
			name = fmt.Sprintf("%s-%d", stamp, i)
		}
		path := filepath.Join(dir, name)
		err := os.Mkdir(path, 0o755)
		if err == nil {
			return path, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return dir, err
		}
	}
	return dir, fmt.Errorf("no free session folder for %s in %s", stamp, dir)
}
