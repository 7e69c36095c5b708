package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"infomorph-tui/pid"
	"infomorph-tui/tune"
)

// sliceCols is how many slice plots share a row.
const sliceCols = 3

// Study draws a tune study: the optimisation history (validation accuracy
// of every trial against its number, pruned trials marked at the value
// they were stopped with, and the best so far), then per searched γ entry
// a slice plot (validation accuracy against the entry's value, complete
// trials coloured from early, dark, to late, yellow).
func Study(s tune.Spec, trials []tune.Trial) (Figure, error) {
	var done []tune.Trial
	for _, t := range trials {
		if t.Result != nil && t.State != tune.Failed {
			done = append(done, t)
		}
	}
	if len(done) == 0 {
		return Figure{}, errors.New("no finished trials to plot yet")
	}
	hist, err := studyHistory(s, done, len(trials))
	if err != nil {
		return Figure{}, err
	}
	var slices []*plot.Plot
	for i, d := range s.Space {
		if d.Free() {
			p, err := studySlice(s, i, done)
			if err != nil {
				return Figure{}, err
			}
			slices = append(slices, p)
		}
	}
	rows := (len(slices) + sliceCols - 1) / sliceCols
	histH, rowH := 3.3*vg.Inch, 2.3*vg.Inch
	w := 7 * vg.Inch
	lw := hist.legendWidth()
	return Figure{W: w, H: histH + rowH*vg.Length(rows), Draw: func(c draw.Canvas) {
		top, bottom := c, c
		top.Min.Y = c.Max.Y - histH
		bottom.Max.Y = top.Min.Y
		t := draw.Tiles{Rows: 1, Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(8), PadLeft: vg.Points(4), PadRight: vg.Points(6) + lw}
		hc := plot.Align([][]*plot.Plot{{hist.p}}, t, top)
		hist.p.Draw(hc[0][0])
		lc := t.At(top, 0, 0)
		lc.Min.X, lc.Max.X = lc.Max.X+vg.Points(10), top.Max.X
		lc.Max.Y -= vg.Points(22)
		hist.legend.Draw(lc)
		grid := make([][]*plot.Plot, rows)
		for r := range grid {
			grid[r] = make([]*plot.Plot, sliceCols)
			for k := range sliceCols {
				if i := r*sliceCols + k; i < len(slices) {
					grid[r][k] = slices[i]
				}
			}
		}
		st := draw.Tiles{Rows: rows, Cols: sliceCols, PadX: vg.Points(10), PadY: vg.Points(10), PadTop: vg.Points(4),
			PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(6)}
		cs := plot.Align(grid, st, bottom)
		for r := range grid {
			for k, p := range grid[r] {
				if p != nil {
					p.Draw(cs[r][k])
				}
			}
		}
	}}, nil
}

// studyHistory is the optimisation history panel.
func studyHistory(s tune.Spec, done []tune.Trial, n int) (panel, error) {
	seeds := "1 seed"
	if s.Seeds > 1 {
		seeds = fmt.Sprintf("mean of %d seeds", s.Seeds)
	}
	title := fmt.Sprintf("%s · %s · %d epochs · %s", s.Preset, s.Sampler, s.Epochs, seeds)
	p := newPlot(title, "trial", "validation accuracy (%)")
	leg := newLegend()
	var complete, pruned, best plotter.XYs
	top := math.Inf(-1)
	for _, t := range done {
		v := 100 * t.Value()
		if math.IsNaN(v) {
			continue
		}
		x := float64(t.Number)
		if t.State == tune.Pruned {
			pruned = append(pruned, plotter.XY{X: x, Y: v})
			continue
		}
		complete = append(complete, plotter.XY{X: x, Y: v})
		if v > top {
			if len(best) > 0 {
				best = append(best, plotter.XY{X: x, Y: top})
			}
			top = v
			best = append(best, plotter.XY{X: x, Y: v})
		}
	}
	if len(best) > 0 {
		best = append(best, plotter.XY{X: float64(max(n-1, 0)), Y: top})
		l, err := plotter.NewLine(best)
		if err != nil {
			return panel{}, err
		}
		l.Color, l.Width = OkabeIto[6], vg.Points(1.6)
		p.Add(l)
		leg.Add("best so far", l)
	}
	if len(complete) > 0 {
		sc, err := plotter.NewScatter(complete)
		if err != nil {
			return panel{}, err
		}
		sc.Color, sc.Radius, sc.Shape = OkabeIto[0], vg.Points(2.4), draw.CircleGlyph{}
		p.Add(sc)
		leg.Add("complete trial", sc)
	}
	if len(pruned) > 0 {
		sc, err := plotter.NewScatter(pruned)
		if err != nil {
			return panel{}, err
		}
		sc.Color, sc.Radius, sc.Shape = OkabeIto[1], vg.Points(2.6), draw.CrossGlyph{}
		p.Add(sc)
		leg.Add("pruned (value when stopped)", sc)
	}
	p.X.Tick.Marker = trialTicks{}
	padRange(&p.Y, 0.2)
	padRange(&p.X, 0.5)
	return panel{p: p, legend: &leg}, nil
}

// studySlice plots validation accuracy against γ entry i.
func studySlice(s tune.Spec, i int, done []tune.Trial) (*plot.Plot, error) {
	d := s.Space[i]
	sources := 2
	if len(s.GammaNames) > 5 {
		sources = 3
	}
	name := "γ" + d.Atom
	if d.Atom == pid.HRes {
		name = "γ_res"
	}
	if l := atomLabel(d.Atom, sources); l != d.Atom {
		name += " (" + l[len(d.Atom)+1:] + ")"
	}
	p := newPlot("", name, "val. acc. (%)")
	p.Title.Text = ""
	pal := viridis(max(len(done), 2))
	var pruned plotter.XYs
	for k, t := range done {
		v := 100 * t.Value()
		if math.IsNaN(v) {
			continue
		}
		xy := plotter.XYs{{X: t.Gamma()[i], Y: v}}
		if t.State == tune.Pruned {
			pruned = append(pruned, xy[0])
			continue
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Radius, sc.Shape = pal[k*(len(pal)-1)/max(len(done)-1, 1)], vg.Points(2), draw.CircleGlyph{}
		p.Add(sc)
	}
	if len(pruned) > 0 {
		sc, err := plotter.NewScatter(pruned)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Radius, sc.Shape = OkabeIto[1], vg.Points(1.8), draw.CrossGlyph{}
		p.Add(sc)
	}
	p.X.Min, p.X.Max = d.Lo, d.Hi
	padRange(&p.Y, 0.2)
	return p, nil
}

// trialTicks are intTicks without a "-0".
type trialTicks struct{}

func (trialTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := intTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Value == 0 {
			ts[i] = plot.Tick{Value: 0, Label: "0"}
		}
	}
	return ts
}
