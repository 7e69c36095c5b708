package tui

import (
	"strings"
	"testing"

	"infomorph-tui/tasks"
)

// barsFake is a fake engine of the bars task: 8×8 receptive fields, and
// every finished epoch carries the single-bar-detector measure.
type barsFake struct{ *fakeEngine }

func (b barsFake) Snapshot() tasks.Snapshot {
	s := b.fakeEngine.Snapshot()
	for i := range s.History {
		s.History[i].Bars = &tasks.BarStats{Detectors: 6, Units: 16, Fraction: 0.375, Distinct: 5}
	}
	return s
}

func (b barsFake) ReceptiveField(l, j int) ([]float64, int, int, bool) {
	if l != 0 {
		return nil, 0, 0, false
	}
	w := make([]float64, 64)
	for c := range 8 {
		w[(j%8)*8+c] = 1 // neuron j: bar j%8
	}
	return w, 8, 8, true
}

// The header shows the bars measure once an epoch has ended; the
// inspector draws the 8×8 fields (four text rows of half blocks, 8 wide;
// the fake's field is uniform across the rows shown, a scale row below).
func TestBarsHeaderAndFields(t *testing.T) {
	h := newHarness(t, Options{Factory: func(p string, s uint64) (Engine, error) {
		e, err := fakeFactory(p, s)
		if err != nil {
			return nil, err
		}
		return barsFake{e.(*fakeEngine)}, nil
	}})
	h.size(140, 44)
	h.settle()
	if strings.Contains(h.screen(), "single-bar") {
		t.Fatal("bars measure shown before any epoch")
	}
	h.keys("e")
	h.settle()
	scr := h.screen()
	if !strings.Contains(strings.SplitN(scr, "\n", 2)[0], "6/16 single-bar detectors") {
		t.Fatalf("header lacks the bars measure:\n%s", strings.SplitN(scr, "\n", 2)[0])
	}
	h.keys("tab", "tab") // focus the inspector
	h.settle()
	scr = h.screen()
	rows := 0 // the field's text rows: 8 cells wide, two pixel rows each
	for _, l := range strings.Split(scr, "\n") {
		if strings.Contains(l, "│▀▀▀▀▀▀▀▀  ") {
			rows++
		}
	}
	if rows != 4 {
		t.Errorf("the inspector draws %d text rows of an 8-wide field, want 4 (8×8):\n%s", rows, scr)
	}
}
