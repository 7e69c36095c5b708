package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// View composes the panes full-screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "infomorph-tui"
	if m.run.preset != "" {
		v.WindowTitle += " · " + m.run.preset
	}
	if m.opts.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	return v
}

// render is the screen as a string (View without the terminal settings).
func (m Model) render() string {
	w, h := m.c.width, m.c.height
	switch {
	case w <= 0 || h <= 0 || m.quitting:
		return ""
	case w < minWidth || h < minHeight:
		return m.tooSmall()
	}
	var b strings.Builder
	b.Grow(w * h * 3)
	b.WriteString(m.header())
	b.WriteByte('\n')
	b.WriteString(m.body())
	b.WriteByte('\n')
	b.WriteString(m.footer())
	s := b.String()
	switch {
	case m.dialog != nil:
		s = overlay(s, m.dialogView(), w, h)
	case m.showHelp:
		s = overlay(s, m.helpView(), w, h)
	}
	return s
}

func (m Model) tooSmall() string {
	w, h := m.c.width, m.c.height
	msg := fmt.Sprintf("terminal too small (need %d×%d, have %d×%d)", minWidth, minHeight, w, h)
	lines := make([]string, h)
	for i := range lines {
		lines[i] = strings.Repeat(" ", w)
	}
	lines[h/2] = center(m.c.st.tooSmall.Render(msg), w)
	if h/2+1 < h {
		lines[h/2+1] = center(m.c.st.dim.Render("enlarge the window · q quits"), w)
	}
	return strings.Join(lines, "\n")
}

// body lays out the panes below the header.
func (m Model) body() string {
	l := m.lay
	d := &m.run.data
	layer := m.goal.layer
	var labels []atomLabel
	if layer < len(m.goal.labels) {
		labels = m.goal.labels[layer]
	}
	left := m.presets.view() + "\n" + m.goal.view()
	var right string
	switch {
	case l.compact && l.showNeuron:
		right = m.insp.view(d, m.run.field, labels)
	case l.compact:
		right = m.acc.view(d) + "\n" + m.atoms.view(d, layer, labels, m.goal.selected())
	default:
		right = m.acc.view(d) + "\n" + joinCols(
			[]string{m.atoms.view(d, layer, labels, m.goal.selected()), m.insp.view(d, m.run.field, labels)},
			[]int{l.atoms.w, l.neuron.w})
	}
	return joinCols([]string{left, right}, []int{l.presets.w, m.c.width - l.presets.w})
}

// joinCols places blocks of the given widths side by side, line by line.
func joinCols(blocks []string, widths []int) string {
	cols := make([][]string, len(blocks))
	rows := 0
	for i, b := range blocks {
		cols[i] = strings.Split(b, "\n")
		rows = max(rows, len(cols[i]))
	}
	var sb strings.Builder
	for r := range rows {
		if r > 0 {
			sb.WriteByte('\n')
		}
		for i, c := range cols {
			if r < len(c) {
				sb.WriteString(c[r])
			} else {
				sb.WriteString(strings.Repeat(" ", widths[i]))
			}
		}
	}
	return sb.String()
}

// header is the status line: preset · seed · state · epoch · step · rate · time.
func (m Model) header() string {
	st := m.c.st
	w := m.c.width
	r := &m.run
	s := r.data.snap
	app := st.app.Render("infomorph")
	sep := st.faint.Render(" · ")

	var state string
	switch {
	case r.status == statusLoading:
		state = st.loading.Render("… loading")
	case r.status == statusFailed:
		state = st.failed.Render("✗ load failed")
	case r.status == statusNone:
		state = st.dim.Render("no run")
	case readOnly(r.halted):
		state = st.paused.Render("■ read-only")
	case strings.HasPrefix(r.halted, "engine panic"):
		state = st.failed.Render("✗ stopped: " + r.halted)
	case r.halted != "":
		state = st.failed.Render("✗ diverged: " + r.halted)
	case r.running:
		state = st.running.Render("▶ running")
	default:
		state = st.paused.Render("⏸ paused")
	}
	preset := r.preset
	if preset == "" {
		preset = "—"
	}
	long := []string{st.appName.Render(preset), st.dim.Render(fmt.Sprintf("seed %d", m.opts.Seed)), state}
	short := []string{st.appName.Render(preset), st.dim.Render(fmt.Sprintf("s%d", m.opts.Seed)), state}
	switch {
	case r.data.has && m.opts.Demo: // wall-clock figures would differ between recordings
		long = append(long,
			st.text.Render(fmt.Sprintf("epoch %d", s.Epoch)),
			st.text.Render(fmt.Sprintf("step %d/%d", s.Step, s.StepsPerEpoch)),
			st.dim.Render("demo"))
		short = append(short,
			st.text.Render(fmt.Sprintf("ep %d", s.Epoch)),
			st.text.Render(fmt.Sprintf("%d/%d", s.Step, s.StepsPerEpoch)),
			st.dim.Render("demo"))
	case r.data.has:
		long = append(long,
			st.text.Render(fmt.Sprintf("epoch %d", s.Epoch)),
			st.text.Render(fmt.Sprintf("step %d/%d", s.Step, s.StepsPerEpoch)),
			st.text.Render(rate(s.SamplesPerSec)+" samples/s"),
			st.dim.Render(clock(s.Elapsed)))
		short = append(short,
			st.text.Render(fmt.Sprintf("ep %d", s.Epoch)),
			st.text.Render(fmt.Sprintf("%d/%d", s.Step, s.StepsPerEpoch)),
			st.text.Render(rate(s.SamplesPerSec)+"/s"),
			st.dim.Render(clock(s.Elapsed)))
	}
	hint := st.helpKey.Render("?") + st.helpDesc.Render(" help  ") + st.helpKey.Render("q") + st.helpDesc.Render(" quit ")
	lines := []string{app + " " + strings.Join(long, sep), app + " " + strings.Join(short, sep)}
	for _, line := range lines {
		if widthOf(line)+widthOf(hint)+1 <= w {
			return spread(line, hint, w)
		}
	}
	for _, line := range lines {
		if widthOf(line) <= w {
			return fit(line, w)
		}
	}
	return fit(lines[1], w)
}

// footer is the key help with the latest message on the right.
func (m Model) footer() string {
	st := m.c.st
	w := m.c.width
	msg := ""
	if m.flash.text != "" {
		style := st.flashInfo
		switch m.flash.kind {
		case flashOK:
			style = st.flashOK
		case flashErr:
			style = st.flashErr
		}
		msg = style.Render(m.flash.text)
	}
	if m.dialog != nil {
		return fit(st.dialogTitle.Render(" y")+st.helpDesc.Render(" save first · ")+
			st.dialogTitle.Render("n")+st.helpDesc.Render(" don't save · ")+
			st.dialogTitle.Render("esc")+st.helpDesc.Render(" cancel"), w)
	}
	mw := widthOf(msg)
	h := m.help
	avail := w - 1
	if mw > 0 {
		avail = w - mw - 3
	}
	if avail < 30 {
		return fit(" "+msg, w)
	}
	h.SetWidth(avail)
	keys := " " + h.ShortHelpView(helpKeys{k: m.c.keys, focus: m.focus, memory: m.run.data.memory()}.ShortHelp())
	if mw == 0 {
		return fit(keys, w)
	}
	return spread(keys, msg+" ", w)
}
