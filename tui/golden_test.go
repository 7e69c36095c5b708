package tui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// Golden screens (ANSI stripped). Regenerate with: go test ./tui/ -run Golden -update

// trained loads preset, trains 12 epochs, nudges a γ (a chart marker), trains
// one more epoch and one batch, so every pane has content.
func trained(t *testing.T, preset, colour string) *harness {
	t.Helper()
	h := newHarness(t, Options{Preset: preset, Color: colour})
	h.size(160, 48)
	h.settle()
	for range 12 {
		h.keys("e")
		h.settle()
	}
	h.keys("right", "right", "shift+right")
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("s")
	h.settle()
	return h
}

// goldenAtBothSizes snapshots h's screen at 160×48 and at 80×24, as
// subtests named PREFIX_160x48 and PREFIX_80x24.
func goldenAtBothSizes(t *testing.T, h *harness, prefix string) {
	t.Helper()
	for _, sz := range [][2]int{{160, 48}, {80, 24}} {
		t.Run(fmt.Sprintf("%s_%dx%d", prefix, sz[0], sz[1]), func(t *testing.T) {
			h.size(sz[0], sz[1])
			scr := h.screen()
			assertScreenSize(t, scr, sz[0], sz[1])
			golden.RequireEqual(t, scr)
		})
	}
}

func TestGoldenScreens(t *testing.T) {
	for _, tc := range []struct {
		preset, colour string
	}{
		{"mnist-context", "always"},   // colour: the field is half blocks
		{"mnist-trivariate", "never"}, // no colour: the field is a glyph ramp
	} {
		h := trained(t, tc.preset, tc.colour)
		goldenAtBothSizes(t, h, tc.preset)
		t.Run(tc.preset+"_80x24_neuron", func(t *testing.T) {
			h.size(80, 24)
			h.keys("tab", "tab") // focus the inspector: it takes the charts' place
			defer h.keys("shift+tab", "shift+tab")
			golden.RequireEqual(t, h.screen())
		})
	}
}

func TestGoldenTooSmall(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context"})
	h.size(60, 20)
	h.settle()
	golden.RequireEqual(t, h.screen())
}

func TestGoldenFreshRun(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-lateral", Color: "always"})
	h.size(120, 36)
	h.settle()
	h.keys("s")
	h.settle()
	golden.RequireEqual(t, h.screen())
}

func TestGoldenOverlays(t *testing.T) {
	h := trained(t, "mnist-context", "always")
	h.size(100, 30)
	t.Run("help", func(t *testing.T) {
		h.keys("?")
		defer h.keys("esc")
		golden.RequireEqual(t, h.screen())
	})
	t.Run("quit", func(t *testing.T) {
		h.keys("q")
		defer h.keys("esc")
		golden.RequireEqual(t, h.screen())
	})
}

// TestGoldenBaseline: the acceptance scenario's screens (a fork at epoch 2,
// γ{12} raised by 1.0, two more epochs) with and without colour, the γ JSON
// box and the typed-γ prompt.
func TestGoldenBaseline(t *testing.T) {
	for _, colour := range []string{"always", "never"} {
		h := forked(t, colour)
		goldenAtBothSizes(t, h, colour)
		if colour != "never" {
			continue
		}
		h.size(80, 24)
		t.Run("json_80x24", func(t *testing.T) {
			h.keys("J")
			defer h.keys("esc")
			golden.RequireEqual(t, h.screen())
		})
		t.Run("prompt_80x24", func(t *testing.T) {
			h.keys("=")
			defer h.keys("esc")
			golden.RequireEqual(t, h.screen())
		})
		t.Run("help_80x24", func(t *testing.T) {
			h.keys("?")
			defer h.keys("esc")
			golden.RequireEqual(t, h.screen())
		})
	}
}
