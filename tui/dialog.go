package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

type actionKind int

const (
	actQuit  actionKind = iota // leave the lab
	actLoad                    // load another preset (the current run ends)
	actReset                   // back to epoch 0 (the current run ends)
)

// pendingAction is something that would end the current run; with unsaved
// epochs the lab asks "save first?" before doing it.
type pendingAction struct {
	kind   actionKind
	preset string // for actLoad
	resume bool   // training was paused for the question: cancelling resumes it
}

func (a *pendingAction) verb() string {
	switch a.kind {
	case actLoad:
		return "loading " + a.preset
	case actReset:
		return "resetting"
	}
	return "quitting"
}

// confirmThen performs a, asking first when epochs would be lost. Training
// pauses while the question is open (the answer may be "save", and the file
// should hold what the question counted) and resumes if it is cancelled.
func (m Model) confirmThen(a *pendingAction) (tea.Model, tea.Cmd) {
	if m.run.unsaved() > 0 {
		m.dialog = a
		if m.run.running && m.w != nil {
			a.resume = true
			m.run.wantSeq = m.w.send(command{kind: cmdHold})
			m.run.running = false
		}
		return m, nil
	}
	return m.perform(a)
}

// perform carries out an action without asking.
func (m Model) perform(a *pendingAction) (tea.Model, tea.Cmd) {
	m.dialog = nil
	switch a.kind {
	case actQuit:
		m.quitting = true
		m.shutdown()
		return m, tea.Quit
	case actLoad:
		if m.opts.Factory == nil {
			return m, m.setFlash(flashErr, "no training engine was wired in")
		}
		m.prepareWorker(a.preset)
		m.w.start()
		return m, tea.Batch(m.w.box.listen(), m.setFlash(flashInfo, "loading "+a.preset+"…"))
	case actReset:
		if m.run.status == statusFailed && m.opts.Factory != nil {
			return m.perform(&pendingAction{kind: actLoad, preset: m.run.preset})
		}
		if ok, cmd := m.ready(); !ok {
			return m, cmd
		}
		m.run.wantSeq = m.w.send(command{kind: cmdReset})
		m.run.running = false
		text := "reset to epoch 0 (same seed, current γ)"
		if b := m.cmp.base; b != nil && b.live {
			m.freezeLive(fmt.Sprintf("frozen at reset, epoch %d", m.run.data.snap.Epoch))
			text += " · the baseline stays, no longer trained"
		}
		return m, m.setFlash(flashInfo, text)
	}
	return m, nil
}

// dialogKey answers the "save first?" question.
func (m Model) dialogKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	keys := m.c.keys
	a := m.dialog
	switch {
	case key.Matches(k, keys.Yes):
		m.dialog = nil
		return m.save(a)
	case key.Matches(k, keys.No), k.String() == "ctrl+c":
		return m.perform(a)
	case key.Matches(k, keys.Close):
		m.dialog = nil
		if a.resume && m.w != nil {
			m.run.wantSeq = m.w.send(command{kind: cmdRelease})
			m.run.running = m.run.halted == ""
			return m, m.setFlash(flashInfo, "cancelled · training resumed")
		}
		return m, m.setFlash(flashInfo, "cancelled")
	}
	return m, nil
}

// dialogView is the centred question box.
func (m Model) dialogView() string {
	st := m.c.st
	a := m.dialog
	n := m.run.unsaved()
	q := fmt.Sprintf("Save before %s?", a.verb())
	if a.kind == actQuit {
		q = "Save before quit?"
	}
	lines := []string{
		st.dialogTitle.Render(q + " (y/n/esc)"),
		"",
		st.text.Render(fmt.Sprintf("%d unsaved epoch%s of %s would be lost.", n, plural(n), m.run.preset)),
		"",
		st.helpKey.Render("y") + st.helpDesc.Render(" save first  ") +
			st.helpKey.Render("n") + st.helpDesc.Render(" don't save  ") +
			st.helpKey.Render("esc") + st.helpDesc.Render(" cancel"),
	}
	return st.dialog.Render(strings.Join(lines, "\n"))
}

// helpView is the full key reference.
func (m Model) helpView() string {
	st := m.c.st
	keys := m.fullHelp(max(m.c.width-8, 20), "\n\n")
	body := st.dialogTitle.Render("Keys") + "\n\n" + keys +
		"\n\n" + st.dim.Render("arrows and hjkl act on the focused pane (tab cycles) · ? or esc closes")
	if lipgloss.Height(body)+2 > m.c.height { // short terminals: the keys alone, packed
		body = st.dialogTitle.Render("Keys · arrows act on the focused pane") + "\n" + m.fullHelp(max(m.c.width-8, 20), "\n")
	}
	return st.dialog.BorderForeground(oiSky).Render(body)
}

// fullHelp lays the help's key groups out in columns, wrapping to a new
// row of columns where they do not fit the width (bubbles/help drops them).
func (m Model) fullHelp(w int, gap string) string {
	h := m.help
	h.SetWidth(0)
	var rows []string
	var row []string
	width := 0
	for _, g := range m.helpKeys().FullHelp() {
		col := h.FullHelpView([][]key.Binding{g})
		cw := lipgloss.Width(col)
		if width > 0 && width+3+cw > w {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, width = nil, 0
		}
		if width > 0 {
			row = append(row, "   ")
			width += 3
		}
		row = append(row, col)
		width += cw
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return strings.Join(rows, gap)
}

// overlay draws fg centred over base (both full strings).
func overlay(base, fg string, w, h int) string {
	fw, fh := lipgloss.Size(fg)
	x, y := max((w-fw)/2, 0), max((h-fh)/2, 0)
	return lipgloss.NewCompositor(
		lipgloss.NewLayer(base),
		lipgloss.NewLayer(fg).X(x).Y(y).Z(1),
	).Render()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
