package tui

import (
	"image/color"
	"math"
	"strconv"
	"strings"
)

// Diverging palette for weights (colour-blind safe: blue–orange around a
// dark neutral).
var (
	fieldNeg = color.RGBA{0x56, 0xB4, 0xE9, 0xff} // Okabe–Ito sky blue
	fieldMid = color.RGBA{0x24, 0x24, 0x24, 0xff}
	fieldPos = color.RGBA{0xE6, 0x9F, 0x00, 0xff} // Okabe–Ito orange
)

// Without colour the field is drawn with glyph ramps, weak → strong.
var (
	rampNeg = []byte{',', '-', '=', '#'}
	rampPos = []byte{'.', '+', '*', '@'}
)

// fieldScale is the symmetric colour scale: the largest |w|.
func fieldScale(w []float64) float64 {
	s := 0.0
	for _, v := range w {
		if finite(v) {
			s = math.Max(s, math.Abs(v))
		}
	}
	return s
}

// fieldColor maps t ∈ [−1, 1] to the diverging palette.
func fieldColor(t float64) color.RGBA {
	t = clampF(t, -1, 1)
	end := fieldPos
	if t < 0 {
		end, t = fieldNeg, -t
	}
	t = math.Pow(t, 0.75) // lift small weights a little
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + t*(float64(b)-float64(a)))) }
	return color.RGBA{mix(fieldMid.R, end.R), mix(fieldMid.G, end.G), mix(fieldMid.B, end.B), 0xff}
}

// rampGlyph maps t ∈ [−1, 1] to a density glyph; near zero is blank.
func rampGlyph(t float64) byte {
	a := math.Abs(t)
	if !finite(t) || a < 0.1 {
		return ' '
	}
	i := min(int((a-0.1)/0.9*4), 3)
	if t < 0 {
		return rampNeg[i]
	}
	return rampPos[i]
}

// renderField draws a rows×cols field. With colour each character is two
// pixels: '▀' with the upper pixel as foreground and the lower as
// background. Without colour a glyph shows the mean of the two pixels.
func renderField(w []float64, rows, cols int, scale float64, colour bool) []string {
	if scale <= 0 {
		scale = 1
	}
	px := func(r, c int) float64 {
		if r >= rows {
			return math.NaN()
		}
		return w[r*cols+c] / scale
	}
	var out []string
	var b strings.Builder
	for r := 0; r < rows; r += 2 {
		b.Reset()
		for c := range cols {
			top, bot := px(r, c), px(r+1, c)
			if !colour {
				v := top
				if finite(bot) {
					v = (top + bot) / 2
				}
				b.WriteByte(rampGlyph(v))
				continue
			}
			b.WriteString("\x1b[38;2;")
			writeRGB(&b, fieldColor(nanZero(top)))
			if finite(bot) {
				b.WriteString(";48;2;")
				writeRGB(&b, fieldColor(bot))
			} else {
				b.WriteString(";49")
			}
			b.WriteString("m▀")
		}
		if colour {
			b.WriteString("\x1b[m")
		}
		out = append(out, b.String())
	}
	return out
}

// fieldLegend is a colour (or glyph) scale of width w from −scale to +scale.
func fieldLegend(st *styles, scale float64, w int, colour bool) []string {
	var b strings.Builder
	for i := range w {
		t := -1 + 2*float64(i)/float64(max(w-1, 1))
		if !colour {
			g := rampGlyph(t)
			if g == ' ' {
				g = '0'
			}
			b.WriteByte(g)
			continue
		}
		b.WriteString("\x1b[38;2;")
		writeRGB(&b, fieldColor(t))
		b.WriteString("m█")
	}
	if colour {
		b.WriteString("\x1b[m")
	}
	lo, hi := "-"+scaleText(scale), "+"+scaleText(scale)
	labels := spread(lo, hi, w)
	if w >= len(lo)+len(hi)+3 {
		mid := w / 2
		r := []rune(labels)
		if mid < len(r) && r[mid] == ' ' {
			r[mid] = '0'
		}
		labels = string(r)
	}
	return []string{b.String(), st.dim.Render(labels)}
}

func writeRGB(b *strings.Builder, c color.RGBA) {
	b.WriteString(strconv.Itoa(int(c.R)))
	b.WriteByte(';')
	b.WriteString(strconv.Itoa(int(c.G)))
	b.WriteByte(';')
	b.WriteString(strconv.Itoa(int(c.B)))
}

func nanZero(v float64) float64 {
	if finite(v) {
		return v
	}
	return 0
}

// scaleText formats the colour scale with two significant digits, so tiny
// weights do not read "0.00".
func scaleText(v float64) string {
	if v >= 0.1 || v == 0 {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 2, 64)
}
