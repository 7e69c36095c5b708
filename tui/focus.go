package tui

// setFocus moves the focus to pane id, tells every pane whether it has it,
// and re-lays out (compact layouts swap panes by focus).
func (m *Model) setFocus(id paneID) {
	m.focus = id
	for i, p := range m.panes {
		p.SetFocused(paneID(i) == id)
	}
	m.relayout()
}

// cycleFocus moves the focus to the next (d = 1) or previous (d = -1)
// focusable pane, wrapping around.
func (m *Model) cycleFocus(d int) {
	n := int(paneCount)
	for i := 1; i < n; i++ {
		id := paneID(((int(m.focus)+d*i)%n + n) % n)
		if m.panes[id].Focusable() {
			m.setFocus(id)
			return
		}
	}
}

// focused is the pane that has the focus.
func (m *Model) focused() pane { return m.panes[m.focus] }
