// Package atomicfile writes files so that readers see the old content or the
// new, never a part: the data goes to a temporary file in the same folder,
// is synced to disk, and the temporary file is renamed over the target. It
// imports only the standard library.
//
// Invariants: a write leaves no temporary file behind unless the process is
// killed during it; such leftovers (".NAME.tmp" followed by digits, the
// pattern of this package only) are removed by a later write of the same
// file once they are StaleAfter old. Nothing else in the folder is touched.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// StaleAfter is the age after which a temporary file of a write is taken to
// be the leftover of a killed process rather than a write in progress.
const StaleAfter = time.Hour

// Write replaces path with data through a temporary file ".NAME.tmp*" in
// path's folder, which must exist. The file gets mode perm exactly (the
// umask does not apply). On any error the temporary file is removed and an
// existing file at path is left as it was. Stale temporary files of path
// (see StaleAfter) are removed first.
func Write(path string, data []byte, perm os.FileMode) error {
	return WriteFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFunc is Write for content produced by write as a stream, so that a
// large file never has to be held in memory whole: write gets a buffered
// writer on the temporary file, which is flushed, synced and renamed over
// path only if write returns nil. An error from write (or from the file)
// removes the temporary file and leaves an existing file at path as it was.
func WriteFunc(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	removeStale(dir, base)
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close() // may already be closed; the first error is the one to report
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil { // CreateTemp makes 0600
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Replace is Write for files the user owns: an existing file keeps its
// permission bits (perm applies only to a new file), and a symbolic link
// stays a link: the file it points to is replaced (atomically, in that
// file's folder). A link whose target cannot be resolved, or a path that is
// not a regular file (a folder, a FIFO), is refused.
func Replace(path string, data []byte, perm os.FileMode) error {
	return ReplaceFunc(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// ReplaceFunc is Replace for content produced by write as a stream (see
// WriteFunc).
func ReplaceFunc(path string, perm os.FileMode, write func(io.Writer) error) error {
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return fmt.Errorf("%s is a symbolic link to a file that cannot be reached (%v); remove the link or fix it", path, err)
		}
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a folder, not a file", path)
	case err == nil && !fi.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file", path)
	case err == nil:
		perm = fi.Mode().Perm()
	}
	return WriteFunc(target, perm, write)
}

func tempPrefix(base string) string { return "." + base + ".tmp" }

// removeStale removes dir's temporary files of base older than StaleAfter:
// regular files named ".BASE.tmp" followed by digits only (os.CreateTemp's
// random part). Errors are ignored: the cleaning is a courtesy.
func removeStale(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > StaleAfter {
			os.Remove(filepath.Join(dir, name))
		}
	}
}
