package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// wide2000 gives the fake's hidden layer 2000 neurons, as the 2000-neuron presets have.
func wide2000(f *fakeEngine) {
	f.layers = slices.Clone(f.layers)
	f.layers[0].Units = 2000
}

// TestGalleryPages: with 2000 neurons the gallery pages through all of them,
// 100 at a time, in the run's order (most informative first); the page keys
// page and any other key closes. (Before, only the first 100 were shown.)
func TestGalleryPages(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context", Color: "never"}, wide2000)
	h.size(160, 48)
	h.settle()
	h.keys("e")
	h.settle()
	order := h.m.run.data.snap.Layers[0].ByInfo
	if len(order) != 2000 {
		t.Fatalf("%d neurons ranked", len(order))
	}
	page := func(k int) {
		t.Helper()
		h.settle()
		g := h.m.gal
		if g == nil {
			t.Fatalf("page %d: no fields", k+1)
		}
		if !slices.Equal(g.neurons, order[100*k:100*k+100]) || len(g.fields) != 100 {
			t.Fatalf("page %d: %d fields, not the neurons ranked %d–%d", k+1, len(g.fields), 100*k+1, 100*k+100)
		}
		scr := h.screen()
		want := fmt.Sprintf("page %d/20", k+1)
		ranks := fmt.Sprintf("ranked %d–%d of 2000", 100*k+1, 100*k+100)
		if !strings.Contains(scr, want) || !strings.Contains(scr, ranks) {
			t.Fatalf("screen lacks %q or %q:\n%s", want, ranks, scr)
		}
	}
	h.keys("F")
	page(0)
	h.keys("right")
	page(1)
	h.keys("pgdown", "pgdown")
	page(3)
	h.keys("left")
	page(2)
	h.keys("end")
	page(19)
	h.keys("right") // stays on the last page
	page(19)
	h.keys("home")
	page(0)
	h.keys("left") // stays on the first
	page(0)
	h.keys("x") // any other key closes
	if h.m.over != overNone {
		t.Fatal("the gallery did not close")
	}
	h.keys("F") // reopens on the first page
	page(0)
}

// TestGoldenGalleryPage: page 2 of a 2000-neuron layer at 160×48 and 80×24.
func TestGoldenGalleryPage(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context", Color: "never"}, wide2000)
	h.size(160, 48)
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("F", "right")
	h.settle()
	for _, sz := range [][2]int{{160, 48}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			h.size(sz[0], sz[1])
			scr := h.screen()
			lines := strings.Split(scr, "\n")
			if len(lines) != sz[1] {
				t.Errorf("%d lines", len(lines))
			}
			for i, l := range lines { // the overlay's compositor trims trailing blanks
				if widthOf(l) > sz[0] {
					t.Errorf("line %d is %d wide", i, widthOf(l))
				}
			}
			golden.RequireEqual(t, scr)
		})
	}
}
