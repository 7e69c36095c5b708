package serve

import (
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/serve/sshtest"
)

func TestFromPatterns(t *testing.T) {
	v4 := &net.TCPAddr{IP: net.IPv4(192, 168, 1, 77), Port: 5}
	v6 := &net.TCPAddr{IP: net.ParseIP("2001:db8::17"), Port: 5}
	mapped := &net.TCPAddr{IP: net.ParseIP("::ffff:10.1.2.3"), Port: 5}
	for _, c := range []struct {
		pats string
		addr net.Addr
		want bool
	}{
		{"192.168.1.77", v4, true},
		{"192.168.1.7", v4, false},
		{"10.9.9.9", loopback, false},
		{"*", v4, true},
		{"192.168.1.*", v4, true},
		{"192.168.1.7?", v4, true},
		{"192.168.1.7?", loopback, false},
		{"192.168.?.77", v4, true},
		{"192.168.*.7", v4, false},
		{"192.168.0.0/16", v4, true},
		{"192.168.2.0/24", v4, false},
		{"0.0.0.0/0", v4, true},
		{"!192.168.1.77", v4, false}, // only a negation: nothing allows
		{"!192.168.1.77,*", v4, false},
		{"*,!192.168.1.77", v4, false}, // a matching negation wins wherever it is
		{"!10.0.0.0/8,*", v4, true},
		{"!10.0.0.0/8,*", mapped, false}, // IPv4-mapped IPv6 is matched as IPv4
		{"10.1.2.3", mapped, true},
		{"2001:db8::/32", v6, true},
		{"2001:DB8::17", v6, true},
		{"2001:db8::*", v6, true},
		{"192.168.0.0/16", v6, false},
		{"*.example.com", v4, false}, // names are not resolved
		{"127.0.0.1,10.9.9.9", loopback, true},
	} {
		pats, err := parseFromList(c.pats)
		if err != nil {
			t.Errorf("%q: %v", c.pats, err)
			continue
		}
		if got := fromAllows(pats, c.addr); got != c.want {
			t.Errorf("from=%q for %v: %v, want %v", c.pats, c.addr, got, c.want)
		}
	}
	for _, bad := range []string{"", "10.0.0.1,", ",*", "!", "10.1.2.3/8", "10.0.0.0/33", "x/8"} {
		if _, err := parseFromList(bad); err == nil {
			t.Errorf("from=%q accepted", bad)
		}
	}
}

func TestExpiryFormats(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"20000101", time.Date(2000, 1, 1, 0, 0, 0, 0, berlin)},
		{"203001021530", time.Date(2030, 1, 2, 15, 30, 0, 0, berlin)},
		{"20300102153045", time.Date(2030, 1, 2, 15, 30, 45, 0, berlin)},
		{"20300102Z", time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)},
		{"203001021530z", time.Date(2030, 1, 2, 15, 30, 0, 0, time.UTC)},
		{"20300102153045UTC", time.Date(2030, 1, 2, 15, 30, 45, 0, time.UTC)},
	} {
		got, err := parseExpiry(c.in, berlin)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%q: %v (%v), want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "2000", "2000-01-01", "200001011", "20001301", "20000132", "2000010125", "Z", "20000101x"} {
		if _, err := parseExpiry(bad, berlin); err == nil {
			t.Errorf("expiry-time %q accepted", bad)
		}
	}
}

func TestKeyOptions(t *testing.T) {
	for _, c := range []struct {
		opts   string
		noPty  bool
		refuse string // part of the error; "" = accepted
	}{
		{"", false, ""},
		{"no-port-forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc", false, ""},
		{"No-Pty", true, ""},
		{"restrict", true, ""},
		{"restrict,pty", false, ""},
		{"pty,restrict", true, ""}, // later options override earlier ones
		{"no-pty,pty", false, ""},
		{`permitopen="localhost:80",permitlisten="8080",tunnel="0",environment="A=b"`, false, ""},
		{`from="10.0.0.0/8,!10.1.0.0/16",expiry-time="20300101"`, false, ""},
		{`command="/bin/false"`, false, "unsupported option command"},
		{`principals="ann"`, false, "unsupported option principals"},
		{"verify-required", false, "unsupported option verify-required"},
		{"frobnicate", false, "unsupported option frobnicate"},
		{"from=10.0.0.1", false, "double quotes"},
		{"from", false, "needs a value"},
		{`no-pty="x"`, false, "takes no value"},
		{`from="10.0.0.1",from="10.0.0.2"`, false, "more than one from"},
		{`from="10.1.2.3/8"`, false, "inconsistent mask"},
		{`expiry-time="2030"`, false, "YYYYMMDD"},
	} {
		key := sshtest.NewKey(t)
		line := strings.TrimSpace(c.opts + " " + sshtest.AuthorizedLine(key.PublicKey(), "k"))
		keys, err := parseAuthorizedKeys([]byte(line))
		if err != nil || len(keys) != 1 {
			t.Errorf("%s: %v", c.opts, err)
			continue
		}
		k := keys[0]
		switch {
		case c.refuse == "" && k.refused != "":
			t.Errorf("%s refused: %s", c.opts, k.refused)
		case c.refuse != "" && !strings.Contains(k.refused, c.refuse):
			t.Errorf("%s: refused %q, want %q", c.opts, k.refused, c.refuse)
		case c.refuse == "" && k.rules.noPty != c.noPty:
			t.Errorf("%s: no-pty %v", c.opts, k.rules.noPty)
		}
	}
	k, _ := parseAuthorizedKeys([]byte(`expiry-time="20300101Z",expiry-time="20250101Z" ` +
		sshtest.AuthorizedLine(sshtest.NewKey(t).PublicKey(), "k")))
	if want := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); !k[0].rules.expiry.Equal(want) {
		t.Errorf("two expiry times: %v, want the earlier", k[0].rules.expiry)
	}
}

// TestKeyringLookupRules: from= and expiry-time= decide per line; the first
// line that allows the key is used, as by sshd.
func TestKeyringLookupRules(t *testing.T) {
	a := sshtest.NewKey(t)
	line := func(opts string) string { return opts + " " + sshtest.AuthorizedLine(a.PublicKey(), opts) }
	path := filepath.Join(t.TempDir(), "authorized_keys")
	var logs sshtest.Buffer
	write := func(lines ...string) {
		os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	}
	write(line(`from="10.9.9.9"`))
	k, err := loadKeyring(path, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	k.now = func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	check := func(want bool, wantWhy, wantLine string) {
		t.Helper()
		g, ok, why := k.lookup(a.PublicKey(), loopback)
		if ok != want || !strings.Contains(why, wantWhy) || ok && g.comment != wantLine {
			t.Errorf("lookup: %v %q (%q), want %v %q (%q)", ok, why, g.comment, want, wantWhy, wantLine)
		}
	}
	check(false, `from="10.9.9.9" does not allow 127.0.0.1`, "")
	write(line(`expiry-time="20260601Z"`))
	check(false, "expired 2026-06-01T00:00:00Z", "")
	write(line(`expiry-time="20260601120000Z"`)) // up to the second, as sshd
	check(true, "", `expiry-time="20260601120000Z"`)
	write(line(`command="ls"`), line(`from="10.0.0.0/8"`), line(`from="127.0.0.0/8",expiry-time="20300101"`), line(""))
	check(true, "", `from="127.0.0.0/8",expiry-time="20300101"`)
	write(line(`command="ls"`), line(`from="!127.0.0.1,*"`))
	check(false, `line 1: unsupported option command; line 2: from="!127.0.0.1,*"`, "")
	if !strings.Contains(logs.String(), "authorized keys line refused") || !strings.Contains(logs.String(), "reason=\"unsupported option command\"") {
		t.Errorf("refused line not logged:\n%s", logs.String())
	}
}

// TestKeyringSameSizeSwap: a key replaced by another of the same length,
// with the file's modification time put back, is no longer accepted.
func TestKeyringSameSizeSwap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authorized_keys")
	a, b := sshtest.NewKey(t), sshtest.NewKey(t)
	os.WriteFile(path, []byte(sshtest.AuthorizedLine(a.PublicKey(), "ann")+"\n"), 0o600)
	k, err := loadKeyring(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := k.lookup(a.PublicKey(), loopback); !ok {
		t.Fatal("ann refused")
	}
	fi, _ := os.Stat(path)
	os.WriteFile(path, []byte(sshtest.AuthorizedLine(b.PublicKey(), "bob")+"\n"), 0o600)
	if err := os.Chtimes(path, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if fi2, _ := os.Stat(path); fi2.Size() != fi.Size() || !fi2.ModTime().Equal(fi.ModTime()) {
		t.Fatalf("size %d→%d, mtime %v→%v", fi.Size(), fi2.Size(), fi.ModTime(), fi2.ModTime())
	}
	if _, ok, _ := k.lookup(a.PublicKey(), loopback); ok {
		t.Error("ann's revoked key still accepted")
	}
	if _, ok, _ := k.lookup(b.PublicKey(), loopback); !ok {
		t.Error("bob's new key refused")
	}
}

// TestKeyOptionsOverSSH: the options decide logins and sessions end to end.
func TestKeyOptionsOverSSH(t *testing.T) {
	ts := startServer(t, nil)
	keys := map[string]gossh.Signer{}
	var lines []string
	for _, c := range []struct{ name, opts string }{
		{"far", `from="10.9.9.9"`},
		{"near", `from="127.0.0.0/8,::1"`},
		{"notme", `from="!127.0.0.1,*"`},
		{"old", `expiry-time="20000101"`},
		{"valid", `expiry-time="29991231Z"`},
		{"cmd", `command="/bin/date"`},
		{"nopty", `no-pty`},
		{"restricted", `restrict`},
		{"restrictpty", `restrict,pty`},
	} {
		keys[c.name] = sshtest.NewKey(t)
		lines = append(lines, c.opts+" "+sshtest.AuthorizedLine(keys[c.name].PublicKey(), c.name+"@test"))
	}
	if err := os.WriteFile(ts.cfg.AuthorizedKeys, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"far", "notme", "old", "cmd"} {
		if conn, err := ts.dial(keys[name]); err == nil {
			conn.Close()
			t.Errorf("%s logged in", name)
		}
	}
	for _, name := range []string{"near", "valid", "restrictpty"} {
		c, err := ts.session(keys[name], 100, 30)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c.WaitScreen("mnist-context", 10*time.Second)
		c.Keys("q")
		c.WaitExit(10 * time.Second)
	}
	for _, name := range []string{"nopty", "restricted"} {
		c, err := ts.session(keys[name], 100, 30)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if code := c.WaitExit(10 * time.Second); code != 1 {
			t.Errorf("%s: exit status %d", name, code)
		}
		if !strings.Contains(c.Stderr.String(), "may not open a terminal") {
			t.Errorf("%s: no message: %q", name, c.Stderr.String())
		}
	}
	if n := len(ts.s.Sessions()); n != 0 {
		t.Errorf("%d sessions left", n)
	}
	logs := ts.logs.String()
	for _, want := range []string{
		`from=\"10.9.9.9\" does not allow 127.0.0.1`, `from=\"!127.0.0.1,*\" does not allow 127.0.0.1`,
		"expired 2000-01-01", "unsupported option command", "reason=no-pty key=nopty@test",
		"reason=no-pty key=restricted@test",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	checkNoKeyMaterial(t, logs, keys["far"].PublicKey(), keys["cmd"].PublicKey())
}

// TestParseAuthorizedKeysOptionsQuoted: an escaped quote inside a value is
// part of it.
func TestParseAuthorizedKeysOptionsQuoted(t *testing.T) {
	v, err := dequote(`"a\"b"`)
	if err != nil || v != `a"b` {
		t.Errorf("%q, %v", v, err)
	}
	if _, err := dequote(`"a"b"`); err == nil {
		t.Error("stray quote accepted")
	}
	if _, err := parseKeyOptions([]string{"command"}); !errors.Is(err, errUnsupported) {
		t.Errorf("command: %v", err)
	}
}
