package cli

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/serve"
	"infomorph-tui/serve/sshtest"
	"infomorph-tui/tasks"
)

func TestServeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--insecure-open"},
		{[]string{"--authorized-keys", "k", "--max-sessions", "0"}, "--max-sessions"},
		{[]string{"--authorized-keys", "k", "--idle", "-1s"}, "--idle"},
		{[]string{"--authorized-keys", "k", "--cpus", "-2"}, "--cpus"},
		{[]string{"--authorized-keys", "k", "--preset", "mnist-nope"}, "mnist-nope"},
		{[]string{"--authorized-keys", "k", "extra"}, `unexpected argument "extra"`},
		{[]string{"--frobnicate"}, "frobnicate"},
	} {
		code, out, errs := cli(t, append([]string{"serve"}, tc.args...)...)
		if code != ExitUsage || out != "" || !strings.HasPrefix(errs, "infomorph-tui serve: ") || !strings.Contains(errs, tc.want) {
			t.Errorf("serve %v: exit %d, stdout %q, stderr %q (want %q)", tc.args, code, out, errs, tc.want)
		}
	}
	dir := t.TempDir()
	// (--data keeps the MNIST lookup from running `go env`, whose telemetry
	// may write into the test's config folder after the test)
	code, _, errs := cli(t, "serve", "--authorized-keys", filepath.Join(dir, "missing"), "--host-key",
		filepath.Join(dir, "hk"), "--addr", "127.0.0.1:0", "--data", dir)
	if code != 1 || !strings.Contains(errs, "missing") {
		t.Errorf("missing keys file: exit %d, %q", code, errs)
	}
}

// memStats samples the process's memory while the load test runs.
type memStats struct {
	mu                sync.Mutex
	peakHeap, peakSys uint64
	peakRSS           int64 // kB
	samples           int
	stop              chan struct{}
	done              chan struct{}
}

func sampleMemory(every time.Duration) *memStats {
	m := &memStats{stop: make(chan struct{}), done: make(chan struct{})}
	if every <= 0 { // one sample now
		m.sample()
		close(m.done)
		return m
	}
	go func() {
		defer close(m.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.sample()
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memStats) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, _ := procStatus("VmRSS")
	m.mu.Lock()
	defer m.mu.Unlock()
	m.peakHeap, m.peakSys = max(m.peakHeap, ms.HeapAlloc), max(m.peakSys, ms.Sys)
	m.peakRSS = max(m.peakRSS, rss)
	m.samples++
}

func (m *memStats) finish() {
	select {
	case <-m.done:
	default:
		close(m.stop)
		<-m.done
	}
}

// procStatus reads a kB figure of /proc/self/status (Linux; 0 elsewhere).
func procStatus(field string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("%s not found", field)
}

// TestServeLoad: eight users at once, each training mnist-readout for a
// fixed number of batches through `infomorph-tui serve` on this machine's
// cores: all finish, none starves, memory stays bounded. On tiny synthetic
// data with -short or -race (three epochs of two batches each); on the real
// MNIST for one epoch (47 batches) otherwise. Ends with a shutdown that
// tells a connected user.
func TestServeLoad(t *testing.T) {
	const users = 8
	real := !testing.Short() && !raceEnabled()
	dataDir, err := tasks.FindMNISTDir("") // before the config folder moves (see TestServeUsageErrors)
	if err != nil {
		real = false
	}
	epochs, train := 1, 48000
	if !real {
		dataDir, epochs, train = tinyData(t), 3, 1100
	}
	perEpoch := (train + tasks.BatchSize - 1) / tasks.BatchSize
	want := int64(epochs * perEpoch)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())

	dir := t.TempDir()
	key := sshtest.NewKey(t)
	ak := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(ak, []byte(sshtest.AuthorizedLine(key.PublicKey(), "load@test")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs sshtest.Buffer
	type up struct {
		srv  *serve.Server
		addr net.Addr
	}
	ready := make(chan up, 1)
	exit := make(chan int, 1)
	runtime.GC()
	base := sampleMemory(0)
	base.finish()
	go func() {
		o := serveOptions{addr: "127.0.0.1:0", hostKey: filepath.Join(dir, "hk"), authKeys: ak, data: dataDir,
			preset: "mnist-readout", seed: 1, runs: filepath.Join(dir, "runs"), maxSessions: users, idle: 5 * time.Minute,
			ready: func(s *serve.Server, a net.Addr) { ready <- up{s, a} }}
		exit <- report(&logs, "infomorph-tui serve", runServe(ctx, Stdio{Err: &logs}, o))
	}()
	var u up
	select {
	case u = <-ready:
	case code := <-exit:
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	case <-time.After(2 * time.Minute):
		t.Fatal("server did not start")
	}
	defer func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()
	pub, err := os.ReadFile(filepath.Join(dir, "hk.pub"))
	if err != nil {
		t.Fatal(err)
	}
	hostKey, _, _, _, err := gossh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	open := func() *sshtest.Client {
		t.Helper()
		conn, err := sshtest.Dial(u.addr.String(), key, hostKey)
		if err != nil {
			t.Fatal(err)
		}
		c, err := sshtest.Open(t, conn, 100, 30)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	mem := sampleMemory(100 * time.Millisecond)
	clients := make([]*sshtest.Client, users)
	for i := range clients {
		clients[i] = open()
	}
	for _, c := range clients {
		c.WaitScreen("paused", time.Minute) // engine built
	}
	start := time.Now()
	for _, c := range clients {
		c.Keys(strings.Repeat("e", epochs))
	}
	var firstDone time.Duration
	var atFirst []int64
	finished := map[int64]time.Duration{}
	deadline := time.Now().Add(3 * time.Minute)
	for len(finished) < users {
		if time.Now().After(deadline) {
			t.Fatalf("not all sessions finished: %+v", u.srv.Sessions())
		}
		ss := u.srv.Sessions()
		if len(ss) != users {
			t.Fatalf("%d sessions live, want %d", len(ss), users)
		}
		for _, s := range ss {
			if s.Steps > want {
				t.Fatalf("session %d trained %d batches, asked for %d", s.ID, s.Steps, want)
			}
			if _, ok := finished[s.ID]; !ok && s.Steps == want {
				finished[s.ID] = time.Since(start)
				if atFirst == nil {
					firstDone = time.Since(start)
					for _, s := range ss {
						atFirst = append(atFirst, s.Steps)
					}
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	took := time.Since(start)
	lo, hi := atFirst[0], atFirst[0]
	for _, n := range atFirst {
		lo, hi = min(lo, n), max(hi, n)
	}
	t.Logf("%d users × %d batches (%s data): all done in %v; when the first finished (%v) the others stood at %v",
		users, want, map[bool]string{true: "MNIST", false: "tiny"}[real], took.Round(time.Millisecond),
		firstDone.Round(time.Millisecond), atFirst)
	if lo == 0 {
		t.Errorf("a session was starved: batches %v when the first finished", atFirst)
	}
	if real && float64(lo) < 0.5*float64(hi) {
		t.Errorf("unfair share: batches %v when the first finished", atFirst)
	}

	for _, c := range clients {
		c.WaitScreen(fmt.Sprintf("ep %d ·", epochs), 30*time.Second) // the header's short form at 100 columns
		c.Keys("q")
	}
	for _, c := range clients {
		c.WaitScreen("Save before quit?", 30*time.Second)
		c.Keys("n")
	}
	for i, c := range clients {
		if code := c.WaitExit(30 * time.Second); code != 0 {
			t.Errorf("client %d: exit status %d", i, code)
		}
	}
	mem.finish()
	runtime.GC()
	after := sampleMemory(0)
	after.finish()
	hwm, _ := procStatus("VmHWM")
	const mb = 1 << 20
	t.Logf("memory: heap %.0f MB before → peak %.0f MB during → %.0f MB after; Go runtime Sys peak %.0f MB; "+
		"RSS peak %.0f MB (sampled %d×), process high-water mark %.0f MB",
		float64(base.peakHeap)/mb, float64(mem.peakHeap)/mb, float64(after.peakHeap)/mb, float64(mem.peakSys)/mb,
		float64(mem.peakRSS)/1024, mem.samples, float64(hwm)/1024)
	if lim := uint64(2 << 30); mem.peakHeap-base.peakHeap > lim {
		t.Errorf("%d sessions took %.0f MB of heap, want < %d MB", users, float64(mem.peakHeap-base.peakHeap)/mb, lim/mb)
	}
	if n := strings.Count(logs.String(), "reason=quit"); n != users {
		t.Errorf("%d sessions ended by quitting, want %d", n, users)
	}

	// shutdown: a connected user is told, the command exits 0
	last := open()
	last.WaitScreen("paused", time.Minute)
	cancel()
	last.WaitExit(20 * time.Second)
	if out := last.Output(); !strings.Contains(out, "shutting down") {
		t.Errorf("user not told about the shutdown:\n%q", out)
	}
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exited %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return after its context ended")
	}
}
