package tui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"infomorph-tui/tasks"
)

// gammaChangedMsg reports a slider move; the root forwards it to the worker.
// Panes return such events from update instead of commands, so the root
// handles them at once and in order (commands run concurrently).
type gammaChangedMsg struct {
	layer, atom int
	old, new    float64
	gamma       []float64 // the layer's whole new vector (a copy)
}

// typeGammaMsg asks the root for a typed value of the selected γ.
type typeGammaMsg struct {
	layer, atom int
	name        string
	value       float64
}

// noticeMsg asks the root to show a one-line message in the footer: a pane
// saying why a key did nothing.
type noticeMsg struct {
	kind flashKind
	text string
}

// goalPane shows one slider per atom of the selected layer and, where there
// is room, the layer's goal value G over epochs.
type goalPane struct {
	c             *common
	d             *chartData // the run's, shared with the root
	cmp           *compare   // the baseline, shared with the root
	layers        []LayerInfo
	labels        [][]atomLabel
	gamma, preset [][]float64
	layer         int
	cursor        []int
	offset        []int
	focused       bool
	w, h          int
	pick          []map[int]bool // per layer: atoms the user chose to plot (v)
	picksVer      int            // bumps when pick changes
	gkey          goalKey
	gcache        string
}

type goalKey struct {
	w, h, epochs, runSeq, markVer, baseVer, layer, seedVer int
	full                                                   bool
}

func newGoalPane(c *common, d *chartData, cmp *compare) *goalPane {
	return &goalPane{c: c, d: d, cmp: cmp}
}

// picks are the atoms of layer the user chose to plot (nil: none chosen).
func (g *goalPane) picks(layer int) map[int]bool {
	if layer < len(g.pick) {
		return g.pick[layer]
	}
	return nil
}

// load takes a freshly loaded engine's layers and γ.
func (g *goalPane) load(info *engineInfo) {
	g.layers = info.layers
	g.labels = make([][]atomLabel, len(info.layers))
	for i, l := range info.layers {
		g.labels[i] = labelLayer(l, info.preset, i == len(info.layers)-1)
	}
	g.gamma = make([][]float64, len(info.layers))
	g.preset = make([][]float64, len(info.layers))
	for i := range info.layers {
		g.gamma[i] = clone(info.gamma[i])
		g.preset[i] = clone(info.presetGamma[i])
	}
	g.cursor = make([]int, len(info.layers))
	g.offset = make([]int, len(info.layers))
	g.pick = make([]map[int]bool, len(info.layers))
	g.picksVer++
	g.layer = 0
}

func (g *goalPane) SetSize(w, h int)        { g.w, g.h = w, h }
func (g *goalPane) Focusable() bool         { return true }
func (g *goalPane) SetFocused(focused bool) { g.focused = focused }

// Title names the layer whose sliders are shown.
func (g *goalPane) Title() string {
	if len(g.layers) == 0 {
		return "Goal γ"
	}
	return "Goal γ · " + g.layers[g.layer].Name
}

// HelpKeys: pick an atom, move its γ, zero or restore it, switch layers.
func (g *goalPane) HelpKeys() []key.Binding {
	k := g.c.keys
	return []key.Binding{k.Select, k.Adjust, k.Zero, k.Restore, k.Type, k.Visible, k.Layer}
}

// setLayer selects layer i (wrapping around).
func (g *goalPane) setLayer(i int) {
	if n := len(g.layers); n > 0 {
		g.layer = ((i % n) + n) % n
	}
}

// setGamma overwrites a layer's γ (a correction from the worker).
func (g *goalPane) setGamma(layer int, v []float64) {
	if layer >= 0 && layer < len(g.gamma) {
		g.gamma[layer] = clone(v)
	}
}

// layerLabels are the current layer's atom labels (nil before a run loads).
func (g *goalPane) layerLabels() []atomLabel {
	if g.layer < len(g.labels) {
		return g.labels[g.layer]
	}
	return nil
}

// selected returns the atom index under the cursor of the current layer.
func (g *goalPane) selected() int {
	if len(g.cursor) == 0 {
		return 0
	}
	return g.cursor[g.layer]
}

// Update moves the slider cursor (keys, click, wheel) and γ (keys); a γ
// change is reported to the root as a gammaChangedMsg.
func (g *goalPane) Update(msg tea.Msg) tea.Msg {
	if len(g.layers) == 0 {
		return nil
	}
	cur := &g.cursor[g.layer]
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return g.key(msg)
	case clickMsg:
		if row := msg.y - 2; row >= 0 { // below the border and the layer tabs
			if i := g.offset[g.layer] + row; i < len(g.gamma[g.layer]) {
				*cur = i
			}
		}
	case wheelMsg:
		*cur = clamp(*cur+msg.d, 0, len(g.gamma[g.layer])-1)
	}
	return nil
}

func (g *goalPane) key(msg tea.KeyPressMsg) tea.Msg {
	k := g.c.keys
	n := len(g.gamma[g.layer])
	cur := &g.cursor[g.layer]
	if why := g.unused(); why != "" && key.Matches(msg, k.Left, k.Right, k.CoarseDown, k.Coarse, k.Zero, k.Restore, k.Type) {
		return noticeMsg{kind: flashErr, text: "γ not changed: " + g.layers[g.layer].Name + " is " + why}
	}
	switch {
	case key.Matches(msg, k.Up):
		*cur = max(*cur-1, 0)
	case key.Matches(msg, k.Down):
		*cur = min(*cur+1, n-1)
	case key.Matches(msg, k.Top):
		*cur = 0
	case key.Matches(msg, k.Bottom):
		*cur = n - 1
	case key.Matches(msg, k.Left):
		return g.nudge(-0.01)
	case key.Matches(msg, k.Right):
		return g.nudge(0.01)
	case key.Matches(msg, k.CoarseDown):
		return g.nudge(-0.1)
	case key.Matches(msg, k.Coarse):
		return g.nudge(0.1)
	case key.Matches(msg, k.Zero):
		return g.set(0)
	case key.Matches(msg, k.Restore):
		return g.set(g.preset[g.layer][*cur])
	case key.Matches(msg, k.Type):
		return typeGammaMsg{layer: g.layer, atom: *cur, name: g.labels[g.layer][*cur].name, value: g.gamma[g.layer][*cur]}
	case key.Matches(msg, k.Visible):
		g.togglePick(*cur)
	}
	return nil
}

// unused says why the current layer's γ has no effect ("" when it has).
func (g *goalPane) unused() string {
	if g.layer < len(g.layers) {
		return g.layers[g.layer].GammaUnused
	}
	return ""
}

// togglePick adds or removes an atom of the current layer from the atoms
// plotted over epochs.
func (g *goalPane) togglePick(atom int) {
	p := g.pick[g.layer]
	if p == nil {
		p = map[int]bool{}
		g.pick[g.layer] = p
	}
	if p[atom] {
		delete(p, atom)
	} else {
		p[atom] = true
	}
	g.picksVer++
}

// setTyped gives atom of layer a typed value; the caller has checked it.
func (g *goalPane) setTyped(layer, atom int, v float64) tea.Msg {
	if layer != g.layer || layer >= len(g.gamma) || atom >= len(g.gamma[layer]) {
		return nil
	}
	g.cursor[layer] = atom
	return g.set(v)
}

func (g *goalPane) nudge(d float64) tea.Msg {
	return g.set(roundGamma(g.gamma[g.layer][g.selected()] + d))
}

// set gives the selected atom a new γ and reports the change.
func (g *goalPane) set(v float64) tea.Msg {
	l, a := g.layer, g.selected()
	old := g.gamma[l][a]
	if v == old {
		return nil
	}
	g.gamma[l][a] = v
	return gammaChangedMsg{layer: l, atom: a, old: old, new: v, gamma: clone(g.gamma[l])}
}

// sliderGeom is the column plan of a slider row.
type sliderGeom struct {
	nameW, meanW, slideW int
	scroll               bool
	glyph                bool // a column for the glyph of the atoms plotted over epochs
}

func (g *goalPane) geometry(inner, rows int) sliderGeom {
	labels := g.labels[g.layer]
	var sg sliderGeom
	for _, l := range labels {
		sg.nameW = max(sg.nameW, ansi.StringWidth(l.name))
		sg.meanW = max(sg.meanW, ansi.StringWidth(l.meaning))
	}
	sg.scroll = len(labels) > rows
	fixed := 3 + sg.nameW + 1 + 1 + 6 // cursor, plotted glyph, gap, name, gap, gap, value + edited mark
	if sg.scroll {
		fixed++
	}
	sg.glyph = true
	sg.slideW = inner - fixed - sg.meanW - 1
	if sg.slideW < 9 {
		sg.meanW = 0
		sg.slideW = inner - fixed
	}
	if sg.slideW < 5 { // narrow: the slider before the glyph
		sg.glyph = false
		sg.slideW++
	}
	if sg.slideW < 5 {
		sg.slideW = 0
	}
	return sg
}

func (g *goalPane) View() string {
	fr := frame{title: g.Title(), focused: g.focused}
	if len(g.layers) == 0 {
		return fr.render(g.c.st, []string{g.c.st.dim.Render(" waiting for a run…")}, g.w, g.h)
	}
	st := g.c.st
	if len(g.layers) > 1 {
		fr.hint = "[ ] layer"
	}
	inner, innerH := g.w-2, g.h-2
	var body []string
	body = append(body, g.tabs(inner))
	rows := innerH - 1
	showDetail := innerH >= 5
	if showDetail {
		rows--
	}
	rows = max(rows, 1)
	labels := g.labels[g.layer]
	rows = min(rows, len(labels))
	sg := g.geometry(inner, rows)

	cur := g.cursor[g.layer]
	off := &g.offset[g.layer]
	*off = clamp(*off, max(cur-rows+1, 0), cur)
	*off = clamp(*off, 0, max(len(labels)-rows, 0))
	shown := g.plottedSet()
	for r := range rows {
		i := *off + r
		line := g.row(i, sg, i == cur, shown)
		if sg.scroll {
			line = fit(line, inner-1) + scrollMark(st, r, rows, *off, len(labels))
		}
		body = append(body, line)
	}
	free := innerH - len(body) - boolInt(showDetail)
	if free >= 7 && g.d != nil && len(g.d.snap.History) > 0 {
		chartH := free
		if free >= 7+6 { // room for the notes too: G chart on top, notes below
			chartH = free - 6
		}
		body = append(body, "")
		body = append(body, g.goalChart(inner, chartH-1)...)
		free -= chartH
	}
	if free >= 6 {
		notes := []string{
			"",
			st.dim.Render("goal per neuron  G = Σ γ·Π + γ_res·H_res"),
			st.dim.Render("changes apply at the next batch and"),
			st.dim.Render("are marked ┆ on the charts"),
			st.helpKey.Render("=") + st.helpDesc.Render(" type a value  ") + st.helpKey.Render("v") + st.helpDesc.Render(" plot atom on/off"),
			st.helpKey.Render("←→") + st.helpDesc.Render(" ±0.01  ") + st.helpKey.Render("⇧←→") + st.helpDesc.Render(" ±0.1  ") +
				st.helpKey.Render("0") + st.helpDesc.Render(" zero  ") + st.helpKey.Render("p") + st.helpDesc.Render(" preset"),
		}
		for range free - len(notes) {
			body = append(body, "")
		}
		body = append(body, notes...)
	}
	if showDetail {
		body = append(body, g.detail(inner))
	}
	return fr.render(st, body, g.w, g.h)
}

// tabs shows the layers with the selected one highlighted.
func (g *goalPane) tabs(w int) string {
	st := g.c.st
	parts := make([]string, len(g.layers))
	for i, l := range g.layers {
		switch {
		case i == g.layer && l.GammaUnused != "":
			parts[i] = st.accent.Render("◆ ") + st.selected.Render(l.Name) + st.failed.Render(" · γ unused")
		case i == g.layer:
			parts[i] = st.accent.Render("◆ ") + st.selected.Render(l.Name) + st.dim.Render(fmt.Sprintf(" · %d atoms", len(l.AtomNames)-1))
		default:
			parts[i] = st.dim.Render("◇ " + l.Name)
		}
	}
	return fit(strings.Join(parts, "   "), w)
}

func (g *goalPane) row(i int, sg sliderGeom, isCur bool, shown map[int]bool) string {
	st := g.c.st
	l := g.labels[g.layer][i]
	v := g.gamma[g.layer][i]
	edited := math.Abs(v-g.preset[g.layer][i]) > 1e-12
	var b strings.Builder
	switch {
	case isCur && g.focused:
		b.WriteString(st.cursor.Render("▸"))
	case isCur:
		b.WriteString(st.cursorBlur.Render("▸"))
	default:
		b.WriteString(" ")
	}
	switch {
	case !sg.glyph:
		b.WriteString(" ")
	case shown[i]: // the atom's glyph: it is on the atoms chart
		b.WriteString(atomStyleFor(i, l.hres).Render(atomGlyph(i, l.hres)) + " ")
	default:
		b.WriteString("  ")
	}
	nameStyle := st.text
	if isCur {
		nameStyle = st.bold
	}
	b.WriteString(nameStyle.Render(fit(l.name, sg.nameW)))
	b.WriteString(" ")
	if sg.meanW > 0 {
		b.WriteString(st.dim.Render(fit(l.meaning, sg.meanW)))
		b.WriteString(" ")
	}
	off := g.unused() != ""
	if sg.slideW > 0 {
		if off {
			b.WriteString(st.faint.Render(sliderOff(v, sg.slideW)))
		} else {
			b.WriteString(slider(st, v, sg.slideW, edited))
		}
		b.WriteString(" ")
	}
	val := gammaText(v)
	if off {
		b.WriteString(st.faint.Render(val + " "))
		return b.String()
	}
	if edited {
		b.WriteString(st.sliderKnobEdited.Render(val + "*"))
	} else {
		b.WriteString(st.text.Render(val + " "))
	}
	return b.String()
}

// detail describes the selected atom: meaning, preset value, keys; on a
// layer whose γ has no effect, why.
func (g *goalPane) detail(w int) string {
	st := g.c.st
	if why := g.unused(); why != "" {
		return st.failed.Render(fit("γ unused: "+why, w))
	}
	i := g.selected()
	l := g.labels[g.layer][i]
	p := g.preset[g.layer][i]
	s := fmt.Sprintf("%s %s · preset %s", l.name, l.meaning, exactGamma(p))
	return st.dim.Render(fit(s, w))
}

// slider draws v ∈ [−2, 2] on a track of width w with a zero mark.
func slider(st *styles, v float64, w int, edited bool) string {
	pos := func(x float64) int {
		return clamp(int(math.Round((x+2)/4*float64(w-1))), 0, w-1)
	}
	z, p := pos(0), pos(v)
	lo, hi := min(z, p), max(z, p)
	knob := st.sliderKnob
	if edited {
		knob = st.sliderKnobEdited
	}
	var b strings.Builder
	seg := func(s string, n int, style func(...string) string) {
		if n > 0 {
			b.WriteString(style(strings.Repeat(s, n)))
		}
	}
	// track left of the filled part, fill, knob, fill, track right
	if p < z {
		seg("─", lo, st.sliderTrack.Render)
		b.WriteString(knob.Render("●"))
		seg("━", hi-lo-1, st.sliderFill.Render)
		b.WriteString(st.sliderZero.Render("┼"))
		seg("─", w-hi-1, st.sliderTrack.Render)
		return b.String()
	}
	seg("─", lo, st.sliderTrack.Render)
	if p == z {
		b.WriteString(knob.Render("●"))
	} else {
		b.WriteString(st.sliderZero.Render("┼"))
		seg("━", hi-lo-1, st.sliderFill.Render)
		b.WriteString(knob.Render("●"))
	}
	seg("─", w-hi-1, st.sliderTrack.Render)
	return b.String()
}

// sliderOff draws v on a track of width w as an inert slider: dotted track,
// hollow knob, so it reads as disabled without colour too.
func sliderOff(v float64, w int) string {
	r := []rune(strings.Repeat("┄", w))
	pos := func(x float64) int { return clamp(int(math.Round((x+2)/4*float64(w-1))), 0, w-1) }
	r[pos(0)] = '┊'
	r[pos(v)] = '○'
	return string(r)
}

// scrollMark is row r's cell of a scrollbar for a window of rows over n items.
func scrollMark(st *styles, r, rows, off, n int) string {
	if n <= rows {
		return " "
	}
	th := max(rows*rows/n, 1)
	top := (rows - th) * off / max(n-rows, 1)
	if r >= top && r < top+th {
		return st.scrollThumb.Render("┃")
	}
	return st.scrollTrack.Render("│")
}

// exactGamma shows a preset γ with the precision it has (up to 4 decimals).
func exactGamma(v float64) string {
	if math.Abs(v*100-math.Round(v*100)) < 1e-9 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.4f", v)
}

// plottedSet is the set of the current layer's atoms that the atoms pane
// draws over epochs (see plotted), for the sliders to mark with the atom's
// glyph; empty before the first epoch.
func (g *goalPane) plottedSet() map[int]bool {
	h := g.d.snap.History
	if len(h) == 0 || g.layer >= len(g.labels) {
		return nil
	}
	var last []float64
	if ll := h[len(h)-1].Layers; g.layer < len(ll) {
		last = shares(ll[g.layer])
	}
	out := map[int]bool{}
	for _, i := range plotted(len(g.labels[g.layer]), g.selected(), g.picks(g.layer), last) {
		out[i] = true
	}
	return out
}

// goalChart draws the layer's goal value G over epochs, with the baseline's
// as a ghost: a γ change shows at once in the quantity the neurons climb.
func (g *goalPane) goalChart(w, h int) []string {
	st := g.c.st
	d := g.d
	name := g.layers[g.layer].Name
	k := goalKey{w, h, len(d.snap.History), d.runSeq, d.markVer, g.cmp.ver, g.layer, d.seedVer, g.c.fullY}
	if k == g.gkey {
		return strings.Split(g.gcache, "\n")
	}
	ax := timeAxis{log: d.memory()}
	lo, hi := math.Inf(1), math.Inf(-1)
	collect := func(hist []tasks.EpochStats) series {
		var s series
		for i, e := range hist {
			l, ok := layerNamed(e.Layers, name)
			if !ok {
				continue
			}
			s.xs = append(s.xs, ax.x(epochX(e, i)))
			s.ys = append(s.ys, l.Goal)
			if finite(l.Goal) {
				lo, hi = math.Min(lo, l.Goal), math.Max(hi, l.Goal)
			}
		}
		return s
	}
	main := collect(d.snap.History)
	main.style = st.accent.Bold(true)
	var ser []series
	legend := st.accent.Render("━━ G")
	if b := g.cmp.base; b != nil {
		gh := collect(b.hist)
		gh.ghost, gh.style = true, faded(st.accent, 0.45)
		ser = append(ser, gh)
		legend += " " + gh.style.Render("·˙·") + st.dim.Render(" base")
	}
	if d.seeds != nil {
		b := d.band(ax, func(e tasks.EpochStats) float64 {
			l, ok := layerNamed(e.Layers, name)
			if !ok {
				return math.NaN()
			}
			return l.Goal
		})
		for _, q := range b {
			lo, hi = math.Min(lo, q.lo), math.Max(hi, q.hi)
		}
		ser = append(ser, bandSeries(b, st.accent)...)
		latest := 0
		if n := len(d.snap.History); n > 0 {
			latest = epochOf(d.snap.History[n-1], n-1)
		}
		legend += " " + d.seedLegend(st, b, st.accent, 3, "", latest)
	}
	ser = append(ser, main)
	maxX := 1.0
	for _, s := range ser {
		if n := len(s.xs); n > 0 {
			maxX = math.Max(maxX, s.xs[n-1])
		}
	}
	span := math.Max(hi-lo, 1e-3)
	if g.c.fullY { // the whole scale: from zero
		lo, hi = fitRange(lo, hi, span*0.2, math.Min(lo, 0), math.Max(hi, 0), true)
	} else { // G has no natural ends: fit its values
		lo, hi = fitRange(lo, hi, span*0.2, math.Inf(-1), math.Inf(1), false)
	}
	var marks []vmark
	for _, mk := range d.marks {
		if mk.layer == g.layer {
			x := ax.x(d.xOf(mk.step))
			maxX = math.Max(maxX, x)
			marks = append(marks, mk.vmark(x, d.atomNames, false))
		}
	}
	chart := drawChart(chartSpec{
		w: w, h: h - 1,
		minX: 0, maxX: maxX, minY: lo, maxY: hi,
		xFmt: ax.format, yFmt: goalTick(hi - lo),
		xStep: 8, yStep: max((h-1)/3, 1),
		xTicks: ax.ticks(maxX), latest: true,
		series: ser, marks: marks, zero: true,
		axis: st.axis, label: st.label, mark: st.marker,
	})
	g.gcache = fit(legend+st.dim.Render("  goal G = Σγ·Π of "+name+", bit/neuron"), w) + "\n" + chart
	g.gkey = k
	return strings.Split(g.gcache, "\n")
}

// goalTick formats G's y labels with the decimals its range needs.
func goalTick(span float64) func(float64) string {
	dec := clamp(int(math.Ceil(-math.Log10(math.Max(span, 1e-6))))+1, 1, 4)
	return func(v float64) string { return fmt.Sprintf("%.*f", dec, v) }
}
