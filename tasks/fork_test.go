package tasks

import (
	"math"
	"slices"
	"testing"
)

// TestRunFork: a fork taken mid-epoch and trained on with the same γ gives
// the original's results bit for bit; a fork given another γ differs, and
// neither disturbs the other.
func TestRunFork(t *testing.T) {
	orig := newRun(t, hiddenNet(false), 5)
	for range 3 { // mid-epoch 1 (the synthetic set has 2 steps per epoch)
		if err := orig.Step(); err != nil {
			t.Fatal(err)
		}
	}
	same, err := orig.Fork()
	if err != nil {
		t.Fatal(err)
	}
	other, err := orig.Fork()
	if err != nil {
		t.Fatal(err)
	}
	g := other.Gamma(0)
	g[3] += 1 // raise synergy in the second fork only
	if err := other.SetGamma(0, g); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Run{orig, same, other} {
		for r.Epoch() < 3 {
			if err := r.Step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	sameSnapshot(t, orig.Snapshot(), same.Snapshot())
	if !sameWeights(orig.Network(), same.Network()) {
		t.Error("the fork's weights differ from the original's")
	}
	if sameWeights(orig.Network(), other.Network()) {
		t.Error("the fork with another γ trained like the original")
	}
	if orig.Gamma(0)[3] != 0 {
		t.Errorf("the original's γ changed with its fork's: %v", orig.Gamma(0))
	}
}

// TestGoalValue: each layer's G is Σγ·Π over the mean atoms when γ did not
// change within the epoch, and moves at once with γ: raising γ{12} by 1
// adds the synergy term to G.
func TestGoalValue(t *testing.T) {
	r := newRun(t, hiddenNet(false), 2)
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	for i, ls := range r.Snapshot().History[0].Layers {
		want := GoalOf(r.Gamma(i), ls.Atoms)
		if math.Abs(ls.Goal-want) > 1e-12 || ls.Goal == 0 {
			t.Errorf("layer %s: G %g, want Σγ·Π = %g", ls.Name, ls.Goal, want)
		}
	}
	base, err := r.Fork()
	if err != nil {
		t.Fatal(err)
	}
	g := r.Gamma(0)
	g[3]++
	if err := r.SetGamma(0, g); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Run{r, base} {
		if err := x.StepEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	a, b := r.Snapshot().History[1].Layers[0], base.Snapshot().History[1].Layers[0]
	if math.Abs(a.Goal-GoalOf(g, a.Atoms)) > 1e-12 || math.Abs(b.Goal-GoalOf(base.Gamma(0), b.Atoms)) > 1e-12 || a.Goal == b.Goal {
		t.Errorf("after γ{12}+1: G %g vs base %g (synergy %g)", a.Goal, b.Goal, a.Atoms[3])
	}
}

// TestEvalProgress: the progress callback counts every evaluated image of an
// epoch's end, ending at EvalImages (validation and test, plus the training
// split with SetTrainEval), and fires only then.
func TestEvalProgress(t *testing.T) {
	for _, tc := range []struct {
		trainEval bool
		want      int
	}{{false, synVal + synTest}, {true, synTrain + synTest}} {
		r := newRun(t, readoutNet(), 1)
		r.SetTrainEval(tc.trainEval)
		if r.EvalImages() != tc.want {
			t.Fatalf("train eval %v: EvalImages %d, want %d", tc.trainEval, r.EvalImages(), tc.want)
		}
		var calls []int
		r.SetProgress(func(done, total int) {
			if total != r.EvalImages() {
				t.Errorf("total %d, want %d", total, r.EvalImages())
			}
			calls = append(calls, done)
		})
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		if len(calls) != 0 {
			t.Fatalf("progress during training: %v", calls)
		}
		if err := r.StepEpoch(); err != nil {
			t.Fatal(err)
		}
		if len(calls) == 0 || calls[len(calls)-1] != tc.want || calls[0] <= 0 {
			t.Fatalf("progress %v, want rising to %d", calls, tc.want)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i] <= calls[i-1] {
				t.Fatalf("progress not rising: %v", calls)
			}
		}
	}
}

// TestPopulation: silent neurons, the order by information and each atom's
// spread over the neurons follow from the per-neuron atoms.
func TestPopulation(t *testing.T) {
	st := LayerStats{Neurons: [][]float64{
		{0.1, 0, 0.3, 0, 0.6},     // I = 0.4
		{0, 0, 0.0004, 0, 0.9996}, // silent
		{0.2, 0.1, 0.3, 0.1, 0.3}, // I = 0.7
		{0, 0, 0, 0, 1},           // silent
		{0.05, 0, 0.05, 0, 0.9},   // I = 0.1
	}}
	population(&st)
	if st.Silent != 2 || !st.IsSilent[1] || !st.IsSilent[3] || st.IsSilent[0] {
		t.Errorf("silent %d %v", st.Silent, st.IsSilent)
	}
	if want := []int{2, 0, 4, 1, 3}; !slices.Equal(st.ByInfo, want) {
		t.Errorf("by information %v, want %v", st.ByInfo, want)
	}
	// {1}{2}: 0, 0.0004, 0.05, 0.3, 0.3 → median 0.05, p10 0.00016, p90 0.3
	sp := st.Spread[2]
	if math.Abs(sp.Median-0.05) > 1e-12 || math.Abs(sp.P10-0.00016) > 1e-12 || math.Abs(sp.P90-0.3) > 1e-12 {
		t.Errorf("spread %+v", sp)
	}
	r := newRun(t, hiddenNet(false), 4)
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	ls := r.Snapshot().History[0].Layers[0]
	if len(ls.ByInfo) != 16 || len(ls.Spread) != 5 || len(ls.IsSilent) != 16 {
		t.Errorf("a run's layer: %d ranked, %d spreads, %d marks", len(ls.ByInfo), len(ls.Spread), len(ls.IsSilent))
	}
}

// TestConfusion: the test set's confusion matrix counts every test image
// once, its diagonal is the test accuracy, and its rows normalise to 1.
func TestConfusion(t *testing.T) {
	r := newRun(t, readoutNet(), 3)
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	e := r.Snapshot().History[0]
	if len(e.Confusion) != 100 {
		t.Fatalf("%d confusion cells", len(e.Confusion))
	}
	total, diag := 0, 0
	for i, v := range e.Confusion {
		total += v
		if i/10 == i%10 {
			diag += v
		}
	}
	if total != synTest || math.Abs(float64(diag)/float64(total)-e.TestAcc) > 1e-12 {
		t.Errorf("%d images, diagonal %d, test accuracy %v", total, diag, e.TestAcc)
	}
	for i, row := range e.ConfusionRows() {
		s := 0.0
		for _, v := range row {
			s += v
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("row %d sums to %v", i, s)
		}
	}
}
