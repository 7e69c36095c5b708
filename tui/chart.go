package tui

import (
	"math"

	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/canvas"
	"github.com/NimbleMarkets/ntcharts/v2/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/v2/linechart"
)

// series is one line of a chart.
type series struct {
	xs, ys []float64
	style  lipgloss.Style
}

// vmark is a vertical marker on the time axis.
type vmark struct {
	x     float64
	label string
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
}

// drawChart renders a line chart with ntcharts: axes and labels by the
// linechart, then one braille grid per series (not per segment: a grid per
// segment redraws the whole canvas every time and costs ~80 ms a frame), then
// the markers into the cells no series uses.
func drawChart(sp chartSpec) string {
	if sp.w < 8 || sp.h < 3 {
		return ""
	}
	if !(sp.maxX > sp.minX) {
		sp.maxX = sp.minX + 1
	}
	if !(sp.maxY > sp.minY) {
		sp.maxY = sp.minY + 1
	}
	xf := func(_ int, v float64) string { return sp.xFmt(v) }
	yf := func(_ int, v float64) string { return sp.yFmt(v) }
	lc := linechart.New(sp.w, sp.h, sp.minX, sp.maxX, sp.minY, sp.maxY,
		linechart.WithXYSteps(sp.xStep, sp.yStep),
		linechart.WithStyles(sp.axis, sp.label, sp.label),
		linechart.WithXLabelFormatter(xf),
		linechart.WithYLabelFormatter(yf),
	)
	lc.DrawXYAxisAndLabel()
	gw, gh := lc.GraphWidth(), lc.GraphHeight()
	if gw < 2 || gh < 1 {
		return lc.View()
	}
	ox := 0
	if sp.yStep > 0 {
		ox = lc.Origin().X + 1
	}
	at := canvas.Point{X: ox, Y: 0}

	if sp.zero && sp.minY < 0 && sp.maxY > 0 {
		row := gridRow(0, sp.minY, sp.maxY, gh) / 4
		for x := range gw {
			lc.Canvas.SetCell(canvas.Point{X: ox + x, Y: row}, canvas.NewCellWithStyle('┈', sp.axis))
		}
	}
	for _, s := range sp.series {
		g := graph.NewBrailleGrid(gw, gh, sp.minX, sp.maxX, sp.minY, sp.maxY)
		var prev canvas.Point
		have := false
		for i := range s.xs {
			x, y := s.xs[i], s.ys[i]
			if !finite(x) || !finite(y) {
				have = false
				continue
			}
			p := g.GridPoint(canvas.Float64Point{X: x, Y: clampF(y, sp.minY, sp.maxY)})
			if have {
				for _, q := range graph.GetLinePoints(prev, p) {
					g.Set(q)
				}
			} else {
				g.Set(p)
			}
			prev, have = p, true
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
	}
	for _, mk := range sp.marks {
		col := ox + int(math.Round((mk.x-sp.minX)/(sp.maxX-sp.minX)*float64(2*gw-1)))/2
		if col < ox || col >= ox+gw {
			continue
		}
		for y := range gh {
			p := canvas.Point{X: col, Y: y}
			if r := lc.Canvas.Cell(p).Rune; r == 0 || r == '┈' {
				lc.Canvas.SetCell(p, canvas.NewCellWithStyle('┆', sp.mark))
			}
		}
		placeLabel(&lc.Canvas, mk.label, col, ox, ox+gw, sp.mark)
	}
	return lc.View()
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
