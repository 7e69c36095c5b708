package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// frame describes a bordered pane: a rounded box whose top edge carries the
// title (left) and a hint (right).
type frame struct {
	title, hint string
	focused     bool
}

// render draws body (lines, already styled) into a w×h box. Lines are cut or
// padded to the inner width; missing lines are blank, extra lines dropped.
func (f frame) render(st *styles, body []string, w, h int) string {
	if w < 2 || h < 2 {
		return ""
	}
	bs, ts := st.border, st.title
	if f.focused {
		bs, ts = st.borderFocus, st.titleFocus
	}
	inner := w - 2
	var b strings.Builder
	b.Grow(w * h * 4)

	// top edge: ╭─ title ───── hint ─╮
	title, hint := "", ""
	if f.title != "" {
		title = " " + f.title + " "
	}
	if f.hint != "" {
		hint = " " + f.hint + " "
	}
	tw, hw := ansi.StringWidth(title), ansi.StringWidth(hint)
	if 2+tw+hw > inner {
		hint, hw = "", 0
	}
	if 2+tw > inner {
		title = ansi.Truncate(title, max(inner-2, 0), "…")
		tw = ansi.StringWidth(title)
	}
	if inner < 2 {
		b.WriteString(bs.Render("╭" + strings.Repeat("─", inner) + "╮"))
	} else {
		b.WriteString(bs.Render("╭─"))
		b.WriteString(ts.Render(title))
		b.WriteString(bs.Render(strings.Repeat("─", inner-2-tw-hw)))
		b.WriteString(st.dim.Render(hint))
		b.WriteString(bs.Render("─╮"))
	}
	b.WriteByte('\n')

	side := bs.Render("│")
	for i := range h - 2 {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		b.WriteString(side)
		b.WriteString(fit(line, inner))
		b.WriteString(side)
		b.WriteByte('\n')
	}
	b.WriteString(bs.Render("╰" + strings.Repeat("─", inner) + "╯"))
	return b.String()
}

// fit cuts s to width w (with an ellipsis) or pads it with spaces.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// padLeft right-aligns s in width w.
func padLeft(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return s
	}
	return strings.Repeat(" ", w-sw) + s
}

// spread puts left and right on one line of width w, right-aligned right; the
// right part is dropped when both do not fit.
func spread(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+1 > w {
		return fit(left, w)
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}

// center centres s in width w.
func center(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return fit(s, w)
	}
	l := (w - sw) / 2
	return strings.Repeat(" ", l) + s + strings.Repeat(" ", w-sw-l)
}

// widthOf is the display width of a styled string.
func widthOf(s string) int { return ansi.StringWidth(s) }
