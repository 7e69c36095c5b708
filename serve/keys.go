package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
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

// authKey is one usable line of an authorized_keys file.
type authKey struct {
	key     []byte // wire form
	comment string
}

// parseAuthorizedKeys reads authorized_keys lines (OpenSSH format). Options
// are ignored: the server never runs commands or forwards anything. Lines
// with the cert-authority option are skipped, so a CA's own key does not log
// in as a user key.
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
		keys = append(keys, authKey{key: pk.Marshal(), comment: comment})
	}
	return keys, nil
}

// keyring is the authorised keys, re-read whenever the file changes so that
// keys can be added or revoked while the server runs. An unreadable or
// malformed file authorises nobody until it is fixed (fail closed).
type keyring struct {
	path string
	log  *slog.Logger

	mu    sync.Mutex
	mod   time.Time
	size  int64
	keys  []authKey
	valid bool
}

// loadKeyring reads path; it fails on an unreadable or malformed file.
func loadKeyring(path string, log *slog.Logger) (*keyring, error) {
	k := &keyring{path: path, log: log}
	if err := k.reload(); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *keyring) reload() error {
	fi, err := os.Stat(k.path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	k.mod, k.size = fi.ModTime(), fi.Size()
	data, err := os.ReadFile(k.path)
	if err != nil {
		return fmt.Errorf("authorized keys: %w", err)
	}
	keys, err := parseAuthorizedKeys(data)
	if err != nil {
		return fmt.Errorf("authorized keys %s: %w", k.path, err)
	}
	k.keys, k.valid = keys, true
	return nil
}

// len is the number of usable keys.
func (k *keyring) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.keys)
}

// lookup reports whether key is authorised, and the comment of its line.
func (k *keyring) lookup(key gossh.PublicKey) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	fi, err := os.Stat(k.path)
	if err != nil || !fi.ModTime().Equal(k.mod) || fi.Size() != k.size || !k.valid {
		k.keys, k.valid = nil, false
		if err := k.reload(); err != nil {
			k.log.Error("authorized keys unusable: refusing every key until fixed", "err", err)
			return "", false
		}
		k.log.Info("authorized keys reloaded", "path", k.path, "keys", len(k.keys))
	}
	wire := key.Marshal()
	for _, a := range k.keys {
		if subtle.ConstantTimeCompare(a.key, wire) == 1 {
			return a.comment, true
		}
	}
	return "", false
}
