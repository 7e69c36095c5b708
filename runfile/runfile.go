package runfile

import (
	"io"
	"os"
	"path/filepath"

	"infomorph-tui/internal/atomicfile"
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
	// Dataset names the data the run trained on (tasks.Dataset.Name: "mnist",
	// "bars", "idx DIR", "cifar10 DIR", "csv DIR"…); absent in files from
	// before it was recorded, which trained on MNIST.
	Dataset string `json:"dataset,omitempty"`
	// State is the training state at saving time; its History is Epochs.
	State *tasks.Checkpoint `json:"state,omitempty"`
}

// WriteAtomic creates path's folder if needed and writes data to path
// through a temporary file and a rename (atomicfile.Replace), so readers
// never see a partial file. A new file is readable by all (run files are
// shared); a file rewritten keeps its mode, and a symbolic link stays a link
// to the file rewritten.
func WriteAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Replace(path, data, 0o644)
}

// WriteAtomicFunc is WriteAtomic for content that write streams
// (atomicfile.ReplaceFunc): nothing is replaced if write fails.
func WriteAtomicFunc(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.ReplaceFunc(path, 0o644, write)
}
