package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The builder's box: its groups of fields side by side in columns of
// builderColW when the screen is wide enough for all of them to show, else
// one column that scrolls to keep the focused field in view. Below the
// fields: the focused field's help or the last refusal, and the keys.
const (
	builderColW  = 50
	builderLabel = 16 // label column, "▸ " included
)

// builderView draws the open builder as a box over the lab.
func (m Model) builderView() string {
	st := m.c.st
	b := m.bld
	full, h := m.c.width, m.c.height-2
	rows := h - 2 - 4 // border; blank, message, blank, keys
	if full < 24 || rows < 3 {
		return ""
	}
	blocks := b.blocks(st)
	cols := min((full-4)/builderColW, len(blocks))
	var body []string
	if lines, ok := columns(blocks, max(cols, 1), rows, builderColW); ok && cols > 1 {
		body = lines
	} else {
		cols = 1
		var all []string
		focusRow := 0
		for i, bl := range blocks {
			if i > 0 {
				all = append(all, "")
			}
			if bl.focus >= 0 {
				focusRow = len(all) + bl.focus
			}
			all = append(all, bl.lines...)
		}
		b.offset = clamp(b.offset, max(focusRow-rows+1, 0), focusRow)
		b.offset = clamp(b.offset, 0, max(len(all)-rows, 0))
		body = all[b.offset:min(b.offset+rows, len(all))]
	}
	w := min(full, max(cols*builderColW, 76)+4)
	inner := w - 4 // border and a space each side
	msg := st.dim.Render(b.form.Fields[b.focus].Help)
	if b.err != "" {
		msg = st.flashErr.Render("✗ " + b.err)
	}
	keys := st.helpKey.Render("enter") + st.helpDesc.Render(" start run · ") +
		st.helpKey.Render("ctrl+s") + st.helpDesc.Render(" save preset · ") +
		st.helpKey.Render("tab ↑↓") + st.helpDesc.Render(" field · ") +
		st.helpKey.Render("esc") + st.helpDesc.Render(" close")
	body = append(body, "", ansi.Truncate(msg, inner, "…"), "", keys)
	for i, l := range body {
		body[i] = " " + fit(l, inner) + " "
	}
	fr := frame{title: "Network builder · from " + b.form.Base, hint: "esc close", focused: true}
	return fr.render(st, body, w, len(body)+2)
}

// fieldBlock is a group's lines; focus is the focused field's line (−1: none).
type fieldBlock struct {
	lines []string
	focus int
}

// blocks draws each group: its heading, then a line per field.
func (b *builderForm) blocks(st *styles) []fieldBlock {
	var out []fieldBlock
	for i, fd := range b.form.Fields {
		if i == 0 || fd.Group != b.form.Fields[i-1].Group {
			out = append(out, fieldBlock{lines: []string{st.accent.Render(fit(fd.Group, builderColW-2))}, focus: -1})
		}
		bl := &out[len(out)-1]
		mark, label := "  ", st.dim
		if i == b.focus {
			mark, label = st.cursor.Render("▸ "), st.selected
			bl.focus = len(bl.lines)
		}
		if fd.Key == b.errKey && b.errKey != "" {
			mark, label = st.flashErr.Render("✗ "), st.flashErr
		}
		bl.lines = append(bl.lines, mark+label.Render(fit(fd.Label, builderLabel-2))+b.inputs[i].View())
	}
	return out
}

// columns places blocks top to bottom into at most n columns of width cw,
// a blank line between blocks, as evenly as whole blocks allow; ok is false
// when they do not fit in rows.
func columns(blocks []fieldBlock, n, rows, cw int) ([]string, bool) {
	total, tallest := -1, 0
	for _, bl := range blocks {
		total += len(bl.lines) + 1
		tallest = max(tallest, len(bl.lines))
	}
	for target := max(tallest, (total+n-1)/n); target <= rows; target++ {
		if out, ok := fill(blocks, n, target, cw); ok {
			return out, true
		}
	}
	return nil, false
}

// fill is columns for columns of at most rows lines.
func fill(blocks []fieldBlock, n, rows, cw int) ([]string, bool) {
	cols := make([][]string, 1, n)
	for _, bl := range blocks {
		c := &cols[len(cols)-1]
		gap := boolInt(len(*c) > 0)
		if len(*c)+gap+len(bl.lines) > rows {
			if len(cols) == n || len(bl.lines) > rows {
				return nil, false
			}
			cols = append(cols, nil)
			c, gap = &cols[len(cols)-1], 0
		}
		if gap > 0 {
			*c = append(*c, "")
		}
		*c = append(*c, bl.lines...)
	}
	height := 0
	for _, c := range cols {
		height = max(height, len(c))
	}
	out := make([]string, height)
	for r := range out {
		var line strings.Builder
		for _, c := range cols {
			cell := ""
			if r < len(c) {
				cell = c[r]
			}
			line.WriteString(fit(cell, cw))
		}
		out[r] = line.String()
	}
	return out, true
}
