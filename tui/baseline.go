package tui

import (
	"fmt"
	"math"
	"slices"

	"infomorph-tui/tasks"
)

// baseline is the run the current one is compared with: a fork the worker
// trains in step with the run (live), a copy of the run's curves pinned at
// some epoch, or a saved run file. The charts draw it as ghosts and the
// legends give the current run's difference from it.
type baseline struct {
	label  string // how legends and messages name it: "fork at epoch 2", a file name…
	preset string
	hist   []tasks.EpochStats
	gamma  map[string][]float64 // its γ per layer name (the last in force); nil: unknown
	live   bool                 // the worker trains it in step with the run
	seq    int                  // the fork command's sequence number, for the worker's posts
}

// compare is the lab's comparison state, shared by the root and the panes
// that draw it; ver changes whenever the baseline does, for their caches.
type compare struct {
	base *baseline
	ver  int
}

func (c *compare) set(b *baseline) {
	c.base = b
	c.ver++
}

// baseState is the worker's news of a live baseline: its finished epochs
// and γ, and why it stopped when it did.
type baseState struct {
	seq    int
	hist   []tasks.EpochStats
	gamma  map[string][]float64
	halted string
}

// fromOptions is the baseline of Options.Baseline.
func fromOptions(b Baseline) *baseline {
	return &baseline{label: b.Label, preset: b.Preset, hist: slices.Clone(b.History), gamma: b.Gamma}
}

// epoch returns the baseline's record of epoch e, or else its latest before
// e (exact reports which).
func (b *baseline) epoch(e int) (st tasks.EpochStats, exact, ok bool) {
	for i := len(b.hist) - 1; i >= 0; i-- {
		if at := epochOf(b.hist[i], i); at <= e {
			return b.hist[i], at == e, true
		}
	}
	return tasks.EpochStats{}, false, false
}

// epochOf is history entry i's epoch (entries that do not say are i+1).
func epochOf(e tasks.EpochStats, i int) int {
	if e.Epoch > 0 {
		return e.Epoch
	}
	return i + 1
}

// layerNamed finds a layer's statistics by name.
func layerNamed(ls []tasks.LayerStats, name string) (tasks.LayerStats, bool) {
	for _, l := range ls {
		if l.Name == name {
			return l, true
		}
	}
	return tasks.LayerStats{}, false
}

// atomNamed is a layer's value of the named atom (bits), NaN if it has none.
func atomNamed(l tasks.LayerStats, name string) float64 {
	if i := slices.Index(l.AtomNames, name); i >= 0 && i < len(l.Atoms) {
		return l.Atoms[i]
	}
	return math.NaN()
}

// diff is what a legend says about a value's difference from the baseline:
// "(+0.4)" in the given unit, "(+0.4 @3)" against an earlier baseline epoch,
// "" when there is nothing to compare.
type diff struct {
	d     float64
	at    int // the baseline epoch compared with, when not the same
	valid bool
}

func (d diff) text(dec int, unit string) string {
	if !d.valid || !finite(d.d) {
		return ""
	}
	if math.Abs(d.d) < 0.1*math.Pow(10, 1-float64(dec)) && d.d != 0 {
		dec++ // a small effect keeps one more digit rather than reading ±0
	}
	s := signed(d.d, dec)
	if s[0] == ' ' {
		s = "±" + s[1:]
	}
	s += unit
	if d.at > 0 {
		s += fmt.Sprintf(" @%d", d.at)
	}
	return "(" + s + ")"
}

// diffAt compares v, the run's value at its latest epoch e, with the
// baseline's value of that epoch (val extracts it from a record).
func (b *baseline) diffAt(e int, v float64, val func(tasks.EpochStats) float64) diff {
	if b == nil || e <= 0 || !finite(v) {
		return diff{}
	}
	st, exact, ok := b.epoch(e)
	if !ok {
		return diff{}
	}
	bv := val(st)
	if !finite(bv) {
		return diff{}
	}
	d := diff{d: v - bv, valid: true}
	if !exact {
		d.at = epochOf(st, 0)
	}
	return d
}
