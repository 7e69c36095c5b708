package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.json")
	if err := Write(path, []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte(`{"a":2}`), 0o640); err != nil { // replaces
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != `{"a":2}` {
		t.Errorf("content %q, %v", data, err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
			t.Errorf("mode %v, want 0640", fi.Mode())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("leftovers: %v", entries)
	}
}

func TestWriteFails(t *testing.T) {
	dir := t.TempDir()

	// The folder must exist; nothing is created.
	if err := Write(filepath.Join(dir, "missing", "a.json"), []byte("x"), 0o644); err == nil {
		t.Error("wrote into a missing folder")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("the missing folder was created: %v", err)
	}

	// A rename onto a non-empty folder fails: the temporary file goes away
	// and the folder is untouched.
	target := filepath.Join(dir, "taken")
	if err := os.MkdirAll(filepath.Join(target, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(target, []byte("x"), 0o644); err == nil {
		t.Error("replaced a folder")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "taken" || !entries[0].IsDir() {
		t.Errorf("after a failed write the folder holds %v", entries)
	}
	if _, err := os.Stat(filepath.Join(target, "inside")); err != nil {
		t.Errorf("target changed: %v", err)
	}
}

// TestStaleTemps: a write removes the temporary files that killed writes of
// the same file left behind, once they are an hour old; nothing else.
func TestStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.json")
	old := time.Now().Add(-2 * time.Hour)
	mk := func(name string, at time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := mk(".run.json.tmp123456", old)
	fresh := mk(".run.json.tmp654321", time.Now()) // perhaps a write in progress
	other := mk(".other.json.tmp111", old)         // another file's
	notOurs := mk(".run.json.tmpnotes", old)       // not our pattern
	plain := mk("run.json.tmp1", old)              // not hidden: not ours
	if err := os.Mkdir(filepath.Join(dir, ".run.json.tmp777"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary file kept: %v", err)
	}
	for _, p := range []string{fresh, other, notOurs, plain, filepath.Join(dir, ".run.json.tmp777")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(p), err)
		}
	}
}

// TestReplace: an existing file keeps its mode; a symbolic link is written
// through to its target and stays a link; a new file gets perm.
func TestReplace(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes and symlinks")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "a.json")
	if err := Replace(path, []byte("1"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v", fi.Mode())
	}
	os.Chmod(path, 0o600)
	if err := Replace(path, []byte("2"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("rewritten file mode %v, want 0600 kept", fi.Mode())
	}
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	link := filepath.Join(sub, "link.json")
	if err := os.Symlink("../a.json", link); err != nil {
		t.Fatal(err)
	}
	if err := Replace(link, []byte("3"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(path); string(data) != "3" {
		t.Errorf("target holds %q, want the new content", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("target mode %v, want 0600 kept", fi.Mode())
	}
	dangling := filepath.Join(dir, "dangling.json")
	os.Symlink(filepath.Join(dir, "nowhere", "x.json"), dangling)
	if err := Replace(dangling, []byte("4"), 0o644); err == nil {
		t.Error("wrote through a dangling link")
	}
	if fi, err := os.Lstat(dangling); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the dangling link was replaced: %v", err)
	}
}

// TestWriteFunc: a streamed write larger than the buffer arrives whole; a
// write function that fails after writing leaves the old file and no
// temporary file, and its error is returned.
func TestWriteFunc(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.json")
	want := strings.Repeat("0123456789abcdef", 20000) // 320 kB, several buffers
	err := WriteFunc(path, 0o644, func(w io.Writer) error {
		for i := 0; i < len(want); i += 1000 {
			if _, err := io.WriteString(w, want[i:min(i+1000, len(want))]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != want {
		t.Fatalf("content: %d bytes, want %d", len(data), len(want))
	}
	boom := errors.New("boom")
	err = ReplaceFunc(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("x", 200000)) // past the buffer: reaches the temporary file
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want the write function's", err)
	}
	if data, _ := os.ReadFile(path); string(data) != want {
		t.Error("a failed write changed the file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("leftovers: %v", entries)
	}
}
