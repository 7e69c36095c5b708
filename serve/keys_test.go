package serve

import (
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"infomorph-tui/serve/sshtest"
)

// loopback is a client address for keyring lookups.
var loopback = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}

func TestHostKeyCreatedAndReused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "host_ed25519")
	s1, created, err := loadHostKey(path)
	if err != nil || !created {
		t.Fatalf("first load: created %v, err %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	pk, _, _, _, err := gossh.ParseAuthorizedKey(pub)
	if err != nil || string(pk.Marshal()) != string(s1.PublicKey().Marshal()) {
		t.Fatalf(".pub does not match the key (%v)", err)
	}
	if s1.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("key type %s", s1.PublicKey().Type())
	}

	s2, created, err := loadHostKey(path)
	if err != nil || created {
		t.Fatalf("second load: created %v, err %v", created, err)
	}
	if gossh.FingerprintSHA256(s1.PublicKey()) != gossh.FingerprintSHA256(s2.PublicKey()) {
		t.Error("the host key changed between runs")
	}

	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable key: %v", err)
	}

	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	if _, _, err := loadHostKey(bad); err == nil {
		t.Error("garbage accepted as a host key")
	}
}

func TestParseAuthorizedKeys(t *testing.T) {
	a, b, ca := sshtest.NewKey(t), sshtest.NewKey(t), sshtest.NewKey(t)
	file := strings.Join([]string{
		"# students",
		"",
		sshtest.AuthorizedLine(a.PublicKey(), "ann@lab"),
		`restrict,command="/bin/false" ` + sshtest.AuthorizedLine(b.PublicKey(), "ben@lab"),
		"cert-authority " + sshtest.AuthorizedLine(ca.PublicKey(), "lab CA"),
	}, "\n")
	keys, err := parseAuthorizedKeys([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].comment != "ann@lab" || keys[1].comment != "ben@lab" {
		t.Errorf("keys %+v", keys)
	}
	if keys[0].refused != "" || !strings.Contains(keys[1].refused, "unsupported option command") {
		t.Errorf("refused: %q, %q", keys[0].refused, keys[1].refused)
	}
	_, err = parseAuthorizedKeys([]byte(file + "\nssh-ed25519 AAAAnot-base64 x"))
	if err == nil || !strings.Contains(err.Error(), "line 6") {
		t.Errorf("bad line: %v", err)
	}
}

// TestKeyringReload: edits to authorized_keys apply without a restart; a
// broken or missing file lets nobody in.
func TestKeyringReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authorized_keys")
	a, b := sshtest.NewKey(t), sshtest.NewKey(t)
	os.WriteFile(path, []byte(sshtest.AuthorizedLine(a.PublicKey(), "ann")+"\n"), 0o600)
	var logs sshtest.Buffer
	k, err := loadKeyring(path, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	check := func(key gossh.Signer, want bool, when string) {
		t.Helper()
		if _, ok, _ := k.lookup(key.PublicKey(), loopback); ok != want {
			t.Errorf("%s: authorised %v, want %v", when, ok, want)
		}
	}
	check(a, true, "start")
	check(b, false, "start")

	os.WriteFile(path, []byte(sshtest.AuthorizedLine(a.PublicKey(), "ann")+"\n"+sshtest.AuthorizedLine(b.PublicKey(), "ben")+"\n"), 0o600)
	check(b, true, "after adding ben")
	if g, _, _ := k.lookup(b.PublicKey(), loopback); g.comment != "ben" {
		t.Errorf("comment %q", g.comment)
	}

	os.WriteFile(path, []byte(sshtest.AuthorizedLine(b.PublicKey(), "ben")+"\nssh-rsa AAAA broken\n"), 0o600)
	check(a, false, "broken file")
	check(b, false, "broken file")
	if !strings.Contains(logs.String(), "refusing every key") {
		t.Errorf("broken file not logged:\n%s", logs.String())
	}

	os.WriteFile(path, []byte(sshtest.AuthorizedLine(b.PublicKey(), "ben")+"\n"), 0o600)
	check(a, false, "after revoking ann")
	check(b, true, "after the fix")

	os.Remove(path)
	check(b, false, "file removed")

	if _, err := loadKeyring(filepath.Join(t.TempDir(), "none"), slog.Default()); err == nil {
		t.Error("missing file accepted at start")
	}
}
