package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"infomorph-tui/sweep"
)

// Sensitivity draws a sweep of named points (a goal-sensitivity analysis):
// for one-at-a-time variants, horizontal box plots of the final validation
// accuracy per variant, the baseline on top and the variants below sorted
// by their median (lowest last), with a dashed line at the baseline's
// median; for cumulative removal, the error 1 − validation accuracy on a
// log axis against the entries removed, every run as a dot and the median
// as a line.
func Sensitivity(res sweep.Result) (Figure, error) {
	if len(res.Rows) == 0 {
		return Figure{}, fmt.Errorf("%s: no finished runs to plot yet", res.Dir)
	}
	s := res.Spec
	if s.Sensitivity != nil && s.Sensitivity.Cumulative {
		return cumulative(res)
	}
	sources := 2
	if len(s.GammaNames) > 5 {
		sources = 3
	}
	effects := res.Effects()
	var shown []sweep.Effect
	for _, e := range effects {
		if len(e.ValRuns) > 0 {
			shown = append(shown, e)
		}
	}
	if len(shown) == 0 {
		return Figure{}, errors.New("every run diverged: nothing to plot")
	}
	base := effects[0]
	rest := slices.DeleteFunc(slices.Clone(shown), func(e sweep.Effect) bool { return e.Entry == "" })
	slices.SortStableFunc(rest, func(a, b sweep.Effect) int {
		return -cmpFloat(a.ValMed, b.ValMed) // highest first
	})
	rows := rest
	if len(base.ValRuns) > 0 {
		rows = append([]sweep.Effect{base}, rest...)
	}
	mode := ""
	if s.Sensitivity != nil {
		mode = ", mode " + s.Sensitivity.Mode
	}
	title := fmt.Sprintf("%s · goal sensitivity%s · %s layer · %d epoch%s · %d seed%s", s.Preset, mode, s.Layer, s.Epochs, plural(s.Epochs), s.Seeds, plural(s.Seeds))
	p := newPlot(title, "final validation accuracy (%)", "")
	n := len(rows)
	names := make([]string, n)
	var dots plotter.XYs
	for i, e := range rows {
		y := float64(n - 1 - i) // the first row on top
		names[n-1-i] = boxName(e, sources)
		vals := make(plotter.Values, len(e.ValRuns))
		for k, v := range e.ValRuns {
			vals[k] = 100 * v
			dots = append(dots, plotter.XY{X: 100 * v, Y: y})
		}
		b, err := plotter.NewBoxPlot(vg.Points(9), y, vals)
		if err != nil {
			return Figure{}, err
		}
		b.Horizontal = true
		c := OkabeIto[1]
		if e.Entry == "" {
			c = OkabeIto[5]
		}
		b.FillColor = withAlpha(c, 0x70)
		b.BoxStyle.Color, b.MedianStyle.Color, b.WhiskerStyle.Color = c, c, c
		b.MedianStyle.Width = vg.Points(1.6)
		b.GlyphStyle.Color = c
		p.Add(b)
	}
	sc, err := plotter.NewScatter(dots)
	if err != nil {
		return Figure{}, err
	}
	sc.Color, sc.Radius, sc.Shape = color.Gray{0x30}, vg.Points(1.4), draw.CircleGlyph{}
	p.Add(sc)
	if len(base.ValRuns) > 0 {
		p.Add(vline{x: 100 * base.ValMed, style: draw.LineStyle{Color: OkabeIto[5], Width: vg.Points(0.9), Dashes: dashes[1]}})
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font = p.X.Tick.Label.Font
	p.Y.Label.Text = ""
	padRange(&p.X, 0.2)
	h := max(3*vg.Inch, vg.Inch*1.3+vg.Points(14)*vg.Length(n))
	return stack([]panel{{p: p}}, 7*vg.Inch, h), nil
}

// boxName labels a row: the point's label with the authors' notation.
func boxName(e sweep.Effect, sources int) string {
	if e.Entry == "" {
		return "baseline"
	}
	if pn := sweep.PaperName(e.Entry, sources); pn != e.Entry {
		return fmt.Sprintf("%s %s", e.Label, pn)
	}
	return e.Label
}

// cumulative draws the error against the number of entries removed.
func cumulative(res sweep.Result) (Figure, error) {
	s := res.Spec
	sources := 2
	if len(s.GammaNames) > 5 {
		sources = 3
	}
	effects := res.Effects()
	title := fmt.Sprintf("%s · cumulative γ removal · %s layer · %d epoch%s · %d seed%s", s.Preset, s.Layer, s.Epochs, plural(s.Epochs), s.Seeds, plural(s.Seeds))
	p := newPlot(title, "γ entries set to 0 (cumulative, in this order)", "validation error 1 − acc (log)")
	const floor = 1e-4 // a perfect run still shows, at the bottom
	var runs, med plotter.XYs
	var ticks []plot.Tick
	for _, e := range effects {
		x := float64(e.Removed)
		label := "none"
		if e.Entry != "" {
			label = sweep.PaperName(e.Entry, sources)
		}
		ticks = append(ticks, plot.Tick{Value: x, Label: label})
		for _, v := range e.ValRuns {
			runs = append(runs, plotter.XY{X: x, Y: math.Max(1-v, floor)})
		}
		if len(e.ValRuns) > 0 {
			med = append(med, plotter.XY{X: x, Y: math.Max(1-e.ValMed, floor)})
		}
	}
	if len(runs) == 0 {
		return Figure{}, errors.New("every run diverged: nothing to plot")
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = percentLogTicks{}
	l, pts, err := series(p, med, 0)
	if err != nil {
		return Figure{}, err
	}
	dots, err := plotter.NewScatter(runs)
	if err != nil {
		return Figure{}, err
	}
	dots.Color, dots.Radius, dots.Shape = OkabeIto[5], vg.Points(2.2), draw.RingGlyph{}
	p.Add(dots)
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	padRange(&p.X, 0.5)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, r := range runs {
		ymin, ymax = math.Min(ymin, r.Y), math.Max(ymax, r.Y)
	}
	p.Y.Min, p.Y.Max = ymin/1.5, math.Min(1, ymax*1.5)
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min * 10
	}
	leg := newLegend()
	leg.Add("median", l, pts)
	leg.Add("each seed", dots)
	return stack([]panel{{p: p, legend: &leg}}, 7*vg.Inch, 4.4*vg.Inch), nil
}

// percentLogTicks marks 1, 2, 5 × powers of ten, labelled in percent.
type percentLogTicks struct{}

func (percentLogTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			out = append(out, plot.Tick{Value: v, Label: trimFloat(100*v) + "%"})
		}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return -1
	case math.IsNaN(b):
		return 1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}
