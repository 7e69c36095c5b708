//go:build unix

package presets

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestUserFiles: the presets folder is read without trusting what is in it:
// a FIFO does not hang, a link to /dev/zero does not grow memory, a huge file
// is not read, a folder named *.json is skipped; each is reported.
func TestUserFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a-good.json"), good)
	if err := syscall.Mkfifo(filepath.Join(dir, "b-fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "c-zero.json")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "d-big.json"), good+strings.Repeat(" ", MaxFileSize))
	if err := os.Mkdir(filepath.Join(dir, "e-folder.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "linked.json"), strings.Replace(good, "my-readout", "linked", 1))
	if err := os.Symlink(filepath.Join(other, "linked.json"), filepath.Join(dir, "f-link.json")); err != nil {
		t.Fatal(err)
	}
	type result struct {
		ps   []Preset
		errs []error
	}
	done := make(chan result, 1)
	go func() {
		ps, errs := LoadUser(dir)
		done <- result{ps, errs}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("LoadUser hangs")
	}
	if len(r.ps) != 2 || r.ps[0].Name != "my-readout" || r.ps[1].Name != "linked" {
		t.Errorf("presets %+v, want my-readout and linked", r.ps)
	}
	want := []string{"b-fifo.json", "c-zero.json", "d-big.json", "e-folder.json"}
	if len(r.errs) != len(want) {
		t.Fatalf("errors %v, want one for each of %v", r.errs, want)
	}
	for i, w := range want {
		if !strings.Contains(r.errs[i].Error(), w) {
			t.Errorf("error %d %q does not name %s", i, r.errs[i], w)
		}
	}
}
