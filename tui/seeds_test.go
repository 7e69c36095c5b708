package tui

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// seeded loads mnist-context, trains 2 epochs, then starts K = 3 seeds
// (they catch up) and trains 2 more epochs.
func seeded(t *testing.T, colour string) *harness {
	t.Helper()
	h := trainedTwo(t, colour)
	h.keys("K", "enter")
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("e")
	h.settle()
	return h
}

// TestSeedsSideBySide: K asks for the number of runs, the worker builds the
// other seeds with the preset's factory, they catch up with the run
// (replaying its γ log) and then train batch for batch with it; the band's
// statistics are over all K runs; 1 stops them.
func TestSeedsSideBySide(t *testing.T) {
	var built []uint64
	var mu = make(chan struct{}, 1)
	h := newHarness(t, Options{Preset: "mnist-context"}, func(f *fakeEngine) {
		mu <- struct{}{}
		built = append(built, f.seed)
		<-mu
	})
	h.size(160, 48)
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("down", "down", "down", "L") // γ{12} 0 → 0.1 from batch 4 on
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("K")
	if h.m.ask == nil || h.m.ask.kind != askSeeds || string(h.m.ask.text) != "3" {
		t.Fatalf("K opened %+v, want the seeds prompt offering 3", h.m.ask)
	}
	h.keys("enter")
	h.settle()
	sd := h.m.run.data.seeds
	if sd == nil || sd.k != 3 || !slices.Equal(sd.seeds, []uint64{2, 3}) || len(sd.hists) != 2 {
		t.Fatalf("seeds %+v", sd)
	}
	if sd.behind != 0 || len(sd.hists[0]) != 2 || len(sd.hists[1]) != 2 {
		t.Fatalf("seeds did not catch up: behind %d, epochs %d %d", sd.behind, len(sd.hists[0]), len(sd.hists[1]))
	}
	if !slices.Equal(built, []uint64{1, 2, 3}) {
		t.Fatalf("engines built for seeds %v", built)
	}
	// seed 2 caught up with γ{12} raised at the batch the run had it raised:
	// it is the run a fresh seed-2 engine makes with that schedule
	ref := newFake("mnist-context", 2)
	for i := range 8 {
		if i == 4 {
			g := ref.Gamma(0)
			g[3] = 0.1
			ref.SetGamma(0, g)
		}
		ref.Step()
	}
	if !reflect.DeepEqual(ref.hist, sd.hists[0]) {
		t.Errorf("seed 2 is not the run of seed 2 with the run's γ schedule:\n%+v\n%+v", ref.hist, sd.hists[0])
	}
	h.keys("e")
	h.settle()
	sd = h.m.run.data.seeds
	if len(sd.hists[0]) != 3 || len(sd.hists[1]) != 3 || h.m.run.data.snap.Epoch != 3 {
		t.Fatalf("after one more epoch: run %d, seeds %d %d", h.m.run.data.snap.Epoch, len(sd.hists[0]), len(sd.hists[1]))
	}
	b := h.m.run.data.band(timeAxis{}, h.m.acc.scoreOf(2))
	if len(b) != 3 || b[2].n != 3 || b[2].epoch != 3 {
		t.Fatalf("band %+v", b)
	}
	// the band's statistics are those of the three runs' test accuracies
	vals := []float64{100 * h.m.run.data.snap.TestAcc, 100 * sd.hists[0][2].TestAcc, 100 * sd.hists[1][2].TestAcc}
	mean := (vals[0] + vals[1] + vals[2]) / 3
	ss := 0.0
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	if p := b[2]; math.Abs(p.mean-mean) > 1e-9 || math.Abs(p.sd-math.Sqrt(ss/2)) > 1e-9 ||
		p.lo != slices.Min(vals) || p.hi != slices.Max(vals) || p.hi-p.lo < 0.1 {
		t.Errorf("band point %+v, runs %v", p, vals)
	}
	scr := h.screen()
	for _, want := range []string{"3 seeds " + fmt.Sprintf("%.2f ± %.2f%%", mean, math.Sqrt(ss/2)), "⋮"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	h.keys("K", "ctrl+u", "1", "enter")
	h.settle()
	if h.m.run.data.seeds != nil || !strings.Contains(h.m.flash.text, "seeds stopped") {
		t.Errorf("K 1 did not stop the seeds: %+v %q", h.m.run.data.seeds, h.m.flash.text)
	}
	h.keys("K", "ctrl+u", "9", "enter")
	if h.m.flash.kind != flashErr || h.m.run.data.seeds != nil {
		t.Errorf("K 9 accepted: %q", h.m.flash.text)
	}
}

// TestSeedsReplayGamma: a seed run trains every batch with the γ the run
// had in force at that batch, also when it catches up later.
func TestSeedsReplayGamma(t *testing.T) {
	s := &session{layers: []LayerInfo{{Name: "hidden"}, {Name: "readout"}}}
	s.log = []gammaRecord{
		{Step: 0, Layer: 0, Gamma: []float64{0}}, {Step: 0, Layer: 1, Gamma: []float64{5}},
		{Step: 3, Layer: 0, Gamma: []float64{1}}, {Step: 7, Layer: 0, Gamma: []float64{2}},
	}
	for _, tc := range []struct {
		l, t int
		want float64
	}{{0, 0, 0}, {0, 2, 0}, {0, 3, 1}, {0, 6, 1}, {0, 7, 2}, {0, 100, 2}, {1, 9, 5}} {
		if g := s.gammaAt(tc.l, tc.t); len(g) != 1 || g[0] != tc.want {
			t.Errorf("γ of layer %d at batch %d = %v, want %v", tc.l, tc.t, g, tc.want)
		}
	}
}

// TestGoldenSeeds: the seeds' bands and mean lines on the accuracy, atoms
// and goal charts, with a forked baseline, in colour and without, at
// 160×48 and 80×24.
func TestGoldenSeeds(t *testing.T) {
	for _, colour := range []string{"always", "never"} {
		h := seeded(t, colour)
		h.keys("f", "down", "down", "down", "L", "L", "e")
		h.settle()
		goldenAtBothSizes(t, h, colour)
	}
}

// TestSeedsCatchUpStaysResponsive: seeds catch up one batch at a time with
// the commands applied in between, so stopping them (K 1) takes effect at
// once even while many batches are left, and the worker then rests.
func TestSeedsCatchUpStaysResponsive(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context"})
	h.size(120, 36)
	h.settle()
	for range 3 {
		h.keys("e")
		h.settle()
	}
	slow := func(fe *fakeEngine) { fe.delay = 20 * time.Millisecond }
	h.fakes.tune = slow // the seed engines built from now on are slow: 24 batches to catch up ≈ 0.5 s
	h.keys("K", "ctrl+u", "3", "enter")
	h.waitFor("catching up", func(m Model) bool { sd := m.run.data.seeds; return sd != nil && sd.behind > 0 })
	if !strings.Contains(h.screen(), "3 seeds catching up: epoch") {
		t.Errorf("no catching-up note:\n%s", h.screen())
	}
	start := time.Now()
	h.keys("K", "ctrl+u", "1", "enter")
	h.waitFor("the worker at rest", func(m Model) bool { return m.w.idle() })
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("stopping the seeds took %v while they caught up", d)
	}
	if h.m.run.data.seeds != nil {
		t.Error("seeds still shown after K 1")
	}
}
