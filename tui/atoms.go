package tui

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"infomorph-tui/tasks"
)

// atomPane shows, for the selected layer, each atom's share of H(Y): a
// stacked composition bar, diverging bars around zero (negative atoms go left
// of the axis, never clipped) and lines over epochs.
type atomPane struct {
	drawOnly
	c      *common
	d      *chartData // the run's, shared with the root
	goal   *goalPane  // whose layer and selected atom it follows
	w, h   int
	offset int
	key    atomKey
	cache  string
}

type atomKey struct {
	w, h, epochs, runSeq, markVer, layer, sel, stepsPerEpoch int
}

func newAtomPane(c *common, d *chartData, goal *goalPane) *atomPane {
	return &atomPane{c: c, d: d, goal: goal}
}

func (p *atomPane) SetSize(w, h int) { p.w, p.h = w, h }

// Title names the layer shown, once the run has data for it.
func (p *atomPane) Title() string {
	if ls, ok := p.layerStats(); ok {
		return "Atoms · " + ls.Name
	}
	return "Atoms"
}

// layerStats is the latest snapshot of the goal pane's layer, when there is
// one with labelled atoms to show.
func (p *atomPane) layerStats() (tasks.LayerStats, bool) {
	d, layer := p.d, p.goal.layer
	if !d.has || layer >= len(d.snap.Layers) || len(p.goal.layerLabels()) == 0 {
		return tasks.LayerStats{}, false
	}
	return d.snap.Layers[layer], true
}

// shares converts a layer's atoms (bits) to fractions of H(Y).
func shares(ls tasks.LayerStats) []float64 {
	out := make([]float64, len(ls.Atoms))
	for i, a := range ls.Atoms {
		if ls.HY > 1e-12 {
			out[i] = a / ls.HY
		} else {
			out[i] = math.NaN()
		}
	}
	return out
}

func (p *atomPane) View() string {
	st := p.c.st
	d, layer, labels, sel := p.d, p.goal.layer, p.goal.layerLabels(), p.goal.selected()
	fr := frame{title: p.Title(), hint: "share of H(Y)"}
	inner, innerH := p.w-2, p.h-2
	ls, ok := p.layerStats()
	if !ok {
		return fr.render(st, nil, p.w, p.h)
	}
	sh := shares(ls)
	n := min(len(sh), len(labels))

	// plan rows: stacked bar, atom rows, then the lines chart if ≥ 6 rows remain
	atomRows := min(n, innerH-1)
	lineRows := innerH - 1 - n - 1
	if lineRows < 6 {
		lineRows = 0
	}
	body := make([]string, 0, innerH)

	// columns
	nameW, meanW := 0, 0
	for _, l := range labels[:n] {
		nameW = max(nameW, ansi.StringWidth(l.name))
		meanW = max(meanW, ansi.StringWidth(l.meaning))
	}
	valW := 7
	barW := inner - 2 - nameW - 1 - meanW - 1 - valW
	if barW < 16 {
		meanW = 0
		barW = inner - 2 - nameW - 1 - valW
	}
	if n > atomRows {
		barW-- // room for the scrollbar
	}
	barW = max(barW, 3)
	prefixW := 2 + nameW + 1
	if meanW > 0 {
		prefixW += meanW + 1
	}

	hy := fmt.Sprintf("H(Y) %.3f bit", ls.HY)
	if prefixW < len(hy)+2 {
		hy = fmt.Sprintf("H(Y) %.2f", ls.HY)
	}
	body = append(body, st.dim.Render(fit(" "+hy+" ", prefixW))+stackedBar(st, sh[:n], labels, barW))

	p.offset = clamp(p.offset, max(sel-atomRows+1, 0), sel)
	p.offset = clamp(p.offset, 0, max(n-atomRows, 0))
	bars := divergingBars(sh[:n], barW)
	for r := range atomRows {
		i := p.offset + r
		if i >= n {
			break
		}
		l := labels[i]
		var b strings.Builder
		if i == sel {
			b.WriteString(st.cursor.Render("▸ "))
			b.WriteString(st.bold.Render(fit(l.name, nameW)))
		} else {
			b.WriteString("  ")
			b.WriteString(st.text.Render(fit(l.name, nameW)))
		}
		b.WriteString(" ")
		if meanW > 0 {
			b.WriteString(st.dim.Render(fit(l.meaning, meanW)) + " ")
		}
		b.WriteString(bars[i].render(st, atomGlyph(i, l.hres), atomStyleFor(i, l.hres)))
		b.WriteString(st.text.Render(padLeft(sharePct(sh[i]), valW)))
		line := b.String()
		if n > atomRows {
			line = fit(line, inner-1) + scrollMark(st, r, atomRows, p.offset, n)
		}
		body = append(body, line)
	}
	if lineRows > 0 {
		body = append(body, "")
		k := atomKey{inner, lineRows, len(d.snap.History), d.runSeq, d.markVer, layer, sel, d.snap.StepsPerEpoch}
		if k != p.key {
			p.cache = p.lines(d, layer, labels[:n], sel, inner, lineRows)
			p.key = k
		}
		body = append(body, strings.Split(p.cache, "\n")...)
	}
	return fr.render(st, body, p.w, p.h)
}

func sharePct(v float64) string {
	if !finite(v) {
		return "–"
	}
	s := fmt.Sprintf("%+.1f%%", 100*v)
	if s == "-0.0%" || s == "+0.0%" {
		return "0.0%"
	}
	return s
}

// divBar is one atom's diverging bar: neg cells left of the axis, pos right.
type divBar struct{ negW, posW, neg, pos int }

func (d divBar) render(st *styles, glyph string, s lipgloss.Style) string {
	return strings.Repeat(" ", d.negW-d.neg) + s.Render(strings.Repeat(glyph, d.neg)) +
		st.axis.Render("│") +
		s.Render(strings.Repeat(glyph, d.pos)) + strings.Repeat(" ", d.posW-d.pos)
}

// divergingBars lays out bars on one scale for both signs: the axis sits where
// the largest negative and positive values leave it, in width w (axis included).
func divergingBars(v []float64, w int) []divBar {
	maxPos, maxNeg := 0.0, 0.0
	for _, x := range v {
		if finite(x) {
			maxPos, maxNeg = math.Max(maxPos, x), math.Max(maxNeg, -x)
		}
	}
	span := maxPos + maxNeg
	if span <= 0 {
		span = 1
	}
	cells := float64(w - 1)
	negW := int(math.Round(maxNeg / span * cells))
	if maxNeg > 0 {
		negW = max(negW, 1)
	}
	posW := w - 1 - negW
	scale := cells / span
	out := make([]divBar, len(v))
	for i, x := range v {
		b := divBar{negW: negW, posW: posW}
		if finite(x) {
			c := int(math.Round(math.Abs(x) * scale))
			if c == 0 && math.Abs(x) >= 0.005 {
				c = 1 // a visible sliver for anything ≥ 0.5%
			}
			if x < 0 {
				b.neg = min(c, negW)
			} else {
				b.pos = min(c, posW)
			}
		}
		out[i] = b
	}
	return out
}

// stackedBar composes H(Y): negative atoms stacked left of the zero mark,
// positive ones right of it, each with its own glyph and colour.
func stackedBar(st *styles, sh []float64, labels []atomLabel, w int) string {
	var pos, neg float64
	for _, x := range sh {
		if finite(x) && x > 0 {
			pos += x
		} else if finite(x) {
			neg -= x
		}
	}
	if pos+neg <= 0 || w < 2 {
		return ""
	}
	negCells := int(math.Round(neg / (pos + neg) * float64(w-1)))
	var b strings.Builder
	// side draws one sign's segments with cumulative rounding, so they fill
	// exactly their cells without gaps.
	side := func(sign float64, cells int, total float64) {
		acc, drawn := 0.0, 0
		for i, x := range sh {
			if !finite(x) || x*sign <= 0 {
				continue
			}
			acc += x * sign
			c := int(math.Round(acc/total*float64(cells))) - drawn
			drawn += c
			hres := labels[i].hres
			b.WriteString(atomStyleFor(i, hres).Render(strings.Repeat(atomGlyph(i, hres), c)))
		}
	}
	if neg > 0 {
		side(-1, negCells, neg)
	}
	b.WriteString(st.axis.Render("│"))
	side(1, w-1-negCells, pos)
	return b.String()
}

// lines draws shares over epochs: every atom of a bivariate layer; for larger
// lattices the selected atom and the four largest.
func (p *atomPane) lines(d *chartData, layer int, labels []atomLabel, sel, w, h int) string {
	st := p.c.st
	hist := d.snap.History
	if len(hist) == 0 {
		return center(st.dim.Render("lines over epochs appear after the first epoch"), w)
	}
	n := len(labels)
	show := make([]int, 0, 5)
	if n <= 6 {
		for i := range n {
			show = append(show, i)
		}
	} else {
		var last []float64
		if ll := hist[len(hist)-1].Layers; layer < len(ll) {
			last = shares(ll[layer])
		}
		idx := make([]int, 0, n)
		for i := range n {
			if i != sel {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool { return math.Abs(at(last, idx[a])) > math.Abs(at(last, idx[b])) })
		show = append(show, sel)
		show = append(show, idx[:min(4, len(idx))]...)
		sort.Ints(show)
	}
	xs := make([]float64, len(hist))
	for i, e := range hist {
		xs[i] = epochX(e, i)
	}
	lo, hi := 0.0, 0.0
	var ser []series
	var legend []string
	for _, a := range show {
		ys := make([]float64, len(hist))
		for e, h := range hist {
			ys[e] = math.NaN()
			if layer < len(h.Layers) {
				ys[e] = 100 * at(shares(h.Layers[layer]), a)
			}
			if finite(ys[e]) {
				lo, hi = math.Min(lo, ys[e]), math.Max(hi, ys[e])
			}
		}
		s := atomStyleFor(a, labels[a].hres)
		ser = append(ser, series{xs: xs, ys: ys, style: s, tag: atomGlyph(a, labels[a].hres)})
		name := labels[a].name
		if a == sel {
			name = "▸" + name
		}
		legend = append(legend, s.Render(atomGlyph(a, labels[a].hres)+" "+name))
	}
	lo, hi = niceRange(lo, hi, 10)
	maxX := xs[len(xs)-1]
	var marks []vmark
	for _, mk := range d.marks {
		if mk.layer != layer {
			continue
		}
		x := d.xOf(mk.step)
		maxX = math.Max(maxX, x)
		marks = append(marks, vmark{x: x, label: mk.label(d.atomNames, false)})
	}
	chart := drawChart(chartSpec{
		w: w, h: h - 1,
		minX: 0, maxX: math.Max(maxX, 1), minY: lo, maxY: hi,
		xFmt:  func(v float64) string { return fmt.Sprintf("%.0f", v) },
		yFmt:  func(v float64) string { return fmt.Sprintf("%.0f%%", v) },
		xStep: 8, yStep: max((h-1)/4, 1),
		series: ser, marks: marks, zero: true,
		axis: st.axis, label: st.label, mark: st.marker,
	})
	return fit(strings.Join(legend, "  ")+st.dim.Render("  (% of H(Y) per epoch)"), w) + "\n" + chart
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return math.NaN()
}
