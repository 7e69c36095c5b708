package tui

import (
	"fmt"
	"strings"
	"testing"
)

// TestAtomGhostsForEveryPlottedAtom: with a baseline, the atoms chart draws
// a ghost (dots in the atom's faded colour) for every plotted atom, not only
// for the selected one.
func TestAtomGhostsForEveryPlottedAtom(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context", Color: "always"})
	h.size(160, 48)
	h.settle()
	for range 6 {
		h.keys("e")
		h.settle()
	}
	h.keys("b", "r", "n") // pin 6 epochs, start over
	h.settle()
	h.keys("e")
	h.settle()
	labels := h.m.goal.layerLabels()
	view := h.m.atoms.lines(&h.m.run.data, 0, labels, h.m.goal.selected(), 120, 16)
	for _, a := range plotted(len(labels), h.m.goal.selected(), nil, nil) {
		r, g, b, _ := faded(atomStyleFor(a, labels[a].hres), 0.45).GetForeground().RGBA()
		pen := fmt.Sprintf("38;2;%d;%d;%dm", r>>8, g>>8, b>>8)
		found := false
		for _, part := range strings.Split(view, "\x1b[")[1:] {
			if strings.HasPrefix(part, pen) && strings.ContainsAny(strings.TrimPrefix(part, pen), "˙·.") {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("atom %s has no ghost in the baseline's colour", labels[a].name)
		}
	}
}
