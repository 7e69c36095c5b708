package tui

import (
	"slices"
	"strings"
	"testing"
)

// inertHidden marks the fake's hidden layer as one whose γ has no effect
// (as a backprop preset or a fixed lr-0 layer does).
func inertHidden(f *fakeEngine) {
	f.layers = slices.Clone(f.layers)
	f.layers[0].GammaUnused = "trained by backprop, which does not use γ"
}

// TestGammaUnusedRefusesKeys: on a layer whose γ has no effect, the slider
// keys change nothing and say why in the footer; the other layer's sliders
// still work. (Before, the keys moved γ silently.)
func TestGammaUnusedRefusesKeys(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context"}, inertHidden)
	h.size(160, 48)
	h.settle()
	before := clone(h.m.goal.gamma[0])
	for _, k := range []string{"right", "shift+right", "left", "0", "p", "="} {
		h.keys("down", "down", k)
		h.settle()
		if h.m.ask != nil {
			t.Fatalf("%s opened the γ prompt on an inert layer", k)
		}
		if !slices.Equal(h.m.goal.gamma[0], before) {
			t.Fatalf("%s changed γ of the inert layer: %v", k, h.m.goal.gamma[0])
		}
		if h.m.flash.kind != flashErr || !strings.Contains(h.m.flash.text, "γ not changed") || !strings.Contains(h.m.flash.text, "backprop") {
			t.Fatalf("%s: flash %q, want why γ did not change", k, h.m.flash.text)
		}
		if !strings.Contains(h.screen(), "γ not changed: hidden") {
			t.Fatalf("%s: the message is not on screen", k)
		}
	}
	if f := h.fakes.last.Load(); !slices.Equal(f.gamma[0], before) {
		t.Fatalf("the engine's γ changed: %v", f.gamma[0])
	}
	scr := h.screen()
	for _, want := range []string{"γ unused", "┄", "○"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q (the greyed-out sliders)", want)
		}
	}
	h.keys("]", "right") // the readout learns by its goal: its sliders move
	h.settle()
	if got := h.m.goal.gamma[1][0]; got != -0.19 {
		t.Errorf("readout γ{1} = %v after →, want -0.19", got)
	}
}

// TestGoldenGammaUnused: the greyed-out sliders and the reason, with and
// without colour, at 80×24 and 160×48.
func TestGoldenGammaUnused(t *testing.T) {
	for _, colour := range []string{"always", "never"} {
		h := newHarness(t, Options{Preset: "mnist-context", Color: colour}, inertHidden)
		h.size(160, 48)
		h.settle()
		h.keys("e")
		h.settle()
		h.keys("right")
		h.settle()
		goldenAtBothSizes(t, h, colour)
	}
}
