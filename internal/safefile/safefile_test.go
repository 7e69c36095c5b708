package safefile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(`{"a": 1}`), 0o644)
	if data, err := ReadRegular(good, 100); err != nil || string(data) != `{"a": 1}` {
		t.Errorf("regular file: %q, %v", data, err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(good, link); err == nil {
		if data, err := ReadRegular(link, 100); err != nil || string(data) != `{"a": 1}` {
			t.Errorf("symlink to a regular file: %q, %v", data, err)
		}
	}
	if _, err := ReadRegular(good, 3); err == nil || !strings.Contains(err.Error(), "larger than 3 B") {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := ReadRegular(dir, 100); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("folder: %v", err)
	}
	if _, err := ReadRegular(filepath.Join(dir, "missing"), 100); !os.IsNotExist(err) {
		t.Errorf("missing: %v", err)
	}

}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{3: "3 B", 1 << 20: "1 MiB", 3 << 29: "1.5 GiB", 1536: "1.5 KiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
