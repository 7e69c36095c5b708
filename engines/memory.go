package engines

import (
	"fmt"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// MemoryEngine adapts *tasks.MemoryRun (the associative-memory task) to the
// lab's Engine interface; it needs no MNIST.
type MemoryEngine struct{ *tasks.MemoryRun }

var (
	_ tui.Engine                   = MemoryEngine{}
	_ tui.MemoryView               = MemoryEngine{}
	_ tui.Unsaveable               = MemoryEngine{}
	_ tui.Forker                   = MemoryEngine{}
	_ interface{ SetWorkers(int) } = MemoryEngine{} // served labs train on one goroutine each
)

// NewMemory builds the engine of a memory preset and seed.
func NewMemory(p presets.Preset, seed uint64) (tui.Engine, error) {
	cfg, err := p.MemoryConfig(seed)
	if err != nil {
		return nil, err
	}
	run, err := tasks.NewMemoryRun(cfg)
	if err != nil {
		return nil, err
	}
	return MemoryEngine{run}, nil
}

// ScoreLabels names the memory run's scores (Snapshot's TrainAcc, ValAcc,
// TestAcc) for the lab's recall chart.
func (e MemoryEngine) ScoreLabels() [3]string {
	return [3]string{"recall (clean cues)", "perfect recalls", fmt.Sprintf("recall (%g%% flipped)", 100*e.Config().CueNoise)}
}

// Layers is the memory network's one layer.
func (e MemoryEngine) Layers() []tui.LayerInfo {
	name, atoms := e.LayerName(0)
	return []tui.LayerInfo{{Name: name, AtomNames: atoms, Units: e.Units(0), Sources: []string{"R", "C"},
		GammaUnused: e.GammaUnused(0)}}
}

// WhyNotSaveable: run files record MNIST epochs (one per epoch, scores in
// [0, 1]); a memory run's log-spaced recall tests do not fit them.
func (e MemoryEngine) WhyNotSaveable() string {
	return "memory runs are not saved as run files (their recall is tested at log-spaced epochs); " +
		"`infomorph-tui capacity --preset " + e.Config().Preset + "` records memory results"
}

// errMemoryRecord refuses a run file of a memory preset (memory runs are not saved in run files).
func errMemoryRecord(name string) error {
	return fmt.Errorf("%s is a memory preset: its runs are not saved in run files", name)
}

// Fork is an independent copy of the run in its current state, for the
// lab's baseline: trained on, it takes exactly the steps the original would.
func (e MemoryEngine) Fork() (tui.Engine, error) {
	r, err := e.MemoryRun.Fork()
	if err != nil {
		return nil, err
	}
	return MemoryEngine{r}, nil
}
