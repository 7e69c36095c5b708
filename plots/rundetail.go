package plots

// The per-epoch details of a run file in its figure: each layer's atoms
// over its neurons (median line and 10–90% band per atom, as the paper's
// plot_pid_atom_list draws them) and the readout's confusion matrix on the
// test set, row-normalised. Run files written before these were recorded
// have neither; their figure is what it was.

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// layerOf is the layer named name of an epoch.
func layerOf(e tasks.EpochStats, name string) (tasks.LayerStats, bool) {
	for _, l := range e.Layers {
		if l.Name == name {
			return l, true
		}
	}
	return tasks.LayerStats{}, false
}

// atomOrder is which of a layer's atoms its panels show, in γ order: all,
// or the maxAtomLines largest by their largest share of H(Y) over the
// epochs (the mean panel and the spread panel pick the same atoms, so an
// atom has the same colour in both).
func atomOrder(rec runfile.Record, layer string, names []string) []int {
	order := make([]int, len(names))
	size := make([]float64, len(names))
	for k := range order {
		order[k] = k
		for _, e := range rec.Epochs {
			l, ok := layerOf(e, layer)
			if !ok || !slices.Equal(l.AtomNames, names) || k >= len(l.Atoms) || !(l.HY > 0) {
				continue
			}
			size[k] = math.Max(size[k], math.Abs(l.Atoms[k]/l.HY))
		}
	}
	if len(order) > maxAtomLines {
		sort.SliceStable(order, func(a, b int) bool { return size[order[a]] > size[order[b]] })
		order = order[:maxAtomLines]
		sort.Ints(order)
	}
	return order
}

// spreadPanel draws a layer's atoms over its neurons: per atom the median
// over the neurons (a line) and the band from the 10th to the 90th
// percentile, in bits, for the epochs that recorded them. False if none did.
func spreadPanel(rec runfile.Record, l tasks.LayerStats, order []int, sources int, changes []gammaChange) (panel, bool, error) {
	type pt struct{ x, p10, med, p90 float64 }
	pts := make([][]pt, len(order))
	units := 0
	for _, e := range rec.Epochs {
		el, ok := layerOf(e, l.Name)
		if !ok || len(el.Spread) != len(el.AtomNames) || !slices.Equal(el.AtomNames, l.AtomNames) {
			continue
		}
		for i, k := range order {
			s := el.Spread[k]
			pts[i] = append(pts[i], pt{float64(e.Epoch), s.P10, s.Median, s.P90})
		}
		units++
	}
	if units == 0 {
		return panel{}, false, nil
	}
	title := fmt.Sprintf("%s layer · atoms over its neurons: median, 10–90%% band", l.Name)
	if len(order) < len(l.AtomNames) {
		title = fmt.Sprintf("%s layer · the same %d atoms over its neurons: median, 10–90%% band", l.Name, len(order))
	}
	p := newPlot(title, "epoch", "bits")
	p.X.Tick.Marker = intTicks{}
	leg := newLegend()
	for i, k := range order {
		ps := pts[i]
		// The band: p10 forwards, p90 backwards; a single epoch gets a
		// narrow box so that it shows.
		var ring plotter.XYs
		if len(ps) == 1 {
			x := ps[0].x
			ring = plotter.XYs{{X: x - 0.15, Y: ps[0].p10}, {X: x + 0.15, Y: ps[0].p10}, {X: x + 0.15, Y: ps[0].p90}, {X: x - 0.15, Y: ps[0].p90}}
		} else {
			for _, q := range ps {
				ring = append(ring, plotter.XY{X: q.x, Y: q.p10})
			}
			for j := len(ps) - 1; j >= 0; j-- {
				ring = append(ring, plotter.XY{X: ps[j].x, Y: ps[j].p90})
			}
		}
		band, err := plotter.NewPolygon(ring)
		if err != nil {
			return panel{}, false, err
		}
		// Faint fill, thin solid edges in the atom's colour: where bands
		// overlap, the edges still say which band is which.
		c := OkabeIto[i%len(OkabeIto)]
		band.Color = color.NRGBA{c.R, c.G, c.B, 0x1c}
		band.LineStyle.Color = color.NRGBA{c.R, c.G, c.B, 0x90}
		band.LineStyle.Width = vg.Points(0.6)
		p.Add(band)
		med := make(plotter.XYs, len(ps))
		for j, q := range ps {
			med[j] = plotter.XY{X: q.x, Y: q.med}
		}
		line, sc, err := series(p, med, i)
		if err != nil {
			return panel{}, false, err
		}
		leg.Add(atomLabel(l.AtomNames[k], sources), line, sc)
	}
	p.Add(zeroLine())
	padRange(&p.Y, 0.01)
	p.X.Min, p.X.Max = math.Min(p.X.Min, 0.8), math.Max(p.X.Max, float64(len(rec.Epochs))+0.2)
	markChanges(p, changes, false)
	return panel{p: p, legend: &leg}, true, nil
}

// confusionFigure draws the latest recorded confusion matrix row-normalised:
// cell (true i, predicted j) is the share of class i's test images
// classified as j, written in the cell (per cent) and coloured on a
// square-root scale so that confusions of a few per cent stand out from 0.
// False if no epoch recorded one.
func confusionFigure(rec runfile.Record) (Figure, bool) {
	var e tasks.EpochStats
	found := false
	for i := len(rec.Epochs) - 1; i >= 0 && !found; i-- {
		e, found = rec.Epochs[i], len(rec.Epochs[i].Confusion) > 0
	}
	rows := e.ConfusionRows()
	k := len(rows)
	if !found || k == 0 {
		return Figure{}, false
	}
	n, diag := 0, 0
	for j, v := range e.Confusion {
		n += v
		if j/k == j%k {
			diag += v
		}
	}
	// Columns are the predicted class (x = j), rows the true class, class 0
	// at the top (y = k−1−i).
	hm := &cells{xs: make([]float64, k), ys: make([]float64, k), z: make([][]float64, k), lo: 0, hi: 1,
		pal: viridis(256), nan: color.Gray{0xd0}}
	var labels []cellLabel
	var xt, yt plot.ConstantTicks
	for c := range k {
		hm.xs[c], hm.ys[c] = float64(c), float64(c)
		hm.z[c] = make([]float64, k)
		xt = append(xt, plot.Tick{Value: float64(c), Label: fmt.Sprint(c)})
		yt = append(yt, plot.Tick{Value: float64(k - 1 - c), Label: fmt.Sprint(c)})
	}
	for i := range k {
		for j := range k {
			share := rows[i][j]
			z := math.Sqrt(share)
			hm.z[j][k-1-i] = z
			txt := ""
			switch {
			case share != share:
				txt = "–"
			case share >= 0.0995:
				txt = fmt.Sprintf("%.0f", 100*share)
			case share >= 0.0005:
				txt = fmt.Sprintf("%.1f", 100*share)
			}
			if txt != "" {
				labels = append(labels, cellLabel{x: float64(j), y: float64(k - 1 - i), v: z, text: txt})
			}
		}
	}
	title := fmt.Sprintf("%s · seed %d · test set confusion, epoch %d (%% of each true class)", rec.Preset, rec.Seed, e.Epoch)
	xl := fmt.Sprintf("predicted class (zero context; %d test images, %.2f%% correct)", n, 100*float64(diag)/float64(n))
	p := newPlot(title, xl, "true class")
	p.Add(hm)
	p.Add(&cellLabels{cells: labels, heat: hm})
	p.X.Tick.Marker, p.Y.Tick.Marker = xt, yt

	var bt plot.ConstantTicks
	for _, v := range []float64{0, 1, 5, 20, 50, 100} {
		bt = append(bt, plot.Tick{Value: math.Sqrt(v / 100), Label: fmt.Sprint(v)})
	}
	return withColourBar(p, hm.pal, 0, 1, "% of the true class (√ scale)", bt, 6*vg.Inch), true
}

// above draws top over bottom in one figure as wide as the wider.
func above(top, bottom Figure) Figure {
	return Figure{W: max(top.W, bottom.W), H: top.H + bottom.H, DPI: top.DPI, Draw: func(c draw.Canvas) {
		t := c
		t.Min.Y = c.Max.Y - top.H
		t.Max.X = c.Min.X + top.W
		top.Draw(t)
		b := c
		b.Max.Y = c.Min.Y + bottom.H
		b.Max.X = c.Min.X + bottom.W
		bottom.Draw(b)
	}}
}
