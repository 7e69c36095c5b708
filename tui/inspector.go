package tui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"infomorph-tui/tasks"
)

// watchMsg reports that the inspected neuron changed; the root tells the
// worker, which then posts that neuron's receptive field.
type watchMsg struct{ layer, neuron int }

// inspector shows one neuron: receptive field, own atoms, mean θ.
type inspector struct {
	c       *common
	d       *chartData // the run's, shared with the root
	f       *field     // the latest receptive field from the worker, shared too
	goal    *goalPane  // whose atom labels it uses
	w, h    int
	layer   int
	neuron  int
	units   int
	focused bool
	auto    bool // open on the layer's most informative neuron once the run says which
	order   neuronOrder

	fkey  fieldKey
	fview []string

	patterns int      // stored patterns of a memory run; 0 otherwise
	pat      int      // the pattern shown
	pic      *picture // its latest picture from the worker
}

// setMemory points the inspector at a new engine (memory or not).
func (p *inspector) setMemory(mi *memoryInfo) {
	p.patterns, p.pat, p.pic = 0, 0, nil
	if mi != nil {
		p.patterns = mi.patterns
	}
}

// movePattern changes the shown pattern by d, wrapping around; false when the
// run stores no patterns.
func (p *inspector) movePattern(d int) (int, bool) {
	if p.patterns <= 0 {
		return 0, false
	}
	p.pat = ((p.pat+d)%p.patterns + p.patterns) % p.patterns
	return p.pat, true
}

// projectedCaption marks a field carried down through the layers below
// (FieldProjector): Σ w·field of the inputs, not the neuron's own response.
const projectedCaption = "via layers below, linear"

type fieldKey struct {
	seq, layer, neuron int
	colour             bool
}

func newInspector(c *common, d *chartData, f *field, goal *goalPane) *inspector {
	return &inspector{c: c, d: d, f: f, goal: goal}
}

func (p *inspector) SetSize(w, h int)        { p.w, p.h = w, h }
func (p *inspector) Focusable() bool         { return true }
func (p *inspector) SetFocused(focused bool) { p.focused = focused }

// Title names the neuron shown, once the run has data: its layer, the digit
// a readout neuron stands for, and whether it is silent.
func (p *inspector) Title() string {
	d := p.d
	if !d.has || p.units == 0 {
		return "Neuron"
	}
	layerName := ""
	silent := false
	if p.layer < len(d.snap.Layers) {
		ls := d.snap.Layers[p.layer]
		layerName = ls.Name
		silent = p.neuron < len(ls.IsSilent) && ls.IsSilent[p.neuron]
	}
	t := fmt.Sprintf("Neuron %d/%d · %s", p.neuron+1, p.units, layerName)
	if isReadout(layerName, p.units) {
		t += fmt.Sprintf(" · digit %d", p.neuron)
	}
	if silent {
		t += " · silent"
	}
	return t
}

// isReadout reports the readout layer, whose neuron j stands for digit j
// (its context is the label, one-to-one).
func isReadout(layer string, units int) bool { return layer == "readout" && units == 10 }

// HelpKeys: pick a neuron, switch layers (memory runs: step through the
// stored patterns instead).
func (p *inspector) HelpKeys() []key.Binding {
	k := p.c.keys
	if p.d.memory() {
		return []key.Binding{k.NeuronPick, k.Pattern}
	}
	return []key.Binding{k.NeuronPick, k.Layer}
}

// setLayer points the inspector at a layer with n units, keeping the neuron
// index when it exists there.
func (p *inspector) setLayer(layer, units int) tea.Msg {
	if layer != p.layer || units != p.units {
		p.auto = true
	}
	p.layer, p.units = layer, units
	if p.neuron >= units {
		p.neuron = 0
	}
	return p.watch()
}

// move changes the neuron by d along the current order, wrapping around.
func (p *inspector) move(d int) tea.Msg {
	if p.units <= 0 {
		return nil
	}
	p.auto = false
	ord := p.ordered()
	i := max(slices.Index(ord, p.neuron), 0)
	p.neuron = ord[((i+d)%len(ord)+len(ord))%len(ord)]
	return p.watch()
}

// autoPick moves to the layer's most informative neuron the first time the
// run ranks them (a fresh run's neuron 1 may well be silent).
func (p *inspector) autoPick() tea.Msg {
	if !p.auto || !p.d.has || p.layer >= len(p.d.snap.Layers) {
		return nil
	}
	by := p.d.snap.Layers[p.layer].ByInfo
	if len(by) != p.units || len(by) == 0 {
		return nil
	}
	p.auto = false
	if p.neuron == by[0] {
		return nil
	}
	p.neuron = by[0]
	return p.watch()
}

func (p *inspector) watch() tea.Msg {
	return watchMsg{layer: p.layer, neuron: p.neuron}
}

// Update moves through the neurons (keys while focused, the wheel) and asks
// the root to watch the new one; a click only focuses the pane.
func (p *inspector) Update(msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p.key(msg)
	case wheelMsg:
		return p.move(msg.d)
	}
	return nil
}

func (p *inspector) key(msg tea.KeyPressMsg) tea.Msg {
	k := p.c.keys
	switch {
	case key.Matches(msg, k.Left):
		return p.move(-1)
	case key.Matches(msg, k.Right):
		return p.move(1)
	case key.Matches(msg, k.NeuronBack):
		return p.move(-10)
	case key.Matches(msg, k.NeuronJump):
		return p.move(10)
	case key.Matches(msg, k.Top):
		return p.jump(0)
	case key.Matches(msg, k.Bottom):
		return p.jump(-1)
	}
	return nil
}

// jump goes to position i of the current order (-1: the last).
func (p *inspector) jump(i int) tea.Msg {
	if p.units <= 0 {
		return nil
	}
	p.auto = false
	ord := p.ordered()
	if i < 0 {
		i = len(ord) - 1
	}
	p.neuron = ord[clamp(i, 0, len(ord)-1)]
	return p.watch()
}

func (p *inspector) View() string {
	st := p.c.st
	d, f, labels := p.d, *p.f, p.goal.layerLabels()
	fr := frame{title: p.Title(), focused: p.focused, hint: "n/N · m " + p.order.String()}
	inner, innerH := p.w-2, p.h-2
	if !d.has || p.units == 0 {
		return fr.render(st, nil, p.w, p.h)
	}

	// left: the receptive field and its scale
	var left []string
	leftW := 0
	current := f.ok && f.layer == p.layer && f.neuron == p.neuron && len(f.w) >= f.rows*f.cols && f.rows > 0
	switch {
	case current && p.silent():
		left = []string{st.dim.Render("silent: its output tells"), st.dim.Render("nothing about its inputs"),
			st.dim.Render(fmt.Sprintf("(I < %g bit); weights", tasks.SilentBits)),
			st.dim.Render(fmt.Sprintf("≈ 0, largest |w| %s", scaleText(fieldScale(f.w)))), "",
			st.dim.Render("i: most informative neuron")}
		leftW = 24
	case current:
		k := fieldKey{f.seq, f.layer, f.neuron, p.c.color}
		if k != p.fkey {
			scale := fieldScale(f.w)
			p.fview = renderField(f.w, f.rows, f.cols, scale, p.c.color)
			p.fview = append(p.fview, fieldLegend(st, scale, f.cols, p.c.color)...)
			if f.projected {
				p.fview = append(p.fview, st.dim.Render(projectedCaption))
			}
			p.fkey = k
		}
		left = p.fview
		leftW = f.cols
		if f.projected {
			leftW = max(leftW, len(projectedCaption))
		}
	case f.layer == p.layer && f.neuron == p.neuron && f.seq >= 0:
		left = []string{st.dim.Render("no receptive field"), st.dim.Render("for this layer")}
		leftW = 18
	default:
		left = []string{st.dim.Render("loading field…")}
		leftW = 18
	}
	left = append(append([]string(nil), left...), "")
	left = append(left, p.stats(d)...)
	if p.patterns > 0 {
		pic := p.pictureView()
		left = append(append(left, ""), pic...)
		for _, l := range pic {
			leftW = max(leftW, ansi.StringWidth(l))
		}
	}
	leftW = min(leftW, inner)

	rightW := inner - leftW - 2
	right := p.atomList(d, labels, rightW, innerH)
	body := make([]string, 0, innerH)
	if rightW < 12 { // too narrow for two columns: stack them
		body = append(append(body, left...), right...)
		return fr.render(st, body, p.w, p.h)
	}
	for i := range innerH {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		body = append(body, fit(l, leftW)+"  "+fit(r, rightW))
	}
	return fr.render(st, body, p.w, p.h)
}

// stats is the neuron's mean θ and H(Y).
func (p *inspector) stats(d *chartData) []string {
	st := p.c.st
	if p.layer >= len(d.snap.Layers) {
		return nil
	}
	ls := d.snap.Layers[p.layer]
	var out []string
	if p.neuron < len(ls.MeanTheta) {
		out = append(out, st.dim.Render("mean θ ")+st.text.Render(fmt.Sprintf("%.3f", ls.MeanTheta[p.neuron])))
	}
	if p.neuron < len(ls.Neurons) {
		hy := 0.0
		for _, a := range ls.Neurons[p.neuron] {
			hy += a
		}
		out = append(out, st.dim.Render("H(Y)   ")+st.text.Render(fmt.Sprintf("%.3f bit", hy)))
	}
	return out
}

// atomList lists the neuron's atoms in bits, with a heading when it fits.
func (p *inspector) atomList(d *chartData, labels []atomLabel, w, rows int) []string {
	st := p.c.st
	if p.layer >= len(d.snap.Layers) {
		return nil
	}
	ls := d.snap.Layers[p.layer]
	if p.neuron >= len(ls.Neurons) {
		return []string{st.dim.Render("no atoms yet")}
	}
	atoms := ls.Neurons[p.neuron]
	var out []string
	if len(atoms) < rows {
		out = append(out, st.dim.Render("atoms (bit)"))
	}
	nameW := 0
	for _, l := range labels {
		nameW = max(nameW, ansi.StringWidth(l.name))
	}
	for i, a := range atoms {
		if i >= len(labels) {
			break
		}
		l := labels[i]
		var b strings.Builder
		if w >= nameW+9 {
			b.WriteString(atomStyleFor(i, l.hres).Render(atomGlyph(i, l.hres)) + " ")
		}
		b.WriteString(st.text.Render(fit(l.name, nameW)) + " ")
		if w >= nameW+7 {
			b.WriteString(st.text.Render(padLeft(signed(a, 3), 6)))
		} else {
			b.WriteString(st.text.Render(padLeft(signed(a, 2), 5)))
		}
		out = append(out, b.String())
	}
	return out
}

// pictureView shows the stored pattern beside the state recalled from it.
func (p *inspector) pictureView() []string {
	st := p.c.st
	pic := p.pic
	head := fmt.Sprintf("pattern %d/%d", p.pat+1, p.patterns)
	if pic == nil || pic.k != p.pat || pic.pattern == nil {
		return []string{st.dim.Render(head), st.dim.Render("loading pattern…")}
	}
	w := pic.cols
	out := []string{st.text.Render(head), st.dim.Render(fit("stored", w) + "  recalled")}
	a := renderPicture(pic.pattern, pic.rows, pic.cols, p.c.color)
	b := renderPicture(pic.recalled, pic.rows, pic.cols, p.c.color)
	for i := range a {
		r := strings.Repeat(" ", w)
		if i < len(b) {
			r = b[i]
		}
		out = append(out, a[i]+"  "+r)
	}
	if pic.recalled == nil {
		return append(out, st.dim.Render("no recalled state"))
	}
	same, n := 0, 0
	for i, v := range pic.pattern {
		if v == 0 {
			continue
		}
		n++
		if pic.recalled[i] == v {
			same++
		}
	}
	mark := st.flashOK.Render("✓ recalled")
	if same < n {
		mark = st.failed.Render("✗ " + fmt.Sprint(n-same) + " bits off")
	}
	return append(out, mark+st.dim.Render(fmt.Sprintf("  %d/%d", same, n)))
}

// renderPicture draws a rows×cols ±1 picture, two cells per character. With
// colour '▀' takes the upper cell as foreground and the lower as background
// (+1 orange, −1 blue); without, the glyph shows which halves are +1
// (█ both, ▀ upper, ▄ lower, blank none).
func renderPicture(v []int8, rows, cols int, colour bool) []string {
	if v == nil {
		return nil
	}
	cell := func(r, c int) int8 {
		if r >= rows || r*cols+c >= len(v) {
			return 0
		}
		return v[r*cols+c]
	}
	tint := func(x int8) color.RGBA {
		switch {
		case x > 0:
			return fieldPos
		case x < 0:
			return fieldNeg
		}
		return fieldMid
	}
	var out []string
	var b strings.Builder
	for r := 0; r < rows; r += 2 {
		b.Reset()
		for c := range cols {
			top, bot := cell(r, c), cell(r+1, c)
			if colour {
				b.WriteString("\x1b[38;2;")
				writeRGB(&b, tint(top))
				b.WriteString(";48;2;")
				writeRGB(&b, tint(bot))
				b.WriteString("m▀")
				continue
			}
			switch {
			case top > 0 && bot > 0:
				b.WriteString("█")
			case top > 0:
				b.WriteString("▀")
			case bot > 0:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		if colour {
			b.WriteString("\x1b[m")
		}
		out = append(out, b.String())
	}
	return out
}
