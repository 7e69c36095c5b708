package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// pane is one box of the lab, after soft-serve's common.Component. The root
// knows panes only through it: layout, focus, input routing, drawing and the
// footer's help are loops over Model.panes, not switches on which pane is
// which. What a pane shows of the run it reads from state the root shares
// with it at construction (the run's chart data, the goal pane's selection).
type pane interface {
	// SetSize gives the pane its box in cells, border included; 0×0 hides it.
	SetSize(w, h int)
	// View draws the pane in exactly its box: h lines, each w cells wide
	// (for boxes of at least 2×2).
	View() string
	// Update takes input meant for the pane: a key while it has focus, or a
	// clickMsg or wheelMsg over it. It returns an event for the root (nil for
	// none), never a command, so the root handles it at once and in order.
	Update(msg tea.Msg) tea.Msg
	// Title is what the pane's frame says it shows.
	Title() string
	// Focusable reports whether tab stops at the pane and keys reach it.
	Focusable() bool
	// SetFocused tells a focusable pane whether it has the focus.
	SetFocused(focused bool)
	// HelpKeys are the pane's own keys, shown in the footer while it has the
	// focus; nil for a pane that takes no keys.
	HelpKeys() []key.Binding
}

// paneID indexes Model.panes; the order is the tab order of the focusable
// panes and the order they are drawn in.
type paneID int

const (
	panePresets paneID = iota
	paneGoal
	paneAcc
	paneAtoms
	paneNeuron
	paneCount
)

var paneNames = [paneCount]string{"presets", "goal", "accuracy", "atoms", "neuron"}

func (p paneID) String() string {
	if p < 0 || p >= paneCount {
		return "?"
	}
	return paneNames[p]
}

// clickMsg is a left click at (x, y) in a pane, relative to its top-left
// corner (the border's).
type clickMsg struct{ x, y int }

// wheelMsg is a wheel turn over a pane: d rows down (negative: up).
type wheelMsg struct{ d int }

// drawOnly, embedded, is the input half of the interface for a pane that only
// draws: it takes no focus, no keys and no pointer input.
type drawOnly struct{}

func (drawOnly) Update(tea.Msg) tea.Msg  { return nil }
func (drawOnly) Focusable() bool         { return false }
func (drawOnly) SetFocused(bool)         {}
func (drawOnly) HelpKeys() []key.Binding { return nil }
