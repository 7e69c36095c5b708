package tui

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"infomorph-tui/tasks"
)

// trainedTwo is mnist-context on fake engines at 160×48, trained 2 epochs:
// where the comparison scenarios start.
func trainedTwo(t *testing.T, colour string) *harness {
	t.Helper()
	h := newHarness(t, Options{Preset: "mnist-context", Color: colour})
	h.size(160, 48)
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("e")
	h.settle()
	return h
}

// forked is the acceptance scenario on fake engines: two epochs, a fork, γ{12}
// raised by 1.0 on the run, two more epochs.
func forked(t *testing.T, colour string) *harness {
	t.Helper()
	h := trainedTwo(t, colour)
	h.keys("f")
	h.settle()
	h.keys("down", "down", "down") // {12}
	for range 10 {
		h.keys("L")
	}
	h.keys("e")
	h.settle()
	h.keys("e")
	h.settle()
	return h
}

// TestForkTrainsBaselineInStep: the fork keeps the γ it had, trains batch for
// batch with the run, and the legends give signed differences for the atom
// and for G; the ghost is drawn in its own glyphs.
func TestForkTrainsBaselineInStep(t *testing.T) {
	h := forked(t, "never")
	b := h.m.cmp.base
	if b == nil || !b.live || len(b.hist) != 4 || h.m.run.data.snap.Epoch != 4 {
		t.Fatalf("baseline %+v after 4 epochs", b)
	}
	if g := b.gamma["hidden"]; len(g) != 5 || g[3] != 0 {
		t.Errorf("the baseline took the run's γ change: %v", g)
	}
	if h.gamma(0, 3) != 1 {
		t.Fatalf("run γ{12} %v, want 1", h.gamma(0, 3))
	}
	scr := h.screen()
	for _, want := range []string{"base: fork at epoch 2", "(+1.0", "G = Σγ·Π", "vs base)", "γ{12} 0.00→1.00"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	// the synergy row: its share and a non-zero signed difference
	found := false
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, "▸ {12}   synergy") && strings.Contains(l, "%") {
			found = true
			if !strings.Contains(l, "(+1.0)") {
				t.Errorf("synergy row without its difference: %q", l)
			}
		}
	}
	if !found {
		t.Errorf("no synergy row in the atoms pane:\n%s", scr)
	}
	if !slices.ContainsFunc([]rune(scr), isGhost) {
		t.Errorf("no ghost dots (˙ · .) on the charts:\n%s", scr)
	}
	// before the fork the two runs are one: same epochs 1–2
	if b.hist[1].TestAcc != h.m.run.data.snap.History[1].TestAcc {
		t.Error("the fork's history before the fork differs from the run's")
	}
	if f := h.fakes.last.Load(); f.forks != 1 {
		t.Errorf("%d forks", f.forks)
	}
}

// TestBaselineFrozenOnReset: reset keeps the fork's curves but stops
// training it; x drops it; pin copies the run.
func TestBaselineFrozenOnReset(t *testing.T) {
	h := forked(t, "always")
	h.keys("r", "n")
	h.settle()
	b := h.m.cmp.base
	if b == nil || b.live || len(b.hist) != 4 || !strings.Contains(b.label, "frozen") {
		t.Fatalf("after reset: %+v", b)
	}
	h.keys("e")
	h.settle()
	if len(h.m.cmp.base.hist) != 4 {
		t.Error("the frozen baseline kept training")
	}
	if !strings.Contains(h.screen(), "@4)") && !strings.Contains(h.screen(), "(") {
		t.Error("no comparison after the reset")
	}
	h.keys("x")
	if h.m.cmp.base != nil || strings.Contains(h.screen(), "base:") {
		t.Error("x did not drop the baseline")
	}
	h.keys("b")
	if b := h.m.cmp.base; b == nil || b.live || len(b.hist) != 1 || !strings.Contains(b.label, "pinned at epoch 1") {
		t.Fatalf("pin: %+v", h.m.cmp.base)
	}
}

// TestPinNeedsAnEpoch: nothing to pin or fork before training says so.
func TestPinNeedsAnEpoch(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("b")
	if h.m.cmp.base != nil || !strings.Contains(h.m.flash.text, "train an epoch first") {
		t.Errorf("pin at epoch 0: %v, %q", h.m.cmp.base, h.m.flash.text)
	}
	h.keys("x")
	if !strings.Contains(h.m.flash.text, "no baseline") {
		t.Errorf("drop without a baseline: %q", h.m.flash.text)
	}
}

// TestBaselineFromFile: o asks for a file, reads it with LoadBaseline and
// compares against it; a bad file is a message.
func TestBaselineFromFile(t *testing.T) {
	saved := []tasks.EpochStats{{Epoch: 1, TrainAcc: 0.5, ValAcc: 0.5, TestAcc: 0.5,
		Layers: []tasks.LayerStats{{Name: "hidden", AtomNames: biNames, Atoms: []float64{0.1, 0, 0.2, 0, 0.5}, HY: 0.8, Goal: 0.2}}}}
	load := func(path string) (Baseline, error) {
		if path != "runs/yesterday.json" {
			return Baseline{}, errors.New(path + ": no such file")
		}
		return Baseline{Label: "yesterday.json", Preset: "mnist-context", History: saved}, nil
	}
	h := newHarness(t, Options{Preset: "mnist-context", LoadBaseline: load})
	h.size(160, 48)
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("o", "ctrl+u")
	for _, r := range "runs/nope.json" {
		h.keys(string(r))
	}
	if !strings.Contains(h.screen(), "baseline run file: runs/nope.json") {
		t.Fatalf("prompt not shown:\n%s", h.screen())
	}
	h.keys("enter")
	h.settle()
	if h.m.cmp.base != nil || !strings.Contains(h.m.flash.text, "no such file") {
		t.Fatalf("bad file: %v, %q", h.m.cmp.base, h.m.flash.text)
	}
	h.keys("o", "ctrl+u")
	for _, r := range "runs/yesterday.json" {
		h.keys(string(r))
	}
	h.keys("enter")
	h.settle()
	if b := h.m.cmp.base; b == nil || b.label != "yesterday.json" || len(b.hist) != 1 {
		t.Fatalf("baseline %+v, flash %q", b, h.m.flash.text)
	}
	scr := h.screen()
	if !strings.Contains(scr, "base: yesterday.json") || !strings.Contains(scr, "vs base)") {
		t.Errorf("no comparison with the file:\n%s", scr)
	}
}

// TestBaselineOption: Options.Baseline (--baseline) is compared from the start.
func TestBaselineOption(t *testing.T) {
	b := &Baseline{Label: "old.json", History: []tasks.EpochStats{{Epoch: 1, TestAcc: 0.9}, {Epoch: 2, TestAcc: 0.91}}}
	h := newHarness(t, Options{Preset: "mnist-context", Baseline: b})
	h.size(120, 40)
	h.settle()
	h.keys("e")
	h.settle()
	if !strings.Contains(h.screen(), "base: old.json") {
		t.Errorf("no baseline legend:\n%s", h.screen())
	}
}

// TestGroupMarks: markers a few columns apart share one label; one atom's
// changes say how many, several atoms' name them.
func TestGroupMarks(t *testing.T) {
	col := func(x float64) int { return int(x) }
	got := groupMarks([]vmark{
		{x: 10, atom: "{12}", old: 0, new: 0.1},
		{x: 11, atom: "{12}", old: 0.1, new: 0.3},
		{x: 13, atom: "{12}", old: 0.3, new: 0.5},
		{x: 40, atom: "{1}", old: 0, new: 1},
		{x: 70, atom: "{1}", old: 1, new: 0},
		{x: 71, atom: "{2}", old: 0, new: 1},
	}, col)
	var labels []string
	for _, g := range got {
		labels = append(labels, g.label)
	}
	want := []string{"γ{12} 0.00→0.50 (3 changes)", "γ{1} 0.00→1.00", "γ{1} {2} (2 changes)"}
	if !slices.Equal(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
	if !slices.Equal(got[0].cols, []int{10, 11, 13}) {
		t.Errorf("first group's columns %v", got[0].cols)
	}
}

// TestOneGammaEntryPerBatch: key presses between two batches log one γ
// change, and one undone before a batch logs none.
func TestOneGammaEntryPerBatch(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("s")
	h.settle()
	n := len(h.m.run.gammaLog)
	h.keys("right", "right", "right")
	h.settle()
	if got := len(h.m.run.gammaLog); got != n+1 {
		t.Fatalf("%d entries after three presses, want %d", got, n+1)
	}
	if last := h.m.run.gammaLog[n]; last.Step != 1 || last.Gamma[0] != 0.03 {
		t.Errorf("entry %+v", last)
	}
	if m := h.m.run.data.marks; len(m) != 1 || m[0].new != 0.03 {
		t.Errorf("markers %+v", m)
	}
	h.keys("left", "left", "left")
	h.settle()
	if got := len(h.m.run.gammaLog); got != n || len(h.m.run.data.marks) != 0 {
		t.Errorf("undone before a batch: %d entries, markers %+v", got, h.m.run.data.marks)
	}
}

// TestTypedGamma: = opens a prompt for the selected γ; a number in range is
// set, anything else is a message and leaves γ alone.
func TestTypedGamma(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("down", "down", "down", "=", "ctrl+u", "0", ".", "7", "5")
	if !strings.Contains(h.screen(), "γ{12} = 0.75") {
		t.Fatalf("prompt:\n%s", h.screen())
	}
	h.keys("enter")
	h.settle()
	if h.gamma(0, 3) != 0.75 || h.fakes.last.Load().gamma[0][3] != 0.75 {
		t.Fatalf("γ{12} = %v", h.gamma(0, 3))
	}
	for _, bad := range []string{"abc", "3", "NaN"} {
		h.keys("enter", "ctrl+u") // enter also opens it in the goal pane
		for _, r := range bad {
			h.keys(string(r))
		}
		h.keys("enter")
		if h.gamma(0, 3) != 0.75 || !strings.Contains(h.m.flash.text, "γ not changed") {
			t.Errorf("%q: γ %v, flash %q", bad, h.gamma(0, 3), h.m.flash.text)
		}
	}
	h.keys("=", "esc")
	if h.m.ask != nil || h.gamma(0, 3) != 0.75 {
		t.Error("esc did not cancel")
	}
}

// TestGammaJSON: J shows every layer's γ as a preset's JSON line and the
// run --gamma form; any key closes it.
func TestGammaJSON(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("right", "J")
	scr := h.screen()
	for _, want := range []string{`hidden: "gamma": [0.01, 0, 1, 0, 0]`, `readout: "gamma": [-0.2, 0.1, 1, 0.1, 0]`, "run --gamma 0.01,0,1,0,0"} {
		if !strings.Contains(scr, want) {
			t.Errorf("lacks %q:\n%s", want, scr)
		}
	}
	h.keys("right")
	if h.m.box != nil || h.gamma(0, 0) != 0.01 {
		t.Error("a key should only close the box")
	}
}

// TestFullYToggle: z switches the accuracy axis between the data's range and
// 0–100%.
func TestFullYToggle(t *testing.T) {
	h := trained(t, "mnist-context", "never")
	acc := func() string { // the accuracy pane's rows
		return strings.Join(strings.Split(h.screen(), "\n")[1:13], "\n")
	}
	if strings.Contains(acc(), "  0%┤") {
		t.Errorf("fitted axis starts at 0%%:\n%s", acc())
	}
	h.keys("z")
	if s := acc(); !strings.Contains(s, "100%┤") || !strings.Contains(s, "  0%┤") {
		t.Errorf("z: no 0–100%% axis:\n%s", s)
	}
	h.keys("z")
	if strings.Contains(acc(), "  0%┤") {
		t.Error("z again did not fit the axis")
	}
}

// TestAtomPicker: v in the goal pane adds an atom to the atoms chart; the
// slider rows mark the plotted atoms with their glyph.
func TestAtomPicker(t *testing.T) {
	h := trained(t, "mnist-trivariate", "never")
	h.keys("G", "k") // {123}
	before := plotted(19, h.m.goal.selected(), h.m.goal.picks(0), nil)
	h.keys("v", "up") // pick {123}, select {23}
	got := plotted(19, h.m.goal.selected(), h.m.goal.picks(0), nil)
	if !slices.Equal(got, []int{16, 17}) {
		t.Errorf("plotted %v (before %v), want {23} selected and {123} picked", got, before)
	}
	if !strings.Contains(h.screen(), "▸{23}") {
		t.Errorf("chart legend lacks the selected atom:\n%s", h.screen())
	}
}

// TestFitRange: fitted axes hug the data with some headroom, at least the
// minimum span, and never come back infinite (an endless tick loop).
func TestFitRange(t *testing.T) {
	for _, tc := range []struct {
		lo, hi, min, flo, fhi float64
		full                  bool
		wlo, whi              float64 // bounds the result must lie within / contain
	}{
		{88, 92, 1, 0, 100, false, 87, 93},
		{99.5, 99.9, 1, 0, 100, false, 98.8, 100},
		{0.2, 0.21, 0.002, math.Inf(-1), math.Inf(1), false, 0.19, 0.22},
		{88, 92, 1, 0, 100, true, 0, 100},
	} {
		lo, hi := fitRange(tc.lo, tc.hi, tc.min, tc.flo, tc.fhi, tc.full)
		if lo > tc.lo || hi < tc.hi || lo < tc.wlo || hi > tc.whi || hi-lo < tc.min {
			t.Errorf("fitRange(%v, %v) = %v, %v", tc.lo, tc.hi, lo, hi)
		}
	}
	for _, bad := range [][2]float64{{math.Inf(1), math.Inf(-1)}, {math.NaN(), 1}} {
		if lo, hi := fitRange(bad[0], bad[1], 1, math.Inf(-1), math.Inf(1), false); !finite(lo) || !finite(hi) {
			t.Errorf("no data: %v, %v", lo, hi)
		}
	}
}
