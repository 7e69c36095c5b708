// Package sshtest is an SSH client for tests of the lab server: it logs in,
// opens a session with a pseudo-terminal and feeds what the server sends to a
// terminal emulator (charmbracelet/x/vt), so tests read the screen a user
// would see and type keys as a terminal sends them.
package sshtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"
)

// NewKey makes an ed25519 client key.
func NewKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// AuthorizedLine is key's authorized_keys line with a comment.
func AuthorizedLine(key gossh.PublicKey, comment string) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(key))) + " " + comment
}

// Dial logs in to addr as user "alice" with signer (nil: no key, the "none"
// method), trusting only hostKey.
func Dial(addr string, signer gossh.Signer, hostKey gossh.PublicKey) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, clientConfig(signer, hostKey))
}

func clientConfig(signer gossh.Signer, hostKey gossh.PublicKey) *gossh.ClientConfig {
	cfg := &gossh.ClientConfig{User: "alice", HostKeyCallback: gossh.FixedHostKey(hostKey), Timeout: 5 * time.Second}
	if signer != nil {
		cfg.Auth = []gossh.AuthMethod{gossh.PublicKeys(signer)}
	}
	return cfg
}

// DialConn is Dial that also returns the TCP connection, so that a test can
// cut it without any SSH goodbye (on a failed login: the closed connection,
// whose local address names it in the server's log).
func DialConn(addr string, signer gossh.Signer, hostKey gossh.PublicKey) (*gossh.Client, net.Conn, error) {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, nil, err
	}
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	c, chans, reqs, err := gossh.NewClientConn(nc, addr, clientConfig(signer, hostKey))
	if err != nil {
		nc.Close()
		return nil, nc, err
	}
	nc.SetDeadline(time.Time{})
	return gossh.NewClient(c, chans, reqs), nc, nil
}

// Cut closes a TCP connection at once, with a reset rather than a goodbye.
func Cut(nc net.Conn) error {
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	return nc.Close()
}

// RequestPty asks for a pseudo-terminal of any size, as a hostile client
// may (gossh.Session.RequestPty takes ints).
func RequestPty(sess *gossh.Session, term string, cols, rows uint32) error {
	ok, err := sess.SendRequest("pty-req", true, gossh.Marshal(struct {
		Term                 string
		Cols, Rows, PxW, PxH uint32
		Modes                string
	}{Term: term, Cols: cols, Rows: rows, Modes: "\x00"}))
	if err == nil && !ok {
		err = errors.New("pty request refused")
	}
	return err
}

// WindowChange reports a window size of any size.
func WindowChange(sess *gossh.Session, cols, rows uint32) error {
	_, err := sess.SendRequest("window-change", false, gossh.Marshal(struct {
		Cols, Rows, PxW, PxH uint32
	}{Cols: cols, Rows: rows}))
	return err
}

// Buffer is a goroutine-safe bytes.Buffer.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Client is one SSH session with a pty, as a user's terminal shows it.
type Client struct {
	t      testing.TB
	Conn   *gossh.Client
	Sess   *gossh.Session
	in     io.WriteCloser
	mu     sync.Mutex
	emu    *vt.Emulator
	raw    bytes.Buffer
	Stderr Buffer
	exited chan struct{}
	err    error // of Wait, once exited is closed
}

// Open starts a shell session of w×h cells (TERM=xterm-256color) on conn,
// after setting env (name, value pairs). Like ssh, the client hangs up when
// the session ends; session and connection are closed at the end of the test
// in any case.
func Open(t testing.TB, conn *gossh.Client, w, h int, env ...string) (*Client, error) {
	return open(t, conn, func(sess *gossh.Session) error {
		return sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{gossh.ECHO: 0})
	}, w, h, env...)
}

// OpenRaw is Open with a pty request of cols×rows, any values, while the
// client's terminal emulator is w×h.
func OpenRaw(t testing.TB, conn *gossh.Client, cols, rows uint32, w, h int, env ...string) (*Client, error) {
	return open(t, conn, func(sess *gossh.Session) error {
		return RequestPty(sess, "xterm-256color", cols, rows)
	}, w, h, env...)
}

func open(t testing.TB, conn *gossh.Client, pty func(*gossh.Session) error, w, h int, env ...string) (*Client, error) {
	sess, err := conn.NewSession()
	if err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(env); i += 2 {
		if err := sess.Setenv(env[i], env[i+1]); err != nil {
			return nil, err
		}
	}
	if err := pty(sess); err != nil {
		return nil, err
	}
	c := &Client{t: t, Conn: conn, Sess: sess, emu: vt.NewEmulator(w, h), exited: make(chan struct{})}
	sess.Stderr = &c.Stderr
	if c.in, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := sess.Shell(); err != nil {
		return nil, err
	}
	go func() { // the terminal's answers to the program's queries
		buf := make([]byte, 256)
		for {
			n, err := c.emu.Read(buf)
			if n > 0 {
				c.in.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	pumped := make(chan struct{})
	go func() {
		defer close(pumped)
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				c.mu.Lock()
				c.emu.Write(buf[:n])
				c.raw.Write(buf[:n])
				c.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		err := sess.Wait()
		<-pumped
		c.err = err
		conn.Close() // as ssh does when its session ends
		close(c.exited)
	}()
	t.Cleanup(c.Close)
	return c, nil
}

// Close hangs up.
func (c *Client) Close() {
	c.Sess.Close()
	c.Conn.Close()
	select {
	case <-c.exited:
	case <-time.After(5 * time.Second):
	}
	c.emu.InputPipe().(*io.PipeWriter).Close()
}

// Screen is the emulated terminal's text.
func (c *Client) Screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.emu.String()
}

// Output is everything received, without escape sequences.
func (c *Client) Output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ansi.Strip(c.raw.String())
}

// Raw is everything received, escape sequences included.
func (c *Client) Raw() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.raw.String()
}

// Resize changes the terminal's size and tells the server.
func (c *Client) Resize(w, h int) error {
	c.mu.Lock()
	c.emu.Resize(w, h)
	c.mu.Unlock()
	return c.Sess.WindowChange(h, w)
}

// Keys types keys (raw bytes, as a terminal sends them: " " for space, "\t"
// for tab, "\x1b[C" for →); it fails the test if they cannot be sent.
func (c *Client) Keys(s string) {
	c.t.Helper()
	if err := c.Send(s); err != nil {
		c.t.Fatalf("typing %q: %v", s, err)
	}
}

// Send types keys from any goroutine.
func (c *Client) Send(s string) error {
	_, err := c.in.Write([]byte(s))
	return err
}

// WaitScreen waits until the screen contains want.
func (c *Client) WaitScreen(want string, d time.Duration) {
	c.t.Helper()
	if !c.PollScreen(want, d) {
		c.t.Fatalf("timed out after %v waiting for %q on screen:\n%s", d, want, c.Screen())
	}
}

// PollScreen reports whether the screen contains want within d.
func (c *Client) PollScreen(want string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for !strings.Contains(c.Screen(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// Exited is closed when the session has ended.
func (c *Client) Exited() <-chan struct{} { return c.exited }

// WaitExit waits for the session to end and returns its exit status.
func (c *Client) WaitExit(d time.Duration) int {
	c.t.Helper()
	select {
	case <-c.exited:
	case <-time.After(d):
		c.t.Fatalf("session still open after %v; screen:\n%s", d, c.Screen())
	}
	var ee *gossh.ExitError
	switch {
	case c.err == nil:
		return 0
	case errors.As(c.err, &ee):
		return ee.ExitStatus()
	}
	c.t.Fatalf("session ended without a status: %v", c.err)
	return -1
}
