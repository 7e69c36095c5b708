package tui

import (
	"slices"
	"sort"

	tea "charm.land/bubbletea/v2"
)

// neuronOrder is the order n/N step through a layer's neurons in.
type neuronOrder int

const (
	byIndex    neuronOrder = iota
	byInfo                 // most informative first (the run ranks them)
	bySelected             // the goal pane's selected atom, largest first
	byTheta                // mean firing probability, highest first
	orderCount
)

func (o neuronOrder) String() string {
	return [...]string{"by index", "by information", "by atom", "by θ"}[o]
}

// ordered lists the layer's neurons in the current order; an order the run
// cannot give yet (before the first measured batch) falls back to the index.
func (p *inspector) ordered() []int {
	idx := make([]int, p.units)
	for i := range idx {
		idx[i] = i
	}
	if p.order == byIndex || !p.d.has || p.layer >= len(p.d.snap.Layers) {
		return idx
	}
	ls := p.d.snap.Layers[p.layer]
	switch p.order {
	case byInfo:
		if len(ls.ByInfo) == p.units {
			return slices.Clone(ls.ByInfo)
		}
	case bySelected:
		a := p.goal.selected()
		if len(ls.Neurons) == p.units {
			sort.SliceStable(idx, func(i, j int) bool { return at(ls.Neurons[idx[i]], a) > at(ls.Neurons[idx[j]], a) })
		}
	case byTheta:
		if len(ls.MeanTheta) == p.units {
			sort.SliceStable(idx, func(i, j int) bool { return ls.MeanTheta[idx[i]] > ls.MeanTheta[idx[j]] })
		}
	}
	return idx
}

// cycleOrder switches to the next order and goes to its first neuron.
func (p *inspector) cycleOrder() tea.Msg {
	p.order = (p.order + 1) % orderCount
	return p.jump(0)
}

// mostInformative jumps to the layer's most informative neuron.
func (p *inspector) mostInformative() tea.Msg {
	if !p.d.has || p.layer >= len(p.d.snap.Layers) || len(p.d.snap.Layers[p.layer].ByInfo) == 0 {
		return nil
	}
	p.auto = false
	p.neuron = p.d.snap.Layers[p.layer].ByInfo[0]
	return p.watch()
}

// silent reports whether the shown neuron is silent.
func (p *inspector) silent() bool {
	if !p.d.has || p.layer >= len(p.d.snap.Layers) {
		return false
	}
	s := p.d.snap.Layers[p.layer].IsSilent
	return p.neuron < len(s) && s[p.neuron]
}
