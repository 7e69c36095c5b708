package engines

import (
	"fmt"
	"os"
	"path/filepath"

	"infomorph-tui/sweep"
	"infomorph-tui/tui"
)

// SweepHeatmap turns a grid sweep's result into the lab's heatmap view: per
// point the mean over seeds of the final test, validation and train accuracy
// (%) and of the swept layer's atoms (bits). Columns follow the first varied
// entry and rows the second, as `plot` draws them; the point with the best
// validation accuracy is starred (choosing by test accuracy would peek at the
// test set); each cell lists its finished runs' files, for opening in the lab.
func SweepHeatmap(res sweep.Result) (tui.Heatmap, error) {
	s := res.Spec
	if n := len(s.Axes); s.Random > 0 || n < 1 || n > 2 {
		return tui.Heatmap{}, fmt.Errorf("the sweep varies %d γ entries at %s points; the heatmap shows a grid of one or two (plot it: infomorph-tui plot %s -o out.png)",
			n, map[bool]string{true: "random", false: "grid"}[s.Random > 0], res.Dir)
	}
	h := tui.Heatmap{
		Title: "sweep " + res.Dir,
		About: fmt.Sprintf("%s · layer %s · %d epoch%s · %d seed%s per point · %d of %d runs finished",
			s.Preset, s.Layer, s.Epochs, plural(s.Epochs), s.Seeds, plural(s.Seeds), len(res.Rows), res.Total),
		Seeds: s.Seeds, StarBy: 1,
	}
	x := s.Axes[0]
	h.XName, h.XValues = x.Symbol(), x.Values
	ny := 1
	if len(s.Axes) == 2 {
		h.YName, h.YValues = s.Axes[1].Symbol(), s.Axes[1].Values
		ny = len(h.YValues)
	}
	// cell (row i of Y, column j of X) is the grid's point (j, i): the grid
	// runs its last axis fastest
	point := func(i, j int) int { return j*ny + i }
	metrics := []sweep.Metric{sweep.TestAcc, sweep.ValAcc, sweep.TrainAcc}
	short := []string{"test accuracy", "validation accuracy", "train accuracy"}
	for _, name := range atomNames(res) {
		metrics = append(metrics, sweep.AtomMetric(s.Layer, name))
		short = append(short, name)
	}
	for k, mt := range metrics {
		g, err := res.Grid(mt)
		if err != nil {
			return tui.Heatmap{}, err
		}
		scale := 1.0
		if mt.Percent {
			scale = 100
		}
		hm := tui.HeatMetric{Label: mt.Label, Short: short[k]}
		for i := range ny {
			for j := range x.Values {
				c := g.Cells[point(i, j)]
				hm.Cells = append(hm.Cells, tui.HeatCell{Mean: scale * c.Mean, SD: scale * c.SD, N: c.N, Diverged: c.Diverged})
			}
		}
		h.Metrics = append(h.Metrics, hm)
	}
	if jobs, err := s.Jobs(); err == nil {
		byPoint := make([][]string, len(x.Values)*ny)
		for _, jb := range jobs {
			path := filepath.Join(res.Dir, sweep.RunsDir, jb.ID+".json")
			if _, err := os.Stat(path); err == nil {
				p := jb.Index / s.Seeds
				byPoint[p] = append(byPoint[p], path)
			}
		}
		for i := range ny {
			for j := range x.Values {
				h.Runs = append(h.Runs, byPoint[point(i, j)])
			}
		}
	}
	return h, nil
}

// atomNames are the swept layer's atom names (then h_res), from the first
// finished run that records the layer.
func atomNames(res sweep.Result) []string {
	for _, r := range res.Rows {
		for _, l := range r.Layers {
			if l.Name == res.Spec.Layer {
				return l.AtomNames
			}
		}
	}
	return nil
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
