package serve

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/serve/sshtest"
)

// lastSize is the terminal size of the newest live session.
func (ts *testServer) lastSize() (int, int) {
	ss := ts.s.Sessions()
	if len(ss) == 0 {
		ts.t.Fatal("no live session")
	}
	return ss[len(ss)-1].Cols, ss[len(ss)-1].Rows
}

// TestHugeWindowClamped: a pty request of 4294967295×4294967295 cells (which
// killed the server with an out-of-memory error) gets a lab of at most
// MaxCols×MaxRows, and so do window changes; the server keeps serving.
func TestHugeWindowClamped(t *testing.T) {
	ts := startServer(t, nil)
	conn, err := ts.dial(ts.alice)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sshtest.OpenRaw(t, conn, 4294967295, 4294967295, MaxCols, MaxRows)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 20*time.Second)
	if w, h := ts.lastSize(); w != MaxCols || h != MaxRows {
		t.Errorf("lab of %dx%d, want %dx%d", w, h, MaxCols, MaxRows)
	}
	if !strings.Contains(ts.logs.String(), fmt.Sprintf("size=%dx%d", MaxCols, MaxRows)) {
		t.Errorf("clamped size not logged:\n%s", ts.logs.String())
	}

	resize := func(cols, rows uint32, wantW, wantH int) {
		t.Helper()
		if err := sshtest.WindowChange(c.Sess, cols, rows); err != nil {
			t.Fatal(err)
		}
		waitFor(t, fmt.Sprintf("a %dx%d lab", wantW, wantH), 15*time.Second, func() bool {
			w, h := ts.lastSize()
			return w == wantW && h == wantH
		})
	}
	resize(100, 30, 100, 30)
	resize(4000, 250, MaxCols, MaxRows) // plausible to Bubble Tea, still too big
	resize(90, 28, 90, 28)
	resize(4294967295, 4294967295, MaxCols, MaxRows)
	resize(0, 0, 80, 24)

	// the server still serves
	other, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	other.WaitScreen("mnist-context", 10*time.Second)
}

// stuckWriter passes writes on until stuck is set, then blocks them until
// release is closed: a lab stuck writing a frame (a huge render, a client
// that takes no output).
type stuckWriter struct {
	w       io.Writer
	stuck   *atomic.Bool
	release chan struct{}
}

func (s *stuckWriter) Write(p []byte) (int, error) {
	if !s.stuck.Load() {
		return s.w.Write(p)
	}
	<-s.release
	return 0, io.ErrClosedPipe
}

// stuckSession opens a lab that gets stuck writing once its first screen is
// out, and floods it with window changes, more than the SSH library queues
// for a session.
func stuckSession(t *testing.T, ts *testServer) (*sshtest.Client, net.Conn) {
	t.Helper()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // before the server's cleanup: the lab can then finish
	var stuck, used atomic.Bool
	ts.s.wrapOut = func(w io.Writer) io.Writer {
		if used.Swap(true) {
			return w // only the first lab gets stuck
		}
		return &stuckWriter{w: w, stuck: &stuck, release: release}
	}
	conn, nc, err := sshtest.DialConn(ts.addr, ts.alice, ts.hostKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sshtest.Open(t, conn, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 10*time.Second)
	stuck.Store(true)
	c.Keys(" ")
	for i := range 100 {
		if err := sshtest.WindowChange(c.Sess, uint32(100-i%2), 30); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	return c, nc
}

// TestDisconnectFreesSeat: when a client's connection ends abruptly while
// its lab is stuck (writing a frame, here) and window changes are pending, the
// session still ends and frees its seat.
func TestDisconnectFreesSeat(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSessions = 1 })
	ts.s.stopGrace = time.Second
	_, nc := stuckSession(t, ts)
	sshtest.Cut(nc)
	start := time.Now()
	waitFor(t, "the seat to be freed", 5*time.Second, func() bool { return len(ts.s.Sessions()) == 0 })
	t.Logf("seat freed %v after the disconnect", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(ts.logs.String(), "reason=disconnected") {
		t.Errorf("end not logged as a disconnection:\n%s", ts.logs.String())
	}
	c, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 10*time.Second)
}

// TestIdleEndsStuckSession: the idle limit ends a stuck lab too; its
// connection is then cut.
func TestIdleEndsStuckSession(t *testing.T) {
	const idle = time.Second
	ts := startServer(t, func(c *Config) { c.Idle = idle; c.MaxSessions = 1 })
	ts.s.quitGrace, ts.s.stopGrace = 500*time.Millisecond, 500*time.Millisecond
	c, _ := stuckSession(t, ts)
	waitFor(t, "the idle end", idle+5*time.Second, func() bool { return len(ts.s.Sessions()) == 0 })
	if !strings.Contains(ts.logs.String(), "reason=idle") {
		t.Errorf("idle end not logged:\n%s", ts.logs.String())
	}
	select {
	case <-c.Exited():
	case <-time.After(5 * time.Second):
		t.Error("the stuck session's connection is still open")
	}
}

// TestShutdownWithStuckSession: Shutdown does not hang on a stuck lab.
func TestShutdownWithStuckSession(t *testing.T) {
	ts := startServer(t, nil)
	ts.s.quitGrace, ts.s.stopGrace = 500*time.Millisecond, 500*time.Millisecond
	stuckSession(t, ts)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if n := len(ts.s.Sessions()); n != 0 {
		t.Errorf("%d sessions after shutdown", n)
	}
}

// silent opens n TCP connections to addr that never send a byte.
func silent(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var cs []net.Conn
	for range n {
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	t.Cleanup(func() {
		for _, c := range cs {
			c.Close()
		}
	})
	return cs
}

// closedWithin reports how many of cs the server has closed within d.
func closedWithin(cs []net.Conn, d time.Duration) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := 0
	for _, c := range cs {
		wg.Go(func() {
			c.SetReadDeadline(time.Now().Add(d))
			if _, err := io.ReadAll(c); err == nil { // EOF: closed by the server
				mu.Lock()
				n++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return n
}

// TestSilentConnectionsDoNotLockOut: 40 TCP connections that never speak
// (more than the old cap of 4×seats+16 open connections) do not keep a
// legitimate user from logging in, within a second, while the attacker keeps
// opening more.
func TestSilentConnectionsDoNotLockOut(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSessions = 2 })
	silent(t, ts.addr, 40)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // the attacker reopens connections all along (at most 500)
		for range 500 {
			select {
			case <-stop:
				return
			default:
			}
			if c, err := net.DialTimeout("tcp", ts.addr, time.Second); err == nil {
				defer c.Close()
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
	defer wg.Wait()
	defer close(stop)
	time.Sleep(50 * time.Millisecond)
	for i := range 3 {
		start := time.Now()
		conn, nc, err := sshtest.DialConn(ts.addr, ts.alice, ts.hostKey)
		if err != nil {
			if nc != nil {
				t.Fatalf("login %d from %v: %v", i, nc.LocalAddr(), err)
			}
			t.Fatalf("login %d: %v", i, err)
		}
		login := time.Since(start)
		c, err := sshtest.Open(t, conn, 100, 30)
		if err != nil {
			t.Fatal(err)
		}
		c.WaitScreen("mnist-context", 5*time.Second)
		t.Logf("login %d: %v, lab on screen after %v", i, login.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		if login > time.Second {
			t.Errorf("login %d took %v with silent connections open", i, login)
		}
		c.Keys("q")
		c.WaitExit(5 * time.Second)
	}
	if n, _ := ts.s.gate.counts(); n > ts.s.cfg.MaxStartups {
		t.Errorf("%d startups, limit %d", n, ts.s.cfg.MaxStartups)
	}
	if !strings.Contains(ts.logs.String(), "dropped to make room") {
		t.Error("no dropped startup logged")
	}
}

// TestHandshakeDeadline: a connection that does not finish key exchange in
// time is closed; one that logs in is not.
func TestHandshakeDeadline(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.HandshakeTimeout = 300 * time.Millisecond })
	cs := silent(t, ts.addr, 3)
	c, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 5*time.Second)
	if n := closedWithin(cs, 3*time.Second); n != len(cs) {
		t.Errorf("%d of %d silent connections closed", n, len(cs))
	}
	time.Sleep(300 * time.Millisecond)
	select {
	case <-c.Exited():
		t.Fatal("a logged-in session was closed by the handshake deadline")
	default:
	}
	if !strings.Contains(ts.logs.String(), "no key exchange in time") {
		t.Errorf("deadline not logged:\n%s", ts.logs.String())
	}
}

// TestStartupLimitPerAddress: one address holds at most MaxStartupsPerAddr
// startups, its newest connections displacing its oldest silent ones; from
// half the limit on, a new connection displaces a startup that has stalled.
func TestStartupLimitPerAddress(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxStartups = 12; c.MaxStartupsPerAddr = 4 })
	var cs []net.Conn
	for i := range 10 { // one after the other, as the server takes them
		cs = append(cs, silent(t, ts.addr, 1)...)
		waitFor(t, "the server to take it", 5*time.Second, func() bool {
			return strings.Count(ts.logs.String(), "msg=connect ") == i+1
		})
	}
	if n, _ := ts.s.gate.counts(); n != 4 {
		t.Errorf("%d startups", n)
	}
	// the six oldest were dropped, the four newest are kept
	if n := closedWithin(cs[:6], 2*time.Second); n != 6 {
		t.Errorf("%d of the 6 oldest closed", n)
	}
	if n := closedWithin(cs[6:], 200*time.Millisecond); n != 0 {
		t.Errorf("%d of the 4 newest closed", n)
	}
	time.Sleep(stallAfter) // all four have stalled now
	c, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 10*time.Second)
	if n := closedWithin(cs[6:7], 2*time.Second); n != 1 {
		t.Error("the oldest stalled startup was not displaced")
	}
	if n := closedWithin(cs[7:], 200*time.Millisecond); n != 0 {
		t.Errorf("%d more displaced", n)
	}
}

// TestSavesInSameSecondKept: two sessions — of one user and of another —
// that save the same preset in the same second (the clock is fixed here) keep
// all their files, each in a folder of its own under the user's key.
func TestSavesInSameSecondKept(t *testing.T) {
	ts := startServer(t, nil)
	bob := sshtest.NewKey(t)
	ak, _ := os.ReadFile(ts.cfg.AuthorizedKeys)
	os.WriteFile(ts.cfg.AuthorizedKeys, append(ak, sshtest.AuthorizedLine(bob.PublicKey(), "bob@test")+"\n"...), 0o600)
	var cs []*sshtest.Client
	for _, k := range []gossh.Signer{ts.alice, ts.alice, bob} {
		c, err := ts.session(k, 120, 40)
		if err != nil {
			t.Fatal(err)
		}
		c.WaitScreen("paused", 10*time.Second)
		c.Keys("s") // one batch, so there is something to save
		c.WaitScreen("step 1/4", 10*time.Second)
		cs = append(cs, c)
	}
	for _, c := range cs {
		c.Keys("w")
	}
	for _, c := range cs {
		c.WaitScreen("saved", 10*time.Second)
	}
	files, _ := filepath.Glob(filepath.Join(ts.cfg.Lab.RunsDir, "*", "*", "*.json"))
	if len(files) != 3 {
		t.Fatalf("%d run files, want 3: %v", len(files), files)
	}
	dirs := map[string]int{}
	for _, f := range files {
		dirs[filepath.Base(filepath.Dir(filepath.Dir(f)))]++
	}
	fp := func(k gossh.Signer) string {
		return strings.NewReplacer("/", "_", "+", "-").Replace(strings.TrimPrefix(gossh.FingerprintSHA256(k.PublicKey()), "SHA256:"))
	}
	if dirs[fp(ts.alice)] != 2 || dirs[fp(bob)] != 1 {
		t.Errorf("files by key folder: %v", dirs)
	}
	for _, si := range ts.s.Sessions() {
		if !slices.ContainsFunc(files, func(f string) bool { return filepath.Dir(f) == si.RunsDir }) {
			t.Errorf("session %d's folder %s holds no file", si.ID, si.RunsDir)
		}
	}
	// a session that saves nothing leaves no folder behind
	c, err := ts.session(bob, 120, 40)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("paused", 10*time.Second)
	runs := ts.s.Sessions()[len(ts.s.Sessions())-1].RunsDir
	if _, err := os.Stat(runs); err != nil {
		t.Fatalf("session folder: %v", err)
	}
	c.Keys("q")
	c.WaitExit(10 * time.Second)
	waitFor(t, "the empty folder to go", 5*time.Second, func() bool {
		_, err := os.Stat(runs)
		return os.IsNotExist(err)
	})
}

// TestPendingPeek: a client's bytes waiting unread count as speaking.
func TestPendingPeek(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	quiet, _ := net.Dial("tcp", ln.Addr().String())
	defer quiet.Close()
	sq, _ := ln.Accept()
	defer sq.Close()
	talker, _ := net.Dial("tcp", ln.Addr().String())
	defer talker.Close()
	st, _ := ln.Accept()
	defer st.Close()
	talker.Write([]byte("SSH-2.0-x\r\n"))
	waitFor(t, "the bytes to arrive", 2*time.Second, func() bool { return pending(st) })
	if pending(sq) {
		t.Error("a silent connection has data pending")
	}
	buf := make([]byte, 64)
	if n, _ := st.Read(buf); string(buf[:n]) != "SSH-2.0-x\r\n" {
		t.Errorf("peeking consumed data: read %q", buf[:n])
	}
}
