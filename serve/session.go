package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"

	"infomorph-tui/tui"
)

// Why a session ended.
const (
	reasonQuit     = "quit"         // the user left the lab
	reasonIdle     = "idle"         // no input for Config.Idle
	reasonShutdown = "shutdown"     // the server is stopping
	reasonGone     = "disconnected" // the client went away
)

// session is one user's lab.
type session struct {
	id      int64
	user    string
	remote  string
	started time.Time
	steps   atomic.Int64
	input   atomic.Int64 // unix nanoseconds of the last input from the user
	done    chan struct{}

	mu     sync.Mutex
	reason string
	prog   *tea.Program
	kill   context.CancelFunc
}

func (ls *session) info() SessionInfo {
	return SessionInfo{ID: ls.id, User: ls.user, Remote: ls.remote, Started: ls.started, Steps: ls.steps.Load()}
}

// end asks the lab to quit for reason (the first reason given sticks); if it
// does not within a few seconds it is killed.
func (ls *session) end(reason string) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.reason != "" {
		return
	}
	ls.reason = reason
	if ls.prog != nil {
		go ls.prog.Quit()
		time.AfterFunc(5*time.Second, ls.kill)
	}
}

func (ls *session) why() string {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.reason
}

// start records the running program; it reports false when the session was
// ended before its lab started.
func (ls *session) start(p *tea.Program, kill context.CancelFunc) bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	ls.prog, ls.kill = p, kill
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
		started: time.Now(), done: make(chan struct{}),
	}
	defer close(ls.done)
	log := s.log.With("conn", connID(sess.Context()), "session", ls.id, "user", ls.user, "remote", ls.remote)
	if s.keys == nil {
		log.Info("auth", "method", "none", "result", "accepted (insecure-open)")
	}
	if sess.RawCommand() != "" {
		log.Warn("session refused", "reason", "exec request")
		fmt.Fprint(sess.Stderr(), "This server runs the infomorph-tui lab only; it does not run commands.\n"+
			"Connect without a command: ssh -t -p PORT HOST\n")
		_ = sess.Exit(1)
		return
	}
	pty, winch, ok := sess.Pty()
	if !ok {
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
	if pty.Window.Width <= 0 || pty.Window.Height <= 0 { // some clients leave the size to a later window change
		pty.Window.Width, pty.Window.Height = 80, 24
	}
	env := append(sess.Environ(), "TERM="+pty.Term)
	profile := colorprofile.Env(env)
	opts := s.cfg.Lab
	opts.Color = "never"
	if profile > colorprofile.ASCII {
		opts.Color = "always"
	}
	opts.Context = ctx
	opts.Factory = sharedFactory(ctx, s.cfg.Lab.Factory, s.cpu, &ls.steps)
	p := tea.NewProgram(tui.New(opts),
		tea.WithInput(inputMeter{r: sess, last: &ls.input}),
		tea.WithOutput(sess),
		tea.WithEnvironment(env),
		tea.WithWindowSize(pty.Window.Width, pty.Window.Height),
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
	log.Info("session start", "term", pty.Term, "size", fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height),
		"profile", profile.String(), "sessions", n, "max", s.cfg.MaxSessions)
	if !ls.start(p, cancel) {
		s.farewell(sess, ls, log)
		return
	}

	go s.resizes(ctx, p, winch)
	if s.cfg.Idle > 0 {
		go s.watchIdle(ctx, ls)
	}
	_, err = p.Run()
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
	s.farewell(sess, ls, log)
}

// farewell tells the user why the session ends, logs it and closes it.
func (s *Server) farewell(sess ssh.Session, ls *session, log *slog.Logger) {
	reason := ls.why()
	switch reason {
	case reasonIdle:
		fmt.Fprintf(sess, "\nDisconnected after %s without input. Come back any time!\n", s.cfg.Idle)
	case reasonShutdown:
		fmt.Fprint(sess, "\nThe lab server is shutting down, so your session has ended (unsaved runs are lost).\n"+
			"Sorry for the interruption!\n")
	case reasonQuit:
		fmt.Fprint(sess, "Thanks for visiting the infomorph-tui lab.\n")
	}
	log.Info("session end", "reason", reason, "duration", time.Since(ls.started).Round(time.Millisecond).String(),
		"steps", ls.steps.Load())
	_ = sess.Exit(0)
}

// resizes forwards the client's window changes to the lab.
func (s *Server) resizes(ctx context.Context, p *tea.Program, winch <-chan ssh.Window) {
	for {
		select {
		case <-ctx.Done():
			return
		case w, ok := <-winch:
			if !ok {
				return
			}
			p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
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
				ls.end(reasonIdle)
				return
			}
			t.Reset(s.cfg.Idle - quiet)
		}
	}
}
