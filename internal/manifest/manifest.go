// Package manifest reads the JSON file that says what a results folder holds
// (a sweep's sweep.json, a study's study.json). Both commands refuse a folder
// that holds something else, so the reading and its errors live in one place.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"infomorph-tui/internal/safefile"
)

// MaxSize is the largest manifest read: a sweep's preset definition and
// grid are small, so anything larger is not one of ours.
const MaxSize = 64 << 20

// Header starts every manifest: which kind of folder it describes and the
// version of that kind's format. Embed it in the manifest struct.
type Header struct {
	Schema int    `json:"schema"`
	Kind   string `json:"kind"`
}

// Head is the header of a manifest that embeds it.
func (h Header) Head() Header { return h }

// Read decodes dir/file into m, refusing unknown fields and a header other
// than want. noun names the folder in errors ("sweep", "study"). The error
// names the folder when the file is missing and the file otherwise.
func Read(dir, file, noun string, want Header, m interface{ Head() Header }) error {
	path := filepath.Join(dir, file)
	data, err := safefile.ReadRegular(path, MaxSize)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s: not a %s folder (no %s)", dir, noun, file)
	}
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(m); err != nil {
		return fmt.Errorf("%s: not a valid %s manifest: %w", path, noun, err)
	}
	if got := m.Head(); got != want {
		return fmt.Errorf("%s: kind %q schema %d, this build reads %q schema %d", path, got.Kind, got.Schema, want.Kind, want.Schema)
	}
	return nil
}
