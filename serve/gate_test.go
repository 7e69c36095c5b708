package serve

import (
	"fmt"
	"log/slog"
	"net"
	"testing"
	"time"
)

// fakeStartup is a startup from ip, started ago and last progressing
// stalled ago, at stage.
func fakeStartup(ip string, ago, stalled time.Duration, stage int32) *conn {
	c := &conn{Conn: nopConn{}, ip: ip, start: time.Now().Add(-ago)}
	c.last.Store(time.Now().Add(-stalled).UnixNano())
	c.stage.Store(stage)
	return c
}

// nopConn is a net.Conn that is not a socket.
type nopConn struct{ net.Conn }

func admitAll(t *testing.T, g *gate, cs ...*conn) []*conn {
	t.Helper()
	var out []*conn
	for _, c := range cs {
		v, ok := g.admit(c)
		if !ok {
			t.Fatal("refused")
		}
		out = append(out, v...)
	}
	return out
}

// TestGateOtherAddressesUntouched: however many connections one address
// opens, a startup from another address is never displaced, and the limits
// hold. (The SSH tests can use only 127.0.0.1; this drives the gate with
// made-up addresses.)
func TestGateOtherAddressesUntouched(t *testing.T) {
	g := newGate(8, 4, 10)
	user := fakeStartup("192.0.2.7", 0, 0, stageTalking) // a client talks at once
	admitAll(t, g, user)
	for i := range 200 {
		for _, v := range admitAll(t, g, fakeStartup("203.0.113.1", 0, 0, stageSilent)) {
			if v == user {
				t.Fatalf("the user's startup displaced after %d attacker connections", i+1)
			}
		}
		if n, _ := g.counts(); n > 8 || g.byAddr["203.0.113.1"] > 4 {
			t.Fatalf("%d startups, %d from the attacker", n, g.byAddr["203.0.113.1"])
		}
	}
	// a distributed attacker: many addresses, each under its own limit
	for i := range 200 {
		user.progress(stageTalking) // the user's handshake goes on
		for _, v := range admitAll(t, g, fakeStartup(fmt.Sprintf("198.51.100.%d", i%50), 0, 0, stageSilent)) {
			if v == user {
				t.Fatalf("the user's startup displaced by the distributed attacker after %d", i+1)
			}
		}
		if n, _ := g.counts(); n > 8 {
			t.Fatalf("%d startups", n)
		}
	}
	if !user.pending {
		t.Error("the user's startup is gone")
	}
}

// TestGateDisplacementOrder: below the hard limit only stalled startups
// are displaced (the most stalled, or one that failed to authenticate); at
// it, silent ones go before those further along, the oldest first.
func TestGateDisplacementOrder(t *testing.T) {
	g := newGate(100, 6, 10)                                               // per address: from 3 on, stalled ones; at 6, any
	a := fakeStartup("192.0.2.1", 5*time.Second, 0, stageAuth)             // busy
	b := fakeStartup("192.0.2.1", 5*time.Second, 2*time.Second, stageAuth) // stalled 2 s
	c := fakeStartup("192.0.2.1", 5*time.Second, 3*time.Second, stageTalking)
	if v := admitAll(t, g, a, b, c); len(v) != 0 {
		t.Fatalf("displaced below the limit: %v", v)
	}
	if v := admitAll(t, g, fakeStartup("192.0.2.1", 0, 0, stageSilent)); len(v) != 1 || v[0] != c {
		t.Errorf("displaced %v, want the most stalled", v)
	}
	if v := admitAll(t, g, fakeStartup("192.0.2.1", 0, 0, stageSilent)); len(v) != 1 || v[0] != b {
		t.Errorf("displaced %v, want the stalled one", v)
	}
	// now a and two young silent ones: nothing has stalled
	if v := admitAll(t, g, fakeStartup("192.0.2.1", 0, 0, stageSilent)); len(v) != 0 {
		t.Errorf("displaced %v with nothing stalled", v)
	}
	failed := fakeStartup("192.0.2.1", 0, 0, stageAuth)
	failed.fails.Add(1)
	admitAll(t, g, failed)
	if v := admitAll(t, g, fakeStartup("192.0.2.1", 0, 0, stageSilent)); len(v) != 1 || v[0] != failed {
		t.Errorf("displaced %v, want the one that failed to authenticate", v)
	}
	// at the hard limit (6) with nothing stalled: the oldest silent one
	for g.byAddr["192.0.2.1"] < 6 {
		admitAll(t, g, fakeStartup("192.0.2.1", 0, 0, stageTalking))
	}
	var oldestSilent *conn
	for c := range g.pending {
		if c.stage.Load() == stageSilent && (oldestSilent == nil || c.start.Before(oldestSilent.start)) {
			oldestSilent = c
		}
	}
	if v := admitAll(t, g, fakeStartup("192.0.2.1", 0, 0, stageTalking)); len(v) != 1 || v[0] != oldestSilent {
		t.Errorf("displaced %v at the limit, want the oldest silent one", v)
	}
	if g.byAddr["192.0.2.1"] != 6 || !a.pending {
		t.Errorf("%d startups; the busy one pending: %v", g.byAddr["192.0.2.1"], a.pending)
	}
}

// TestGateLoggedIn: logged-in connections leave the startups and are
// limited apart.
func TestGateLoggedIn(t *testing.T) {
	g := newGate(4, 2, 2)
	cs := []*conn{fakeStartup("a", 0, 0, 0), fakeStartup("b", 0, 0, 0), fakeStartup("c", 0, 0, 0)}
	admitAll(t, g, cs...)
	if !g.loggedIn(cs[0]) || !g.loggedIn(cs[1]) || g.loggedIn(cs[2]) {
		t.Error("logged-in limit of 2 not applied")
	}
	if n, in := g.counts(); n != 0 || in != 2 {
		t.Errorf("%d startups, %d in", n, in)
	}
	g.remove(cs[0])
	g.remove(cs[0])
	if _, in := g.counts(); in != 1 {
		t.Errorf("%d in after one left (twice)", in)
	}
	if len(g.close()) != 0 {
		t.Error("startups at close")
	}
	if _, ok := g.admit(fakeStartup("d", 0, 0, 0)); ok {
		t.Error("admitted after close")
	}
}

// TestPreAuthConfig: the pre-authentication settings default sensibly
// around whichever are given, and nonsense is refused.
func TestPreAuthConfig(t *testing.T) {
	dir := t.TempDir()
	base := Config{HostKey: dir + "/hk", InsecureOpen: true, Lab: fakeOptions(&fakeLab{}), Logger: slog.New(slog.DiscardHandler)}
	for _, c := range []struct {
		set             func(*Config)
		kex, grace      time.Duration
		startups, perIP int
	}{
		{func(*Config) {}, DefaultHandshakeTimeout, DefaultLoginGrace, DefaultMaxStartups, DefaultMaxStartupsPerAddr},
		{func(c *Config) { c.LoginGrace = 4 * time.Second }, 4 * time.Second, 4 * time.Second, DefaultMaxStartups, DefaultMaxStartupsPerAddr},
		{func(c *Config) { c.HandshakeTimeout = time.Minute }, time.Minute, time.Minute, DefaultMaxStartups, DefaultMaxStartupsPerAddr},
		{func(c *Config) { c.MaxStartups = 10 }, DefaultHandshakeTimeout, DefaultLoginGrace, 10, 10},
	} {
		cfg := base
		c.set(&cfg)
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if s.cfg.HandshakeTimeout != c.kex || s.cfg.LoginGrace != c.grace || s.cfg.MaxStartups != c.startups ||
			s.cfg.MaxStartupsPerAddr != c.perIP {
			t.Errorf("%+v", s.cfg)
		}
	}
	for _, set := range []func(*Config){
		func(c *Config) { c.HandshakeTimeout = time.Minute; c.LoginGrace = time.Second },
		func(c *Config) { c.MaxStartups = 4; c.MaxStartupsPerAddr = 8 },
		func(c *Config) { c.MaxStartups = -1 },
	} {
		cfg := base
		set(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("accepted %+v", cfg)
		}
	}
}
