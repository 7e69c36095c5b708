package tui

import (
	"fmt"
	"slices"
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
	case m.bld != nil:
		s = overlay(s, m.builderView(), w, h)
	case m.box != nil:
		s = overlay(s, m.textBoxView(), w, h)
	case m.over == overGallery:
		s = overlay(s, m.galleryView(), w, h)
	case m.over == overConfusion:
		s = overlay(s, m.confusionView(), w, h)
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

// body draws every shown pane into its place: row by row, the lines of the
// panes that cover the row, left to right. The panes tile the body; a pane
// drawn short is padded with blank lines.
func (m Model) body() string {
	type placed struct {
		r     rect
		lines []string
	}
	var shown []placed
	for id, r := range m.lay.rects() {
		if r.shown() {
			shown = append(shown, placed{r, strings.Split(m.panes[id].View(), "\n")})
		}
	}
	slices.SortStableFunc(shown, func(a, b placed) int { return a.r.x - b.r.x })
	w, top, bottom := m.c.width, m.lay.header.h, m.lay.footer.y
	var b strings.Builder
	for y := top; y < bottom; y++ {
		if y > top {
			b.WriteByte('\n')
		}
		x := 0
		for _, p := range shown {
			if y < p.r.y || y >= p.r.y+p.r.h {
				continue
			}
			b.WriteString(strings.Repeat(" ", max(p.r.x-x, 0)))
			if i := y - p.r.y; i < len(p.lines) {
				b.WriteString(p.lines[i]) // w wide, by the pane's contract
			} else {
				b.WriteString(strings.Repeat(" ", p.r.w))
			}
			x = p.r.x + p.r.w
		}
		b.WriteString(strings.Repeat(" ", max(w-x, 0)))
	}
	return b.String()
}

// header is the status line: preset · seed · state · epoch · step · rate · time.
func (m Model) header() string {
	st := m.c.st
	w := m.c.width
	r := m.run
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
	case r.data.eval != nil && r.running:
		state = st.loading.Render("⧗ " + r.data.eval.text())
	case r.data.eval != nil:
		state = st.paused.Render("⏸ pausing after " + r.data.eval.text())
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
		if r.data.eval != nil { // the clock keeps moving through a long evaluation
			s.Elapsed += r.data.eval.since
		}
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
	if n := len(s.History); r.data.has && n > 0 && s.History[n-1].Bars != nil {
		// the bars task's measure (tasks.MatchBar), at the last epoch's end
		b := s.History[n-1].Bars
		long = append(long, st.text.Render(fmt.Sprintf("%d/%d single-bar detectors", b.Detectors, b.Units)))
		short = append(short, st.text.Render(fmt.Sprintf("bars %d/%d", b.Detectors, b.Units)))
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
	if m.ask != nil {
		return m.promptView()
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
	// bubbles/help lets the last item overflow when its ellipsis does not
	// fit; cut it here, or spread would drop the message instead
	keys := fit(" "+h.ShortHelpView(m.helpKeys().ShortHelp()), avail)
	if mw == 0 {
		return fit(keys, w)
	}
	return spread(keys, msg+" ", w)
}
