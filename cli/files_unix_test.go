//go:build unix

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPresetsFolderFiles: a FIFO or a link to /dev/zero named *.json in the
// presets folder is skipped with a note; presets neither hangs nor grows
// without bound (item 13).
func TestPresetsFolderFiles(t *testing.T) {
	cfg := t.TempDir()
	dir := filepath.Join(cfg, "infomorph-tui", "presets")
	os.MkdirAll(dir, 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.json"))
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	t.Setenv("XDG_CONFIG_HOME", cfg)
	go func() {
		var out, errb bytes.Buffer
		code := Main(context.Background(), []string{"presets"}, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		if r.code != 0 || !strings.Contains(r.stdout, "mnist-readout") || strings.Count(r.stderr, "skipped") != 2 {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("presets hangs")
	}
}
