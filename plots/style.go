package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"infomorph-tui/internal/atomicfile"
)

// OkabeIto is the Okabe–Ito colour-blind-safe palette, in the order lines
// use it (yellow last: it is faint on white).
var OkabeIto = []color.NRGBA{
	{0x00, 0x72, 0xB2, 0xff}, // blue
	{0xD5, 0x5E, 0x00, 0xff}, // vermillion
	{0x00, 0x9E, 0x73, 0xff}, // bluish green
	{0xE6, 0x9F, 0x00, 0xff}, // orange
	{0xCC, 0x79, 0xA7, 0xff}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xff}, // sky blue
	{0x00, 0x00, 0x00, 0xff}, // black
	{0xF0, 0xE4, 0x42, 0xff}, // yellow
}

// viridisAnchors are ten evenly spaced samples of the viridis colour map.
var viridisAnchors = []uint32{0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725}

// viridis returns n colours interpolated along the viridis map.
func viridis(n int) []color.Color {
	out := make([]color.Color, n)
	for i := range out {
		t := float64(i) / float64(max(n-1, 1)) * float64(len(viridisAnchors)-1)
		k := min(int(t), len(viridisAnchors)-2)
		f := t - float64(k)
		a, b := viridisAnchors[k], viridisAnchors[k+1]
		ch := func(shift uint) uint8 {
			x, y := float64(a>>shift&0xff), float64(b>>shift&0xff)
			return uint8(math.Round(x + (y-x)*f))
		}
		out[i] = color.NRGBA{ch(16), ch(8), ch(0), 0xff}
	}
	return out
}

// Type sizes in points, for figures printed at their size (7 inches wide).
const (
	titleSize  = 12
	labelSize  = 11
	tickSize   = 10
	legendSize = 10
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot returns a plot with the house style: sans-serif type, light grid.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, titleSize)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Label.Padding = vg.Points(4)
		a.Tick.Length = vg.Points(4)
		a.Padding = 0
		a.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text, p.Y.Label.Text = x, y
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{0xe4}
	g.Horizontal.Color = color.Gray{0xe4}
	g.Vertical.Width, g.Horizontal.Width = vg.Points(0.5), vg.Points(0.5)
	p.Add(g)
	return p
}

// newLegend returns an empty legend in the house style, drawn beside a plot.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font = font.From(sans, legendSize)
	l.Top, l.Left = true, true
	l.ThumbnailWidth = vg.Points(22)
	l.Padding = vg.Points(3)
	return l
}

// glyphs and dashes tell series apart without colour.
var (
	glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.TriangleGlyph{}, draw.SquareGlyph{}, draw.PyramidGlyph{},
		draw.RingGlyph{}, draw.BoxGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}}
	dashes = [][]vg.Length{nil, {vg.Points(5), vg.Points(2.5)}, {vg.Points(1.5), vg.Points(1.5)}, {vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}}
)

// series adds a line with glyphs in style i (colour, glyph and dash) to p
// and returns it for a legend.
func series(p *plot.Plot, xys plotter.XYs, i int) (*plotter.Line, *plotter.Scatter, error) {
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, nil, err
	}
	c := OkabeIto[i%len(OkabeIto)]
	l.Color, l.Width = c, vg.Points(1.6)
	l.Dashes = dashes[(i/len(OkabeIto)+i)%len(dashes)]
	s.Color, s.Radius, s.Shape = c, vg.Points(2.6), glyphs[i%len(glyphs)]
	p.Add(l, s)
	return l, s, nil
}

// intTicks marks whole numbers (epochs), at most about eight of them.
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1.0
	for k := 0; (hi-lo)/step > 8; k++ {
		step *= []float64{2, 2.5, 2}[k%3] // 1, 2, 5, 10, 20, 50, …
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%g", v)})
	}
	return ts
}

// niceTicks marks round values (1, 2, 2.5 or 5 × 10^k apart), about five
// of them, labelled with as few decimals as their step needs.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	dec := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if math.Abs(step/math.Pow(10, -float64(dec))-math.Round(step/math.Pow(10, -float64(dec)))) > 1e-9 {
		dec++ // 2.5 × 10^k
	}
	var ts []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+1e-9*step; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', dec, 64)})
	}
	return ts
}

// valueTicks marks exactly the given values (grid points).
func valueTicks(vals []float64) plot.ConstantTicks {
	var ts plot.ConstantTicks
	for _, v := range vals {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%.3g", v)})
	}
	return ts
}

// Figure is a drawing of a known size.
type Figure struct {
	W, H vg.Length
	Draw func(draw.Canvas)
	// DPI is the resolution of PNG output; 0 means DPI.
	DPI int
}

// DPI is the default resolution of PNG files: print quality at the
// figure's size.
const DPI = 200

// Write encodes the figure as png, svg or pdf.
func (f Figure) Write(w io.Writer, format string) error {
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		dpi := f.DPI
		if dpi <= 0 {
			dpi = DPI
		}
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(f.W, f.H), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))}
	case "svg":
		c = vgsvg.New(f.W, f.H)
	case "pdf":
		c = vgpdf.New(f.W, f.H)
	default:
		return fmt.Errorf("unknown image format %q (want png, svg or pdf)", format)
	}
	f.Draw(draw.New(c))
	_, err := c.WriteTo(w)
	return err
}

// Save writes the figure to path, in the format its extension names,
// atomically; path's folder must exist.
func (f Figure) Save(path string) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "png" && format != "svg" && format != "pdf" {
		return fmt.Errorf("%s: the file name must end in .png, .svg or .pdf", path)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, format); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes(), 0o644)
}

// panel is a plot with its legend drawn to its right.
type panel struct {
	p      *plot.Plot
	legend *plot.Legend // nil: none
}

// legendWidth is the width of the legend's column (0 without one).
func (pn panel) legendWidth() vg.Length {
	if pn.legend == nil {
		return 0
	}
	r := pn.legend.Rectangle(draw.Canvas{})
	return r.Max.X - r.Min.X + vg.Points(14)
}

// stack tiles panels in one column, their legends in one column to the
// right; the plots' data areas line up.
func stack(panels []panel, w, h vg.Length) Figure {
	var lw vg.Length
	for _, pn := range panels {
		lw = max(lw, pn.legendWidth())
	}
	return Figure{W: w, H: h * vg.Length(len(panels)), Draw: func(c draw.Canvas) {
		t := draw.Tiles{Rows: len(panels), Cols: 1, PadY: vg.Points(14), PadTop: vg.Points(6), PadBottom: vg.Points(4),
			PadLeft: vg.Points(4), PadRight: vg.Points(6) + lw}
		ps := make([][]*plot.Plot, len(panels))
		for i, pn := range panels {
			ps[i] = []*plot.Plot{pn.p}
		}
		cs := plot.Align(ps, t, c)
		for i, pn := range panels {
			drawTitled(pn.p, cs[i][0], t.At(c, 0, i).Min.X)
			if pn.legend != nil {
				tile := t.At(c, 0, i)
				lc := tile
				lc.Min.X, lc.Max.X = tile.Max.X+vg.Points(10), c.Max.X
				lc.Max.Y -= vg.Points(22)
				pn.legend.Draw(lc)
			}
		}
	}}
}

// drawTitled draws p on c with its title placed by the stack, not by p: a
// plot centres its title on its own canvas, and a title wider than that
// canvas (the legend column takes the figure's right) ran off the figure's
// left edge ("dden layer · …"). The title stays centred on the plot when it
// fits there, else it starts at left (the tile's edge).
func drawTitled(p *plot.Plot, c draw.Canvas, left vg.Length) {
	title := p.Title.Text
	if title == "" {
		p.Draw(c)
		return
	}
	sty := p.Title.TextStyle
	r := sty.Rectangle(title)
	w, h := r.Size().X, r.Size().Y
	x := c.Center().X - w/2
	if x < left || x+w > c.Max.X {
		x = left
	}
	sty.XAlign = draw.XLeft
	c.FillText(sty, vg.Point{X: x, Y: c.Max.Y + sty.FontExtents().Descent}, title)
	inner := c
	inner.Max.Y -= h + p.Title.Padding
	p.Title.Text = ""
	defer func() { p.Title.Text = title }()
	p.Draw(inner)
}
