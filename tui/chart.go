package tui

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/canvas"
	"github.com/NimbleMarkets/ntcharts/v2/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/v2/linechart"
)

// series is one line of a chart. Lines differ by more than colour: a dash
// pattern (on/off runs of braille dots; nil = solid) and an end tag.
type series struct {
	xs, ys []float64
	style  lipgloss.Style
	dash   []int
	tag    string // drawn right of the last point when the cell is free
	// ghost draws the series behind the braille lines as a row of dots in
	// whole cells (˙ · . for the upper, middle and lower third of a cell): a
	// baseline, told from the run's lines by its glyph even without colour.
	ghost bool
	// fill draws the area between ys (below) and hi (above) in whole cells
	// of bandGlyph, behind the lines and the ghosts: a seed band.
	fill bool
	hi   []float64
}

// vmark is a vertical marker on the time axis: a γ change of one atom.
// Markers a few columns apart share one label.
type vmark struct {
	x        float64
	atom     string // e.g. "{12}", with a layer prefix where needed
	old, new float64
}

// chartSpec is everything a line chart needs; drawChart is a pure function of
// it, so panes cache the string and redraw only when the spec changes.
type chartSpec struct {
	w, h                   int
	minX, maxX, minY, maxY float64
	xFmt, yFmt             func(float64) string
	xStep, yStep           int
	series                 []series
	marks                  []vmark
	zero                   bool // dotted line at y = 0
	axis, label, mark      lipgloss.Style
	// xTicks, when set, are the x values labelled (a log axis's decades)
	// instead of round steps.
	xTicks []float64
	// latest labels the x of the last point of the non-ghost series on the
	// x axis (the epoch the legend's values are from).
	latest bool
}

// drawChart renders a line chart with ntcharts: axes and labels by the
// linechart, then one braille grid per series (not per segment: a grid per
// segment redraws the whole canvas every time and costs ~80 ms a frame), then
// the markers into the cells no series uses.
func drawChart(sp chartSpec) string {
	if sp.w < 8 || sp.h < 3 {
		return ""
	}
	if !finite(sp.minX) || !finite(sp.maxX) || !finite(sp.minY) || !finite(sp.maxY) {
		return "" // the tick loops below need finite ranges
	}
	if !(sp.maxX > sp.minX) {
		sp.maxX = sp.minX + 1
	}
	if !(sp.maxY > sp.minY) {
		sp.maxY = sp.minY + 1
	}
	for _, s := range sp.series {
		if s.tag != "" { // room right of the last points for the end tags
			sp.maxX += (sp.maxX - sp.minX) * 2 / float64(max(sp.w-8, 1))
			break
		}
	}
	// widen the y range to round values: whole label steps where that costs
	// little, else finer steps (a short chart would otherwise spend most of
	// its height on the rounding)
	ystep := yTickStep(sp.maxY-sp.minY, sp.h-2)
	if lo, hi := math.Floor(sp.minY/ystep+1e-9)*ystep, math.Ceil(sp.maxY/ystep-1e-9)*ystep; hi-lo > 1.5*(sp.maxY-sp.minY) {
		ystep = niceStep((sp.maxY - sp.minY) / float64(max(sp.h-2, 1)))
	}
	sp.minY = math.Floor(sp.minY/ystep+1e-9) * ystep
	sp.maxY = math.Ceil(sp.maxY/ystep-1e-9) * ystep
	xf := func(_ int, v float64) string { return sp.xFmt(v) }
	yf := func(_ int, v float64) string { return sp.yFmt(v) }
	lc := linechart.New(sp.w, sp.h, sp.minX, sp.maxX, sp.minY, sp.maxY,
		// y step 1: the linechart then sizes the label column for every row's
		// value, including both ends (ticks replaces the labels anyway)
		linechart.WithXYSteps(sp.xStep, min(sp.yStep, 1)),
		linechart.WithStyles(sp.axis, sp.label, sp.label),
		linechart.WithXLabelFormatter(xf),
		linechart.WithYLabelFormatter(yf),
	)
	lc.DrawXYAxisAndLabel()
	gw, gh := lc.GraphWidth(), lc.GraphHeight()
	if gw < 2 || gh < 1 {
		return canvasString(&lc.Canvas)
	}
	ox := 0
	if sp.yStep > 0 {
		ox = lc.Origin().X + 1
	}
	at := canvas.Point{X: ox, Y: 0}
	xcol := func(x float64) int {
		return ox + int(math.Round((x-sp.minX)/(sp.maxX-sp.minX)*float64(2*gw-1)))/2
	}
	sp.ticks(&lc, ox, gw, gh, xcol)

	if sp.zero && sp.minY < 0 && sp.maxY > 0 {
		row := gridRow(0, sp.minY, sp.maxY, gh) / 4
		for x := range gw {
			lc.Canvas.SetCell(canvas.Point{X: ox + x, Y: row}, canvas.NewCellWithStyle('┈', sp.axis))
		}
	}
	for _, s := range sp.series {
		if s.ghost {
			drawGhost(&lc.Canvas, s, sp, ox, gw, gh)
		}
	}
	for _, s := range sp.series {
		if s.fill {
			drawFill(&lc.Canvas, s, sp, ox, gw, gh)
		}
	}
	type tagAt struct {
		p     canvas.Point
		s     string
		style lipgloss.Style
	}
	var tags []tagAt
	for _, s := range sp.series {
		if s.ghost || s.fill {
			continue
		}
		g := graph.NewBrailleGrid(gw, gh, sp.minX, sp.maxX, sp.minY, sp.maxY)
		var prev, last canvas.Point
		have, any := false, false
		n := 0 // dots along the line, for the dash pattern
		set := func(q canvas.Point) {
			if dashOn(s.dash, n) {
				g.Set(q)
			}
			n++
		}
		for i := range s.xs {
			x, y := s.xs[i], s.ys[i]
			if !finite(x) || !finite(y) {
				have = false
				continue
			}
			p := g.GridPoint(canvas.Float64Point{X: x, Y: clampF(y, sp.minY, sp.maxY)})
			if have {
				for i, q := range graph.GetLinePoints(prev, p) {
					if i > 0 {
						set(q)
					}
				}
			} else {
				set(p)
			}
			prev, have = p, true
			last, any = p, true
		}
		// braille over the zero line replaces it, so clear those cells first
		pats := g.BraillePatterns()
		for y, row := range pats {
			for x, r := range row {
				if r != 0x2800 && lc.Canvas.Cell(at.Add(canvas.Point{X: x, Y: y})).Rune == '┈' {
					lc.Canvas.SetCell(at.Add(canvas.Point{X: x, Y: y}), canvas.Cell{})
				}
			}
		}
		graph.DrawBraillePatterns(&lc.Canvas, at, pats, s.style)
		if s.tag != "" && any {
			tags = append(tags, tagAt{canvas.Point{X: ox + last.X/2 + 1, Y: last.Y / 4}, s.tag, s.style})
		}
	}
	for _, t := range tags {
		if t.p.X < ox+gw && lc.Canvas.Cell(t.p).Rune == 0 {
			lc.Canvas.SetStringWithStyle(t.p, t.s, t.style)
		}
	}
	for _, grp := range groupMarks(sp.marks, xcol) {
		for _, col := range grp.cols {
			if col < ox || col >= ox+gw {
				continue
			}
			for y := range gh {
				p := canvas.Point{X: col, Y: y}
				if r := lc.Canvas.Cell(p).Rune; r == 0 || r == '┈' || r == bandGlyph || isGhost(r) {
					lc.Canvas.SetCell(p, canvas.NewCellWithStyle('┆', sp.mark))
				}
			}
		}
		col := grp.cols[len(grp.cols)-1]
		if col >= ox && col < ox+gw {
			placeLabel(&lc.Canvas, grp.label, col, ox, ox+gw, sp.mark)
		}
	}
	return canvasString(&lc.Canvas)
}

// ghostDots are a ghost series' glyphs for a point in the upper, middle and
// lower third of a cell.
var ghostDots = [3]rune{'˙', '·', '.'}

func isGhost(r rune) bool { return r == ghostDots[0] || r == ghostDots[1] || r == ghostDots[2] }

// drawGhost draws s as one dot per column, interpolated between its points,
// into cells that hold nothing but the zero line.
func drawGhost(c *canvas.Model, s series, sp chartSpec, ox, gw, gh int) {
	if len(s.xs) == 0 {
		return
	}
	for col := range gw {
		x := sp.minX + (float64(col)+0.5)/float64(gw)*(sp.maxX-sp.minX)
		y, ok := interpolate(s.xs, s.ys, x, (sp.maxX-sp.minX)/float64(gw))
		if !ok {
			continue
		}
		t := (sp.maxY - clampF(y, sp.minY, sp.maxY)) / (sp.maxY - sp.minY) * float64(gh)
		row := min(int(t), gh-1)
		third := clamp(int((t-float64(row))*3), 0, 2)
		p := canvas.Point{X: ox + col, Y: row}
		if r := c.Cell(p).Rune; r == 0 || r == '┈' {
			c.SetCell(p, canvas.NewCellWithStyle(ghostDots[third], s.style))
		}
	}
}

// drawFill fills, column by column, the cells between s's lower (ys) and
// upper (hi) bounds, interpolated between its points, where nothing but the
// zero line is drawn yet.
func drawFill(c *canvas.Model, s series, sp chartSpec, ox, gw, gh int) {
	if len(s.xs) == 0 || len(s.hi) != len(s.ys) {
		return
	}
	row := func(y float64) int {
		t := (sp.maxY - clampF(y, sp.minY, sp.maxY)) / (sp.maxY - sp.minY) * float64(gh)
		return min(int(t), gh-1)
	}
	slack := (sp.maxX - sp.minX) / float64(gw)
	for col := range gw {
		x := sp.minX + (float64(col)+0.5)/float64(gw)*(sp.maxX-sp.minX)
		lo, ok1 := interpolate(s.xs, s.ys, x, slack)
		hi, ok2 := interpolate(s.xs, s.hi, x, slack)
		if !ok1 || !ok2 {
			continue
		}
		for y := row(hi); y <= row(lo); y++ {
			p := canvas.Point{X: ox + col, Y: y}
			if r := c.Cell(p).Rune; r == 0 || r == '┈' {
				c.SetCell(p, canvas.NewCellWithStyle(bandGlyph, s.style))
			}
		}
	}
}

// interpolate is the series' y at x (xs ascending), linear between points;
// x within slack of an end counts as that end. False outside the series or
// next to a missing value.
func interpolate(xs, ys []float64, x, slack float64) (float64, bool) {
	n := len(xs)
	if n == 0 || x < xs[0]-slack/2 || x > xs[n-1]+slack/2 {
		return 0, false
	}
	i := sort.SearchFloat64s(xs, x) // first xs[i] ≥ x
	switch {
	case i == 0:
		return ys[0], finite(ys[0])
	case i == n:
		return ys[n-1], finite(ys[n-1])
	}
	a, b := ys[i-1], ys[i]
	if !finite(a) || !finite(b) {
		return 0, false
	}
	f := (x - xs[i-1]) / (xs[i] - xs[i-1])
	return a + f*(b-a), true
}

// markGroup is one or more γ markers close enough to share a label.
type markGroup struct {
	cols  []int
	label string
}

// groupMarks merges markers whose columns lie within a few cells of the
// previous one into groups with one label: "γ{12} 0.00→0.50" for one change,
// "γ{12} 0.00→0.50 (5 changes)" for several changes of one atom (first old
// value, last new one), "γ{12} {1} (3 changes)" across atoms.
func groupMarks(marks []vmark, xcol func(float64) int) []markGroup {
	const near = 3
	sorted := slices.Clone(marks)
	slices.SortStableFunc(sorted, func(a, b vmark) int { return cmp.Compare(a.x, b.x) })
	var out []markGroup
	var run []vmark
	var cols []int
	flush := func() {
		if len(run) == 0 {
			return
		}
		out = append(out, markGroup{cols: slices.Compact(cols), label: markLabel(run)})
		run, cols = nil, nil
	}
	for _, mk := range sorted {
		col := xcol(mk.x)
		if len(cols) > 0 && col-cols[len(cols)-1] > near {
			flush()
		}
		run = append(run, mk)
		cols = append(cols, col)
	}
	flush()
	return out
}

func markLabel(run []vmark) string {
	first, last := run[0], run[len(run)-1]
	var atoms []string
	for _, mk := range run {
		if !slices.Contains(atoms, mk.atom) {
			atoms = append(atoms, mk.atom)
		}
	}
	switch {
	case len(run) == 1:
		return fmt.Sprintf("γ%s %s→%s", first.atom, trimGamma(first.old), trimGamma(first.new))
	case len(atoms) == 1:
		return fmt.Sprintf("γ%s %s→%s (%d changes)", first.atom, trimGamma(first.old), trimGamma(last.new), len(run))
	}
	return fmt.Sprintf("γ%s (%d changes)", strings.Join(atoms, " "), len(run))
}

// ticks replaces the linechart's labels (one every few cells, at values that
// are not round) with labels at round values: 1-2-5 steps, at the exact
// columns and rows where the data of those values is drawn.
func (sp chartSpec) ticks(lc *linechart.Model, ox, gw, gh int, xcol func(float64) int) {
	c := &lc.Canvas
	oy := lc.Origin().Y
	blank := canvas.Cell{}
	if sp.yStep > 0 {
		for y := 0; y <= oy; y++ {
			for x := 0; x < ox-1; x++ {
				c.SetCell(canvas.Point{X: x, Y: y}, blank)
			}
		}
		step := yTickStep(sp.maxY-sp.minY, gh)
		for v := math.Ceil(sp.minY/step) * step; v <= sp.maxY+1e-9; v += step {
			if math.Abs(v) < step*1e-6 {
				v = 0 // no "-0%"
			}
			row := gridRow(v, sp.minY, sp.maxY, gh) / 4
			s := sp.yFmt(v)
			if row < 0 || row >= gh {
				continue
			}
			c.SetStringWithStyle(canvas.Point{X: max(ox-1-len(s), 0), Y: row}, s, sp.label)
			c.SetCell(canvas.Point{X: ox - 1, Y: row}, canvas.NewCellWithStyle('┤', sp.axis))
		}
	}
	if sp.xStep > 0 && oy+1 < c.Height() {
		for x := range c.Width() {
			c.SetCell(canvas.Point{X: x, Y: oy + 1}, blank)
		}
		vals := sp.xTicks
		if vals == nil {
			wide := len(sp.xFmt(sp.maxX)) + 2
			step := math.Max(niceStep((sp.maxX-sp.minX)*float64(max(wide, 4))/float64(gw)), 1)
			for v := math.Ceil(sp.minX/step) * step; v <= sp.maxX+1e-9; v += step {
				vals = append(vals, v)
			}
		}
		// the latest x goes first, so round ticks that would touch it give way
		type tick struct {
			col    int
			s      string
			latest bool
		}
		var want []tick
		if x, ok := sp.latestX(); ok {
			want = append(want, tick{xcol(x), sp.xFmt(x), true})
		}
		for _, v := range vals {
			want = append(want, tick{col: xcol(v), s: sp.xFmt(v)})
		}
		var placed []tick
		for _, t := range want {
			if t.col+len(t.s) > c.Width() || t.col < 0 {
				continue
			}
			clash := slices.ContainsFunc(placed, func(p tick) bool {
				return t.col <= p.col+len(p.s) && p.col <= t.col+len(t.s)
			})
			if clash {
				continue
			}
			placed = append(placed, t)
			style := sp.label
			if t.latest {
				style = sp.label.Bold(true)
			}
			c.SetStringWithStyle(canvas.Point{X: t.col, Y: oy + 1}, t.s, style)
			if t.col >= ox {
				c.SetCell(canvas.Point{X: t.col, Y: oy}, canvas.NewCellWithStyle('┬', sp.axis))
			}
		}
	}
}

// latestX is the largest last x of the non-ghost series, when asked for.
func (sp chartSpec) latestX() (float64, bool) {
	if !sp.latest {
		return 0, false
	}
	best, ok := math.Inf(-1), false
	for _, s := range sp.series {
		if n := len(s.xs); n > 0 && !s.ghost && !s.fill && s.xs[n-1] > best {
			best, ok = s.xs[n-1], true
		}
	}
	return best, ok
}

// yTickStep spaces y labels about every third row.
func yTickStep(span float64, rows int) float64 {
	return niceStep(span / math.Max(float64(rows)/3, 1))
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if !(raw > 0) || !finite(raw) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw-1e-12 {
			return m * p
		}
	}
	return 10 * p
}

// dashOn reports whether dot n of a line is drawn under pattern (on, off, …).
func dashOn(pattern []int, n int) bool {
	if len(pattern) == 0 {
		return true
	}
	period := 0
	for _, v := range pattern {
		period += v
	}
	n %= period
	for i, v := range pattern {
		if n < v {
			return i%2 == 0
		}
		n -= v
	}
	return true
}

// placeLabel writes a marker label on the top row, right of the marker if it
// fits in free cells, else left of it, else not at all.
func placeLabel(c *canvas.Model, label string, col, lo, hi int, s lipgloss.Style) {
	rs := []rune(label)
	free := func(from int) bool {
		if from < lo || from+len(rs) > hi {
			return false
		}
		for i := range rs {
			if r := c.Cell(canvas.Point{X: from + i, Y: 0}).Rune; r != 0 && r != '┆' && r != '┈' {
				return false
			}
		}
		return true
	}
	for _, from := range []int{col + 1, col - len(rs)} {
		if free(from) {
			c.SetRunesWithStyle(canvas.Point{X: from, Y: 0}, rs, s)
			return
		}
	}
}

// gridRow maps y to a braille-grid row (4 per cell) of a graph gh cells high.
func gridRow(y, minY, maxY float64, gh int) int {
	n := 4*gh - 1
	return n - int(math.Round((y-minY)/(maxY-minY)*float64(n)))
}

func clampF(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// niceRange widens [lo, hi] to multiples of step with a little headroom.
func niceRange(lo, hi, step float64) (float64, float64) {
	if !finite(lo) || !finite(hi) {
		return 0, 1
	}
	a := math.Floor(lo/step) * step
	b := math.Ceil(hi/step) * step
	if b-a < step {
		b = a + step
	}
	return a, b
}

// canvasString serialises a canvas. ntcharts' own View renders every cell
// through lipgloss (a third of a frame); this writes one SGR sequence per run
// of cells with the same foreground and weight (all the chart styles set).
func canvasString(c *canvas.Model) string {
	type pen struct {
		r, g, b uint32
		fg      bool
		bold    bool
	}
	penOf := func(s lipgloss.Style) pen {
		p := pen{bold: s.GetBold()}
		if fg := s.GetForeground(); fg != nil {
			if _, none := fg.(lipgloss.NoColor); !none {
				p.r, p.g, p.b, _ = fg.RGBA()
				p.fg = true
			}
		}
		return p
	}
	w, h := c.Width(), c.Height()
	var b strings.Builder
	b.Grow(w * h * 4)
	for y := range h {
		if y > 0 {
			b.WriteByte('\n')
		}
		var cur pen
		for x := range w {
			cell := c.Cell(canvas.Point{X: x, Y: y})
			if cell.Rune == 0 || cell.Rune == ' ' {
				b.WriteByte(' ') // blanks keep the current pen: fewer sequences
				continue
			}
			if p := penOf(cell.Style); p != cur {
				if cur != (pen{}) {
					b.WriteString("\x1b[m")
				}
				if p != (pen{}) {
					b.WriteString("\x1b[")
					if p.bold {
						b.WriteString("1;")
					}
					if p.fg {
						b.WriteString("38;2;")
						b.WriteString(strconv.Itoa(int(p.r >> 8)))
						b.WriteByte(';')
						b.WriteString(strconv.Itoa(int(p.g >> 8)))
						b.WriteByte(';')
						b.WriteString(strconv.Itoa(int(p.b >> 8)))
					} else {
						b.WriteString("39")
					}
					b.WriteByte('m')
				}
				cur = p
			}
			b.WriteRune(cell.Rune)
		}
		if cur != (pen{}) {
			b.WriteString("\x1b[m")
		}
	}
	return b.String()
}
