package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/serve/sshtest"
	"infomorph-tui/tui"
)

// The load figure of the README (opt-in; each trial runs a fresh server in a
// process of its own, with the default limits, so that its memory can be
// read):
//
//	INFOMORPH_LOAD=1 go test -run TestLoadFigure -v ./serve/
//
// In each trial N TCP connections that never send a byte are opened and M
// logins with unknown keys run, ten at a time; once a quarter of those are
// done a legitimate user logs in and opens a lab. Everything comes from
// 127.0.0.1, the worst case for the per-address limit: attacker and user
// share it (and these two cores). Environment: INFOMORPH_LOAD_SILENT (N,
// default 50), INFOMORPH_LOAD_BADKEYS (M, default 50), INFOMORPH_LOAD_TRIALS
// (default 10), INFOMORPH_LOAD_REOPEN=1 (the attacker reopens every silent
// connection the server drops, at once: a storm of thousands of connections
// a second from the user's own address, on the same two cores).

// TestLoadFigure measures legitimate logins under attack.
func TestLoadFigure(t *testing.T) {
	if os.Getenv("INFOMORPH_LOAD") == "" {
		t.Skip("opt-in: INFOMORPH_LOAD=1")
	}
	nSilent, mBad := envInt("INFOMORPH_LOAD_SILENT", 50), envInt("INFOMORPH_LOAD_BADKEYS", 50)
	trials := envInt("INFOMORPH_LOAD_TRIALS", 10)
	reopen := os.Getenv("INFOMORPH_LOAD_REOPEN") == "1"
	var logins, screens []time.Duration
	failed := 0
	for i := range trials {
		r, err := loadTrial(t, nSilent, mBad, reopen)
		if err != nil {
			failed++
			t.Logf("trial %d: %v", i+1, err)
			continue
		}
		logins, screens = append(logins, r.login), append(screens, r.screen)
		t.Logf("trial %d: login %v, lab on screen %v; server RSS %.1f MB before, %.1f MB with the user in, "+
			"%.1f MB after the attack (peak %.1f MB); %d silent connections opened in all, %d unknown keys "+
			"refused (%d dropped before authenticating)", i+1, r.login.Round(time.Millisecond),
			r.screen.Round(time.Millisecond), r.rss[0], r.rss[1], r.rss[2], r.peak, r.opened, r.refused, r.cut)
	}
	if len(logins) > 0 {
		slices.Sort(logins)
		slices.Sort(screens)
		t.Logf("N=%d silent (reopened: %v), M=%d unknown keys: %d of %d logins succeeded; login median %v, max %v; "+
			"lab on screen median %v, max %v", nSilent, reopen, mBad, len(logins), trials,
			logins[len(logins)/2].Round(time.Millisecond), logins[len(logins)-1].Round(time.Millisecond),
			screens[len(screens)/2].Round(time.Millisecond), screens[len(screens)-1].Round(time.Millisecond))
	}
	if failed > 0 {
		t.Errorf("%d of %d legitimate logins failed", failed, trials)
	}
}

type loadResult struct {
	login, screen        time.Duration
	rss                  [3]float64 // MB: before, with the user in, after the attack
	peak                 float64
	opened, refused, cut int64
}

// loadTrial runs one server process and one attack.
func loadTrial(t *testing.T, nSilent, mBad int, reopen bool) (r loadResult, err error) {
	dir := t.TempDir()
	alice := sshtest.NewKey(t)
	ak := filepath.Join(dir, "authorized_keys")
	os.WriteFile(ak, []byte(sshtest.AuthorizedLine(alice.PublicKey(), "alice@load")+"\n"), 0o600)

	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadServer$")
	cmd.Env = append(os.Environ(), "INFOMORPH_LOAD_SERVER="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, _ := cmd.StdoutPipe()
	stdin, _ := cmd.StdinPipe() // the server stops when it closes
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	lines := bufio.NewScanner(out)
	addr := ""
	for lines.Scan() {
		if a, ok := strings.CutPrefix(lines.Text(), "ADDR "); ok {
			addr = a
			break
		}
	}
	if addr == "" {
		t.Fatalf("no server address; stderr:\n%s", stderr.String())
	}
	go func() {
		for lines.Scan() {
		}
	}()
	pub, err := os.ReadFile(filepath.Join(dir, "host_ed25519.pub"))
	if err != nil {
		t.Fatal(err)
	}
	hostKey, _, _, _, err := gossh.ParseAuthorizedKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid

	// warm up: one login and lab, as a server that has served someone
	if c, err := sshtest.Dial(addr, alice, hostKey); err == nil {
		cl, err := sshtest.Open(t, c, 120, 40)
		if err == nil {
			cl.WaitScreen("mnist-context", 10*time.Second)
			cl.Keys("q")
			cl.WaitExit(10 * time.Second)
		}
	}
	time.Sleep(200 * time.Millisecond)
	r.rss[0] = procStatusMB(pid, "VmRSS")

	// N silent connections (reopened as soon as the server drops one)
	stop := make(chan struct{})
	var silentWG sync.WaitGroup
	var opened atomic.Int64
	for range nSilent {
		time.Sleep(time.Millisecond) // opened one after the other
		silentWG.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				c, err := net.DialTimeout("tcp", addr, 2*time.Second)
				if err != nil {
					time.Sleep(10 * time.Millisecond)
					continue
				}
				opened.Add(1)
				closed := make(chan struct{})
				go func() {
					select {
					case <-stop:
					case <-closed:
					}
					c.Close()
				}()
				io.Copy(io.Discard, c) // the server's version, then nothing until it drops us (or stop)
				close(closed)
				if !reopen {
					return
				}
			}
		})
	}
	defer silentWG.Wait()
	defer close(stop)
	time.Sleep(100 * time.Millisecond)

	// M logins with unknown keys, ten at a time
	var done, refused, cut atomic.Int64
	var wg sync.WaitGroup
	defer wg.Wait()
	todo := make(chan struct{}, mBad)
	for range mBad {
		todo <- struct{}{}
	}
	close(todo)
	for range 10 {
		wg.Go(func() {
			for range todo {
				c, err := sshtest.Dial(addr, sshtest.NewKey(t), hostKey)
				switch {
				case err == nil:
					c.Close()
					t.Error("an unknown key logged in")
				case strings.Contains(err.Error(), "unable to authenticate"):
					refused.Add(1)
				default:
					cut.Add(1) // dropped before authentication
				}
				done.Add(1)
			}
		})
	}
	for done.Load() < int64(mBad/4) { // the attack is well under way
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	conn, err := sshtest.Dial(addr, alice, hostKey)
	r.login = time.Since(start)
	if err != nil {
		return r, fmt.Errorf("login failed after %v: %w", r.login.Round(time.Millisecond), err)
	}
	c, err := sshtest.Open(t, conn, 120, 40)
	if err != nil {
		return r, err
	}
	if !c.PollScreen("mnist-context", 10*time.Second) {
		return r, fmt.Errorf("no lab after %v", time.Since(start))
	}
	r.screen = time.Since(start)
	r.rss[1] = procStatusMB(pid, "VmRSS")
	wg.Wait()
	r.rss[2] = procStatusMB(pid, "VmRSS")
	r.peak = procStatusMB(pid, "VmHWM")
	r.opened, r.refused, r.cut = opened.Load(), refused.Load(), cut.Load()
	c.Keys("q")
	c.WaitExit(10 * time.Second)
	return r, nil
}

// TestLoadServer is the server process of TestLoadFigure.
func TestLoadServer(t *testing.T) {
	dir := os.Getenv("INFOMORPH_LOAD_SERVER")
	if dir == "" {
		t.Skip("helper process of TestLoadFigure")
	}
	lab := &fakeLab{delay: 2 * time.Millisecond}
	s, err := New(Config{
		HostKey: filepath.Join(dir, "host_ed25519"), AuthorizedKeys: filepath.Join(dir, "authorized_keys"),
		Lab: tui.Options{Presets: fakePresets, Factory: lab.factory, Preset: "mnist-readout", Seed: 1,
			RunsDir: filepath.Join(dir, "runs")},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	fmt.Printf("ADDR %s\n", ln.Addr())
	os.Stdin.Read(make([]byte, 1)) // until the test closes it
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Shutdown(ctx)
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n >= 0 {
		return n
	}
	return def
}

// procStatusMB reads a memory field of /proc/PID/status ("VmRSS") in MB
// (0 where there is no /proc).
func procStatusMB(pid int, field string) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}
