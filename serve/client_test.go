package serve

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/serve/sshtest"
	"infomorph-tui/tui"
)

// testServer is a lab server on a loopback port with fake engines.
type testServer struct {
	t       testing.TB
	s       *Server
	cfg     Config
	addr    string
	lab     *fakeLab
	logs    *sshtest.Buffer
	hostKey gossh.PublicKey
	alice   gossh.Signer // authorised
	served  chan error
}

// startServer serves on 127.0.0.1 (a free port) with alice's key
// authorised; tweak adjusts the configuration first.
func startServer(t testing.TB, tweak func(*Config)) *testServer {
	t.Helper()
	dir := t.TempDir()
	ts := &testServer{t: t, lab: &fakeLab{delay: 2 * time.Millisecond}, logs: &sshtest.Buffer{}, alice: sshtest.NewKey(t),
		served: make(chan error, 1)}
	ak := filepath.Join(dir, "authorized_keys")
	line := sshtest.AuthorizedLine(ts.alice.PublicKey(), "alice@test") + "\n"
	if err := os.WriteFile(ak, []byte("# lab users\n"+line), 0o600); err != nil {
		t.Fatal(err)
	}
	ts.cfg = Config{
		HostKey:        filepath.Join(dir, "host_ed25519"),
		AuthorizedKeys: ak,
		MaxSessions:    8,
		CPUs:           2,
		Lab: tui.Options{Presets: fakePresets, Factory: ts.lab.factory, Preset: "mnist-readout", Seed: 1,
			RunsDir: filepath.Join(dir, "runs"),
			Now:     func() time.Time { return time.Date(2025, 11, 30, 12, 0, 0, 0, time.UTC) }},
		Logger: slog.New(slog.NewTextHandler(ts.logs, nil)),
	}
	if tweak != nil {
		tweak(&ts.cfg)
	}
	s, err := New(ts.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.s = s
	signer, _, err := loadHostKey(ts.cfg.HostKey)
	if err != nil {
		t.Fatal(err)
	}
	ts.hostKey = signer.PublicKey()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	go func() { ts.served <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		select {
		case <-ts.served:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return after Shutdown")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", ts.logs.String())
		}
	})
	return ts
}

// dial logs in with a key (nil: none).
func (ts *testServer) dial(signer gossh.Signer) (*gossh.Client, error) {
	return sshtest.Dial(ts.addr, signer, ts.hostKey)
}

// session opens a lab session of w×h cells with extra environment variables.
func (ts *testServer) session(signer gossh.Signer, w, h int, env ...string) (*sshtest.Client, error) {
	conn, err := ts.dial(signer)
	if err != nil {
		return nil, err
	}
	c, err := sshtest.Open(ts.t, conn, w, h, env...)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// waitFor polls cond until it holds.
func waitFor(t testing.TB, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// steps returns the training batches of live session id (-1: gone).
func (ts *testServer) steps(id int64) int64 {
	for _, si := range ts.s.Sessions() {
		if si.ID == id {
			return si.Steps
		}
	}
	return -1
}

// lastSession is the newest live session's id.
func (ts *testServer) lastSession() int64 {
	ss := ts.s.Sessions()
	if len(ss) == 0 {
		ts.t.Fatal("no live session")
	}
	return ss[len(ss)-1].ID
}
