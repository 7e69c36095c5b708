// Package runfile is the versioned JSON record of a training run, shared by
// `run --out`, the sweep and the lab, and the atomic file writing it relies on.
package runfile

import (
	"os"
	"path/filepath"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
)

// Schema is the current run file version. Version 2 added the preset's
// definition, the divergence note and the full training state.
const Schema = 2

// GammaChange records a γ vector taking effect at a global step.
type GammaChange struct {
	Step  int       `json:"step"`
	Layer string    `json:"layer"`
	Gamma []float64 `json:"gamma"`
}

// Record is a run file: what was trained (preset, seed, every γ over time),
// by which code, what came out of each epoch and, optionally, the complete
// training state to continue from.
type Record struct {
	Schema  int    `json:"schema"`
	Version string `json:"version"` // code version that wrote the file
	SavedAt string `json:"saved_at,omitempty"`
	Preset  string `json:"preset"`
	// Def is the preset's definition when the run started, so that the file
	// is self-contained even if the named preset changes later.
	Def      *presets.Preset    `json:"preset_def,omitempty"`
	Seed     uint64             `json:"seed"`
	Gamma    []GammaChange      `json:"gamma"`
	Epochs   []tasks.EpochStats `json:"epochs"`
	Diverged string             `json:"diverged,omitempty"`
	// State is the training state at saving time; its History is Epochs.
	State *tasks.Checkpoint `json:"state,omitempty"`
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
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes 0600; run files are shared
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
