package tasks

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"infomorph-tui/model"
)

// roundTrip passes a checkpoint through JSON, as a run file does: the history
// travels separately and loses the per-neuron detail (json:"-").
func roundTrip(t *testing.T, c Checkpoint) Checkpoint {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := json.Marshal(c.History)
	if err != nil {
		t.Fatal(err)
	}
	var out Checkpoint
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(hist, &out.History); err != nil {
		t.Fatal(err)
	}
	return out
}

// stateJSON is a checkpoint's JSON without timings, for bit-exact comparison.
func stateJSON(t *testing.T, r *Run) []byte {
	t.Helper()
	c := r.Checkpoint()
	c.TrainSeconds, c.ElapsedSeconds = 0, 0
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// sameResults compares accuracies and atoms of two histories.
func sameResults(t *testing.T, a, b []EpochStats) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d and %d epochs", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Epoch != y.Epoch || x.TrainAcc != y.TrainAcc || x.ValAcc != y.ValAcc || x.TestAcc != y.TestAcc || len(x.Layers) != len(y.Layers) {
			t.Fatalf("epoch %d: %+v vs %+v", i+1, x, y)
		}
		for k := range x.Layers {
			if !bitsEqual(x.Layers[k].Atoms, y.Layers[k].Atoms) || x.Layers[k].HY != y.Layers[k].HY {
				t.Errorf("epoch %d layer %s atoms differ: %v vs %v", i+1, x.Layers[k].Name, x.Layers[k].Atoms, y.Layers[k].Atoms)
			}
		}
	}
}

// TestCheckpointContinues: stopping after a number of steps, saving through
// JSON, restoring and continuing gives results identical to never stopping.
func TestCheckpointContinues(t *testing.T) {
	for _, tc := range []struct {
		name  string
		net   model.NetSpec
		steps int // steps before the checkpoint
	}{
		{"readout after epoch 1", readoutNet(), 2},
		{"context mid-epoch", hiddenNet(false), 3},
		{"lateral after epoch 1", hiddenNet(true), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const epochs = 3
			whole := newRun(t, tc.net, 11)
			for e := 0; e < epochs; e++ {
				if err := whole.StepEpoch(); err != nil {
					t.Fatal(err)
				}
			}
			first := newRun(t, tc.net, 11)
			first.SetWorkers(2)
			for s := 0; s < tc.steps; s++ {
				if err := first.Step(); err != nil {
					t.Fatal(err)
				}
			}
			c := roundTrip(t, first.Checkpoint())
			if c.TotalSteps != tc.steps || c.Epoch*c.StepsPerEpoch+c.Step != tc.steps {
				t.Fatalf("checkpoint position epoch %d step %d total %d, want %d steps", c.Epoch, c.Step, c.TotalSteps, tc.steps)
			}
			r, err := RestoreRun(Config{Preset: "test", Net: tc.net, Seed: 11}, synData, c)
			if err != nil {
				t.Fatal(err)
			}
			r.SetWorkers(1)
			if !bytes.Equal(stateJSON(t, r), stateJSON(t, first)) {
				t.Fatal("restored state differs from the saved one")
			}
			for r.Epoch() < epochs {
				if err := r.Step(); err != nil {
					t.Fatal(err)
				}
			}
			sameResults(t, whole.Snapshot().History, r.Snapshot().History)
			if !sameWeights(whole.Network(), r.Network()) {
				t.Error("weights differ from the uninterrupted run")
			}
			if !bytes.Equal(stateJSON(t, whole), stateJSON(t, r)) {
				t.Error("final state (Adam moments, windows) differs from the uninterrupted run")
			}
			// The epochs after the restore match in full, per-neuron detail included.
			for e := c.Epoch + 1; e < epochs; e++ {
				if !sameEpoch(whole.Snapshot().History[e], r.Snapshot().History[e]) {
					t.Errorf("epoch %d differs in detail", e+1)
				}
			}
		})
	}
}

// TestCheckpointSnapshot: a restored run's snapshot is the saved run's.
func TestCheckpointSnapshot(t *testing.T) {
	r := newRun(t, hiddenNet(false), 3)
	if err := r.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	c := r.Checkpoint() // in memory: per-neuron detail kept
	got, err := RestoreRun(Config{Preset: "test", Net: hiddenNet(false), Seed: 3}, synData, c)
	if err != nil {
		t.Fatal(err)
	}
	sameSnapshot(t, r.Snapshot(), got.Snapshot())
	// Restoring a fresh run's checkpoint gives a fresh run.
	fresh := newRun(t, readoutNet(), 3)
	got, err = RestoreRun(Config{Preset: "test", Net: readoutNet(), Seed: 3}, synData, roundTrip(t, fresh.Checkpoint()))
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Snapshot(); s.Epoch != 0 || s.TotalSteps != 0 || !math.IsNaN(s.TestAcc) || len(s.History) != 0 {
		t.Errorf("restored fresh run: %+v", s)
	}
	if !bytes.Equal(stateJSON(t, fresh), stateJSON(t, got)) {
		t.Error("restored fresh run has another state")
	}
}

func TestCheckpointErrors(t *testing.T) {
	r := newRun(t, hiddenNet(false), 4)
	if err := r.Step(); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Preset: "test", Net: hiddenNet(false), Seed: 4}
	for _, tc := range []struct {
		name   string
		cfg    Config
		change func(c *Checkpoint)
		want   string
	}{
		{"steps per epoch", cfg, func(c *Checkpoint) { c.StepsPerEpoch = 5 }, "steps per epoch"},
		{"step range", cfg, func(c *Checkpoint) { c.Step = 9 }, "out of range"},
		{"total", cfg, func(c *Checkpoint) { c.TotalSteps = 7 }, "total steps"},
		{"history", cfg, func(c *Checkpoint) { c.Epoch, c.TotalSteps = 1, 3 }, "finished epochs"},
		{"windows", cfg, func(c *Checkpoint) { c.Windows = c.Windows[:1] }, "windows"},
		{"window size", cfg, func(c *Checkpoint) { c.Windows[0].Theta = c.Windows[0].Theta[:3] }, "θ sums"},
		{"window count", cfg, func(c *Checkpoint) { c.Windows[1].N = 4 }, "window counts"},
		{"layers", cfg, func(c *Checkpoint) { c.Net.Layers = c.Net.Layers[:1] }, "1 layers"},
		{"layer name", cfg, func(c *Checkpoint) { c.Net.Layers[0].Name = "x" }, `"x"`},
		{"weights", cfg, func(c *Checkpoint) { c.Net.Layers[0].F.W = c.Net.Layers[0].F.W[1:] }, "compartment f: w has"},
		{"moments", cfg, func(c *Checkpoint) { c.Net.Layers[1].C.OptB.V = nil }, "compartment c: opt_b.v"},
		{"shape", cfg, func(c *Checkpoint) { c.Net.Layers[0].F.Out = 3 }, "shape"},
		{"missing L", cfg, func(c *Checkpoint) { c.Net.Layers[0].L = c.Net.Layers[0].C }, "compartment l: the state has it"},
		{"missing C", cfg, func(c *Checkpoint) { c.Net.Layers[0].C = nil }, "compartment c: missing"},
		{"NaN", cfg, func(c *Checkpoint) { c.Net.Layers[0].F.B[2] = math.NaN() }, "NaN"},
		{"gamma", cfg, func(c *Checkpoint) { c.Net.Layers[0].Gamma = []float64{1} }, "γ has 1"},
		{"identity", cfg, func(c *Checkpoint) { c.Net.Layers[1].C.W[1] = 0.5 }, "fixed weight"},
		{"other net", Config{Preset: "test", Net: readoutNet(), Seed: 4}, func(c *Checkpoint) {}, "layer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := roundTrip(t, r.Checkpoint())
			tc.change(&c)
			_, err := RestoreRun(tc.cfg, synData, c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
	// Lateral masks stay masked.
	lat := newRun(t, hiddenNet(true), 4)
	c := lat.Checkpoint()
	c.Net.Layers[0].C.W[0] = 0.25 // the first self-connection
	if _, err := RestoreRun(Config{Preset: "test", Net: hiddenNet(true), Seed: 4}, synData, c); err == nil || !strings.Contains(err.Error(), "masked") {
		t.Errorf("error %v, want one about a masked weight", err)
	}
}

func TestParamsJSON(t *testing.T) {
	p := model.Params{0, -0.0, 1.5, -3e-300, 1e300}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q model.Params
	if err := json.Unmarshal(data, &q); err != nil {
		t.Fatal(err)
	}
	if !bitsEqual(p, q) {
		t.Errorf("round trip %v → %s → %v", p, data, q)
	}
	for _, bad := range []string{`[1,2]`, `"%%%"`, `"AAAA"`} {
		if err := json.Unmarshal([]byte(bad), &q); err == nil || !strings.Contains(err.Error(), "parameters") {
			t.Errorf("%s: error %v", bad, err)
		}
	}
}
