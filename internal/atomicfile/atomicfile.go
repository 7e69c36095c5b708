// Package atomicfile writes files so that readers see the old content or the
// new, never a part: the data goes to a temporary file in the same folder,
// is synced to disk, and the temporary file is renamed over the target. It
// imports only the standard library.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces path with data through a temporary file ".NAME.tmp*" in
// path's folder, which must exist. The file gets mode perm exactly (the
// umask does not apply). On any error the temporary file is removed and an
// existing file at path is left as it was.
func Write(path string, data []byte, perm os.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
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
	if _, err = f.Write(data); err != nil {
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
