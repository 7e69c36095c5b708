package engines

import (
	"fmt"

	"infomorph-tui/sweep"
	"infomorph-tui/tui"
)

// SweepHeatmap turns a grid sweep's result into the lab's heatmap view: mean
// final test accuracy (%) per point over one or two varied γ entries.
func SweepHeatmap(res sweep.Result) (tui.Heatmap, error) {
	g, err := res.Grid(sweep.TestAcc)
	if err != nil {
		return tui.Heatmap{}, err
	}
	if n := len(g.Axes); n < 1 || n > 2 {
		return tui.Heatmap{}, fmt.Errorf("the sweep varies %d γ entries; the heatmap shows one or two (plot it: infomorph-tui plot %s -o out.png)", n, res.Dir)
	}
	s := res.Spec
	h := tui.Heatmap{
		Title: "sweep " + res.Dir,
		About: fmt.Sprintf("%s · layer %s · %d epoch%s · %d seed%s per point · %d of %d runs finished",
			s.Preset, g.Layer, s.Epochs, plural(s.Epochs), s.Seeds, plural(s.Seeds), len(res.Rows), res.Total),
		Metric: g.Metric.Label,
	}
	x := g.Axes[len(g.Axes)-1]
	h.XName, h.XValues = x.Symbol(), x.Values
	if len(g.Axes) == 2 {
		h.YName, h.YValues = g.Axes[0].Symbol(), g.Axes[0].Values
	}
	scale := 1.0
	if g.Metric.Percent {
		scale = 100
	}
	for _, c := range g.Cells {
		h.Cells = append(h.Cells, tui.HeatCell{Mean: scale * c.Mean, SD: scale * c.SD, N: c.N, Diverged: c.Diverged})
	}
	return h, nil
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
