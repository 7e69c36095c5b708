package tui

import (
	"strings"
	"testing"
)

// A failed load's reason stays known after its flash expires: trying to train
// says it again.
func TestFailedLoadReasonOutlivesItsFlash(t *testing.T) {
	h := newHarness(t, Options{Preset: "broken"})
	h.size(120, 40)
	h.settle()
	if h.m.run.status != statusFailed {
		t.Fatalf("status %v", h.m.run.status)
	}
	h.send(flashExpiredMsg{id: h.m.flash.id})
	if h.m.flash.text != "" {
		t.Fatalf("flash %q did not expire", h.m.flash.text)
	}
	h.keys("space")
	if got := h.m.flash.text; !strings.Contains(got, "failed to load: cannot open data") {
		t.Errorf("flash %q lacks the reason", got)
	}
}
