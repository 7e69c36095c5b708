package tasks

import (
	"testing"

	"infomorph-tui/model"
)

// TestTwoClassPolarity: a readout that computes AND exactly is read as
// computing it whichever polarity its neurons code with. Neuron 0 (class
// "false", ¾ of the examples) fires on its class, so its mean θ is ¾: the
// batch-mean rule alone reads it inverted and scores 25%. Evaluation,
// the running train accuracy and Predict must all read it by its polarity
// measured against labels.
func TestTwoClassPolarity(t *testing.T) {
	d, err := Generated("and")
	if err != nil {
		t.Fatal(err)
	}
	ro := readoutLayer(model.Image)
	ro.Units = 2
	ro.LR = 1e-12 // learns, but too slowly to change a prediction
	for _, flip := range []float64{1, -1} {
		r, err := NewRun(Config{Net: model.NetSpec{InputDim: 2, Classes: 2, Layers: []model.LayerSpec{ro}}, Seed: 1}, d)
		if err != nil {
			t.Fatal(err)
		}
		f := r.Network().Readout().F
		// r_1 = 10·(x1 + x2 − 1): +10 on (+1, +1), ≤ −10 elsewhere;
		// neuron 0 is its negation; flip −1 makes neuron 1 code by silence.
		f.W[0*2+1], f.W[1*2+1], f.B[1] = 10*flip, 10*flip, -10*flip
		f.W[0*2+0], f.W[1*2+0], f.B[0] = -10, -10, 10
		if acc := r.Evaluate(TestSet, d.Test, 2); acc != 1 {
			t.Errorf("flip %v: test accuracy %.4f, want 1", flip, acc)
		}
		if err := r.StepEpoch(); err != nil {
			t.Fatal(err)
		}
		h := r.Snapshot().History[0]
		if h.TrainAcc != 1 || h.ValAcc != 1 || h.TestAcc != 1 {
			t.Errorf("flip %v: train/val/test accuracy %.4f/%.4f/%.4f, want 1", flip, h.TrainAcc, h.ValAcc, h.TestAcc)
		}
		for i, p := range r.Predict(TestSet, d.Test) {
			if want := int(d.testLab[d.Test[i]]); p != want {
				t.Fatalf("flip %v: Predict gives %d for example %d, label %d", flip, p, i, want)
			}
		}
	}
}
