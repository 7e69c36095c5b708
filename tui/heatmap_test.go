package tui

import (
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// twoAxes has test and validation accuracy; validation is best at row 2,
// column 1 and test at row 2, column 2, so the star (by validation) and the
// highest test value differ.
func twoAxes() Heatmap {
	h := Heatmap{Title: "sweep runs/s2", About: "mnist-readout · layer readout · 3 epochs · 2 seeds per point",
		XName: "γ{12}", XValues: []float64{-0.5, 0, 0.5},
		YName: "γ{1}{2}", YValues: []float64{0, 0.5, 1}, StarBy: 1, Seeds: 2}
	test := HeatMetric{Label: "final test accuracy (%)"}
	val := HeatMetric{Label: "final validation accuracy (%)", Short: "validation accuracy"}
	for i := range 9 {
		test.Cells = append(test.Cells, HeatCell{Mean: 10 + 9*float64(i), SD: 0.5 * float64(i%3), N: 2})
		val.Cells = append(val.Cells, HeatCell{Mean: 10 + 9*float64(i), SD: 0.25, N: 2})
	}
	val.Cells[7].Mean = 90.125
	test.Cells[7].Mean = 80.004 // ties with 80.001 at one decimal
	test.Cells[6].Mean = 80.001
	for _, c := range []*[]HeatCell{&test.Cells, &val.Cells} {
		(*c)[4] = HeatCell{Mean: math.NaN(), Diverged: 2}
		(*c)[5] = HeatCell{Mean: math.NaN()}
	}
	h.Metrics = []HeatMetric{test, val}
	h.Runs = make([][]string, 9)
	h.Runs[7] = []string{"runs/s2/runs/a.json", "runs/s2/runs/b.json"}
	return h
}

func oneAxis() Heatmap {
	return Heatmap{Title: "sweep runs/s1", About: "mnist-readout · layer readout · 1 epoch · 1 seed per point",
		XName: "γ_res", XValues: []float64{-1, -0.33, 0.33, 1}, Seeds: 1,
		Metrics: []HeatMetric{{Label: "final test accuracy (%)",
			Cells: []HeatCell{{Mean: 20.2, N: 1}, {Mean: 26.6, N: 1}, {Mean: 63.8, N: 1}, {Mean: math.NaN()}}}}}
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
	// two decimals tell 80.00 from 80.01; the star follows validation (row
	// 2, column 1), not the highest test value (row 2, column 2: 82.00)
	for _, want := range []string{"sweep runs/s2", "γ{12} →", "γ{1}{2} ↓", "-0.50", "0.50", "10.00", "±1.00",
		"diverged", "·", "80.00", "★80.00", "82.00", "★ best validation accuracy: γ{12} = 0.00, γ{1}{2} = 1.00 → 80.00 ± 0.50 (n = 2)",
		"final test accuracy (%)", "m next metric (1/2)", "q quit"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "★82.00") {
		t.Error("the star follows test accuracy")
	}
	_, scr = heatScreen(t, oneAxis(), "never", 80, 24)
	for _, want := range []string{"γ_res", "★ 63.80 (one run)", "█", "★ best final test accuracy (%): γ_res = 0.33 → 63.80 (one run)", "one seed per point"} {
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
	if _, err := RunHeatmap(Heatmap{XValues: []float64{1}}, "never"); err == nil {
		t.Error("a heatmap without cells runs")
	}
	if _, err := RunHeatmap(twoAxes(), "sometimes"); err == nil {
		t.Error("a bad colour mode runs")
	}
	// m switches the metric; the arrows move the cursor; enter on a cell with
	// runs picks its first run file and quits
	var m tea.Model = newHeatModel(twoAxes(), "never")
	m, _ = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m, _ = m.Update(keyMsg("m"))
	if scr := ansi.Strip(m.(heatModel).render()); !strings.Contains(scr, "final validation accuracy (%)") || !strings.Contains(scr, "90.12") {
		t.Errorf("m did not switch to validation:\n%s", scr)
	}
	m, cmd := m.Update(keyMsg("enter"))
	if cmd != nil {
		t.Error("enter on a cell without runs did something")
	}
	for _, k := range []string{"down", "down", "right"} {
		m, _ = m.Update(keyMsg(k))
	}
	if scr := ansi.Strip(m.(heatModel).render()); !strings.Contains(scr, "enter opens runs/s2/runs/a.json") {
		t.Errorf("cursor line:\n%s", scr)
	}
	m, cmd = m.Update(keyMsg("enter"))
	if cmd == nil || m.(heatModel).open != "runs/s2/runs/a.json" {
		t.Errorf("enter opened %q", m.(heatModel).open)
	}
}
