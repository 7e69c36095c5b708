// Package safefile reads files that came from somewhere else (a user's
// presets folder, a run file, a sweep's runs/ folder) without trusting what
// sits at the path: only regular files are read, never FIFOs or devices (a
// FIFO would block, /dev/zero would never end), and never more than a given
// number of bytes. It imports only the standard library.
//
// Invariant: Open and ReadRegular never block on opening a special file,
// and ReadRegular never holds more than limit+1 bytes of the file in memory.
package safefile

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// Open opens the regular file at path for reading (a symbolic link to a
// regular file is followed), or returns an error if path is anything else.
func Open(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	// O_NONBLOCK: should the path have been replaced by a FIFO since the
	// Stat, opening it does not wait for a writer; the Stat below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = notRegular(path, st.Mode())
		}
		return nil, err
	}
	return f, nil
}

// ReadRegular returns the content of the regular file at path (see Open),
// or an error if path is anything else or holds more than limit bytes.
func ReadRegular(path string, limit int64) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if st.Size() > limit {
		return nil, tooLarge(path, limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit { // grew since the Stat
		return nil, tooLarge(path, limit)
	}
	return data, nil
}

func notRegular(path string, m os.FileMode) error {
	kind := "not a regular file"
	switch {
	case m.IsDir():
		kind = "a folder, not a file"
	case m&os.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO), not a regular file"
	case m&os.ModeDevice != 0:
		kind = "a device, not a regular file"
	case m&os.ModeSocket != 0:
		kind = "a socket, not a regular file"
	}
	return fmt.Errorf("%s: %s", path, kind)
}

func tooLarge(path string, limit int64) error {
	return fmt.Errorf("%s: larger than %s, the most this program reads from such a file", path, Size(limit))
}

// Size formats a byte count with a binary unit: 512 B, 1 MiB, 1.5 GiB.
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.3g %ciB", v, "KMGT"[i])
}
