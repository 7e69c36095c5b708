package tui

import (
	"fmt"
	"image/color"
	"math"

	"charm.land/lipgloss/v2"
)

// timeAxis maps epochs to a chart's x axis: linear, or log10 for memory runs,
// whose recall is tested at log-spaced epochs (1, 2, … 10, 14, 19 … 5000),
// so the early epochs, where most happens, are not squeezed into one column.
type timeAxis struct{ log bool }

func (a timeAxis) x(epoch float64) float64 {
	if a.log {
		return math.Log10(math.Max(epoch, 1))
	}
	return epoch
}

func (a timeAxis) format(v float64) string {
	if a.log {
		return fmt.Sprintf("%.0f", math.Pow(10, v))
	}
	return fmt.Sprintf("%.0f", v)
}

// ticks are the decades of a log axis up to maxX; nil (round steps) for a
// linear one.
func (a timeAxis) ticks(maxX float64) []float64 {
	if !a.log {
		return nil
	}
	var out []float64
	for d := 0.0; d <= maxX+1e-9; d++ {
		out = append(out, d)
	}
	return out
}

// fitRange is the y range of a chart: the data's range with a little
// headroom (at least minSpan wide, so two values 0.1 apart are not drawn as
// one line across the whole height); with full set, the whole scale
// [fullLo, fullHi] widened to the data.
func fitRange(lo, hi, minSpan, fullLo, fullHi float64, full bool) (float64, float64) {
	if !finite(lo) || !finite(hi) || lo > hi { // no data: the whole scale, or [0, 1]
		if !finite(fullLo) || !finite(fullHi) {
			return 0, 1
		}
		return fullLo, fullHi
	}
	if full {
		return math.Min(lo, fullLo), math.Max(hi, fullHi)
	}
	pad := math.Max((hi-lo)*0.08, minSpan/10)
	if span := hi - lo + 2*pad; span < minSpan {
		pad += (minSpan - span) / 2
	}
	lo, hi = lo-pad, hi+pad
	if lo < fullLo && lo+pad >= fullLo { // keep a range that starts at the scale's end there
		hi += fullLo - lo
		lo = fullLo
	}
	if hi > fullHi && hi-pad <= fullHi {
		lo -= hi - fullHi
		hi = fullHi
	}
	return lo, hi
}

// faded mixes a style's foreground halfway to the background: series that are
// not selected, and ghosts, recede behind the selected one.
func faded(s lipgloss.Style, amount float64) lipgloss.Style {
	fg := s.GetForeground()
	if fg == nil {
		return s
	}
	if _, none := fg.(lipgloss.NoColor); none {
		return s
	}
	r, g, b, _ := fg.RGBA()
	bg := [3]float64{0x1c, 0x1c, 0x1c}
	mix := func(c uint32, k int) uint8 {
		return uint8(math.Round(float64(c>>8)*(1-amount) + bg[k]*amount))
	}
	return s.Foreground(color.RGBA{mix(r, 0), mix(g, 1), mix(b, 2), 0xff})
}
