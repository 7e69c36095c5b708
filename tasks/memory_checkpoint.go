package tasks

import (
	"fmt"
	"slices"
	"time"

	"infomorph-tui/model"
)

// MemoryCheckpoint is a MemoryRun's complete state. The stored patterns and
// the noisy cues follow from the configuration's seed, so a run restored
// from it with the same MemoryConfig continues exactly as if it had never
// stopped (the lab's fork of a memory run relies on it).
type MemoryCheckpoint struct {
	Epoch          int               `json:"epoch"`
	Gamma          []float64         `json:"gamma"`
	Net            model.MemoryState `json:"net"`
	WinEpochs      int               `json:"win_epochs"` // epochs trained since the last evaluation
	TrainSeconds   float64           `json:"train_seconds"`
	ElapsedSeconds float64           `json:"elapsed_seconds"`
	LastRate       float64           `json:"last_rate"`
	Acc            [3]float64        `json:"acc"`
	Solved         int               `json:"solved"`
	Layer          LayerStats        `json:"layer"`
	History        []EpochStats      `json:"history"`
	Diverged       string            `json:"diverged,omitempty"`
}

// Checkpoint returns a deep copy of the run's state.
func (r *MemoryRun) Checkpoint() MemoryCheckpoint {
	return MemoryCheckpoint{Epoch: r.epoch, Gamma: slices.Clone(r.gamma), Net: r.net.State(),
		WinEpochs: r.winEpochs, TrainSeconds: r.trainDur.Seconds(), ElapsedSeconds: r.elapsed.Seconds(),
		LastRate: r.lastRate, Acc: r.acc, Solved: r.solved, Layer: cloneLayer(r.layer),
		History: cloneHistory(r.history), Diverged: r.diverged}
}

// RestoreMemoryRun builds a memory run of cfg and puts it in the
// checkpoint's state; errors say what does not fit.
func RestoreMemoryRun(cfg MemoryConfig, c MemoryCheckpoint) (*MemoryRun, error) {
	r, err := NewMemoryRun(cfg)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Epoch < 0 || c.WinEpochs < 0 || c.WinEpochs > c.Epoch:
		return nil, fmt.Errorf("memory checkpoint: epoch %d with %d epochs since the last test", c.Epoch, c.WinEpochs)
	case len(c.Gamma) != len(r.gamma):
		return nil, fmt.Errorf("memory checkpoint: γ has %d entries, want %d", len(c.Gamma), len(r.gamma))
	case !(c.TrainSeconds >= 0) || !(c.ElapsedSeconds >= 0):
		return nil, fmt.Errorf("memory checkpoint: train and elapsed seconds must be ≥ 0")
	}
	if err := r.net.Restore(c.Net); err != nil {
		return nil, err
	}
	copy(r.gamma, c.Gamma)
	r.epoch, r.winEpochs, r.lastRate, r.acc, r.solved, r.diverged = c.Epoch, c.WinEpochs, c.LastRate, c.Acc, c.Solved, c.Diverged
	r.trainDur = time.Duration(c.TrainSeconds * float64(time.Second))
	r.elapsed = time.Duration(c.ElapsedSeconds * float64(time.Second))
	r.layer = cloneLayer(c.Layer)
	r.history = cloneHistory(c.History)
	return r, nil
}

// Fork returns an independent copy of the run in its current state: trained
// on, it takes exactly the steps the original would, so two forks that
// differ only in γ differ only by that change.
func (r *MemoryRun) Fork() (*MemoryRun, error) {
	f, err := RestoreMemoryRun(r.cfg, r.Checkpoint())
	if err != nil {
		return nil, fmt.Errorf("fork: %v", err)
	}
	f.SetWorkers(r.workers)
	return f, nil
}

// cloneLayer deep-copies a layer's statistics (its slices are shared by
// snapshots otherwise).
func cloneLayer(l LayerStats) LayerStats {
	l.AtomNames = slices.Clone(l.AtomNames)
	l.Atoms = slices.Clone(l.Atoms)
	l.MeanTheta = slices.Clone(l.MeanTheta)
	if l.Neurons != nil {
		rows := make([][]float64, len(l.Neurons))
		for i, row := range l.Neurons {
			rows[i] = slices.Clone(row)
		}
		l.Neurons = rows
	}
	return l
}

// cloneHistory copies the list of finished evaluations; the records
// themselves are never changed once appended, so they are shared.
func cloneHistory(h []EpochStats) []EpochStats { return slices.Clone(h) }
