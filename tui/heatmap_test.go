package tui

import (
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

func twoAxes() Heatmap {
	h := Heatmap{Title: "sweep runs/s2", About: "mnist-readout · layer readout · 3 epochs · 2 seeds per point",
		Metric: "final test accuracy (%)", XName: "γ{12}", XValues: []float64{-0.5, 0, 0.5},
		YName: "γ{1}{2}", YValues: []float64{0, 0.5, 1}}
	for i := range 9 {
		h.Cells = append(h.Cells, HeatCell{Mean: 10 + 9*float64(i), SD: 0.5 * float64(i%3), N: 2})
	}
	h.Cells[4] = HeatCell{Mean: math.NaN(), Diverged: 2}
	h.Cells[5] = HeatCell{Mean: math.NaN()}
	return h
}

func oneAxis() Heatmap {
	return Heatmap{Title: "sweep runs/s1", About: "mnist-readout · layer readout · 1 epoch · 1 seed per point",
		Metric: "final test accuracy (%)", XName: "γ_res", XValues: []float64{-1, -0.33, 0.33, 1},
		Cells: []HeatCell{{Mean: 20.2, N: 1}, {Mean: 26.6, N: 1}, {Mean: 63.8, N: 1}, {Mean: math.NaN()}}}
}

func heatScreen(t *testing.T, h Heatmap, colour string, w, ht int) (heatModel, string) {
	t.Helper()
	var m tea.Model = newHeatModel(h, colour)
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: ht})
	hm := m.(heatModel)
	scr := ansi.Strip(hm.render())
	assertScreenSize(t, scr, w, ht)
	return hm, scr
}

func TestGoldenHeatmap(t *testing.T) {
	for _, tc := range []struct {
		name   string
		h      Heatmap
		colour string
	}{{"two_axes", twoAxes(), "always"}, {"one_axis", oneAxis(), "never"}} {
		t.Run(tc.name, func(t *testing.T) {
			_, scr := heatScreen(t, tc.h, tc.colour, 80, 24)
			golden.RequireEqual(t, scr)
		})
	}
}

func TestHeatmapView(t *testing.T) {
	_, scr := heatScreen(t, twoAxes(), "never", 100, 30)
	for _, want := range []string{"sweep runs/s2", "γ{12} →", "γ{1}{2} ↓", "-0.50", "0.50", "10.0", "±1.0",
		"diverged", "·", "★82.0", "best ★ γ{1}{2} = 1.00, γ{12} = 0.50 → 82.0 ± 1.0 (n = 2)", "q quit"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	_, scr = heatScreen(t, oneAxis(), "never", 80, 24)
	for _, want := range []string{"γ_res", "★ 63.8 (n = 1)", "█", "best ★ γ_res = 0.33 → 63.8 (n = 1)"} {
		if !strings.Contains(scr, want) {
			t.Errorf("one axis: screen lacks %q:\n%s", want, scr)
		}
	}
	// colour: cells are painted, and the text is unchanged
	m, plain := heatScreen(t, twoAxes(), "always", 100, 30)
	if coloured := m.render(); !strings.Contains(coloured, "48;2;") || ansi.Strip(coloured) != plain {
		t.Error("coloured cells missing or the text differs from the plain view")
	}
}

func TestHeatmapKeys(t *testing.T) {
	for _, k := range []string{"q", "esc", "ctrl+c"} {
		_, cmd := newHeatModel(twoAxes(), "never").Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Errorf("%s does not quit", k)
		}
	}
	if _, cmd := newHeatModel(twoAxes(), "never").Update(keyMsg("x")); cmd != nil {
		t.Error("x does something")
	}
	if newHeatModel(twoAxes(), "never").render() != "" {
		t.Error("renders before the size is known")
	}
	if err := RunHeatmap(Heatmap{XValues: []float64{1}}, "never"); err == nil {
		t.Error("a heatmap without cells runs")
	}
	if err := RunHeatmap(twoAxes(), "sometimes"); err == nil {
		t.Error("a bad colour mode runs")
	}
}
