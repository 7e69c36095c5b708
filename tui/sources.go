package tui

import "infomorph-tui/pid"

// labelLayer labels a layer's atoms in words. An engine that names its
// sources (LayerInfo.Sources: a memory network's R and C) is taken at its
// word; otherwise labelAtoms guesses F, C or L from the layer and preset.
func labelLayer(l LayerInfo, preset string, last bool) []atomLabel {
	out := labelAtoms(l.AtomNames, l.Name, preset, last)
	if len(l.Sources) == 0 {
		return out
	}
	for i := range out {
		out[i].meaning = pid.Meaning(out[i].name, len(l.Sources), l.Sources...)
	}
	return out
}
