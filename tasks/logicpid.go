package tasks

import (
	"fmt"

	"infomorph-tui/model"
	"infomorph-tui/pid"
)

// InputPID decomposes what a target says about the binary inputs of a logic
// task (XOR, AND, parity): the I^sx PID (pid.Decompose) with the inputs as
// sources (−1 → 0, +1 → 1) and the target as target, of the empirical joint
// distribution of the examples ids of set. target holds one class per
// example: the labels (the task's own PID, whose closed forms are XOR's and
// AND's published values) or a run's predictions (Run.Predict: the PID of
// the function the network learned).
func InputPID(d *Dataset, set Set, ids []int, target []int, classes int) (pid.Result, error) {
	n := d.Dim
	if d.Rows != 1 || n < 1 || n > 3 || d.trainRaw == nil {
		return pid.Result{}, fmt.Errorf("InputPID: %s is not a logic task of 1 to 3 binary inputs", d.Name)
	}
	if len(target) != len(ids) || len(ids) == 0 || classes < 1 {
		return pid.Result{}, fmt.Errorf("InputPID: %d targets for %d examples", len(target), len(ids))
	}
	raw := d.trainRaw
	if set == TestSet {
		raw = d.testRaw
	}
	shape := []int{classes}
	for range n {
		shape = append(shape, 2)
	}
	p := make([]float64, classes<<n)
	for i, id := range ids {
		t := target[i]
		if t < 0 || t >= classes {
			return pid.Result{}, fmt.Errorf("InputPID: target %d out of range 0..%d", t, classes-1)
		}
		cell := t
		for k := range n {
			cell = cell*2 + int(raw[id*n+k]/255)
		}
		p[cell] += 1 / float64(len(ids))
	}
	return pid.Decompose(pid.Dist{Shape: shape, P: p})
}

// Predict returns the network's class for each example ids of set, with
// zero context as the accuracies are measured (keyed by the run's seed and
// epoch, apart from the evaluation's own samples).
func (r *Run) Predict(set Set, ids []int) []int {
	out := make([]int, 0, len(ids))
	var img, lab model.Input
	var labels []uint8
	pred := make([]int, BatchSize)
	inv := r.evalPolarity(3) // polarity.go
	for lo, k := 0, 0; lo < len(ids); lo, k = lo+BatchSize, k+1 {
		hi := min(lo+BatchSize, len(ids))
		labels = r.data.Fill(set, ids[lo:hi], &img, labels)
		lab.OneHot(labels, r.data.Classes, true)
		r.net.Forward(&img, &lab, model.Mix(r.cfg.Seed, uint64(r.epoch), uint64(k), 3))
		predictWith(r.net, inv, pred[:hi-lo])
		out = append(out, pred[:hi-lo]...)
	}
	return out
}

// LogicStats is the PID of what a network's predictions on a logic task's
// test examples say about the inputs (InputPID with the predictions as
// target): for a network that computes AND exactly it is AND's closed form,
// which Exact holds for comparison.
type LogicStats struct {
	AtomNames []string  `json:"atom_names"`
	Atoms     []float64 `json:"atoms"`
	HT        float64   `json:"h_t"` // entropy of the predictions (bits)
	// Exact is the task's closed form: the PID of its label function with
	// every input pattern equally likely (XOR: 0.585, 0.585, −0.585, 0.415).
	Exact []float64 `json:"exact,omitempty"`
}

// ExactPID is the closed-form PID of a logic task: its label function (read
// off the training examples, where every input pattern occurs) with the
// 2^n input patterns equally likely, as the published values assume.
func ExactPID(d *Dataset) (pid.Result, error) {
	n := d.Dim
	if d.Rows != 1 || n < 1 || n > 3 || d.trainRaw == nil {
		return pid.Result{}, fmt.Errorf("ExactPID: %s is not a logic task of 1 to 3 binary inputs", d.Name)
	}
	label := make([]int, 1<<n)
	seen := make([]bool, 1<<n)
	for id, l := range d.trainLab {
		x := 0
		for k := range n {
			x = x*2 + int(d.trainRaw[id*n+k]/255)
		}
		label[x], seen[x] = int(l), true
	}
	shape := []int{d.Classes}
	for range n {
		shape = append(shape, 2)
	}
	p := make([]float64, d.Classes<<n)
	for x, l := range label {
		if !seen[x] {
			return pid.Result{}, fmt.Errorf("ExactPID: %s: input pattern %d never occurs", d.Name, x)
		}
		p[l<<n+x] = 1 / float64(len(label))
	}
	return pid.Decompose(pid.Dist{Shape: shape, P: p})
}

// logicStats measures LogicStats at an epoch's end: ok is false for data
// other than the logic tasks.
func (r *Run) logicStats() (LogicStats, bool) {
	switch r.data.Name {
	case "xor", "and", "parity3":
	default:
		return LogicStats{}, false
	}
	res, err := InputPID(r.data, TestSet, r.data.Test, r.Predict(TestSet, r.data.Test), r.data.Classes)
	if err != nil {
		return LogicStats{}, false
	}
	st := LogicStats{AtomNames: res.Names, Atoms: res.Atoms, HT: res.HT}
	if ex, err := ExactPID(r.data); err == nil {
		st.Exact = ex.Atoms
	}
	return st, true
}
