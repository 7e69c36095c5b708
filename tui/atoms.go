package tui

import (
	"fmt"
	"math"
	"slices"
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
	cmp    *compare   // the baseline, shared with the root
	goal   *goalPane  // whose layer, selected atom and plotted atoms it follows
	w, h   int
	offset int
	key    atomKey
	cache  string
}

type atomKey struct {
	w, h, epochs, runSeq, markVer, layer, sel, stepsPerEpoch, baseVer, picksVer, seedVer int
	full                                                                                 bool
}

func newAtomPane(c *common, d *chartData, cmp *compare, goal *goalPane) *atomPane {
	return &atomPane{c: c, d: d, cmp: cmp, goal: goal}
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
	spread := p.c.spread && len(ls.Spread) >= n
	if spread {
		fr.hint = "median, 10–90% of neurons (bit)"
	}
	if ls.Silent > 0 {
		fr.hint += fmt.Sprintf(" · %d silent", ls.Silent)
	}

	// plan rows: stacked bar, atom rows, the goal value, then the lines
	// chart if ≥ 6 rows remain
	goalRow := innerH >= 4
	atomRows := min(n, innerH-1-boolInt(goalRow))
	lineRows := innerH - 1 - n - boolInt(goalRow) - 1
	if lineRows < 6 {
		lineRows = 0
	}
	base, epoch := p.compared()
	body := make([]string, 0, innerH)

	// columns
	nameW, meanW := 0, 0
	for _, l := range labels[:n] {
		nameW = max(nameW, ansi.StringWidth(l.name))
		meanW = max(meanW, ansi.StringWidth(l.meaning))
	}
	valW := 7
	if base != nil {
		valW = 14 // "+21.9% (-0.05)"
	}
	barW := inner - 2 - nameW - 1 - meanW - 1 - valW
	if minBar := 16 - 4*boolInt(base != nil); barW < minBar {
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
	var bands []string
	if spread {
		bands = spreadBars(st, ls.Spread[:n], labels, barW)
	}
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
		val := sharePct(sh[i])
		if spread {
			b.WriteString(bands[i])
			val = signed(ls.Spread[i].Median, 3)
		} else {
			b.WriteString(bars[i].render(st, atomGlyph(i, l.hres), atomStyleFor(i, l.hres)))
		}
		if base != nil && !spread {
			dd := base.diffAt(epoch, 100*histShare(d, ls.Name, l.name), func(e tasks.EpochStats) float64 {
				bl, _ := layerNamed(e.Layers, ls.Name)
				return 100 * shareNamed(bl, l.name)
			})
			val = padLeft(val, 6) + " " + fit(dd.text(1, ""), 7)
			if t := dd.text(1, ""); len(t) > 7 {
				val = sharePct(sh[i]) + " " + t
			}
		}
		b.WriteString(st.text.Render(padLeft(val, valW)))
		line := b.String()
		if n > atomRows {
			line = fit(line, inner-1) + scrollMark(st, r, atomRows, p.offset, n)
		}
		body = append(body, line)
	}
	if goalRow {
		body = append(body, p.goalLine(ls, prefixW, inner))
	}
	if lineRows > 0 {
		body = append(body, "")
		k := atomKey{inner, lineRows, len(d.snap.History), d.runSeq, d.markVer, layer, sel, d.snap.StepsPerEpoch,
			p.cmp.ver, p.goal.picksVer, d.seedVer, p.c.fullY}
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
	var last []float64
	if ll := hist[len(hist)-1].Layers; layer < len(ll) {
		last = shares(ll[layer])
	}
	show := plotted(len(labels), sel, p.goal.picks(layer), last)
	if h < 9 { // a short chart: the selected atom alone, on its own scale
		show = []int{sel}
	}
	ax := timeAxis{log: d.memory()}
	xs := make([]float64, len(hist))
	for i, e := range hist {
		xs[i] = ax.x(epochX(e, i))
	}
	maxX := xs[len(xs)-1]
	lo, hi := math.Inf(1), math.Inf(-1)
	var ser []series
	var legend []string
	layerName := ""
	if ll := hist[len(hist)-1].Layers; layer < len(ll) {
		layerName = ll[layer].Name
	}
	if b := p.cmp.base; b != nil && sel < len(labels) {
		// every plotted atom's ghost, in its colour; the selected atom's
		// first, so that where two ghosts meet in a cell it is the one seen
		order := append([]int{sel}, show...)
		seen := map[int]bool{}
		for _, a := range order {
			if seen[a] || !slices.Contains(show, a) {
				continue
			}
			seen[a] = true
			g := series{ghost: true, style: faded(atomStyleFor(a, labels[a].hres), 0.45)}
			for i, e := range b.hist {
				bl, ok := layerNamed(e.Layers, layerName)
				if !ok {
					continue
				}
				g.xs = append(g.xs, ax.x(epochX(e, i)))
				g.ys = append(g.ys, 100*shareNamed(bl, labels[a].name))
				if v := g.ys[len(g.ys)-1]; finite(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
			if len(g.xs) > 0 {
				maxX = math.Max(maxX, g.xs[len(g.xs)-1])
				ser = append(ser, g)
			}
		}
		if len(ser) > 0 {
			legend = append(legend, ser[0].style.Render("·˙· ")+p.c.st.dim.Render("base"))
		}
	}
	var seedItem string
	if d.seeds != nil && sel < len(labels) && slices.Contains(show, sel) {
		name := labels[sel].name
		b := d.band(ax, func(e tasks.EpochStats) float64 {
			l, _ := layerNamed(e.Layers, layerName)
			return 100 * shareNamed(l, name)
		})
		for _, q := range b {
			lo, hi = math.Min(lo, q.lo), math.Max(hi, q.hi)
		}
		style := atomStyleFor(sel, labels[sel].hres)
		ser = append(ser, bandSeries(b, style)...)
		seedItem = d.seedLegend(st, b, style, 1, "%", epochOf(hist[len(hist)-1], len(hist)-1)) + st.dim.Render(" of "+name)
	}
	var selSeries *series
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
		name := labels[a].name
		if a == sel {
			name = "▸" + name
			selSeries = &series{xs: xs, ys: ys, style: s.Bold(true), tag: atomGlyph(a, labels[a].hres)}
		} else {
			ser = append(ser, series{xs: xs, ys: ys, style: s, tag: atomGlyph(a, labels[a].hres)})
		}
		legend = append(legend, s.Render(atomGlyph(a, labels[a].hres)+" "+name))
	}
	if selSeries != nil { // the selected atom last: on top of the others
		ser = append(ser, *selSeries)
	}

	lo, hi = fitRange(math.Min(lo, 0), math.Max(hi, 0), 2, 0, 100, p.c.fullY)
	var marks []vmark
	for _, mk := range d.marks {
		if mk.layer != layer {
			continue
		}
		x := ax.x(d.xOf(mk.step))
		maxX = math.Max(maxX, x)
		marks = append(marks, mk.vmark(x, d.atomNames, false))
	}
	head := fit(strings.Join(legend, "  ")+st.dim.Render("  (% of H(Y) per epoch)"), w)
	if seedItem != "" && h >= 10 { // the seeds' line under the legend
		head += "\n" + fit(seedItem, w)
		h--
	}
	chart := drawChart(chartSpec{
		w: w, h: h - 1,
		minX: 0, maxX: math.Max(maxX, 1), minY: lo, maxY: hi,
		xFmt:  ax.format,
		yFmt:  pctTick(hi - lo),
		xStep: 8, yStep: max((h-1)/4, 1),
		xTicks: ax.ticks(maxX), latest: true,
		series: ser, marks: marks, zero: true,
		axis: st.axis, label: st.label, mark: st.marker,
	})
	return head + "\n" + chart
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return math.NaN()
}

// spreadBars draws each atom's distribution over the neurons on one scale
// (bits, zero marked │): ─ from the 10th to the 90th percentile, ● at the
// median, in the atom's colour.
func spreadBars(st *styles, sp []tasks.AtomSpread, labels []atomLabel, w int) []string {
	lo, hi := 0.0, 0.0
	for _, s := range sp {
		if finite(s.P10) && finite(s.P90) {
			lo, hi = math.Min(lo, s.P10), math.Max(hi, s.P90)
		}
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	col := func(v float64) int { return clamp(int(math.Round((v-lo)/(hi-lo)*float64(w-1))), 0, w-1) }
	zero := col(0)
	out := make([]string, len(sp))
	for i, s := range sp {
		cells := []rune(strings.Repeat(" ", w))
		cells[zero] = '│'
		if finite(s.P10) && finite(s.P90) && finite(s.Median) {
			for c := col(s.P10); c <= col(s.P90); c++ {
				cells[c] = '─'
			}
			cells[col(s.Median)] = '●'
		}
		style := atomStyleFor(i, labels[i].hres)
		var b strings.Builder
		for _, r := range cells {
			if r == '│' {
				b.WriteString(st.axis.Render("│"))
			} else {
				b.WriteString(style.Render(string(r)))
			}
		}
		out[i] = b.String()
	}
	return out
}

// plotted picks the atoms drawn over epochs: those the user picked (v in the
// goal pane) and the selected one; without picks every atom of a bivariate
// layer, or, of a larger lattice, the selected atom and the four largest by
// magnitude at the latest epoch. Ascending.
func plotted(n, sel int, picks map[int]bool, last []float64) []int {
	var show []int
	switch {
	case len(picks) > 0:
		for i := range n {
			if picks[i] || i == sel {
				show = append(show, i)
			}
		}
		return show
	case n <= 6:
		for i := range n {
			show = append(show, i)
		}
		return show
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
	return show
}

// shareNamed is the named atom's share of H(Y) in a layer's statistics.
func shareNamed(l tasks.LayerStats, name string) float64 {
	if !(l.HY > 1e-12) {
		return math.NaN()
	}
	return atomNamed(l, name) / l.HY
}

// histShare is the named atom's share in the latest finished epoch of the
// named layer (what the baseline is compared with: finished epochs only).
func histShare(d *chartData, layer, atom string) float64 {
	h := d.snap.History
	if len(h) == 0 {
		return math.NaN()
	}
	l, ok := layerNamed(h[len(h)-1].Layers, layer)
	if !ok {
		return math.NaN()
	}
	return shareNamed(l, atom)
}

// compared is the baseline, when there is one, and the run's latest
// finished epoch, which the differences refer to.
func (p *atomPane) compared() (*baseline, int) {
	h := p.d.snap.History
	if p.cmp.base == nil || len(h) == 0 {
		return nil, 0
	}
	return p.cmp.base, epochOf(h[len(h)-1], len(h)-1)
}

// goalLine is the layer's goal value G = Σγ·Π (what its neurons climb) at
// the latest finished epoch, with its difference from the baseline's.
func (p *atomPane) goalLine(ls tasks.LayerStats, prefixW, w int) string {
	st := p.c.st
	g, ok := latestGoal(p.d, ls.Name)
	head := st.dim.Render(fit(" G = Σγ·Π", prefixW-1) + " ")
	if prefixW < 11 {
		head = st.dim.Render(" G ")
	}
	if !ok {
		return head + st.dim.Render("after the first epoch")
	}
	line := head + st.bold.Render(fmt.Sprintf("%+.4f bit", g))
	if base, epoch := p.compared(); base != nil {
		dd := base.diffAt(epoch, g, func(e tasks.EpochStats) float64 {
			bl, ok := layerNamed(e.Layers, ls.Name)
			if !ok {
				return math.NaN()
			}
			return bl.Goal
		})
		if t := dd.text(4, ""); t != "" {
			long := strings.TrimSuffix(t, ")") + " vs base)"
			if widthOf(line)+1+len(long) > w {
				long = t
			}
			line += " " + st.text.Render(long)
		}
	}
	if tail := "  per neuron, latest epoch"; widthOf(line)+len(tail) <= w {
		line += st.dim.Render(tail)
	}
	return fit(line, w)
}

// latestGoal is a layer's G at the latest finished epoch.
func latestGoal(d *chartData, layer string) (float64, bool) {
	h := d.snap.History
	if len(h) == 0 {
		return 0, false
	}
	l, ok := layerNamed(h[len(h)-1].Layers, layer)
	return l.Goal, ok
}
