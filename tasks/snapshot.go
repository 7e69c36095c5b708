package tasks

import (
	"math"
	"time"
)

// LayerStats summarises one layer's information structure during the last
// completed training window (the current epoch so far, or the last epoch).
type LayerStats struct {
	Name string `json:"name"`
	// AtomNames lists the PID atoms in documented order, then "h_res".
	AtomNames []string `json:"atom_names"`
	// Atoms is the mean over neurons of each atom (bits), h_res last; atoms
	// plus h_res add up to HY.
	Atoms []float64 `json:"atoms"`
	// HY is the mean over neurons of the output entropy H(Y) in bits.
	HY float64 `json:"h_y"`
	// Goal is the mean over neurons of the goal value G = Σγ·Π + γ_res·H_res
	// (bits), each measured batch weighted with the γ in force for it: the
	// quantity the neurons climb, so a γ change shows in it at once.
	Goal float64 `json:"goal"`
	// Neurons holds each neuron's atoms (same order as Atoms).
	Neurons [][]float64 `json:"-"`
	// MeanTheta is each neuron's mean firing probability over the window.
	MeanTheta []float64 `json:"-"`
	// Silent counts the neurons whose output carries less than SilentBits
	// about their inputs; IsSilent marks them.
	Silent   int    `json:"silent"`
	IsSilent []bool `json:"-"`
	// ByInfo lists the neurons by I(Y : sources), most informative first.
	ByInfo []int `json:"-"`
	// Spread is each atom's distribution over the neurons (bits), h_res
	// last: the percentiles of the per-neuron atoms of Neurons (the window's
	// means). Run files keep it (Neurons is too large to keep); files from
	// before it was recorded have none.
	Spread []AtomSpread `json:"spread,omitempty"`
}

// EpochStats is the record of one finished epoch.
type EpochStats struct {
	Epoch    int     `json:"epoch"`
	TrainAcc float64 `json:"train_acc"`
	// TrainAccKind says what TrainAcc measures: TrainRunning or
	// TrainEvaluated; empty for tasks whose first score is not a training
	// accuracy (memory) and in run files written before the choice existed
	// (which always evaluated the training split).
	TrainAccKind  string       `json:"train_acc_kind,omitempty"`
	ValAcc        float64      `json:"val_acc"`
	TestAcc       float64      `json:"test_acc"`
	SamplesPerSec float64      `json:"samples_per_sec"`
	TrainSeconds  float64      `json:"train_seconds"`
	Layers        []LayerStats `json:"layers"`
	// Confusion counts the test images of true class i predicted as class j
	// at [i·classes + j] (zero context, as the test accuracy); nil for tasks
	// without classes.
	Confusion []int `json:"confusion,omitempty"`
	// Bars measures the first layer's single-bar detectors at the epoch's
	// end (BarStats); nil for data other than the bars task.
	Bars *BarStats `json:"bars,omitempty"`
	// Logic is the PID of the test predictions about the inputs on the
	// logic tasks (LogicStats); nil for other data.
	Logic *LogicStats `json:"logic,omitempty"`
}

// The meanings of EpochStats.TrainAccKind.
const (
	// TrainRunning: the fraction of the epoch's training images that the
	// readout classified correctly in their training pass (label context,
	// weights changing during the epoch), the figure the authors report.
	TrainRunning = "running"
	// TrainEvaluated: the whole training split re-evaluated after the epoch
	// with zero context, like validation and test (Run.SetTrainEval).
	TrainEvaluated = "eval"
)

// TrainName names the train figure as a reader should take it: "train
// (running)" for TrainRunning, which reads lower than validation early on
// for reasons that are not overfitting, else "train".
func (e EpochStats) TrainName() string {
	if e.TrainAccKind == TrainRunning {
		return "train (running)"
	}
	return "train"
}

// ConfusionRows is the confusion matrix row-normalised: row i is how the
// test images of class i were classified (fractions; a class without images
// is a row of NaN). Nil without a confusion matrix.
func (e EpochStats) ConfusionRows() [][]float64 {
	k := int(math.Round(math.Sqrt(float64(len(e.Confusion)))))
	if k == 0 || k*k != len(e.Confusion) {
		return nil
	}
	out := make([][]float64, k)
	for i := range out {
		row := e.Confusion[i*k : (i+1)*k]
		n := 0
		for _, v := range row {
			n += v
		}
		out[i] = make([]float64, k)
		for j, v := range row {
			out[i][j] = math.NaN()
			if n > 0 {
				out[i][j] = float64(v) / float64(n)
			}
		}
	}
	return out
}

// Snapshot is an immutable copy of a run's state for the UI and the CLI.
type Snapshot struct {
	Preset        string
	Seed          uint64
	Epoch         int // completed epochs
	Step          int // batches trained in the current epoch
	StepsPerEpoch int
	TotalSteps    int // batches trained since the start
	// Accuracies (fractions in [0,1]) of the last evaluation; NaN before any.
	TrainAcc, ValAcc, TestAcc float64
	SamplesPerSec             float64       // training-loop rate of the last epoch (running rate during the first)
	Elapsed                   time.Duration // wall time spent training
	Layers                    []LayerStats
	History                   []EpochStats
	// Diverged is non-empty once training produced NaN/Inf; the run is then stopped.
	Diverged string
}
