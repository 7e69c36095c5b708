package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"infomorph-tui/pid"
	"infomorph-tui/runfile"
)

// atomLabel is a γ entry's name followed by a short meaning where there is
// one (pid's words): "{1} unique F", "{1}{2} shared", "{12} synergy" for two
// sources, "h_res residual" for any number; other names stand alone.
func atomLabel(name string, sources int) string {
	switch k := pid.KindOf(name); {
	case k == pid.Residual:
		return name + " " + k.String()
	case sources != 2 || k == 0:
		return name
	case k == pid.Unique:
		return name + " " + pid.Meaning(name, sources, "F", "C")
	default:
		return name + " " + k.String()
	}
}

// maxAtomLines is how many atoms a layer's panel shows (the largest).
const maxAtomLines = 8

// Run draws a run file: accuracy curves, then per layer a panel with each
// atom's share of H(Y) over the epochs (mean over neurons) and, where the
// file records it, a panel of the same atoms' median and 10–90% band over
// the neurons; below, the latest test-set confusion matrix, row-normalised,
// when recorded. Dashed vertical lines mark γ changes.
func Run(rec runfile.Record) (Figure, error) {
	if len(rec.Epochs) == 0 {
		return Figure{}, errors.New("the run has no finished epoch to plot")
	}
	n := float64(len(rec.Epochs))
	var panels []panel

	acc := newPlot(fmt.Sprintf("%s · seed %d · accuracy", rec.Preset, rec.Seed), "epoch", "accuracy (%)")
	acc.X.Tick.Marker = intTicks{}
	leg := newLegend()
	for i, s := range []struct {
		name string
		of   func(k int) float64
	}{
		{rec.Epochs[len(rec.Epochs)-1].TrainName(), func(k int) float64 { return rec.Epochs[k].TrainAcc }},
		{"validation", func(k int) float64 { return rec.Epochs[k].ValAcc }},
		{"test", func(k int) float64 { return rec.Epochs[k].TestAcc }},
	} {
		xys := make(plotter.XYs, len(rec.Epochs))
		for k, e := range rec.Epochs {
			xys[k] = plotter.XY{X: float64(e.Epoch), Y: 100 * s.of(k)}
		}
		l, sc, err := series(acc, xys, i)
		if err != nil {
			return Figure{}, err
		}
		leg.Add(s.name, l, sc)
	}
	padRange(&acc.Y, 0.5)
	acc.X.Min, acc.X.Max = math.Min(acc.X.Min, 0.8), math.Max(acc.X.Max, n+0.2)
	changes := gammaChanges(rec)
	markChanges(acc, changes, true)
	if len(changes) > 0 {
		leg.Add("γ changed (entry old→new)", changeLine())
	}
	panels = append(panels, panel{p: acc, legend: &leg})

	// atomShare is epoch i's value of a layer's atom as a share of the
	// layer's H(Y), looked up by names: false if the epoch does not record
	// that layer and atom or H(Y) is not positive. (A run file's epochs all
	// have the same shape; a record built otherwise need not.)
	atomShare := func(i int, layer, atom string) (float64, bool) {
		for _, l := range rec.Epochs[i].Layers {
			if l.Name != layer {
				continue
			}
			k := slices.Index(l.AtomNames, atom)
			if k < 0 || k >= len(l.Atoms) || !(l.HY > 0) {
				return 0, false
			}
			return l.Atoms[k] / l.HY, true
		}
		return 0, false
	}
	last := rec.Epochs[len(rec.Epochs)-1]
	for _, l := range last.Layers {
		sources := 2
		if len(l.AtomNames) > 5 {
			sources = 3
		}
		title := fmt.Sprintf("%s layer · atoms as share of H(Y) (H(Y) = %.3f bits at epoch %d)", l.Name, l.HY, last.Epoch)
		// Show the largest atoms when there are many (trivariate: 19 entries).
		order := atomOrder(rec, l.Name, l.AtomNames)
		if len(order) < len(l.AtomNames) {
			title = fmt.Sprintf("%s layer · largest %d of %d atoms as share of H(Y)", l.Name, len(order), len(l.AtomNames))
		}
		p := newPlot(title, "epoch", "share of H(Y) (%)")
		p.X.Tick.Marker = intTicks{}
		leg := newLegend()
		for i, k := range order {
			xys := make(plotter.XYs, 0, len(rec.Epochs))
			for i, e := range rec.Epochs {
				if v, ok := atomShare(i, l.Name, l.AtomNames[k]); ok {
					xys = append(xys, plotter.XY{X: float64(e.Epoch), Y: 100 * v})
				}
			}
			if len(xys) == 0 {
				continue
			}
			line, sc, err := series(p, xys, i)
			if err != nil {
				return Figure{}, err
			}
			leg.Add(atomLabel(l.AtomNames[k], sources), line, sc)
		}
		zero := zeroLine()
		p.Add(zero)
		padRange(&p.Y, 2)
		p.X.Min, p.X.Max = math.Min(p.X.Min, 0.8), math.Max(p.X.Max, n+0.2)
		markChanges(p, changes, false)
		panels = append(panels, panel{p: p, legend: &leg})
		// The same atoms over the layer's neurons (rundetail.go).
		sp, ok, err := spreadPanel(rec, l, order, sources, changes)
		if err != nil {
			return Figure{}, err
		}
		if ok {
			panels = append(panels, sp)
		}
	}
	fig := stack(panels, 7*vg.Inch, 3*vg.Inch)
	if conf, ok := confusionFigure(rec); ok {
		fig = above(fig, conf)
	}
	return fig, nil
}

// gammaChange is a γ change after the start: where (epochs, fractional) and
// what, e.g. "γ{12} 0→0.5" (one entry per change; the layer's name first in
// networks of several layers).
type gammaChange struct {
	epoch float64
	label string
}

// gammaChanges lists the γ changes after the start, one per step, each with
// the entries it changed and their old and new values.
func gammaChanges(rec runfile.Record) []gammaChange {
	if rec.State == nil || rec.State.StepsPerEpoch == 0 {
		return nil
	}
	names := map[string][]string{} // atom names per layer, from the epochs
	layers := 0
	if len(rec.Epochs) > 0 {
		layers = len(rec.Epochs[0].Layers)
		for _, l := range rec.Epochs[0].Layers {
			names[l.Name] = l.AtomNames
		}
	}
	prev := map[string][]float64{}
	var out []gammaChange
	for _, g := range rec.Gamma {
		old, seen := prev[g.Layer]
		prev[g.Layer] = g.Gamma
		if !seen || g.Step == 0 {
			continue
		}
		var parts []string
		for k := range min(len(old), len(g.Gamma)) {
			if old[k] == g.Gamma[k] {
				continue
			}
			name := fmt.Sprintf("#%d", k+1)
			if k < len(names[g.Layer]) {
				name = names[g.Layer][k]
			}
			sym := "γ" + name
			if name == "h_res" {
				sym = "γ_res"
			}
			parts = append(parts, fmt.Sprintf("%s %s→%s", sym, trimFloat(old[k]), trimFloat(g.Gamma[k])))
		}
		if len(parts) == 0 {
			continue
		}
		label := strings.Join(parts, ", ")
		if layers > 1 {
			label = g.Layer + ": " + label
		}
		e := float64(g.Step) / float64(rec.State.StepsPerEpoch)
		if n := len(out); n > 0 && out[n-1].epoch == e {
			out[n-1].label += "; " + label
			continue
		}
		out = append(out, gammaChange{epoch: e, label: label})
	}
	return out
}

// trimFloat writes a γ value briefly: 0.5, -1, 0.3307.
func trimFloat(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

func changeLine() *plotter.Line {
	l := &plotter.Line{}
	l.Color = color.Gray{0x70}
	l.Width = vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	return l
}

// markChanges draws a dashed vertical line at each change, labelled (along
// the line) with what changed when label is set.
func markChanges(p *plot.Plot, at []gammaChange, label bool) {
	for _, ch := range at {
		v := vline{x: ch.epoch, style: changeLine().LineStyle}
		if label {
			v.label = ch.label
		}
		p.Add(v)
	}
}

// vline is a vertical line across the whole plot at x, with an optional
// label written upwards beside it.
type vline struct {
	x     float64
	style draw.LineStyle
	label string
}

func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	x, _ := p.Transforms(&c)
	c.StrokeLine2(v.style, x(v.x), c.Min.Y, x(v.x), c.Max.Y)
	if v.label == "" {
		return
	}
	sty := draw.TextStyle{Color: color.Gray{0x50}, Font: font.From(sans, tickSize-1), Rotation: math.Pi / 2,
		XAlign: draw.XLeft, YAlign: draw.YBottom, Handler: p.Title.TextStyle.Handler}
	c.FillText(sty, vg.Point{X: x(v.x) - vg.Points(2), Y: c.Min.Y + vg.Points(4)}, v.label)
}

// zeroLine is a thin horizontal line at 0 (atoms may be negative).
func zeroLine() plot.Plotter {
	return hline{y: 0, style: draw.LineStyle{Color: color.Gray{0x90}, Width: vg.Points(0.75)}}
}

type hline struct {
	y     float64
	style draw.LineStyle
}

func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, y := p.Transforms(&c)
	if p.Y.Min <= h.y && h.y <= p.Y.Max {
		c.StrokeLine2(h.style, c.Min.X, y(h.y), c.Max.X, y(h.y))
	}
}

// padRange widens an axis a little beyond its data, by at least minPad.
func padRange(a *plot.Axis, minPad float64) {
	if math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) {
		return
	}
	pad := math.Max(minPad, 0.05*(a.Max-a.Min))
	a.Min -= pad
	a.Max += pad
}
