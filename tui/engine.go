package tui

import "infomorph-tui/tasks"

// Engine is a steppable training session (implemented by *tasks.Run). Not safe for concurrent use:
// the lab drives it from one worker goroutine.
type Engine interface {
	Step() error                           // train one batch; at an epoch's end also evaluates. Error → diverged (NaN/Inf) or fatal.
	Snapshot() tasks.Snapshot              // immutable copy of progress
	Layers() []LayerInfo                   // static: per layer name + atom names (documented order, then "h_res")
	Gamma(layer int) []float64             // current γ of a layer (len = atoms+1)
	SetGamma(layer int, g []float64) error // takes effect at the next Step
	PresetGamma(layer int) []float64       // γ as the preset defined it
	Reset() error                          // back to epoch 0 with the same seed and current γ
	// feed-forward weights (784 = 28×28 for MNIST hidden layers)
	ReceptiveField(layer, neuron int) (w []float64, rows, cols int, ok bool)
}

// LayerInfo describes one layer of a network: its name, its PID atom names in
// documented order followed by "h_res", and its number of neurons.
type LayerInfo struct {
	Name      string
	AtomNames []string
	Units     int
}

// PresetInfo is one entry of the preset list. Reason says why a preset is
// disabled (e.g. MNIST missing, with how to get it).
type PresetInfo struct {
	Name, Description string
	Available         bool
	Reason            string
}

// Factory builds a fresh Engine for a preset and seed. The lab calls it on its
// worker goroutine, never on the UI goroutine.
type Factory func(preset string, seed uint64) (Engine, error)
