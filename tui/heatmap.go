package tui

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Heatmap is one or more metrics over a grid of one or two varied
// parameters (a γ sweep's result), for [RunHeatmap]. With two axes the
// columns follow X (the sweep's first varied entry, as `plot` draws it) and
// the rows Y; with one, Y is empty and each X value is a bar.
type Heatmap struct {
	Title   string    // first line, e.g. "sweep runs/s1"
	About   string    // second line, e.g. "mnist-readout · layer readout · 3 epochs · 2 seeds"
	XName   string    // e.g. "γ{1}{2}"
	XValues []float64 // column values
	YName   string    // "" with one axis
	YValues []float64 // row values
	// Metrics are what the cells can show (m cycles through them), e.g.
	// final test accuracy, validation accuracy, an atom; the first is shown
	// first.
	Metrics []HeatMetric
	// StarBy is the metric whose highest mean is starred: validation
	// accuracy, so that choosing a point does not peek at the test set.
	StarBy int
	// Runs lists each cell's run files (Cells' order), for enter to open
	// one in the lab; may be nil.
	Runs [][]string
	// Seeds is the number of seeds per point: with one, no spread is shown.
	Seeds int
}

// HeatMetric is one metric over the heatmap's cells (row-major: Y rows, X
// columns).
type HeatMetric struct {
	Label string // e.g. "final test accuracy (%)"
	Short string // e.g. "validation accuracy", for the star's line; "" = Label
	Cells []HeatCell
}

// HeatCell is one grid point: the mean over its runs (in display units, NaN
// when none finished), their standard deviation, how many finished and how
// many diverged.
type HeatCell struct {
	Mean, SD    float64
	N, Diverged int
}

// cellsOf is metric k's cells (nil when there is no such metric).
func (h *Heatmap) cellsOf(k int) []HeatCell {
	if k < 0 || k >= len(h.Metrics) {
		return nil
	}
	return h.Metrics[k].Cells
}

// atOf returns metric k's cell (row i, column j); with one axis i is 0.
func (h *Heatmap) atOf(k, i, j int) HeatCell {
	cells := h.cellsOf(k)
	c := i*len(h.XValues) + j
	if c < 0 || c >= len(cells) {
		return HeatCell{Mean: math.NaN()}
	}
	return cells[c]
}

// rows is the number of grid rows (1 with one axis).
func (h *Heatmap) rows() int {
	if h.YName == "" {
		return 1
	}
	return len(h.YValues)
}

// heatModel is the full-screen sweep view: m switches the metric, the
// arrows move the cursor over the cells, enter opens the cell's run in the
// lab, q quits.
type heatModel struct {
	h      Heatmap
	st     *styles
	quit   key.Binding
	colour bool
	mode   string
	w, ht  int
	metric int    // shown metric
	ci, cj int    // cursor cell (row, column)
	open   string // the run file chosen with enter
}

// at returns the shown metric's cell (row i, column j).
func (m heatModel) at(i, j int) HeatCell { return m.h.atOf(m.metric, i, j) }

// newHeatModel builds the sweep view; colour is "auto", "always" or "never".
func newHeatModel(h Heatmap, colour string) heatModel {
	if colour == "" {
		colour = "auto"
	}
	return heatModel{h: h, st: newStyles(), colour: colourOn(colour), mode: colour,
		quit: key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"))}
}

// RunHeatmap shows h full-screen until the user presses q, or enter on a
// cell with runs: then it returns that cell's first run file, for the
// caller to open in the lab. colour is "auto" (honours NO_COLOR), "always"
// or "never".
func RunHeatmap(h Heatmap, colour string) (open string, err error) {
	if !validColor(colour) {
		return "", fmt.Errorf("--color must be auto, always or never, not %q", colour)
	}
	if len(h.XValues) == 0 || len(h.Metrics) == 0 {
		return "", fmt.Errorf("heatmap: no points or no metrics")
	}
	for _, mt := range h.Metrics {
		if len(mt.Cells) != h.rows()*len(h.XValues) {
			return "", fmt.Errorf("heatmap: %d cells of %s for %d×%d points", len(mt.Cells), mt.Label, h.rows(), len(h.XValues))
		}
	}
	m := newHeatModel(h, colour)
	final, err := tea.NewProgram(m, programOptions(Options{Color: m.mode})...).Run()
	if fm, ok := final.(heatModel); ok {
		open = fm.open
	}
	return open, err
}

func (m heatModel) Init() tea.Cmd { return nil }

func (m heatModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.ht = msg.Width, msg.Height
	case tea.ColorProfileMsg:
		if m.mode == "auto" && !noColorEnv() {
			m.colour = msg.Profile > colorprofile.ASCII
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

// key moves the cursor, switches the metric, opens a cell or quits.
func (m heatModel) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.quit) {
		return m, tea.Quit
	}
	switch k.String() {
	case "m", "tab":
		m.metric = (m.metric + 1) % max(len(m.h.Metrics), 1)
	case "M", "shift+tab":
		n := max(len(m.h.Metrics), 1)
		m.metric = (m.metric - 1 + n) % n
	case "left", "h":
		m.cj = max(m.cj-1, 0)
	case "right", "l":
		m.cj = min(m.cj+1, len(m.h.XValues)-1)
	case "up", "k":
		m.ci = max(m.ci-1, 0)
	case "down", "j":
		m.ci = min(m.ci+1, m.h.rows()-1)
	case "enter":
		if runs := m.cellRuns(m.ci, m.cj); len(runs) > 0 {
			m.open = runs[0]
			return m, tea.Quit
		}
	}
	return m, nil
}

// cellRuns are the run files of cell (i, j).
func (m heatModel) cellRuns(i, j int) []string {
	k := i*len(m.h.XValues) + j
	if k < 0 || k >= len(m.h.Runs) {
		return nil
	}
	return m.h.Runs[k]
}

func (m heatModel) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "infomorph-tui · " + m.h.Title
	return v
}

// render is the screen: a frame with the title, the grid (or bars) and a
// colour scale.
func (m heatModel) render() string {
	if m.w <= 0 || m.ht <= 0 {
		return ""
	}
	st := m.st
	inner, innerH := m.w-2, m.ht-2
	label := ""
	if m.metric < len(m.h.Metrics) {
		label = m.h.Metrics[m.metric].Label
	}
	how := " · mean over seeds (± s.d.)"
	if m.h.Seeds == 1 {
		how = " · one seed per point"
	}
	metrics := ""
	if len(m.h.Metrics) > 1 {
		metrics = st.helpKey.Render("  m") + st.helpDesc.Render(fmt.Sprintf(" next metric (%d/%d)", m.metric+1, len(m.h.Metrics)))
	}
	body := []string{st.text.Render(m.h.About), st.bold.Render(label) + st.dim.Render(how) + metrics, ""}
	lo, hi := m.span()
	if m.h.YName == "" {
		body = append(body, m.bars(inner, lo, hi)...)
	} else {
		body = append(body, m.grid(inner, innerH-len(body)-4, lo, hi)...)
	}
	body = append(body, "", m.scale(inner, lo, hi))
	if b := m.best(); b != "" {
		body = append(body, st.text.Render(b))
	}
	body = append(body, m.cursorLine(inner))
	fr := frame{title: m.h.Title, hint: "q quit", focused: true}
	return fr.render(st, body, m.w, m.ht)
}

// cursorLine describes the cell under the cursor and what enter does.
func (m heatModel) cursorLine(w int) string {
	st := m.st
	c := m.at(m.ci, m.cj)
	where := m.h.XName + " = " + num2(m.h.XValues[m.cj])
	if m.h.YName != "" {
		where += ", " + m.h.YName + " = " + num2(m.h.YValues[m.ci])
	}
	s := st.cursor.Render("▸ ") + st.text.Render(where+" → "+m.stat(c))
	if runs := m.cellRuns(m.ci, m.cj); len(runs) > 0 {
		s += st.helpKey.Render("  enter") + st.helpDesc.Render(" opens "+runs[0])
	}
	return fit(s+st.helpDesc.Render("  ←↑↓→ move"), w)
}

// stat is a cell's mean, with its spread over several seeds.
func (m heatModel) stat(c HeatCell) string {
	switch {
	case c.N > 1:
		return fmt.Sprintf("%s ± %s (n = %d)", num2(c.Mean), num2(c.SD), c.N)
	case c.N == 1:
		return num2(c.Mean) + " (one run)"
	}
	return cellText(c)
}

// span is the range of the finished cells' means.
func (m heatModel) span() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range m.h.cellsOf(m.metric) {
		if c.N > 0 && finite(c.Mean) {
			lo, hi = math.Min(lo, c.Mean), math.Max(hi, c.Mean)
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

// best names the starred point: the highest mean of the StarBy metric
// (validation), with its value of the shown metric.
func (m heatModel) best() string {
	bi, bj := m.bestCell()
	if bi < 0 {
		return "no finished runs yet"
	}
	where := m.h.XName + " = " + num2(m.h.XValues[bj])
	if m.h.YName != "" {
		where += ", " + m.h.YName + " = " + num2(m.h.YValues[bi])
	}
	by := ""
	if k := m.h.StarBy; k < len(m.h.Metrics) {
		by = m.h.Metrics[k].Short
		if by == "" {
			by = m.h.Metrics[k].Label
		}
	}
	return fmt.Sprintf("★ best %s: %s → %s", by, where, m.stat(m.at(bi, bj)))
}

// cellText is a cell's value, or why it has none.
func cellText(c HeatCell) string {
	switch {
	case c.N > 0 && finite(c.Mean):
		return num2(c.Mean)
	case c.Diverged > 0:
		return "diverged"
	}
	return "·"
}

// grid draws the two-axis heatmap: cells coloured by mean, values printed.
func (m heatModel) grid(w, h int, lo, hi float64) []string {
	st := m.st
	hm := &m.h
	labW := len(hm.YName) + 2
	for _, v := range hm.YValues {
		labW = max(labW, len(num2(v))+1)
	}
	cw := 8
	for _, c := range hm.cellsOf(m.metric) {
		cw = max(cw, len(cellText(c))+3)
	}
	cols := len(hm.XValues)
	if avail := (w - labW - 1) / cols; avail > cw {
		cw = min(avail, 14)
	}
	ch := 1 // rows per cell: 3 (value, ± s.d.) when they fit, then 2
	switch n := len(hm.YValues); {
	case n*3+2 <= h:
		ch = 3
	case n*2+2 <= h:
		ch = 2
	}
	bi, bj := m.bestCell()
	var out []string
	out = append(out, fit(strings.Repeat(" ", labW+1)+st.dim.Render(hm.XName+" →"), w))
	head := padLeft(st.dim.Render(hm.YName+" ↓"), labW) + " "
	for _, x := range hm.XValues {
		head += st.bold.Render(center(num2(x), cw))
	}
	out = append(out, head)
	for i, y := range hm.YValues {
		for r := range ch {
			var b strings.Builder
			if r == (ch-1)/2 {
				b.WriteString(st.bold.Render(padLeft(num2(y), labW)) + " ")
			} else {
				b.WriteString(strings.Repeat(" ", labW+1))
			}
			for j := range hm.XValues {
				c := m.at(i, j)
				txt := ""
				switch {
				case r == (ch-1)/2:
					txt = cellText(c)
					if i == bi && j == bj {
						txt = "★" + txt
					}
				case r == (ch-1)/2+1 && c.N > 1:
					txt = "±" + num2(c.SD)
				}
				if i == m.ci && j == m.cj && r == (ch-1)/2 {
					txt = "▸" + txt + "◂"
				}
				b.WriteString(m.paint(c, center(txt, cw), lo, hi))
			}
			out = append(out, b.String())
		}
	}
	return out
}

// bestCell is the index of the StarBy metric's highest mean (-1, -1 when
// none).
func (m heatModel) bestCell() (int, int) {
	bi, bj := -1, -1
	k := m.h.StarBy
	for i := range m.h.rows() {
		for j := range m.h.XValues {
			c := m.h.atOf(k, i, j)
			if c.N > 0 && finite(c.Mean) && (bi < 0 || c.Mean > m.h.atOf(k, bi, bj).Mean) {
				bi, bj = i, j
			}
		}
	}
	return bi, bj
}

// bars draws one axis: a bar per value, its length and colour by the mean.
func (m heatModel) bars(w int, lo, hi float64) []string {
	st := m.st
	hm := &m.h
	labW := len(hm.XName)
	for _, v := range hm.XValues {
		labW = max(labW, len(num2(v)))
	}
	valW := 0
	for _, c := range hm.cellsOf(m.metric) {
		valW = max(valW, len(m.stat(c))+2)
	}
	barW := max(w-labW-valW-5, 10)
	// bars start a little below the lowest mean so that differences show
	base := lo - 0.1*math.Max(hi-lo, 1)
	_, bj := m.bestCell()
	out := []string{st.dim.Render(padLeft(hm.XName, labW+1)) + st.dim.Render("  bar from "+num2(base))}
	for j, x := range hm.XValues {
		c := m.at(0, j)
		n := 0
		if c.N > 0 && finite(c.Mean) && hi > base {
			n = clamp(int(math.Round((c.Mean-base)/(hi-base)*float64(barW))), 1, barW)
		}
		bar := m.paint(c, strings.Repeat("█", n), lo, hi) + st.faint.Render(strings.Repeat("░", barW-n))
		val := m.stat(c)
		if j == bj {
			val = "★ " + val
		}
		lab := st.bold.Render(padLeft(num2(x), labW))
		if j == m.cj {
			lab = st.cursor.Render("▸") + lab
		} else {
			lab = " " + lab
		}
		out = append(out, lab+"  "+bar+"  "+st.text.Render(val))
	}
	return out
}

// scale is the colour scale from the lowest to the highest mean.
func (m heatModel) scale(w int, lo, hi float64) string {
	n := clamp(w-30, 10, 40)
	var b strings.Builder
	for i := range n {
		t := float64(i) / float64(n-1)
		if m.colour {
			b.WriteString(bgSeq(heatColor(t)) + " \x1b[m")
		} else {
			b.WriteString(string(" .:-=+*#%@"[min(int(t*10), 9)]))
		}
	}
	return m.st.dim.Render(num2(lo)+" ") + b.String() + m.st.dim.Render(" "+num2(hi))
}

// paint colours a cell's text by its mean (no colour: plain text).
func (m heatModel) paint(c HeatCell, s string, lo, hi float64) string {
	if !m.colour || c.N == 0 || !finite(c.Mean) {
		return s
	}
	t := 0.5
	if hi > lo {
		t = (c.Mean - lo) / (hi - lo)
	}
	bg := heatColor(t)
	fg := color.RGBA{0xff, 0xff, 0xff, 0xff}
	if 0.299*float64(bg.R)+0.587*float64(bg.G)+0.114*float64(bg.B) > 140 {
		fg = color.RGBA{0x10, 0x10, 0x10, 0xff}
	}
	var b strings.Builder
	b.WriteString("\x1b[38;2;")
	writeRGB(&b, fg)
	b.WriteString(";48;2;")
	writeRGB(&b, bg)
	b.WriteString("m")
	b.WriteString(s)
	b.WriteString("\x1b[m")
	return b.String()
}

func bgSeq(c color.RGBA) string {
	var b strings.Builder
	b.WriteString("\x1b[48;2;")
	writeRGB(&b, c)
	b.WriteString("m")
	return b.String()
}

// viridis stops: perceptually uniform and colour-blind safe.
var viridis = []color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x3b, 0x52, 0x8b, 0xff}, {0x21, 0x91, 0x8c, 0xff},
	{0x5e, 0xc9, 0x62, 0xff}, {0xfd, 0xe7, 0x25, 0xff},
}

// heatColor maps t ∈ [0, 1] onto viridis.
func heatColor(t float64) color.RGBA {
	t = clampF(t, 0, 1) * float64(len(viridis)-1)
	i := min(int(t), len(viridis)-2)
	f := t - float64(i)
	a, b := viridis[i], viridis[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

func num2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
