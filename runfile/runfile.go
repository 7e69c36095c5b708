// Package runfile is the versioned JSON record of a training run, shared by
// `run --out` and the lab, and the atomic file writing it relies on.
package runfile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"infomorph-tui/tasks"
)

// Schema is the current run file version.
const Schema = 1

// GammaChange records a γ vector taking effect at a global step.
type GammaChange struct {
	Step  int       `json:"step"`
	Layer string    `json:"layer"`
	Gamma []float64 `json:"gamma"`
}

// Record is a run file.
type Record struct {
	Schema  int                `json:"schema"`
	Version string             `json:"version"`
	Preset  string             `json:"preset"`
	Seed    uint64             `json:"seed"`
	Gamma   []GammaChange      `json:"gamma"`
	Epochs  []tasks.EpochStats `json:"epochs"`
}

// WriteAtomic writes data to path through a temporary file in the same
// folder and a rename, so readers never see a partial file.
func WriteAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Save writes the record atomically as indented JSON.
func Save(path string, r Record) error {
	r.Schema = Schema
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return WriteAtomic(path, append(data, '\n'))
}

// Load reads and checks a run file.
func Load(path string) (Record, error) {
	var r Record
	data, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("%s: not a run file: %v", path, err)
	}
	if r.Schema != Schema {
		return r, fmt.Errorf("%s: run file schema %d, this build reads %d", path, r.Schema, Schema)
	}
	return r, nil
}
