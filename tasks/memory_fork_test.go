package tasks

import (
	"reflect"
	"slices"
	"testing"
)

// stripTimes zeroes the wall-clock fields of a snapshot, which no two runs share.
func stripTimes(s *Snapshot) {
	s.Elapsed, s.SamplesPerSec = 0, 0
	for i := range s.History {
		s.History[i].SamplesPerSec, s.History[i].TrainSeconds = 0, 0
	}
}

// TestMemoryForkBitIdentical: two forks of a memory run with equal γ train
// bit for bit alike, and alike with the original; a fork with another γ
// departs from it, and the original is untouched by its forks.
func TestMemoryForkBitIdentical(t *testing.T) {
	r, err := NewMemoryRun(memCfg(30, 0.6, Infomorphic))
	if err != nil {
		t.Fatal(err)
	}
	for range 7 { // past an evaluation (epochs 1..7 are all tested)
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	a, err := r.Fork()
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Fork()
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Fork()
	if err != nil {
		t.Fatal(err)
	}
	g := []float64{0.5, 0, 1, 0.2, 0}
	if err := c.SetGamma(0, g); err != nil {
		t.Fatal(err)
	}
	w0 := slices.Clone(r.Network().W)
	for range 13 {
		for _, x := range []*MemoryRun{a, b, c} {
			if err := x.Step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !slices.Equal(r.Network().W, w0) || r.Epoch() != 7 {
		t.Fatal("training a fork changed the original")
	}
	if !slices.Equal(a.Network().W, b.Network().W) {
		t.Fatal("two forks with equal γ differ in their weights")
	}
	sa, sb := a.Snapshot(), b.Snapshot()
	stripTimes(&sa)
	stripTimes(&sb)
	if !reflect.DeepEqual(sa, sb) {
		t.Error("two forks with equal γ differ in their snapshots")
	}
	if slices.Equal(a.Network().W, c.Network().W) {
		t.Error("a fork with another γ trained exactly like one without the change")
	}
	for range 13 { // the original, continued, is the same run as its forks
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(r.Network().W, a.Network().W) {
		t.Error("the original and its fork differ after the same epochs")
	}
}

// TestMemoryCheckpointRejects: checkpoints that do not fit the run are
// refused with an error, not a panic.
func TestMemoryCheckpointRejects(t *testing.T) {
	cfg := memCfg(30, 0.6, Infomorphic)
	r, _ := NewMemoryRun(cfg)
	r.Step()
	good := r.Checkpoint()
	for name, bad := range map[string]func(c *MemoryCheckpoint){
		"weights": func(c *MemoryCheckpoint) { c.Net.W = c.Net.W[:10] },
		"epoch":   func(c *MemoryCheckpoint) { c.Epoch = -1 },
		"gamma":   func(c *MemoryCheckpoint) { c.Gamma = c.Gamma[:2] },
		"net γ":   func(c *MemoryCheckpoint) { c.Net.Gamma = nil },
		"window":  func(c *MemoryCheckpoint) { c.WinEpochs = 5 },
		"moments": func(c *MemoryCheckpoint) { c.Net.Opt.V = nil },
		"neurons": func(c *MemoryCheckpoint) { c.Net.MeanTheta = nil },
	} {
		c := r.Checkpoint()
		c.Net.W = slices.Clone(c.Net.W)
		bad(&c)
		if _, err := RestoreMemoryRun(cfg, c); err == nil {
			t.Errorf("%s: bad checkpoint accepted", name)
		}
	}
	if _, err := RestoreMemoryRun(cfg, good); err != nil {
		t.Errorf("good checkpoint refused: %v", err)
	}
}
