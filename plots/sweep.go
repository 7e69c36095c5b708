package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"infomorph-tui/sweep"
	"infomorph-tui/tasks"
)

// axisLabel names a swept γ entry for an axis: γ{1} (unique F) · layer readout.
func axisLabel(s sweep.Spec, a sweep.Axis) string {
	sources := 2
	if len(s.GammaNames) > 5 {
		sources = 3
	}
	l := a.Symbol()
	if w := atomLabel(a.Atom, sources); w != a.Atom {
		l += " (" + w[len(a.Atom)+1:] + ")"
	}
	return l + ", " + s.Layer + " layer"
}

// Sweep draws a sweep's final test accuracy against the varied γ: a line
// with mean ± sd over seeds for one varied entry, a heatmap for two, and
// for more (or random sweeps) one panel per entry.
func Sweep(res sweep.Result) (Figure, error) {
	if len(res.Rows) == 0 {
		return Figure{}, fmt.Errorf("%s: no finished runs to plot yet", res.Dir)
	}
	s := res.Spec
	if len(s.Named) > 0 {
		return Sensitivity(res)
	}
	title := fmt.Sprintf("%s · test accuracy after %d epoch%s · %d seed%s", s.Preset, s.Epochs, plural(s.Epochs), s.Seeds, plural(s.Seeds))
	m := sweep.TestAcc
	switch {
	case s.Random == 0 && len(s.Axes) == 1:
		pn, err := lineVs(res, 0, m, title, false)
		if err != nil {
			return Figure{}, err
		}
		return stack([]panel{pn}, 7*vg.Inch, 4*vg.Inch), nil
	case s.Random == 0 && len(s.Axes) == 2:
		return heatmap(res, m, title)
	}
	var panels []panel
	for k := range s.Axes {
		t := title
		if len(s.Axes) > 1 {
			t = fmt.Sprintf("%s · %s", s.Preset, s.Axes[k].Symbol())
		}
		pn, err := lineVs(res, k, m, t, len(s.Axes) > 1)
		if err != nil {
			return Figure{}, err
		}
		panels = append(panels, pn)
	}
	return stack(panels, 7*vg.Inch, 3.4*vg.Inch), nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// lineVs plots metric m against axis k: every run as a light dot, and for
// grids the mean ± sd over seeds (over seeds and the other axes when
// marginal) as a line with error bars.
func lineVs(res sweep.Result, k int, m sweep.Metric, title string, marginal bool) (panel, error) {
	s := res.Spec
	scale := 1.0
	if m.Percent {
		scale = 100
	}
	p := newPlot(title, axisLabel(s, s.Axes[k]), m.Label)
	leg := newLegend()
	var runs plotter.XYs
	for _, r := range res.Rows {
		if v := m.Of(r); !math.IsNaN(v) {
			runs = append(runs, plotter.XY{X: r.Gamma[k], Y: scale * v})
		}
	}
	if len(runs) == 0 {
		return panel{}, errors.New("every run diverged: nothing to plot")
	}
	dots, err := plotter.NewScatter(runs)
	if err != nil {
		return panel{}, err
	}
	dots.Color, dots.Radius, dots.Shape = OkabeIto[5], vg.Points(2.2), draw.RingGlyph{}
	p.Add(dots)
	if s.Random == 0 {
		vals := s.Axes[k].Values
		var mean plotter.XYs
		var sd plotter.YErrors
		for _, v := range vals {
			var ys []float64
			for _, r := range res.Rows {
				if r.Gamma[k] == v {
					if y := m.Of(r); !math.IsNaN(y) {
						ys = append(ys, scale*y)
					}
				}
			}
			if len(ys) == 0 {
				continue
			}
			mu, dev := tasks.MeanSD(ys)
			mean = append(mean, plotter.XY{X: v, Y: mu})
			sd = append(sd, struct{ Low, High float64 }{dev, dev})
		}
		l, sc, err := series(p, mean, 0)
		if err != nil {
			return panel{}, err
		}
		errs := &struct {
			plotter.XYs
			plotter.YErrors
		}{mean, sd}
		bars, err := plotter.NewYErrorBars(errs)
		if err != nil {
			return panel{}, err
		}
		bars.Color, bars.Width, bars.CapWidth = OkabeIto[0], vg.Points(1.2), vg.Points(7)
		p.Add(bars)
		what := "mean ± sd over seeds"
		if marginal {
			what = "mean ± sd (seeds, other γ)"
		}
		leg.Add(what, l, sc)
		p.X.Tick.Marker = valueTicks(vals)
		if len(vals) > 9 {
			p.X.Tick.Marker = plot.DefaultTicks{}
		}
	}
	leg.Add("single run", dots)
	padRange(&p.Y, 0.2)
	padRange(&p.X, 0)
	return panel{p: p, legend: &leg}, nil
}

// cells is a heatmap: z[c][r] at the grid point (xs[c], ys[r]), each cell
// reaching halfway to its neighbours, coloured along pal from lo to hi.
// Cells overlap by a hair so that no seams show between them.
type cells struct {
	xs, ys []float64 // ascending
	z      [][]float64
	lo, hi float64
	pal    []color.Color
	nan    color.Color
}

// edges returns the extent of cell i of centres v.
func edges(v []float64, i int) (lo, hi float64) {
	if len(v) == 1 {
		return v[0] - 0.5, v[0] + 0.5
	}
	if i > 0 {
		lo = (v[i-1] + v[i]) / 2
	} else {
		lo = v[0] - (v[1]-v[0])/2
	}
	if i < len(v)-1 {
		hi = (v[i] + v[i+1]) / 2
	} else {
		hi = v[i] + (v[i]-v[i-1])/2
	}
	return lo, hi
}

func (h *cells) color(v float64) color.Color {
	if math.IsNaN(v) {
		return h.nan
	}
	k := int(math.Round((v - h.lo) / (h.hi - h.lo) * float64(len(h.pal)-1)))
	return h.pal[max(0, min(k, len(h.pal)-1))]
}

func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	hair := vg.Points(0.4)
	for i := range h.xs {
		x0, x1 := edges(h.xs, i)
		for j := range h.ys {
			y0, y1 := edges(h.ys, j)
			var pa vg.Path
			l, r := tx(x0), min(tx(x1)+hair, c.Max.X)
			b, t := ty(y0), min(ty(y1)+hair, c.Max.Y)
			pa.Move(vg.Point{X: l, Y: b})
			pa.Line(vg.Point{X: r, Y: b})
			pa.Line(vg.Point{X: r, Y: t})
			pa.Line(vg.Point{X: l, Y: t})
			pa.Close()
			c.SetColor(h.color(h.z[i][j]))
			c.Fill(pa)
		}
	}
}

func (h *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, _ = edges(h.xs, 0)
	_, xmax = edges(h.xs, len(h.xs)-1)
	ymin, _ = edges(h.ys, 0)
	_, ymax = edges(h.ys, len(h.ys)-1)
	return
}

// heatmap draws a two-axis grid sweep: cells coloured by the mean of m,
// labelled with mean and sd, and a colour bar.
func heatmap(res sweep.Result, m sweep.Metric, title string) (Figure, error) {
	s := res.Spec
	g, err := res.Grid(m)
	if err != nil {
		return Figure{}, err
	}
	scale := 1.0
	if m.Percent {
		scale = 100
	}
	xs, ys := s.Axes[0].Values, s.Axes[1].Values
	// Cells need ascending coordinates.
	ix, iy := ascending(xs), ascending(ys)
	hm := &cells{xs: make([]float64, len(xs)), ys: make([]float64, len(ys)), z: make([][]float64, len(xs)),
		pal: viridis(256), nan: color.Gray{0xd0}}
	lo, hi := math.Inf(1), math.Inf(-1)
	var labels []cellLabel
	for c, i := range ix {
		hm.xs[c] = xs[i]
		hm.z[c] = make([]float64, len(ys))
		for r, j := range iy {
			hm.ys[r] = ys[j]
			st := g.At(i, j)
			v := scale * st.Mean
			hm.z[c][r] = v
			txt := "no run"
			if st.N > 0 {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
				txt = fmt.Sprintf("%.2f", v)
				if st.N > 1 {
					txt += fmt.Sprintf("\n± %.2f", scale*st.SD)
				}
			}
			if st.Diverged > 0 {
				txt += fmt.Sprintf("\n%d diverged", st.Diverged)
			}
			labels = append(labels, cellLabel{x: xs[i], y: ys[j], v: v, text: txt})
		}
	}
	if math.IsInf(lo, 0) {
		return Figure{}, errors.New("every run diverged: nothing to plot")
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-0.5, hi+0.5
	}
	hm.lo, hm.hi = lo, hi
	p := newPlot(title, axisLabel(s, s.Axes[0]), axisLabel(s, s.Axes[1]))
	p.Add(hm)
	p.Add(&cellLabels{cells: labels, heat: hm})
	p.X.Tick.Marker = valueTicks(hm.xs)
	p.Y.Tick.Marker = valueTicks(hm.ys)

	return withColourBar(p, hm.pal, lo, hi, m.Label, nil, 5.2*vg.Inch), nil
}

// withColourBar draws heatmap plot p with a colour bar on its right: a
// one-column heatmap of pal over [lo, hi], labelled label (ticks: nil for
// the default), its ends lined up with p's data area.
func withColourBar(p *plot.Plot, pal []color.Color, lo, hi float64, label string, ticks plot.Ticker, h vg.Length) Figure {
	const steps = 256
	bar := &cells{xs: []float64{0}, ys: make([]float64, steps), z: [][]float64{make([]float64, steps)}, lo: lo, hi: hi, pal: pal}
	for r := range bar.ys {
		bar.ys[r] = lo + (hi-lo)*(float64(r)+0.5)/steps
		bar.z[0][r] = bar.ys[r]
	}
	cb := newPlot("", "", label)
	cb.Add(bar)
	cb.HideX()
	cb.Y.Min, cb.Y.Max = lo, hi
	if ticks != nil {
		cb.Y.Tick.Marker = ticks
	}
	return Figure{W: 7 * vg.Inch, H: h, Draw: func(c draw.Canvas) {
		c = draw.Crop(c, vg.Points(4), -vg.Points(6), vg.Points(4), -vg.Points(6))
		cw := c.Max.X - c.Min.X
		barW := 1.1 * vg.Inch
		left := draw.Crop(c, 0, -barW-vg.Points(14), 0, 0)
		p.Draw(left)
		// Line the bar's ends up with the heatmap's data area,
		want := p.DataCanvas(left)
		bc := draw.Crop(c, cw-barW, 0, 0, 0)
		got := cb.DataCanvas(bc)
		bc = draw.Crop(bc, 0, 0, want.Min.Y-got.Min.Y, want.Max.Y-got.Max.Y)
		// and keep the bar itself narrow.
		got = cb.DataCanvas(bc)
		bc = draw.Crop(bc, 0, -(got.Max.X-got.Min.X)+vg.Points(16), 0, 0)
		cb.Draw(bc)
	}}
}

// ascending returns the indices of v in ascending order of value.
func ascending(v []float64) []int {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case v[a] < v[b]:
			return -1
		case v[a] > v[b]:
			return 1
		}
		return 0
	})
	return idx
}

type cellLabel struct {
	x, y, v float64
	text    string
}

// cellLabels writes each cell's value in black or white, whichever reads
// better on the cell's colour.
type cellLabels struct {
	cells []cellLabel
	heat  *cells
}

func (l *cellLabels) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	sty := text.Style{Font: font.From(sans, 9), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: p.TextHandler}
	for _, cell := range l.cells {
		sty.Color = color.Black
		if luminance(l.heat.color(cell.v)) < 0.45 {
			sty.Color = color.White
		}
		c.FillText(sty, vg.Point{X: tx(cell.x), Y: ty(cell.y)}, cell.text)
	}
}

// luminance is the relative luminance of a colour in [0, 1].
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 0xffff
}
