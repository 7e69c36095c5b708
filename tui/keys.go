package tui

import "charm.land/bubbles/v2/key"

// keyMap holds every binding of the lab. Pane keys (arrows, hjkl, 0, p) act
// only on the focused pane; the root routes them there.
type keyMap struct {
	// global
	Run, Step, Epoch, Reset, Save key.Binding
	Next, Prev                    key.Binding // focus
	Layer, LayerPrev              key.Binding
	Neuron, NeuronPrev            key.Binding
	Pattern, PatternPrev          key.Binding // memory runs: stored pattern shown
	Help, Quit, Close             key.Binding

	// comparing and reading the charts
	Pin, Fork, OpenBase, DropBase key.Binding // the baseline
	Seeds                         key.Binding // other seeds of the setting beside the run
	FullY                         key.Binding // fitted y axes ↔ the whole scale
	Type, JSON                    key.Binding // typed γ; the γ vector as a preset line
	Visible                       key.Binding // plot / hide the selected series or atom
	Informative, Order            key.Binding // the inspector: most informative neuron; order of n/N
	Spread                        key.Binding // atoms: mean ↔ distribution over neurons
	Gallery, Confusion            key.Binding // full views: all receptive fields; the readout's confusion matrix
	Build                         key.Binding // the network builder on the selected preset

	// lists and sliders
	Up, Down, Left, Right  key.Binding
	Coarse, CoarseDown     key.Binding // ±0.1
	Zero, Restore          key.Binding
	Top, Bottom, Load      key.Binding
	NeuronJump, NeuronBack key.Binding // ±10 in the inspector

	// confirmation
	Yes, No key.Binding

	// help only: one footer entry for a pair of the keys above
	Select, Adjust, NeuronPick key.Binding
}

func newKeyMap() *keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return &keyMap{
		Run:         b([]string{"space"}, "space", "run/pause"),
		Step:        b([]string{"s"}, "s", "step"),
		Epoch:       b([]string{"e"}, "e", "epoch"),
		Reset:       b([]string{"r"}, "r", "reset"),
		Save:        b([]string{"w"}, "w", "save run"),
		Next:        b([]string{"tab"}, "tab", "next pane"),
		Prev:        b([]string{"shift+tab"}, "shift+tab", "prev pane"),
		Layer:       b([]string{"]"}, "[ ]", "layer"),
		LayerPrev:   b([]string{"["}, "[", "prev layer"),
		Neuron:      b([]string{"n"}, "n/N", "neuron"),
		NeuronPrev:  b([]string{"N"}, "N", "prev neuron"),
		Pattern:     b([]string{"."}, ", .", "pattern"),
		PatternPrev: b([]string{","}, ",", "prev pattern"),
		Help:        b([]string{"?"}, "?", "help"),
		Quit:        b([]string{"q", "ctrl+c"}, "q", "quit"),
		Close:       b([]string{"esc"}, "esc", "close"),

		Pin:      b([]string{"b"}, "b", "pin baseline"),
		Fork:     b([]string{"f"}, "f", "fork baseline"),
		OpenBase: b([]string{"o"}, "o", "baseline file"),
		DropBase: b([]string{"x"}, "x", "drop baseline"),
		Seeds:    b([]string{"K"}, "K", "seeds side by side"),
		FullY:    b([]string{"z"}, "z", "y axis fit/0–100%"),
		Type:     b([]string{"=", "enter"}, "=/enter", "type γ"),
		JSON:     b([]string{"J"}, "J", "γ as JSON"),
		Visible:  b([]string{"v"}, "v", "plot on/off"),

		Informative: b([]string{"i"}, "i", "most informative"),
		Order:       b([]string{"m"}, "m", "neuron order"),
		Spread:      b([]string{"d"}, "d", "atoms: spread"),
		Gallery:     b([]string{"F"}, "F", "all fields"),
		Confusion:   b([]string{"C"}, "C", "confusion"),
		Build:       b([]string{"B"}, "B", "build network"),

		Up:         b([]string{"up", "k"}, "↑/k", "up"),
		Down:       b([]string{"down", "j"}, "↓/j", "down"),
		Left:       b([]string{"left", "h"}, "←/h", "−0.01"),
		Right:      b([]string{"right", "l"}, "→/l", "+0.01"),
		CoarseDown: b([]string{"shift+left", "H", "pgdown"}, "⇧←/pgdn", "−0.1"),
		Coarse:     b([]string{"shift+right", "L", "pgup"}, "⇧→/pgup", "+0.1"),
		Zero:       b([]string{"0"}, "0", "zero γ"),
		Restore:    b([]string{"p"}, "p", "preset γ"),
		Top:        b([]string{"home", "g"}, "g/home", "first"),
		Bottom:     b([]string{"end", "G"}, "G/end", "last"),
		Load:       b([]string{"enter"}, "enter", "load preset"),
		NeuronJump: b([]string{"down", "j", "pgdown"}, "↓/j", "+10"),
		NeuronBack: b([]string{"up", "k", "pgup"}, "↑/k", "−10"),

		Yes: b([]string{"y", "Y"}, "y", "save first"),
		No:  b([]string{"n"}, "n", "don't save"),

		Select:     b([]string{"up"}, "↑↓", "select"),
		Adjust:     b([]string{"left"}, "←→", "adjust"),
		NeuronPick: b([]string{"left"}, "←→ n/N", "neuron"),
	}
}

// helpKeys describes the bindings for bubbles/help: the global keys around
// the focused pane's own (pane.HelpKeys).
type helpKeys struct {
	k      *keyMap
	pane   []key.Binding // the focused pane's keys
	memory bool          // a memory run: , . step through stored patterns
}

// helpKeys are the lab's keys as the focused pane sees them.
func (m *Model) helpKeys() helpKeys {
	return helpKeys{k: m.c.keys, pane: m.focused().HelpKeys(), memory: m.run.data.memory()}
}

func (h helpKeys) ShortHelp() []key.Binding {
	k := h.k
	out := []key.Binding{k.Run, k.Step, k.Epoch, k.Reset, k.Next}
	out = append(out, h.pane...)
	return append(out, k.Save, k.Help, k.Quit)
}

func (h helpKeys) FullHelp() [][]key.Binding {
	k := h.k
	nav := []key.Binding{k.Next, k.Prev, k.Layer, k.Neuron, k.Informative, k.Order, k.Gallery, k.Confusion, k.Build, k.Help, k.Close}
	if h.memory {
		nav = []key.Binding{k.Next, k.Prev, k.Layer, k.Neuron, k.Informative, k.Order, k.Gallery, k.Pattern, k.Help, k.Close}
	}
	return [][]key.Binding{
		{k.Run, k.Step, k.Epoch, k.Reset, k.Save, k.Quit},
		nav,
		{k.Pin, k.Fork, k.OpenBase, k.DropBase, k.Seeds, k.FullY, k.Spread, k.JSON},
		{k.Up, k.Down, k.Left, k.Right, k.Coarse, k.CoarseDown},
		{k.Zero, k.Restore, k.Type, k.Visible, k.Load, k.Top, k.Bottom},
	}
}
