package tasks

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/model"
)

// synthMNIST builds a small MNIST-shaped data set: digit k is a bright bar
// at its own place in the 28×28 grid (two rows of five), with dropped pixels,
// random intensities and a few noise pixels.
func synthMNIST(seed uint64, nTrain, nTest int) *MNIST {
	s := mnisttest.Generate(mnisttest.Spec{Seed: [2]uint64{seed, 28}, NTrain: nTrain, NTest: nTest,
		Bars: mnisttest.Bars{Top: 2, Left: 1, RowStep: 13, ColStep: 5, PerRow: 5, Height: 11, Width: 4,
			DropOneIn: 5, Min: 100, Span: 156, Noise: 20}})
	return &MNIST{TrainImages: s.TrainImages, TrainLabels: s.TrainLabels, TestImages: s.TestImages, TestLabels: s.TestLabels}
}

const (
	synTrain = 2600
	synVal   = 600
	synTest  = 300
)

var synData = NewDatasetSplit(synthMNIST(1, synTrain, synTest), synVal)

func readoutLayer(f model.Source) model.LayerSpec {
	return model.LayerSpec{Name: "readout", Units: 10, F: f, C: model.Label, IdentityContext: true,
		Act: model.Activation{Kind: model.Graetz, K1: 1, K2: 2}, Bins: model.AdaptiveBins(),
		Gamma: []float64{-0.2, 0.1, 1, 0.1, 0}, LR: 3e-3, WD: 1.5e-4}
}

func readoutNet() model.NetSpec {
	return model.NetSpec{InputDim: MNISTPixels, Classes: 10, Layers: []model.LayerSpec{readoutLayer(model.Image)}}
}

// hiddenNet is a small mnist-context (or, with lateral, mnist-lateral) network.
func hiddenNet(lateral bool) model.NetSpec {
	h := model.LayerSpec{Name: "hidden", Units: 16, F: model.Image, C: model.Label,
		Act: model.Activation{Kind: model.Graetz, K1: 0.9, K2: 2}, Bins: model.FixedBins(),
		Gamma: []float64{0, 0, 1, 0, 0}, LR: 2e-3, WD: 3.5e-4}
	if lateral {
		h.C = model.Lateral
		h.Gamma = []float64{1, 0, 0, 0, 0}
	}
	return model.NetSpec{InputDim: MNISTPixels, Classes: 10, Layers: []model.LayerSpec{h, readoutLayer(model.Below)}}
}

func newRun(t *testing.T, net model.NetSpec, seed uint64) *Run {
	t.Helper()
	r, err := NewRun(Config{Preset: "test", Net: net, Seed: seed}, synData)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func h2(p float64) float64 { return -p*math.Log2(p) - (1-p)*math.Log2(1-p) }

func TestDatasetSplit(t *testing.T) {
	d := synData
	if len(d.Train) != synTrain-synVal || len(d.Val) != synVal || len(d.Test) != synTest {
		t.Fatalf("split %d/%d/%d", len(d.Train), len(d.Val), len(d.Test))
	}
	all := append(append([]int(nil), d.Train...), d.Val...)
	slices.Sort(all)
	for i, v := range all {
		if v != i {
			t.Fatalf("train ∪ val is not a permutation of 0..%d", synTrain-1)
		}
	}
	m := synthMNIST(1, synTrain, synTest)
	mean, std := Normalization(m.TrainImages, d.Train)
	if d.Mean != mean || d.Std != std || !(std > 0) {
		t.Errorf("normalisation %g/%g, want %g/%g from the train split", d.Mean, d.Std, mean, std)
	}
	// Fill gives x = (pix/255 − mean)/std through the sparse affine form.
	ids := []int{d.Train[0], d.Val[3], d.Train[7]}
	var img model.Input
	labels := d.Fill(TrainSet, ids, &img, nil)
	checkFill(t, &img, labels, ids, m.TrainImages, m.TrainLabels, mean, std)
	tids := []int{4, 0, 299}
	labels = d.Fill(TestSet, tids, &img, labels)
	checkFill(t, &img, labels, tids, m.TestImages, m.TestLabels, mean, std)
}

func checkFill(t *testing.T, img *model.Input, labels []uint8, ids []int, pix, lab []uint8, mean, std float64) {
	t.Helper()
	if img.IsDense() || img.Rows != len(ids) || img.Dim != MNISTPixels || len(labels) != len(ids) {
		t.Fatalf("Fill: rows %d dim %d dense %v labels %d", img.Rows, img.Dim, img.IsDense(), len(labels))
	}
	for b, id := range ids {
		if labels[b] != lab[id] {
			t.Errorf("label %d = %d, want %d", b, labels[b], lab[id])
		}
		v := make([]float64, MNISTPixels)
		for k := img.Ptr[b]; k < img.Ptr[b+1]; k++ {
			v[img.Idx[k]] = img.Val[k]
		}
		for i, p := range pix[id*MNISTPixels : (id+1)*MNISTPixels] {
			got := img.Scale*v[i] + img.Shift
			want := (float64(p)/255 - mean) / std
			if math.Abs(got-want) > 1e-12 {
				t.Fatalf("image %d pixel %d = %g, want %g", id, i, got, want)
			}
		}
	}
}

// TestNewDatasetMatchesSplit: NewDataset is NewDatasetSplit with NVal.
func TestNewDatasetMatchesSplit(t *testing.T) {
	m := synthMNIST(2, NVal+150, 20)
	a, b := NewDataset(m), NewDatasetSplit(m, NVal)
	if !reflect.DeepEqual(a, b) {
		t.Error("NewDataset and NewDatasetSplit(m, NVal) differ")
	}
	if len(a.Train) != 150 || len(a.Val) != NVal {
		t.Errorf("split %d/%d", len(a.Train), len(a.Val))
	}
}

func TestRunSnapshots(t *testing.T) {
	r := newRun(t, readoutNet(), 3)
	atomNames := []string{"{1}", "{2}", "{1}{2}", "{12}", "h_res"}
	s := r.Snapshot()
	if s.Preset != "test" || s.Seed != 3 || s.Epoch != 0 || s.Step != 0 || s.TotalSteps != 0 || s.StepsPerEpoch != 2 {
		t.Fatalf("fresh snapshot %+v", s)
	}
	if r.StepsPerEpoch() != 2 || r.Layers() != 1 || r.Units(0) != 10 || r.Epoch() != 0 {
		t.Fatalf("StepsPerEpoch %d, Layers %d, Units %d", r.StepsPerEpoch(), r.Layers(), r.Units(0))
	}
	if name, names := r.LayerName(0); name != "readout" || !slices.Equal(names, atomNames) {
		t.Errorf("LayerName = %s %v", name, names)
	}
	if !math.IsNaN(s.TrainAcc) || !math.IsNaN(s.ValAcc) || !math.IsNaN(s.TestAcc) || len(s.History) != 0 {
		t.Errorf("before any evaluation: accuracies %g %g %g, history %d", s.TrainAcc, s.ValAcc, s.TestAcc, len(s.History))
	}
	if len(s.Layers) != 1 || !slices.Equal(s.Layers[0].AtomNames, atomNames) || s.Layers[0].Name != "readout" {
		t.Fatalf("fresh layer stats %+v", s.Layers)
	}

	// One batch: still in epoch 0, no evaluation yet, atoms of that batch.
	if err := r.Step(); err != nil {
		t.Fatal(err)
	}
	s = r.Snapshot()
	if s.Epoch != 0 || s.Step != 1 || s.TotalSteps != 1 || !math.IsNaN(s.TestAcc) || len(s.History) != 0 {
		t.Fatalf("after one step: epoch %d step %d total %d test %g history %d", s.Epoch, s.Step, s.TotalSteps, s.TestAcc, len(s.History))
	}
	if !(s.SamplesPerSec > 0) || s.Elapsed <= 0 {
		t.Errorf("running rate %g, elapsed %v", s.SamplesPerSec, s.Elapsed)
	}
	checkLayerStats(t, s.Layers[0], 10, true)

	// The second batch (976 rows) ends the epoch and evaluates.
	if err := r.Step(); err != nil {
		t.Fatal(err)
	}
	s = r.Snapshot()
	if s.Epoch != 1 || s.Step != 0 || s.TotalSteps != 2 || len(s.History) != 1 || r.Epoch() != 1 {
		t.Fatalf("after one epoch: epoch %d step %d total %d history %d", s.Epoch, s.Step, s.TotalSteps, len(s.History))
	}
	h := s.History[0]
	if h.Epoch != 1 || h.TrainAcc != s.TrainAcc || h.ValAcc != s.ValAcc || h.TestAcc != s.TestAcc {
		t.Errorf("history %+v vs snapshot %g %g %g", h, s.TrainAcc, s.ValAcc, s.TestAcc)
	}
	for _, a := range []float64{h.TrainAcc, h.ValAcc, h.TestAcc} {
		if !(a >= 0 && a <= 1) {
			t.Errorf("accuracy %g outside [0, 1]", a)
		}
	}
	if !(h.SamplesPerSec > 0) || !(h.TrainSeconds > 0) || s.SamplesPerSec != h.SamplesPerSec {
		t.Errorf("rate %g, seconds %g, snapshot rate %g", h.SamplesPerSec, h.TrainSeconds, s.SamplesPerSec)
	}
	// At the epoch boundary the layer stats are those of the finished epoch.
	if !reflect.DeepEqual(s.Layers[0].Atoms, h.Layers[0].Atoms) || s.Layers[0].HY != h.Layers[0].HY {
		t.Error("layer stats at the epoch boundary differ from the epoch's record")
	}
	checkLayerStats(t, h.Layers[0], 10, false)

	// StepEpoch from the boundary and from mid-epoch.
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	if err := r.Step(); err != nil {
		t.Fatal(err)
	}
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	s = r.Snapshot()
	if s.Epoch != 3 || s.Step != 0 || s.TotalSteps != 6 || len(s.History) != 3 {
		t.Fatalf("after three epochs: epoch %d step %d total %d history %d", s.Epoch, s.Step, s.TotalSteps, len(s.History))
	}
	for i, e := range s.History {
		if e.Epoch != i+1 {
			t.Errorf("history[%d].Epoch = %d", i, e.Epoch)
		}
		if kept := e.Layers[0].Neurons != nil; kept != (i == len(s.History)-1) {
			t.Errorf("history[%d] keeps per-neuron atoms: %v (only the latest epoch should)", i, kept)
		}
	}
	// The synthetic digits are easy: the readout learns them in three epochs.
	if s.TestAcc < 0.8 || s.ValAcc < 0.8 {
		t.Errorf("after three epochs val %.3f test %.3f, want > 0.8", s.ValAcc, s.TestAcc)
	}
	if a := r.Evaluate(TestSet, synData.Test, 2); a != s.TestAcc {
		t.Errorf("Evaluate(test) = %g, snapshot %g", a, s.TestAcc)
	}

	// Reset: back to the start; training again repeats the first epoch.
	first := s.History[0]
	if err := r.Reset(); err != nil {
		t.Fatal(err)
	}
	s = r.Snapshot()
	if s.Epoch != 0 || s.TotalSteps != 0 || len(s.History) != 0 || !math.IsNaN(s.TestAcc) || s.Elapsed != 0 {
		t.Fatalf("after Reset: %+v", s)
	}
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	again := r.Snapshot().History[0]
	if again.Layers[0].Neurons == nil {
		t.Error("the latest epoch lost its per-neuron atoms")
	}
	// Older epochs keep no per-neuron fields (withoutNeurons).
	again.Layers = withoutNeurons(again.Layers)
	if !sameEpoch(first, again) {
		t.Errorf("epoch 1 after Reset differs:\n%+v\n%+v", first, again)
	}
}

// checkLayerStats: atoms + h_res = H(Y) for the mean and every neuron; with
// a one-batch window, H(Y) is the binary entropy of the neuron's mean θ.
func checkLayerStats(t *testing.T, st LayerStats, units int, oneBatch bool) {
	t.Helper()
	if len(st.Atoms) != len(st.AtomNames) || len(st.Neurons) != units || len(st.MeanTheta) != units {
		t.Fatalf("layer stats sizes: atoms %d names %d neurons %d θ %d", len(st.Atoms), len(st.AtomNames), len(st.Neurons), len(st.MeanTheta))
	}
	sum := 0.0
	for _, a := range st.Atoms {
		sum += a
	}
	if math.Abs(sum-st.HY) > 1e-9 || !(st.HY > 0 && st.HY <= 1) {
		t.Errorf("mean atoms add to %g, H(Y) = %g", sum, st.HY)
	}
	for j, n := range st.Neurons {
		s := 0.0
		for _, a := range n {
			s += a
		}
		if oneBatch {
			if hy := h2(st.MeanTheta[j]); math.Abs(s-hy) > 1e-9 {
				t.Errorf("neuron %d: atoms + h_res = %g, H(Y) = %g", j, s, hy)
			}
		}
		if n[len(n)-1] < -1e-12 {
			t.Errorf("neuron %d: h_res %g < 0", j, n[len(n)-1])
		}
	}
}

// sameEpoch compares two epoch records, timings excluded.
func sameEpoch(a, b EpochStats) bool {
	a.SamplesPerSec, a.TrainSeconds = 0, 0
	b.SamplesPerSec, b.TrainSeconds = 0, 0
	return reflect.DeepEqual(a, b)
}

// sameSnapshot compares two snapshots, timings excluded.
func sameSnapshot(t *testing.T, a, b Snapshot) {
	t.Helper()
	if len(a.History) != len(b.History) {
		t.Fatalf("history lengths %d, %d", len(a.History), len(b.History))
	}
	for i := range a.History {
		if !sameEpoch(a.History[i], b.History[i]) {
			t.Errorf("epoch %d differs:\n%+v\n%+v", i+1, a.History[i], b.History[i])
		}
	}
	a.History, b.History = nil, nil
	a.Elapsed, b.Elapsed = 0, 0
	a.SamplesPerSec, b.SamplesPerSec = 0, 0
	if !reflect.DeepEqual(a, b) {
		t.Errorf("snapshots differ:\n%+v\n%+v", a, b)
	}
}

func sameWeights(a, b *model.Network) bool {
	for i := range a.Layers {
		la, lb := a.Layers[i], b.Layers[i]
		for k, c := range []*model.Compartment{la.F, la.C, la.L} {
			d := []*model.Compartment{lb.F, lb.C, lb.L}[k]
			if (c == nil) != (d == nil) {
				return false
			}
			if c != nil && (!bitsEqual(c.W, d.W) || !bitsEqual(c.B, d.B)) {
				return false
			}
		}
	}
	return true
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// TestRunDeterminism: the same seed gives identical snapshots and weights,
// with any worker count; another seed gives other results.
func TestRunDeterminism(t *testing.T) {
	for _, tc := range []struct {
		name string
		net  model.NetSpec
	}{{"context", hiddenNet(false)}, {"lateral", hiddenNet(true)}} {
		t.Run(tc.name, func(t *testing.T) {
			var runs []*Run
			for _, w := range []int{1, 2, 2} {
				r := newRun(t, tc.net, 5)
				r.SetWorkers(w)
				if r.Network().Workers != w {
					t.Fatalf("SetWorkers(%d): network has %d", w, r.Network().Workers)
				}
				if err := r.StepEpoch(); err != nil {
					t.Fatal(err)
				}
				if err := r.Step(); err != nil {
					t.Fatal(err)
				}
				runs = append(runs, r)
			}
			for i := 1; i < len(runs); i++ {
				sameSnapshot(t, runs[0].Snapshot(), runs[i].Snapshot())
				if !sameWeights(runs[0].Network(), runs[i].Network()) {
					t.Errorf("run %d: weights differ from the 1-worker run", i)
				}
			}
			other := newRun(t, tc.net, 6)
			if err := other.StepEpoch(); err != nil {
				t.Fatal(err)
			}
			if sameWeights(runs[0].Network(), other.Network()) {
				t.Error("seeds 5 and 6 give identical weights")
			}
		})
	}
}

func TestRunSetGamma(t *testing.T) {
	r := newRun(t, hiddenNet(false), 7)
	preset := []float64{0, 0, 1, 0, 0}
	for _, bad := range []struct {
		layer int
		g     []float64
		want  string
	}{
		{0, []float64{1, 2, 3}, "want 5"},
		{1, make([]float64, 19), "want 5"},
		{0, []float64{0, 0, math.NaN(), 0, 0}, "finite"},
		{0, []float64{0, math.Inf(-1), 0, 0, 0}, "finite"},
		{-1, make([]float64, 5), "no layer"},
		{2, make([]float64, 5), "no layer"},
	} {
		err := r.SetGamma(bad.layer, bad.g)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("SetGamma(%d, %v) = %v, want an error with %q", bad.layer, bad.g, err, bad.want)
		}
	}
	if g := r.Gamma(0); !slices.Equal(g, preset) {
		t.Fatalf("failed SetGamma changed γ to %v", g)
	}

	// Two runs agree for a step; then one changes γ and they part.
	b := newRun(t, hiddenNet(false), 7)
	for _, x := range []*Run{r, b} {
		if err := x.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if !sameWeights(r.Network(), b.Network()) {
		t.Fatal("identical runs differ after one step")
	}
	newG := []float64{0.5, 0, 0, 1, 0}
	if err := b.SetGamma(0, newG); err != nil {
		t.Fatal(err)
	}
	newG[0] = 99 // SetGamma copies
	if g := b.Gamma(0); !slices.Equal(g, []float64{0.5, 0, 0, 1, 0}) || !slices.Equal(b.PresetGamma(0), preset) {
		t.Errorf("Gamma %v, PresetGamma %v", g, b.PresetGamma(0))
	}
	for _, x := range []*Run{r, b} {
		if err := x.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if sameWeights(r.Network(), b.Network()) {
		t.Error("changing γ had no effect on the next step")
	}
	// The readout was not touched: its goal is unchanged, its input differs.
	if !slices.Equal(b.Gamma(1), r.Gamma(1)) {
		t.Error("readout γ changed")
	}
	// Reset keeps the current γ and replays the same trajectory with it.
	if err := b.Reset(); err != nil {
		t.Fatal(err)
	}
	if g := b.Network().Layers[0].Spec.Gamma; !slices.Equal(g, []float64{0.5, 0, 0, 1, 0}) {
		t.Errorf("γ after Reset %v", g)
	}
	c := newRun(t, hiddenNet(false), 7)
	if err := c.SetGamma(0, []float64{0.5, 0, 0, 1, 0}); err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Run{b, c} {
		if err := x.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if !sameWeights(b.Network(), c.Network()) {
		t.Error("Reset run differs from a fresh run with the same γ")
	}
}

func TestReceptiveField(t *testing.T) {
	r := newRun(t, readoutNet(), 1)
	w, rows, cols, ok := r.ReceptiveField(0, 3)
	if !ok || rows != 28 || cols != 28 || len(w) != 784 {
		t.Fatalf("readout field: %d values, %d×%d, ok %v", len(w), rows, cols, ok)
	}
	f := r.Network().Layers[0].F
	for i, v := range w {
		if v != f.W[i*10+3] {
			t.Fatalf("field[%d] = %g, want W[%d,3] = %g", i, v, i, f.W[i*10+3])
		}
	}
	h := newRun(t, hiddenNet(false), 1)
	if _, rows, cols, ok := h.ReceptiveField(0, 15); !ok || rows != 28 || cols != 28 {
		t.Errorf("hidden field: %d×%d ok %v", rows, cols, ok)
	}
	for _, c := range [][2]int{{1, 0}, {2, 0}, {-1, 0}, {0, 16}, {0, -1}} {
		if w, _, _, ok := h.ReceptiveField(c[0], c[1]); ok || w != nil {
			t.Errorf("ReceptiveField(%d, %d): ok %v", c[0], c[1], ok)
		}
	}
}

// TestProjectedField: a neuron reading the layer below gets its weights
// carried down to the pixels, Σ_u W_below[i,u]·w[u], through every layer
// between; a layer reading the image, and neurons or layers out of range,
// get none.
func TestProjectedField(t *testing.T) {
	net := hiddenNet(false)
	h2 := net.Layers[0]
	h2.Name, h2.F, h2.Units = "hidden2", model.Below, 12
	net.Layers = []model.LayerSpec{net.Layers[0], h2, net.Layers[1]}
	r := newRun(t, net, 1)
	if err := r.Step(); err != nil {
		t.Fatal(err)
	}
	ls := r.Network().Layers
	// down carries weights v over layer k's units to the layer below's.
	down := func(k int, v []float64) []float64 {
		c, U := ls[k].F, ls[k].Spec.Units
		out := make([]float64, c.In)
		for i := range out {
			for u := 0; u < U; u++ {
				out[i] += c.W[i*U+u] * v[u]
			}
		}
		return out
	}
	column := func(k, j int) []float64 {
		c, U := ls[k].F, ls[k].Spec.Units
		v := make([]float64, c.In)
		for i := range v {
			v[i] = c.W[i*U+j]
		}
		return v
	}
	for _, c := range []struct{ layer, neuron int }{{1, 5}, {2, 7}} {
		want := column(c.layer, c.neuron)
		for k := c.layer - 1; k >= 0; k-- {
			want = down(k, want)
		}
		w, rows, cols, ok := r.ProjectedField(c.layer, c.neuron)
		if !ok || rows != 28 || cols != 28 || len(w) != len(want) {
			t.Fatalf("layer %d: %d values, %d×%d, ok %v", c.layer, len(w), rows, cols, ok)
		}
		for i := range w {
			if math.Abs(w[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
				t.Fatalf("layer %d neuron %d pixel %d: %g, want %g", c.layer, c.neuron, i, w[i], want[i])
			}
		}
	}
	for _, c := range [][2]int{{0, 3}, {3, 0}, {-1, 0}, {1, 12}, {2, -1}} {
		if w, _, _, ok := r.ProjectedField(c[0], c[1]); ok || w != nil {
			t.Errorf("ProjectedField(%d, %d): ok %v", c[0], c[1], ok)
		}
	}
}

// TestRunDiverged: NaN in the weights stops the run until Reset.
func TestRunDiverged(t *testing.T) {
	r := newRun(t, readoutNet(), 1)
	if err := r.Step(); err != nil {
		t.Fatal(err)
	}
	r.Network().Layers[0].F.W[0] = math.NaN()
	err := r.Step()
	if err == nil || !strings.Contains(err.Error(), "epoch 1, step 2") {
		t.Fatalf("Step with a NaN weight: %v", err)
	}
	if s := r.Snapshot(); s.Diverged == "" || s.TotalSteps != 1 {
		t.Errorf("snapshot Diverged %q, total %d", s.Diverged, s.TotalSteps)
	}
	if err := r.StepEpoch(); err == nil {
		t.Error("a diverged run trains on")
	}
	if err := r.Reset(); err != nil {
		t.Fatal(err)
	}
	if err := r.Step(); err != nil || r.Snapshot().Diverged != "" {
		t.Errorf("after Reset: %v, %q", err, r.Snapshot().Diverged)
	}
}

// TestRunRealMNIST trains the mnist-readout network for a few batches of the
// real data (no full epoch) and checks that it learns. Like TestRealMNIST it
// stays out of race-detector runs, where decoding the training images alone
// takes seconds; the synthetic tests above cover the same code under -race.
func TestRunRealMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if raceEnabled() {
		t.Skip("race detector on: real MNIST is too slow here")
	}
	dir, err := FindMNISTDir("")
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	m, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDataset(m)
	if len(d.Train) != 48000 || len(d.Val) != 12000 || len(d.Test) != 10000 {
		t.Fatalf("split %d/%d/%d", len(d.Train), len(d.Val), len(d.Test))
	}
	if math.Abs(d.Mean-0.1307) > 2e-3 || math.Abs(d.Std-0.3081) > 2e-3 {
		t.Errorf("normalisation %.4f/%.4f, want about 0.1307/0.3081", d.Mean, d.Std)
	}
	r, err := NewRun(Config{Preset: "mnist-readout", Net: readoutNet(), Seed: 1}, d)
	if err != nil {
		t.Fatal(err)
	}
	if r.StepsPerEpoch() != 47 {
		t.Errorf("StepsPerEpoch = %d, want 47", r.StepsPerEpoch())
	}
	ids := d.Test[:2048]
	before := r.Evaluate(TestSet, ids, 0)
	const steps = 6
	for i := 0; i < steps; i++ {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	after := r.Evaluate(TestSet, ids, 0)
	t.Logf("test accuracy on 2048 images: %.3f before, %.3f after %d batches", before, after, steps)
	if before > 0.2 || after < 0.35 {
		t.Errorf("accuracy %.3f → %.3f, want < 0.2 → > 0.35", before, after)
	}
	s := r.Snapshot()
	if s.Step != steps || s.Epoch != 0 || !math.IsNaN(s.TestAcc) {
		t.Errorf("snapshot step %d epoch %d test %g", s.Step, s.Epoch, s.TestAcc)
	}
	checkLayerStats(t, s.Layers[0], 10, false)
}
