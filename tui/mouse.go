package tui

import tea "charm.land/bubbletea/v2"

// onClick focuses the pane under the pointer (when it takes focus) and hands
// it the click, in its own coordinates: a list selects the row clicked, and
// clicking the selected preset again loads it.
func (m Model) onClick(ms tea.Mouse) (tea.Model, tea.Cmd) {
	if !m.opts.Mouse || ms.Button != tea.MouseLeft || m.dialog != nil || m.showHelp {
		return m, nil
	}
	id, r, ok := m.paneAt(ms.X, ms.Y)
	if !ok {
		return m, nil
	}
	if m.panes[id].Focusable() {
		m.setFocus(id)
	}
	return m.emit(m.panes[id].Update(clickMsg{x: ms.X - r.x, y: ms.Y - r.y}))
}

// onWheel scrolls the pane under the pointer, focused or not.
func (m Model) onWheel(ms tea.Mouse) (tea.Model, tea.Cmd) {
	if !m.opts.Mouse || m.dialog != nil || m.showHelp {
		return m, nil
	}
	d := 0
	switch ms.Button {
	case tea.MouseWheelUp:
		d = -1
	case tea.MouseWheelDown:
		d = 1
	default:
		return m, nil
	}
	id, _, ok := m.paneAt(ms.X, ms.Y)
	if !ok {
		return m, nil
	}
	return m.emit(m.panes[id].Update(wheelMsg{d: d}))
}

// paneAt is the shown pane under cell (x, y) and its place.
func (m *Model) paneAt(x, y int) (paneID, rect, bool) {
	for id, r := range m.lay.rects() {
		if r.contains(x, y) {
			return paneID(id), r, true
		}
	}
	return 0, rect{}, false
}
