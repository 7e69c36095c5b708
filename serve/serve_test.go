package serve

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/serve/sshtest"
	"infomorph-tui/tui"
)

// TestLabOverSSH: an authorised key gets its own lab at its terminal's size,
// sees the preset list, trains, and quits cleanly through the save question.
func TestLabOverSSH(t *testing.T) {
	ts := startServer(t, nil)
	c, err := ts.session(ts.alice, 120, 40)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 10*time.Second) // the preset list
	c.WaitScreen("paused", 10*time.Second)
	if lines := strings.Split(c.Screen(), "\n"); len(lines) < 30 {
		t.Errorf("lab fills %d lines of a 40-line terminal", len(lines))
	}
	id := ts.lastSession()

	c.Keys(" ")
	c.WaitScreen("running", 10*time.Second)
	waitFor(t, "an epoch of training", 10*time.Second, func() bool { return ts.steps(id) >= 2*fakeStepsPerEpoch })
	c.Keys(" ")
	c.WaitScreen("paused", 10*time.Second)

	c.Keys("q")
	c.WaitScreen("Save before quit?", 10*time.Second)
	c.Keys("n")
	if code := c.WaitExit(10 * time.Second); code != 0 {
		t.Errorf("exit status %d, want 0", code)
	}
	if out := c.Output(); !strings.Contains(out, "Thanks for visiting") {
		t.Errorf("no goodbye in the output:\n%s", out)
	}
	if c.Screen() == "" || strings.Contains(c.Screen(), "mnist-context") {
		t.Errorf("terminal not restored after quitting:\n%s", c.Screen())
	}
	waitFor(t, "the session to leave", 5*time.Second, func() bool { return len(ts.s.Sessions()) == 0 })

	ts.lab.mu.Lock()
	if len(ts.lab.made) != 1 || ts.lab.made[0].workers != 1 || ts.lab.made[0].total < 2*fakeStepsPerEpoch {
		t.Errorf("engines: %d, workers %d", len(ts.lab.made), ts.lab.made[0].workers)
	}
	ts.lab.mu.Unlock()

	c.Conn.Close()
	waitFor(t, "the disconnect log line", 5*time.Second, func() bool { return strings.Contains(ts.logs.String(), "msg=disconnect") })
	logs := ts.logs.String()
	for _, want := range []string{"msg=connect", "msg=auth", "result=accepted", "key=alice@test",
		"fingerprint=" + gossh.FingerprintSHA256(ts.alice.PublicKey()), `msg="session start"`, "term=xterm-256color",
		"size=120x40", `msg="session end"`, "reason=quit", "msg=disconnect"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	checkNoKeyMaterial(t, logs, ts.alice.PublicKey())
}

// checkNoKeyMaterial fails if the log holds any part of a key's wire form.
func checkNoKeyMaterial(t *testing.T, logs string, keys ...gossh.PublicKey) {
	t.Helper()
	for _, k := range keys {
		b64 := base64.StdEncoding.EncodeToString(k.Marshal())
		for i := 0; i+24 <= len(b64); i += 12 {
			if strings.Contains(logs, b64[i:i+24]) {
				t.Fatalf("log holds key material (%s…)", b64[i:i+24])
			}
		}
	}
}

// TestUnknownKeyRefused: a key missing from authorized_keys cannot log in,
// and neither can a client without a key.
func TestUnknownKeyRefused(t *testing.T) {
	ts := startServer(t, nil)
	mallory := sshtest.NewKey(t)
	if conn, err := ts.dial(mallory); err == nil {
		conn.Close()
		t.Fatal("an unknown key logged in")
	} else if !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("error %v", err)
	}
	if conn, err := ts.dial(nil); err == nil {
		conn.Close()
		t.Fatal("a client without a key logged in")
	}
	if n := len(ts.s.Sessions()); n != 0 {
		t.Errorf("%d sessions", n)
	}
	logs := ts.logs.String()
	if !strings.Contains(logs, "result=rejected") || !strings.Contains(logs, gossh.FingerprintSHA256(mallory.PublicKey())) {
		t.Errorf("no rejection logged:\n%s", logs)
	}
	checkNoKeyMaterial(t, logs, mallory.PublicKey(), ts.alice.PublicKey())
}

// TestMaxSessions: the (max+1)-th session is turned away politely; a seat
// that frees up is given to the next client.
func TestMaxSessions(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSessions = 2 })
	var seated []*sshtest.Client
	for range 2 {
		c, err := ts.session(ts.alice, 100, 30)
		if err != nil {
			t.Fatal(err)
		}
		c.WaitScreen("mnist-context", 10*time.Second)
		seated = append(seated, c)
	}
	extra, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	if code := extra.WaitExit(10 * time.Second); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if out := extra.Output(); !strings.Contains(out, "the lab is full") || !strings.Contains(out, "all 2 seats") {
		t.Errorf("no polite message:\n%q", out)
	}
	if !strings.Contains(ts.logs.String(), "reason=full") {
		t.Error("refusal not logged")
	}

	seated[0].Keys("q")
	seated[0].WaitExit(10 * time.Second)
	waitFor(t, "a free seat", 5*time.Second, func() bool { return len(ts.s.Sessions()) == 1 })
	next, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	next.WaitScreen("mnist-context", 10*time.Second)
}

// TestIdleTimeout: a session without input is closed with a message; one
// whose user keeps typing stays.
func TestIdleTimeout(t *testing.T) {
	const idle = 800 * time.Millisecond
	ts := startServer(t, func(c *Config) { c.Idle = idle })
	start := time.Now() // the quiet session's idle time starts after this
	quiet, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	busy, err := ts.session(ts.alice, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	busy.WaitScreen("mnist-context", 10*time.Second)
	stop := make(chan struct{})
	typed := make(chan struct{})
	go func() {
		defer close(typed)
		for {
			select {
			case <-stop:
				return
			case <-time.After(idle / 4):
				busy.Send("?") // toggles the help overlay
			}
		}
	}()
	if code := quiet.WaitExit(idle + 10*time.Second); code != 0 {
		t.Errorf("exit status %d", code)
	}
	if d := time.Since(start); d < idle/2 {
		t.Errorf("closed after %v, idle timeout %v", d, idle)
	}
	if out := quiet.Output(); !strings.Contains(out, "Disconnected after 800ms without input") {
		t.Errorf("no idle message:\n%q", out)
	}
	time.Sleep(idle) // the busy user has typed through more than one idle period
	close(stop)
	<-typed
	select {
	case <-busy.Exited():
		t.Fatal("a session with input was closed as idle")
	default:
	}
	if !strings.Contains(ts.logs.String(), "reason=idle") {
		t.Error("idle end not logged")
	}
}

// TestTwoSessionsIndependent: two users train their own runs, with their own
// terminal sizes and colour profiles.
func TestTwoSessionsIndependent(t *testing.T) {
	ts := startServer(t, nil)
	a, err := ts.session(ts.alice, 120, 40)
	if err != nil {
		t.Fatal(err)
	}
	a.WaitScreen("paused", 10*time.Second)
	idA := ts.lastSession()
	b, err := ts.session(ts.alice, 90, 28, "NO_COLOR", "1")
	if err != nil {
		t.Fatal(err)
	}
	b.WaitScreen("paused", 10*time.Second)
	idB := ts.lastSession()

	a.Keys(" ")
	waitFor(t, "A to train", 10*time.Second, func() bool { return ts.steps(idA) >= 6 })
	if n := ts.steps(idB); n != 0 {
		t.Errorf("B trained %d batches without asking", n)
	}
	b.WaitScreen("paused", time.Second)
	a.Keys(" ")
	a.WaitScreen("paused", 10*time.Second)
	stepsA := settled(t, ts, idA) // a batch in flight still finishes

	b.Keys("s")
	waitFor(t, "B's single step", 10*time.Second, func() bool { return ts.steps(idB) == 1 })
	b.WaitScreen("step 1/4", 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	if n := ts.steps(idA); n != stepsA {
		t.Errorf("A's count moved from %d to %d while paused", stepsA, n)
	}

	if s := a.Screen(); !strings.Contains(strings.Split(s, "\n")[0], "samples/s") {
		t.Errorf("A's header at 120 columns:\n%s", s)
	}
	if w := len([]rune(strings.Split(b.Screen(), "\n")[0])); w > 90 {
		t.Errorf("B's header is %d wide on a 90-column terminal", w)
	}
	if !strings.Contains(a.Raw(), "\x1b[38;") {
		t.Error("A (xterm-256color) got no colour")
	}
	if strings.Contains(b.Raw(), "\x1b[38;") || strings.Contains(b.Raw(), ";38;") {
		t.Error("B (NO_COLOR) got colour")
	}
	logs := ts.logs.String()
	if !strings.Contains(logs, "profile=ANSI256") || !strings.Contains(logs, "profile=Ascii") && !strings.Contains(logs, "profile=ASCII") {
		t.Errorf("profiles not logged:\n%s", logs)
	}
}

// settled waits until a session's batch count stops changing and returns it.
func settled(t *testing.T, ts *testServer, id int64) int64 {
	t.Helper()
	last, since := ts.steps(id), time.Now()
	deadline := time.Now().Add(10 * time.Second)
	for time.Since(since) < 150*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatal("training did not stop")
		}
		time.Sleep(10 * time.Millisecond)
		if n := ts.steps(id); n != last {
			last, since = n, time.Now()
		}
	}
	return last
}

// TestResize: window changes reach the session's lab.
func TestResize(t *testing.T) {
	ts := startServer(t, nil)
	c, err := ts.session(ts.alice, 120, 40)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 10*time.Second)
	if err := c.Resize(50, 16); err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("too small", 10*time.Second)
	c.Resize(120, 40)
	c.WaitScreen("mnist-context", 10*time.Second)
}

// TestNoShellNoForwarding: commands, subsystems, sessions without a
// terminal and port forwarding are all refused.
func TestNoShellNoForwarding(t *testing.T) {
	ts := startServer(t, nil)
	conn, err := ts.dial(ts.alice)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	sess, _ := conn.NewSession()
	var stderr sshtest.Buffer
	sess.Stderr = &stderr
	out, err := sess.Output("cat /etc/passwd")
	var ee *gossh.ExitError
	if !errors.As(err, &ee) || ee.ExitStatus() != 1 || strings.Contains(string(out), "root:") {
		t.Errorf("exec: err %v, out %q", err, out)
	}
	if !strings.Contains(stderr.String(), "does not run commands") {
		t.Errorf("exec stderr %q", stderr.String())
	}

	sess, _ = conn.NewSession()
	if err := sess.RequestSubsystem("sftp"); err == nil {
		t.Error("sftp subsystem accepted")
	}
	sess.Close()

	sess, _ = conn.NewSession()
	stderr = sshtest.Buffer{}
	sess.Stderr = &stderr
	if err := sess.Run(""); !errors.As(err, &ee) || ee.ExitStatus() != 1 {
		t.Errorf("shell without a terminal: %v", err)
	}
	if !strings.Contains(stderr.String(), "needs a terminal") {
		t.Errorf("no-pty stderr %q", stderr.String())
	}

	if c, err := conn.Dial("tcp", ts.addr); err == nil {
		c.Close()
		t.Error("local port forwarding allowed")
	}
	if l, err := conn.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Error("remote port forwarding allowed")
	}
	if n := len(ts.s.Sessions()); n != 0 {
		t.Errorf("%d labs started", n)
	}
}

// TestShutdownTellsUsers: Shutdown ends every lab with a message and stops
// taking connections.
func TestShutdownTellsUsers(t *testing.T) {
	ts := startServer(t, nil)
	var cs []*sshtest.Client
	for range 2 {
		c, err := ts.session(ts.alice, 100, 30)
		if err != nil {
			t.Fatal(err)
		}
		c.WaitScreen("mnist-context", 10*time.Second)
		cs = append(cs, c)
	}
	cs[0].Keys(" ") // one of them mid-training
	waitFor(t, "training", 10*time.Second, func() bool { return ts.s.Sessions()[0].Steps > 0 })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	t.Logf("shutdown took %v", time.Since(start))
	for i, c := range cs {
		c.WaitExit(5 * time.Second)
		if out := c.Output(); !strings.Contains(out, "shutting down") {
			t.Errorf("client %d was not told:\n%q", i, out)
		}
	}
	if conn, err := ts.dial(ts.alice); err == nil {
		conn.Close()
		t.Error("connected after shutdown")
	}
	if !strings.Contains(ts.logs.String(), "reason=shutdown") {
		t.Error("shutdown ends not logged")
	}
	ts.lab.mu.Lock()
	defer ts.lab.mu.Unlock()
	if peak := ts.lab.meter.peak.Load(); peak > 2 {
		t.Errorf("%d steps ran at once with 2 CPU slots", peak)
	}
}

// TestInsecureOpen: without authorised keys the server refuses to start
// unless explicitly opened, and then lets a keyless client in.
func TestInsecureOpen(t *testing.T) {
	dir := t.TempDir()
	lab := &fakeLab{}
	_, err := New(Config{HostKey: dir + "/hk", Lab: fakeOptions(lab)})
	if err == nil || !strings.Contains(err.Error(), "--insecure-open") {
		t.Fatalf("no keys, not open: %v", err)
	}
	ts := startServer(t, func(c *Config) { c.AuthorizedKeys = ""; c.InsecureOpen = true })
	if !strings.Contains(ts.logs.String(), "INSECURE") {
		t.Error("no warning logged")
	}
	c, err := ts.session(nil, 100, 30)
	if err != nil {
		t.Fatal(err)
	}
	c.WaitScreen("mnist-context", 10*time.Second)
}

func fakeOptions(lab *fakeLab) tui.Options {
	return tui.Options{Presets: fakePresets, Factory: lab.factory, Preset: "mnist-readout", Seed: 1}
}
