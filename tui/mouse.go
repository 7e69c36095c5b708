package tui

import tea "charm.land/bubbletea/v2"

// onClick focuses the pane under the pointer and selects the row clicked
// (clicking the selected preset again loads it).
func (m Model) onClick(ms tea.Mouse) (tea.Model, tea.Cmd) {
	if !m.opts.Mouse || ms.Button != tea.MouseLeft || m.dialog != nil || m.showHelp {
		return m, nil
	}
	l := m.lay
	switch {
	case l.presets.contains(ms.X, ms.Y):
		m.setFocus(panePresets)
		row := ms.Y - l.presets.y - 1
		if i := m.presets.offset + row; row >= 0 && i < len(m.presets.items) && row < m.presets.h-2 {
			if i == m.presets.cursor {
				return m.emit(m.presets.choose())
			}
			m.presets.cursor = i
		}
	case l.goal.contains(ms.X, ms.Y):
		m.setFocus(paneGoal)
		row := ms.Y - l.goal.y - 2 // border, layer tabs
		if len(m.goal.layers) > 0 && row >= 0 {
			if i := m.goal.offset[m.goal.layer] + row; i < len(m.goal.gamma[m.goal.layer]) {
				m.goal.cursor[m.goal.layer] = i
			}
		}
	case l.showNeuron && l.neuron.contains(ms.X, ms.Y):
		m.setFocus(paneNeuron)
	}
	return m, nil
}

// onWheel scrolls the pane under the pointer.
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
	l := m.lay
	switch {
	case l.presets.contains(ms.X, ms.Y) && len(m.presets.items) > 0:
		m.presets.cursor = clamp(m.presets.cursor+d, 0, len(m.presets.items)-1)
	case l.goal.contains(ms.X, ms.Y) && len(m.goal.layers) > 0:
		c := &m.goal.cursor[m.goal.layer]
		*c = clamp(*c+d, 0, len(m.goal.gamma[m.goal.layer])-1)
	case l.showNeuron && l.neuron.contains(ms.X, ms.Y):
		return m.emit(m.insp.move(d))
	}
	return m, nil
}
