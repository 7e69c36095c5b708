package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// paneSizes are the boxes the layout gives panes over a range of terminals
// and every focus, plus a few smaller ones no layout makes today.
func paneSizes() [][2]int {
	sizes := [][2]int{{2, 2}, {3, 3}, {12, 5}, {30, 8}, {52, 12}}
	for _, t := range [][2]int{{80, 24}, {97, 31}, {100, 30}, {120, 40}, {135, 50}, {136, 36}, {160, 48}, {240, 70}} {
		for f := range paneCount {
			for _, r := range computeLayout(t[0], t[1], len(testPresets)+4, f).rects() {
				if r.shown() && !slices.Contains(sizes, [2]int{r.w, r.h}) {
					sizes = append(sizes, [2]int{r.w, r.h})
				}
			}
		}
	}
	return sizes
}

// checkPanes checks the pane contract on every pane of m: after SetSize, View
// fills exactly its box; a pane lists help keys if and only if it takes focus;
// the frame carries the title.
func checkPanes(t *testing.T, state string, m *Model) {
	t.Helper()
	defer m.relayout() // give the panes their real sizes back
	for id, p := range m.panes {
		name := fmt.Sprintf("%s/%v", state, paneID(id))
		for _, sz := range paneSizes() {
			p.SetSize(sz[0], sz[1])
			lines := strings.Split(p.View(), "\n")
			if len(lines) != sz[1] {
				t.Errorf("%s at %dx%d: %d lines", name, sz[0], sz[1], len(lines))
				continue
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Errorf("%s at %dx%d: line %d is %d wide: %q", name, sz[0], sz[1], i, w, ansi.Strip(l))
					break
				}
			}
		}
		p.SetSize(120, 30)
		title := p.Title()
		if top := ansi.Strip(strings.SplitN(p.View(), "\n", 2)[0]); title == "" || !strings.Contains(top, " "+title+" ") {
			t.Errorf("%s: title %q not in the frame %q", name, title, top)
		}
		keys := p.HelpKeys()
		if p.Focusable() != (len(keys) > 0) {
			t.Errorf("%s: focusable %v with %d help keys", name, p.Focusable(), len(keys))
		}
		for _, k := range keys {
			if h := k.Help(); !k.Enabled() || h.Key == "" || h.Desc == "" {
				t.Errorf("%s: help key %+v is disabled or unnamed", name, h)
			}
		}
	}
}

func TestPaneContract(t *testing.T) {
	empty := New(Options{Presets: testPresets}) // nothing loaded: every pane's empty state
	empty.resize(160, 48)
	checkPanes(t, "empty", &empty)

	h := loaded(t, "mnist-trivariate", nil)
	h.keys("e", "e", "right", "e", "s")
	h.settle()
	checkPanes(t, "trained", &h.m)

	mem := memoryHarness(t)
	mem.keys("tab")
	checkPanes(t, "memory", &mem.m)
}

// Tab visits every focusable pane once, in paneID order, and only those;
// shift+tab goes back the same way.
func TestTabVisitsFocusablePanes(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	var want []paneID
	for id, p := range h.m.panes {
		if p.Focusable() {
			want = append(want, paneID(id))
		}
	}
	start := slices.Index(want, h.m.focus)
	if start < 0 {
		t.Fatalf("focus %v is not a focusable pane", h.m.focus)
	}
	for i := 1; i <= 2*len(want); i++ {
		h.keys("tab")
		if got, w := h.m.focus, want[(start+i)%len(want)]; got != w {
			t.Fatalf("tab %d: focus %v, want %v", i, got, w)
		}
		for id, f := range map[paneID]bool{panePresets: h.m.presets.focused, paneGoal: h.m.goal.focused, paneNeuron: h.m.insp.focused} {
			if f != (id == h.m.focus) {
				t.Errorf("tab %d: %v focused = %v", i, id, f)
			}
		}
	}
	for i := 1; i <= len(want); i++ {
		h.keys("shift+tab")
		if got, w := h.m.focus, want[((start-i)%len(want)+len(want))%len(want)]; got != w {
			t.Fatalf("shift+tab %d: focus %v, want %v", i, got, w)
		}
	}
}
