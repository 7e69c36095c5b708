package tasks

import (
	"math"
	"testing"
)

// TestTrainAccKinds: by default the train figure is the running accuracy of
// the training batches; SetTrainEval re-evaluates the training split instead.
// Neither changes the weights, validation or test results, and the running
// figure counts exactly the batches' correct predictions.
func TestTrainAccKinds(t *testing.T) {
	const epochs = 2
	run := func(trainEval bool) *Run {
		r := newRun(t, hiddenNet(false), 5)
		r.SetTrainEval(trainEval)
		for e := 0; e < epochs; e++ {
			if err := r.StepEpoch(); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	running, evaluated := run(false), run(true)
	if !sameWeights(running.Network(), evaluated.Network()) {
		t.Fatal("SetTrainEval changed the weights")
	}
	a, b := running.Snapshot().History, evaluated.Snapshot().History
	for e := range a {
		if a[e].ValAcc != b[e].ValAcc || a[e].TestAcc != b[e].TestAcc {
			t.Errorf("epoch %d: val/test %v/%v with running train accuracy, %v/%v with train evaluation",
				e+1, a[e].ValAcc, a[e].TestAcc, b[e].ValAcc, b[e].TestAcc)
		}
		if a[e].TrainAccKind != TrainRunning || b[e].TrainAccKind != TrainEvaluated {
			t.Errorf("epoch %d: kinds %q and %q", e+1, a[e].TrainAccKind, b[e].TrainAccKind)
		}
		if !(a[e].TrainAcc > 0.1 && a[e].TrainAcc <= 1) || !(b[e].TrainAcc > 0.1 && b[e].TrainAcc <= 1) {
			t.Errorf("epoch %d: train accuracies %v and %v", e+1, a[e].TrainAcc, b[e].TrainAcc)
		}
		if a[e].TrainAcc == b[e].TrainAcc {
			t.Errorf("epoch %d: running and evaluated train accuracy both %v", e+1, a[e].TrainAcc)
		}
	}

	// The running figure is the count of correct training predictions:
	// replay the first epoch batch by batch and count from the readout.
	r := newRun(t, hiddenNet(false), 5)
	correct := 0
	pred := make([]int, BatchSize)
	for s := 0; s < r.StepsPerEpoch()-1; s++ {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
		p := pred[:len(r.labels)]
		r.net.Predict(p)
		for i, lab := range r.labels {
			if p[i] == int(lab) {
				correct++
			}
		}
	}
	if correct == 0 || r.correct != correct {
		t.Fatalf("running count %d, replayed %d", r.correct, correct)
	}
	if err := r.Step(); err != nil { // the epoch's last batch
		t.Fatal(err)
	}
	if got := r.Snapshot().History[0].TrainAcc; math.Abs(got-a[0].TrainAcc) != 0 {
		t.Errorf("replayed run's epoch 1 train accuracy %v, want %v", got, a[0].TrainAcc)
	}
}
