package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"infomorph-tui/internal/atomicfile"
	"infomorph-tui/internal/jsonfloat"
	"infomorph-tui/tasks"
)

// runSchema names the saved-run format; bump runVersion on breaking changes.
const (
	runSchema  = "infomorph-tui/run"
	runVersion = 1
)

// savedMsg reports the outcome of writing a run file.
type savedMsg struct {
	path   string
	err    error
	gen    int
	runSeq int
	epoch  int
	then   *pendingAction // what to do after a successful save (quit, load…)
}

// runFile is the JSON document `w` writes.
type runFile struct {
	Schema       string        `json:"schema"`
	Version      int           `json:"version"`
	SavedAt      string        `json:"saved_at"`
	Preset       string        `json:"preset"`
	Seed         uint64        `json:"seed"`
	Layers       []runLayer    `json:"layers"`
	GammaHistory []gammaRecord `json:"gamma_history"`
	Epochs       []runEpoch    `json:"epochs"`
	Final        runFinal      `json:"final"`
	Diverged     string        `json:"diverged,omitempty"`
}

type runLayer struct {
	Name      string   `json:"name"`
	AtomNames []string `json:"atom_names"`
	Units     int      `json:"units"`
}

type runEpoch struct {
	Epoch         int         `json:"epoch"`
	TrainAcc      num         `json:"train_acc"`
	ValAcc        num         `json:"val_acc"`
	TestAcc       num         `json:"test_acc"`
	SamplesPerSec num         `json:"samples_per_sec"`
	TrainSeconds  num         `json:"train_seconds"`
	Layers        []runLayerS `json:"layers"`
}

type runLayerS struct {
	Name      string   `json:"name"`
	AtomNames []string `json:"atom_names"`
	Atoms     []num    `json:"atoms"`
	HY        num      `json:"h_y"`
}

type runFinal struct {
	Epoch          int         `json:"epoch"`
	Step           int         `json:"step"`
	StepsPerEpoch  int         `json:"steps_per_epoch"`
	TotalSteps     int         `json:"total_steps"`
	TrainAcc       num         `json:"train_acc"`
	ValAcc         num         `json:"val_acc"`
	TestAcc        num         `json:"test_acc"`
	SamplesPerSec  num         `json:"samples_per_sec"`
	ElapsedSeconds num         `json:"elapsed_seconds"`
	Layers         []runLayerS `json:"layers"`
}

// num is a float64 that encodes NaN and ±Inf as null (JSON has no NaN).
type num = jsonfloat.Float

func layerStats(ls []tasks.LayerStats) []runLayerS {
	out := make([]runLayerS, len(ls))
	for i, l := range ls {
		out[i] = runLayerS{Name: l.Name, AtomNames: l.AtomNames, Atoms: jsonfloat.Slice(l.Atoms), HY: num(l.HY)}
	}
	return out
}

// buildRunFile assembles the document from the lab's latest state.
func buildRunFile(info *engineInfo, snap tasks.Snapshot, log []gammaRecord, now time.Time) runFile {
	f := runFile{
		Schema: runSchema, Version: runVersion,
		SavedAt:      now.UTC().Format(time.RFC3339),
		Preset:       snap.Preset,
		Seed:         snap.Seed,
		GammaHistory: log,
		Diverged:     snap.Diverged,
	}
	if f.Preset == "" {
		f.Preset = info.preset
		f.Seed = info.seed
	}
	for _, l := range info.layers {
		f.Layers = append(f.Layers, runLayer{Name: l.Name, AtomNames: l.AtomNames, Units: l.Units})
	}
	f.Epochs = make([]runEpoch, len(snap.History))
	for i, e := range snap.History {
		f.Epochs[i] = runEpoch{
			Epoch: e.Epoch, TrainAcc: num(e.TrainAcc), ValAcc: num(e.ValAcc), TestAcc: num(e.TestAcc),
			SamplesPerSec: num(e.SamplesPerSec), TrainSeconds: num(e.TrainSeconds), Layers: layerStats(e.Layers),
		}
	}
	f.Final = runFinal{
		Epoch: snap.Epoch, Step: snap.Step, StepsPerEpoch: snap.StepsPerEpoch, TotalSteps: snap.TotalSteps,
		TrainAcc: num(snap.TrainAcc), ValAcc: num(snap.ValAcc), TestAcc: num(snap.TestAcc),
		SamplesPerSec: num(snap.SamplesPerSec), ElapsedSeconds: num(snap.Elapsed.Seconds()),
		Layers: layerStats(snap.Layers),
	}
	return f
}

// runPath is <dir>/<time>-<preset>.json.
func runPath(dir, preset string, now time.Time) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, preset)
	if safe == "" {
		safe = "run"
	}
	return filepath.Join(dir, now.Format("20060102-150405")+"-"+safe+".json")
}

// writeAtomic creates path's folder if needed and writes data to path
// atomically (a reader never sees half a file), readable by all.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, data, 0o644)
}

// saveCmd writes the run in the background and reports a savedMsg.
func saveCmd(dir string, f runFile, now time.Time, gen, runSeq, epoch int, then *pendingAction) tea.Cmd {
	return func() tea.Msg {
		path := runPath(dir, f.Preset, now)
		data, err := json.MarshalIndent(f, "", "  ")
		if err == nil {
			err = writeAtomic(path, append(data, '\n'))
		}
		if err != nil {
			err = fmt.Errorf("save %s: %w", path, err)
		}
		return savedMsg{path: path, err: err, gen: gen, runSeq: runSeq, epoch: epoch, then: then}
	}
}
