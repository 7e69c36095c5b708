package tui

// Minimum terminal size the lab draws in.
const (
	minWidth  = 80
	minHeight = 24
	// from this size on every pane is shown at once
	wideWidth  = 136
	wideHeight = 36
)

// rect is a pane's place on the screen (cells).
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool {
	return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h
}

// shown reports a rect with room for a pane (hidden panes get a zero one).
func (r rect) shown() bool { return r.w > 0 && r.h > 0 }

// layout is where every pane goes for one terminal size. Wide terminals
// (≥ 136×36) show everything; compact ones swap the accuracy and atom charts
// for the neuron inspector while it has focus. A hidden pane's rect is zero.
type layout struct {
	header, footer                    rect
	presets, goal, acc, atoms, neuron rect
	compact                           bool
}

// rects lists the panes' places by paneID, for the loops that size, draw
// and hit-test them. The shown panes tile the rows between header and footer.
func (l layout) rects() [paneCount]rect {
	return [paneCount]rect{panePresets: l.presets, paneGoal: l.goal, paneAcc: l.acc, paneAtoms: l.atoms, paneNeuron: l.neuron}
}

// computeLayout places the panes; presetRows is how many rows the preset pane
// wants (list + detail).
func computeLayout(w, h, presetRows int, focus paneID) layout {
	var l layout
	l.header = rect{0, 0, w, 1}
	l.footer = rect{0, h - 1, w, 1}
	top, bodyH := 1, h-2
	l.compact = w < wideWidth || h < wideHeight

	lw := clamp(w/4+2, 34, 46)
	if l.compact {
		lw = clamp(w*3/8, 30, 40)
	}
	rw := w - lw

	ph := clamp(presetRows+2, 5, bodyH/2)
	l.presets = rect{0, top, lw, ph}
	l.goal = rect{0, top + ph, lw, bodyH - ph}

	if l.compact {
		if focus == paneNeuron {
			l.neuron = rect{lw, top, rw, bodyH}
			return l
		}
		ah := bodyH / 2
		l.acc = rect{lw, top, rw, ah}
		l.atoms = rect{lw, top + ah, rw, bodyH - ah}
		return l
	}
	ah := clamp(bodyH*3/10, 10, 18)
	l.acc = rect{lw, top, rw, ah}
	nw := 52
	l.atoms = rect{lw, top + ah, rw - nw, bodyH - ah}
	l.neuron = rect{lw + rw - nw, top + ah, nw, bodyH - ah}
	return l
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(v, hi))
}
