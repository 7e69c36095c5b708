package tui

import "infomorph-tui/tasks"

// Engine is a steppable training session. Package engines implements it over
// the science packages (engines.LabEngine wraps a *tasks.Run); tui never
// imports engines. Not safe for concurrent use: the lab drives it from one
// worker goroutine.
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

// FieldProjector is implemented by engines that can show a field for a
// neuron whose inputs are the layer below's outputs (a second hidden layer,
// the readout): its weights carried down to the pixels through the layers
// below, linearly. ok is false where ReceptiveField applies or no chain of
// layers leads to the image. Called on the worker goroutine only.
type FieldProjector interface {
	ProjectedField(layer, neuron int) (w []float64, rows, cols int, ok bool)
}

// LayerInfo describes one layer of a network: its name, its PID atom names in
// documented order followed by "h_res", and its number of neurons.
type LayerInfo struct {
	Name      string
	AtomNames []string
	Units     int
	// Sources names the layer's sources in order (e.g. "F", "C", "L"; a
	// memory network's "R", "C"), for the atoms' meanings ("unique R",
	// "shared R·C"); nil: F, C, L.
	Sources []string
	// GammaUnused says why the layer's γ has no effect on training (trained
	// by backprop, a fixed layer with lr 0, Hebbian weights); "" when it
	// has. The lab then greys its sliders out and refuses to move them.
	GammaUnused string
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

// MemoryView is implemented by engines of associative-memory runs (a
// recurrent network storing ±1 patterns). The lab then labels its three
// scores with ScoreLabels instead of train/val/test and shows a stored pattern
// beside the state the network recalls from it. Like Engine, it is only
// called on the worker goroutine.
type MemoryView interface {
	Patterns() int          // stored patterns
	Grid() (rows, cols int) // picture shape of the network's state
	Pattern(k int) []int8   // stored pattern k (±1; 0 = padding), rows×cols; nil if out of range
	Recalled(k int) []int8  // the state recalled from pattern k's clean cue, shaped as Pattern
	ScoreLabels() [3]string // what Snapshot's TrainAcc, ValAcc and TestAcc measure
}

// RunSaver is implemented by engines that write their own run files (the
// shared, resumable run-file format of `run --out`). `w` then calls SaveRun,
// on the worker goroutine, instead of writing the lab's own JSON summary.
// SaveRun must write atomically: a reader never sees half a file.
type RunSaver interface {
	SaveRun(path string) error
}

// GammaChange is one entry of a run's γ history: a layer's whole γ, in force
// from training step Step on.
type GammaChange struct {
	Step  int
	Layer int
	Gamma []float64
}

// GammaHistory is implemented by engines that may continue a saved run: the
// γ changes made before the lab took over (oldest first, starting with each
// layer's initial γ), which the charts then mark like the lab's own.
type GammaHistory interface {
	GammaHistory() []GammaChange
}

// Forker is implemented by engines that can copy themselves: the lab's fork
// (f) continues the run twice from the same point — the copy keeps the γ it
// had, the original takes the user's changes — and trains both in step, so
// the only difference between them is the change. The copy must take
// exactly the batches and samples the original would.
type Forker interface {
	Fork() (Engine, error)
}

// Progresser is implemented by engines whose epoch-end evaluation takes long
// enough to need a progress display: fn is called on the worker goroutine,
// inside Step, with the images evaluated so far and the total.
type Progresser interface {
	SetProgress(fn func(done, total int))
}

// Unsaveable is implemented by engines whose runs cannot be written as run
// files that --open, show and plot read (a memory run; a run opened
// read-only): `w` then says why instead of writing a file nothing reads.
type Unsaveable interface {
	WhyNotSaveable() string
}

// Baseline is a finished run to compare against, loaded from a run file
// (--baseline, or o in the lab): its epochs are drawn as ghosts behind the
// current run's curves.
type Baseline struct {
	Label   string // what the legends call it, e.g. the file's name
	Preset  string
	History []tasks.EpochStats
	// Gamma is each layer's last γ, by layer name; may be nil.
	Gamma map[string][]float64
}
