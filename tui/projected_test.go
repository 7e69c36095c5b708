package tui

import (
	"strings"
	"testing"
)

// projectingFake carries a readout neuron's field down to the pixels, as
// tasks.Run.ProjectedField does: neuron j's field is the hidden layer's
// neuron j field, scaled.
type projectingFake struct{ *fakeEngine }

func (p projectingFake) ProjectedField(l, j int) ([]float64, int, int, bool) {
	if l != 1 {
		return nil, 0, 0, false
	}
	w, r, c, ok := p.fakeEngine.ReceptiveField(0, j)
	for i := range w {
		w[i] *= -2
	}
	return w, r, c, ok
}

// A readout neuron of an engine that projects fields shows its field,
// marked as carried down through the layers below; a hidden neuron shows
// its own field, unmarked; without a projector the readout has none.
func TestProjectedFieldInInspector(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context", Factory: func(p string, s uint64) (Engine, error) {
		e, err := fakeFactory(p, s)
		if err != nil {
			return nil, err
		}
		return projectingFake{e.(*fakeEngine)}, nil
	}})
	h.size(160, 48)
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("n")
	h.settle()
	if scr := h.screen(); strings.Contains(scr, projectedCaption) || !strings.Contains(scr, "· hidden") {
		t.Fatalf("a hidden neuron's own field is marked as projected:\n%s", scr)
	}
	h.keys("]") // the readout
	h.settle()
	scr := h.screen()
	if !strings.Contains(scr, projectedCaption) || strings.Contains(scr, "no receptive field") {
		t.Fatalf("the readout's projected field is missing or unmarked:\n%s", scr)
	}
	if f := *h.m.insp.f; !f.ok || !f.projected || f.layer != 1 || f.rows != 28 {
		t.Fatalf("field %+v", f)
	}
	h.keys("F") // the gallery of the goal pane's layer, the readout
	h.settle()
	if g := h.m.gal; g == nil || !g.projected || len(g.fields) != 10 || g.fields[0] == nil {
		t.Fatalf("gallery of the readout: %+v", g)
	}
	if scr := h.screen(); !strings.Contains(scr, "Receptive fields · readout · epoch 1 · "+projectedCaption) {
		t.Fatalf("the gallery's head does not mark projected fields:\n%s", scr)
	}

	plain := newHarness(t, Options{Preset: "mnist-context"})
	plain.size(160, 48)
	plain.settle()
	plain.keys("e")
	plain.settle()
	plain.keys("n", "]")
	plain.settle()
	if scr := plain.screen(); !strings.Contains(scr, "no receptive field") || strings.Contains(scr, projectedCaption) {
		t.Fatalf("without a projector the readout should have no field:\n%s", scr)
	}
}
