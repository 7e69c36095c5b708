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

// Heatmap is a metric over a grid of one or two varied parameters (a γ
// sweep's result), for [RunHeatmap]. With two axes the rows follow Y and the
// columns X; with one, Y is empty and each X value is a bar.
type Heatmap struct {
	Title   string    // first line, e.g. "sweep runs/s1"
	About   string    // second line, e.g. "mnist-readout · layer readout · 3 epochs · 2 seeds"
	Metric  string    // what the cells show, e.g. "final test accuracy (%)"
	XName   string    // e.g. "γ{1}{2}"
	XValues []float64 // column values
	YName   string    // "" with one axis
	YValues []float64 // row values
	Cells   []HeatCell
}

// HeatCell is one grid point: the mean over its runs (in display units, NaN
// when none finished), their standard deviation, how many finished and how
// many diverged.
type HeatCell struct {
	Mean, SD    float64
	N, Diverged int
}

// at returns cell (row i, column j); with one axis i is 0.
func (h *Heatmap) at(i, j int) HeatCell {
	k := i*len(h.XValues) + j
	if k < 0 || k >= len(h.Cells) {
		return HeatCell{Mean: math.NaN()}
	}
	return h.Cells[k]
}

// rows is the number of grid rows (1 with one axis).
func (h *Heatmap) rows() int {
	if h.YName == "" {
		return 1
	}
	return len(h.YValues)
}

// heatModel is the full-screen sweep view: q quits.
type heatModel struct {
	h      Heatmap
	st     *styles
	quit   key.Binding
	colour bool
	mode   string
	w, ht  int
}

// newHeatModel builds the sweep view; colour is "auto", "always" or "never".
func newHeatModel(h Heatmap, colour string) heatModel {
	if colour == "" {
		colour = "auto"
	}
	return heatModel{h: h, st: newStyles(), colour: colourOn(colour), mode: colour,
		quit: key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"))}
}

// RunHeatmap shows h full-screen until the user presses q; colour is
// "auto" (honours NO_COLOR), "always" or "never".
func RunHeatmap(h Heatmap, colour string) error {
	if !validColor(colour) {
		return fmt.Errorf("--color must be auto, always or never, not %q", colour)
	}
	if len(h.XValues) == 0 || len(h.Cells) != h.rows()*len(h.XValues) {
		return fmt.Errorf("heatmap: %d cells for %d×%d points", len(h.Cells), h.rows(), len(h.XValues))
	}
	m := newHeatModel(h, colour)
	_, err := tea.NewProgram(m, programOptions(Options{Color: m.mode})...).Run()
	return err
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
		if key.Matches(msg, m.quit) {
			return m, tea.Quit
		}
	}
	return m, nil
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
	body := []string{st.text.Render(m.h.About), st.dim.Render(m.h.Metric + " · mean over seeds (± s.d.)"), ""}
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
	fr := frame{title: m.h.Title, hint: "q quit", focused: true}
	return fr.render(st, body, m.w, m.ht)
}

// span is the range of the finished cells' means.
func (m heatModel) span() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range m.h.Cells {
		if c.N > 0 && finite(c.Mean) {
			lo, hi = math.Min(lo, c.Mean), math.Max(hi, c.Mean)
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi
}

// best names the highest mean.
func (m heatModel) best() string {
	bi, bj := m.bestCell()
	if bi < 0 {
		return "no finished runs yet"
	}
	c := m.h.at(bi, bj)
	where := m.h.XName + " = " + num2(m.h.XValues[bj])
	if m.h.YName != "" {
		where = m.h.YName + " = " + num2(m.h.YValues[bi]) + ", " + where
	}
	if c.N < 2 {
		return fmt.Sprintf("best ★ %s → %s (n = %d)", where, num1(c.Mean), c.N)
	}
	return fmt.Sprintf("best ★ %s → %s ± %s (n = %d)", where, num1(c.Mean), num1(c.SD), c.N)
}

// cellText is a cell's value, or why it has none.
func cellText(c HeatCell) string {
	switch {
	case c.N > 0 && finite(c.Mean):
		return num1(c.Mean)
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
	for _, c := range hm.Cells {
		cw = max(cw, len(cellText(c))+2)
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
				c := hm.at(i, j)
				txt := ""
				switch {
				case r == (ch-1)/2:
					txt = cellText(c)
					if i == bi && j == bj {
						txt = "★" + txt
					}
				case r == (ch-1)/2+1 && c.N > 1:
					txt = "±" + num1(c.SD)
				}
				b.WriteString(m.paint(c, center(txt, cw), lo, hi))
			}
			out = append(out, b.String())
		}
	}
	return out
}

// bestCell is the index of the highest mean (-1, -1 when none).
func (m heatModel) bestCell() (int, int) {
	bi, bj := -1, -1
	for i := range m.h.rows() {
		for j := range m.h.XValues {
			c := m.h.at(i, j)
			if c.N > 0 && finite(c.Mean) && (bi < 0 || c.Mean > m.h.at(bi, bj).Mean) {
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
	for _, c := range hm.Cells {
		valW = max(valW, len(cellText(c)+" ± "+num1(c.SD)+" (n = 99)"))
	}
	barW := max(w-labW-valW-4, 10)
	// bars start a little below the lowest mean so that differences show
	base := lo - 0.1*math.Max(hi-lo, 1)
	_, bj := m.bestCell()
	out := []string{st.dim.Render(padLeft(hm.XName, labW)) + st.dim.Render("  bar from "+num1(base))}
	for j, x := range hm.XValues {
		c := hm.at(0, j)
		n := 0
		if c.N > 0 && finite(c.Mean) && hi > base {
			n = clamp(int(math.Round((c.Mean-base)/(hi-base)*float64(barW))), 1, barW)
		}
		bar := m.paint(c, strings.Repeat("█", n), lo, hi) + st.faint.Render(strings.Repeat("░", barW-n))
		val := cellText(c)
		switch {
		case c.N > 1:
			val += fmt.Sprintf(" ± %s (n = %d)", num1(c.SD), c.N)
		case c.N == 1:
			val += " (n = 1)"
		}
		if j == bj {
			val = "★ " + val
		}
		out = append(out, st.bold.Render(padLeft(num2(x), labW))+"  "+bar+"  "+st.text.Render(val))
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
	return m.st.dim.Render(num1(lo)+" ") + b.String() + m.st.dim.Render(" "+num1(hi))
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

func num1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func num2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
