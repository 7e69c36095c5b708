package tasks

import (
	"math"
	"testing"

	"infomorph-tui/model"
	"infomorph-tui/pid"
)

// TestInputPIDClosedForms: the logic tasks' own joint distributions have
// the published I^sx values (XOR: unique 0.585 each, shared −0.585, synergy
// 0.415; AND: 0.1887, 0.1887, 0.1226, 0.3113), up to the sampling of the
// 4096 training examples' input patterns.
func TestInputPIDClosedForms(t *testing.T) {
	l3 := math.Log2(3)
	for name, want := range map[string][]float64{
		"xor": {l3 - 1, l3 - 1, 1 - l3, 2 - l3},
		"and": {0.75*l3 - 1, 0.75*l3 - 1, 2.5 - 1.5*l3, 1.5 - 0.75*l3},
	} {
		d, err := Generated(name)
		if err != nil {
			t.Fatal(err)
		}
		all := append(append([]int(nil), d.Train...), d.Val...)
		labels := d.Fill(TrainSet, all, &model.Input{}, nil)
		target := make([]int, len(labels))
		for i, l := range labels {
			target[i] = int(l)
		}
		r, err := InputPID(d, TrainSet, all, target, 2)
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range want {
			if math.Abs(r.Atoms[k]-w) > 0.025 {
				t.Errorf("%s: %s = %.4f, want %.4f", name, r.Names[k], r.Atoms[k], w)
			}
		}
	}
	// parity3: all the information is in the three-way synergy {123}.
	d, _ := Generated("parity3")
	labels := d.Fill(TestSet, d.Test, &model.Input{}, nil)
	target := make([]int, len(labels))
	for i, l := range labels {
		target[i] = int(l)
	}
	r, err := InputPID(d, TestSet, d.Test, target, 2)
	if err != nil {
		t.Fatal(err)
	}
	exact, _ := pid.Decompose(pid.Dist{Shape: []int{2, 2, 2, 2}, P: func() []float64 {
		p := make([]float64, 16)
		for x := range 8 {
			y := (x>>2 ^ x>>1 ^ x) & 1
			p[y*8+x] = 1.0 / 8
		}
		return p
	}()})
	for k := range exact.Atoms {
		if math.Abs(r.Atoms[k]-exact.Atoms[k]) > 0.03 {
			t.Errorf("parity3: %s = %.4f, exact %.4f", r.Names[k], r.Atoms[k], exact.Atoms[k])
		}
	}
	if _, err := InputPID(NewBars(), TestSet, []int{0}, []int{0}, 3); err == nil {
		t.Error("InputPID on bars")
	}
}

// TestInputPIDOfPredictions: the PID of a network's predictions is that
// of the function it computes; a constant prediction carries nothing.
func TestInputPIDOfPredictions(t *testing.T) {
	d, _ := Generated("xor")
	net := model.NetSpec{InputDim: 2, Classes: 2, Layers: []model.LayerSpec{readoutLayer(model.Image)}}
	net.Layers[0].Units = 2
	r, err := NewRun(Config{Net: net, Seed: 1}, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	pred := r.Predict(TestSet, d.Test)
	if len(pred) != len(d.Test) {
		t.Fatalf("%d predictions for %d examples", len(pred), len(d.Test))
	}
	res, err := InputPID(d, TestSet, d.Test, pred, 2)
	if err != nil {
		t.Fatal(err)
	}
	sum := res.HRes
	for _, a := range res.Atoms {
		sum += a
	}
	if math.Abs(sum-res.HT) > 1e-9 {
		t.Errorf("atoms and h_res sum to %v, H(T) = %v", sum, res.HT)
	}
	constant := make([]int, len(d.Test))
	res, err = InputPID(d, TestSet, d.Test, constant, 2)
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range res.Atoms {
		if a != 0 {
			t.Errorf("constant target: %s = %v", res.Names[k], a)
		}
	}
}
