package tui

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"charm.land/lipgloss/v2"
)

// confusionView is the readout's confusion matrix at the latest epoch, row
// normalised (row: true digit; column: predicted), as a box over the lab.
// Cells are shaded by their share (with colour) and always printed, the
// diagonal in bold.
func (m Model) confusionView() string {
	st := m.c.st
	h := m.run.data.snap.History
	if len(h) == 0 {
		return st.dialog.Render(st.dim.Render("no epoch finished yet: the confusion matrix comes with the first evaluation"))
	}
	last := h[len(h)-1]
	rows := last.ConfusionRows()
	if rows == nil {
		return st.dialog.Render(st.dim.Render("this run has no classes to confuse (a memory run)"))
	}
	var b strings.Builder
	b.WriteString(st.dialogTitle.Render(fmt.Sprintf("Confusion · test set · epoch %d", epochOf(last, len(h)-1))))
	b.WriteString("\n" + st.dim.Render("row: true digit · column: predicted · % of the row's images") + "\n\n")
	b.WriteString(st.dim.Render("true\\pred"))
	for j := range rows {
		b.WriteString(st.dim.Render(fmt.Sprintf("%4d", j)))
	}
	b.WriteString("\n")
	for i, row := range rows {
		b.WriteString(st.dim.Render(fmt.Sprintf("%9d", i)))
		for j, v := range row {
			cell := "   –"
			if finite(v) {
				cell = fmt.Sprintf("%4.0f", 100*v)
				if cell == "   0" && v > 0 {
					cell = "  <1"
				}
			}
			s := confusionStyle(st, v, i == j, m.c.color)
			b.WriteString(s.Render(cell))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n" + st.dim.Render(fmt.Sprintf("test accuracy %s · any key closes", pct(last.TestAcc))))
	return st.dialog.BorderForeground(oiSky).Render(b.String())
}

// confusionStyle shades a cell: the diagonal (correct) in bold, off-diagonal
// shares from grey to vermilion as they grow, so the common confusions stand
// out.
func confusionStyle(st *styles, v float64, diag, colour bool) lipgloss.Style {
	if diag {
		return st.bold
	}
	if !colour || !finite(v) || v < 0.005 {
		return st.dim
	}
	t := math.Min(v/0.1, 1) // 10% of a digit's images confused is the top of the scale
	grey, hot := color.RGBA{0x8a, 0x8a, 0x8a, 0xff}, color.RGBA{0xe6, 0x4a, 0x00, 0xff}
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + t*(float64(b)-float64(a)))) }
	return lipgloss.NewStyle().Foreground(color.RGBA{mix(grey.R, hot.R), mix(grey.G, hot.G), mix(grey.B, hot.B), 0xff})
}
