package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// fullView is a view shown over the whole lab until a key is pressed.
type fullView int

const (
	overNone fullView = iota
	overGallery
	overConfusion
)

// openGallery shows the receptive fields of the goal pane's layer and asks
// the worker for them.
func (m Model) openGallery() (tea.Model, tea.Cmd) {
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	m.over = overGallery
	m.gal = nil
	m.galPage = 0
	m.askGallery()
	return m, nil
}

// galleryPages is how many pages of galleryMax fields the gallery's layer
// has (a 2000-neuron layer: 20).
func (m *Model) galleryPages() int {
	units := 0
	if l := m.goal.layer; l < len(m.goal.layers) {
		units = m.goal.layers[l].Units
	}
	return max((units+galleryMax-1)/galleryMax, 1)
}

// galleryKey pages the gallery (→ ← pgdn pgup, home end) when the layer has
// more than one page; it reports false for keys that close the view.
func (m *Model) galleryKey(k tea.KeyPressMsg) bool {
	n := m.galleryPages()
	if n < 2 {
		return false
	}
	p := m.galPage
	switch k.String() {
	case "right", "l", "pgdown", "space", "n":
		p = min(p+1, n-1)
	case "left", "h", "pgup", "N":
		p = max(p-1, 0)
	case "home", "g":
		p = 0
	case "end", "G":
		p = n - 1
	default:
		return false
	}
	if p != m.galPage {
		m.galPage = p
		m.gal = nil
		m.askGallery()
	}
	return true
}

// askGallery asks the worker for the gallery's fields at the current epoch.
func (m *Model) askGallery() {
	if m.w == nil || m.run.status != statusReady {
		return
	}
	l := m.goal.layer
	m.galAsked = m.run.data.snap.Epoch
	m.w.send(command{kind: cmdGallery, layer: l, neurons: m.galleryNeurons(l)})
}

// galleryMax is how many receptive fields the gallery shows at once: the
// paper's plot_weight_fields grid, 100 at 160×48.
const galleryMax = 100

// gallery is the receptive fields of a layer's neurons, fetched by the worker
// for the gallery view (F): the most informative first, silent ones dim.
type gallery struct {
	layer      int
	neurons    []int
	fields     [][]float64 // by neurons; nil where the layer has no field
	projected  bool        // carried down through the layers below (FieldProjector)
	rows, cols int
	epoch      int // the epoch they were fetched at
}

// galleryNeurons are the neurons of the gallery's page: galleryMax of them
// (page k shows ranks k·100+1 … (k+1)·100), most informative first when the
// run ranks them, else by index.
func (m *Model) galleryNeurons(layer int) []int {
	d := &m.run.data
	units := 0
	if layer < len(m.goal.layers) {
		units = m.goal.layers[layer].Units
	}
	var ord []int
	if m.galleryRanked(layer) {
		ord = d.snap.Layers[layer].ByInfo
	} else {
		for j := range units {
			ord = append(ord, j)
		}
	}
	lo := min(m.galPage*galleryMax, len(ord))
	return append([]int(nil), ord[lo:min(len(ord), lo+galleryMax)]...)
}

// galleryRanked reports whether the run ranks the layer's neurons by
// information (not before its first measurement).
func (m *Model) galleryRanked(layer int) bool {
	d := &m.run.data
	return d.has && layer < len(d.snap.Layers) && layer < len(m.goal.layers) &&
		len(d.snap.Layers[layer].ByInfo) == m.goal.layers[layer].Units
}

// galleryView tiles the fields over the screen: half-block pixels with
// colour, a glyph ramp without, each tile on its own symmetric scale.
func (m Model) galleryView() string {
	st := m.c.st
	g := m.gal
	w, h := m.c.width-4, m.c.height-6
	name := ""
	if g != nil && g.layer < len(m.goal.layers) {
		name = m.goal.layers[g.layer].Name
	}
	head := st.dialogTitle.Render("Receptive fields · "+name) + st.dim.Render(fmt.Sprintf(" · epoch %d", m.run.data.snap.Epoch))
	if g != nil && g.projected {
		head += st.dim.Render(" · " + projectedCaption)
	}
	pages := m.galleryPages()
	if pages > 1 {
		head += st.dim.Render(" · ") + st.bold.Render(fmt.Sprintf("page %d/%d", m.galPage+1, pages))
	}
	if g == nil || len(g.fields) == 0 || g.rows == 0 {
		return st.dialog.Render(head + "\n\n" + st.dim.Render("loading fields… (layers that do not read the image have none)"))
	}
	n := len(g.fields)
	cols, rows, tw, th := tileGrid(n, w, h-1)
	var silent []bool
	if ls := m.run.data.snap.Layers; g.layer < len(ls) {
		silent = ls[g.layer].IsSilent
	}
	var lines []string
	for r := range rows {
		if r > 0 {
			lines = append(lines, "")
		}
		block := make([]strings.Builder, th)
		for c := range cols {
			k := r*cols + c
			for y := range th {
				if c > 0 {
					block[y].WriteByte(' ')
				}
			}
			if k >= n {
				continue
			}
			if g.neurons[k] < len(silent) && silent[g.neurons[k]] {
				for y := range th { // a silent neuron's field is ~0: its noise would mislead
					s := ""
					if y == th/2 {
						s = "silent"
					}
					block[y].WriteString(st.faint.Render(center(s, tw)))
				}
				continue
			}
			tile := fieldTile(g.fields[k], g.rows, g.cols, tw, th, m.c.color)
			for y := range th {
				block[y].WriteString(tile[y])
			}
		}
		for y := range th {
			lines = append(lines, block[y].String())
		}
	}
	units := 0
	if g.layer < len(m.goal.layers) {
		units = m.goal.layers[g.layer].Units
	}
	feet := []string{
		fmt.Sprintf("%d of %d neurons, most informative first, left to right · each on its own scale · any key closes", n, units),
		fmt.Sprintf("%d of %d neurons, most informative first · any key closes", n, units),
	}
	if pages > 1 {
		lo := m.galPage * galleryMax
		feet = []string{
			fmt.Sprintf("neurons ranked %d–%d of %d by information, left to right · each on its own scale · ←→ page · home/end · other keys close", lo+1, lo+n, units),
			fmt.Sprintf("neurons ranked %d–%d of %d, most informative first · ←→ page · other keys close", lo+1, lo+n, units),
			fmt.Sprintf("ranked %d–%d of %d · ←→ page · other keys close", lo+1, lo+n, units),
		}
		if !m.galleryRanked(g.layer) {
			feet = []string{
				fmt.Sprintf("neurons %d–%d of %d by index (ranked by information after the first epoch) · ←→ page · home/end · other keys close", lo+1, lo+n, units),
				fmt.Sprintf("neurons %d–%d of %d by index · ←→ page · other keys close", lo+1, lo+n, units),
			}
		}
	}
	foot := feet[len(feet)-1]
	for _, f := range feet {
		if widthOf(f) <= w {
			foot = f
			break
		}
	}
	foot = fit(foot, w)
	return st.dialog.BorderForeground(oiSky).Padding(0, 1).Render(head + "\n" + strings.Join(lines, "\n") + "\n" + st.dim.Render(foot))
}

// tileGrid picks the columns and rows of n tiles in a w×h area (one blank
// column and row between tiles) that show the fields largest, square
// pixels (two per cell vertically): the tile size in cells.
func tileGrid(n, w, h int) (cols, rows, tw, th int) {
	best := -1
	for c := 1; c <= n; c++ {
		r := (n + c - 1) / c
		x, y := (w+1)/c-1, (h+1)/r-1
		if x < 2 || y < 1 {
			continue
		}
		if s := min(x, 2*y); s > best {
			best, cols, rows, tw, th = s, c, r, x, y
		}
	}
	if best < 0 {
		c := max(w/3, 1)
		return c, (n + c - 1) / c, 2, 1
	}
	return cols, rows, min(tw, 2*th+2), min(th, tw/2+1)
}

// fieldTile shrinks a rows×cols field to tw×th cells by averaging: two
// pixels per cell (upper, lower half block) with colour, one glyph without.
func fieldTile(w []float64, rows, cols, tw, th int, colour bool) []string {
	scale := fieldScale(w)
	if scale <= 0 {
		scale = 1
	}
	py := 2 * th
	if !colour {
		py = th
	}
	px := func(x, y int) float64 { // mean of the field over tile pixel (x, y)
		r0, r1 := y*rows/py, max((y+1)*rows/py, y*rows/py+1)
		c0, c1 := x*cols/tw, max((x+1)*cols/tw, x*cols/tw+1)
		s, k := 0.0, 0
		for r := r0; r < min(r1, rows); r++ {
			for c := c0; c < min(c1, cols); c++ {
				if v := w[r*cols+c]; finite(v) {
					s += v
					k++
				}
			}
		}
		if k == 0 {
			return 0
		}
		return s / float64(k) / scale
	}
	out := make([]string, th)
	var b strings.Builder
	for y := range th {
		b.Reset()
		for x := range tw {
			if !colour {
				g := rampGlyph(px(x, y))
				b.WriteByte(g)
				continue
			}
			b.WriteString("\x1b[38;2;")
			writeRGB(&b, fieldColor(px(x, 2*y)))
			b.WriteString(";48;2;")
			writeRGB(&b, fieldColor(px(x, 2*y+1)))
			b.WriteString("m▀")
		}
		if colour {
			b.WriteString("\x1b[m")
		}
		out[y] = b.String()
	}
	return out
}
