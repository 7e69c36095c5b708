package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// loadHostKey reads the server's private host key, first creating an
// ed25519 key there (mode 0600, its public half beside it as path.pub) when
// the file does not exist. A key that group or others may read is refused, as
// OpenSSH refuses it.
func loadHostKey(path string) (signer gossh.Signer, created bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		created, err = createHostKey(path)
		if err == nil {
			data, err = os.ReadFile(path)
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, false, fmt.Errorf("host key: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, false, fmt.Errorf("host key %s is accessible by others (mode %#o): chmod 600 it", path, perm)
	}
	signer, err = gossh.ParsePrivateKey(data)
	var missing *gossh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, false, fmt.Errorf("host key %s is protected by a passphrase: use a key without one", path)
	case err != nil:
		return nil, false, fmt.Errorf("host key %s: %w", path, err)
	}
	return signer, created, nil
}

// createHostKey writes a new ed25519 key to path, never over an existing file
// (a server started at the same moment may have won; its key is then used).
func createHostKey(path string) (bool, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return false, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "infomorph-tui host key")
	if err != nil {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := pem.Encode(f, block); err != nil {
		f.Close()
		os.Remove(path)
		return false, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return false, err
	}
	sp, err := gossh.NewPublicKey(pub)
	if err != nil {
		return true, err
	}
	line := bytes.TrimSpace(gossh.MarshalAuthorizedKey(sp))
	return true, os.WriteFile(path+".pub", append(line, " infomorph-tui host key\n"...), 0o644)
}

// authKey is one key line of an authorized_keys file.
type authKey struct {
	key     []byte // wire form
	comment string
	line    int
	rules   keyRules
	refused string // why the line authorises nobody (an unsupported or malformed option); "" = usable
}

// maxKeysFile bounds the authorized_keys file read.
const maxKeysFile = 4 << 20

// parseAuthorizedKeys reads authorized_keys lines (OpenSSH format). A line
// whose options are malformed or not supported is kept, marked refused, so
// its key is turned away with a reason; a line that is not a key at all makes
// the whole file fail. Lines with the cert-authority option are skipped, so a
// CA's own key does not log in as a user key.
func parseAuthorizedKeys(data []byte) ([]authKey, error) {
	var keys []authKey
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		pk, comment, opts, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if slices.ContainsFunc(opts, func(o string) bool { return strings.EqualFold(o, "cert-authority") }) {
			continue
		}
		a := authKey{key: pk.Marshal(), comment: comment, line: i + 1}
		if a.rules, err = parseKeyOptions(opts); err != nil {
			a.refused = err.Error()
		}
		keys = append(keys, a)
	}
	return keys, nil
}

// keyring is the authorised keys, re-read whenever the file's content
// changes (compared by SHA-256 at every lookup) so that keys can be added or
// revoked while the server runs. An unreadable or malformed file authorises
// nobody until it is fixed (fail closed).
type keyring struct {
	path string
	log  *slog.Logger
	now  func() time.Time

	mu    sync.Mutex
	sum   [sha256.Size]byte
	keys  []authKey
	valid bool
}

// loadKeyring reads path; it fails on an unreadable or malformed file.
func loadKeyring(path string, log *slog.Logger) (*keyring, error) {
	k := &keyring{path: path, log: log, now: time.Now}
	data, err := readKeysFile(path)
	if err == nil {
		err = k.use(data)
	}
	if err != nil {
		return nil, err
	}
	return k, nil
}

// readKeysFile reads a regular file of at most maxKeysFile bytes.
func readKeysFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("authorized keys %s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeysFile+1))
	if err != nil {
		return nil, fmt.Errorf("authorized keys: %w", err)
	}
	if len(data) > maxKeysFile {
		return nil, fmt.Errorf("authorized keys %s: larger than %d bytes", path, maxKeysFile)
	}
	return data, nil
}

// use parses data as the current file and logs its refused lines.
func (k *keyring) use(data []byte) error {
	k.sum, k.keys, k.valid = sha256.Sum256(data), nil, false
	keys, err := parseAuthorizedKeys(data)
	if err != nil {
		return fmt.Errorf("authorized keys %s: %w", k.path, err)
	}
	for _, a := range keys {
		if a.refused != "" {
			pk, _ := gossh.ParsePublicKey(a.key)
			k.log.Warn("authorized keys line refused", "path", k.path, "line", a.line, "key", a.comment,
				"fingerprint", gossh.FingerprintSHA256(pk), "reason", a.refused)
		}
	}
	k.keys, k.valid = keys, true
	return nil
}

// len is the number of usable keys.
func (k *keyring) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, a := range k.keys {
		if a.refused == "" {
			n++
		}
	}
	return n
}

// grant is what a successful lookup yields: the line that let the key in.
type grant struct {
	comment string
	line    int
	noPty   bool
}

// lookup decides whether key may log in from remote. Like sshd it takes the
// first line with this key whose options allow the login; when lines with
// the key exist but none allows it, the reason names why (for the log).
func (k *keyring) lookup(key gossh.PublicKey, remote net.Addr) (g grant, ok bool, reason string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	data, err := readKeysFile(k.path)
	if err == nil && (!k.valid || sha256.Sum256(data) != k.sum) {
		if err = k.use(data); err == nil {
			k.log.Info("authorized keys reloaded", "path", k.path, "keys", len(k.keys))
		}
	}
	if err != nil {
		k.keys, k.valid = nil, false
		k.log.Error("authorized keys unusable: refusing every key until fixed", "err", err)
		return grant{}, false, "authorized keys unusable"
	}
	wire := key.Marshal()
	var why []string
	for _, a := range k.keys {
		if subtle.ConstantTimeCompare(a.key, wire) != 1 {
			continue
		}
		switch {
		case a.refused != "":
			why = append(why, fmt.Sprintf("line %d: %s", a.line, a.refused))
		case a.rules.from != nil && !fromAllows(a.rules.from, remote):
			why = append(why, fmt.Sprintf("line %d: from=%q does not allow %s", a.line,
				strings.Join(a.rules.from, ","), hostOnly(remote)))
		case !a.rules.expiry.IsZero() && k.now().After(a.rules.expiry):
			why = append(why, fmt.Sprintf("line %d: expired %s", a.line, a.rules.expiry.Format(time.RFC3339)))
		default:
			return grant{comment: a.comment, line: a.line, noPty: a.rules.noPty}, true, ""
		}
	}
	if len(why) == 0 {
		return grant{}, false, "not in authorized keys"
	}
	return grant{}, false, strings.Join(why, "; ")
}

// hostOnly is the host part of a network address.
func hostOnly(a net.Addr) string {
	if a == nil {
		return "?"
	}
	if h, _, err := net.SplitHostPort(a.String()); err == nil {
		return h
	}
	return a.String()
}
