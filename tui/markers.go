package tui

import "fmt"

// marker is a γ change drawn on the charts' time axis.
type marker struct {
	step     int // training steps done when the change took effect
	layer    int
	atom     int
	old, new float64
}

// vmark places the marker at x on a chart: its atom's name (with the layer
// number for the changes of a later layer of a multi-layer network) and its
// old and new value.
func (mk marker) vmark(x float64, names [][]string, multiLayer bool) vmark {
	name := fmt.Sprint(mk.atom)
	if mk.layer < len(names) && mk.atom < len(names[mk.layer]) {
		name = names[mk.layer][mk.atom]
	}
	if multiLayer && mk.layer > 0 {
		name = fmt.Sprintf("%d:%s", mk.layer+1, name)
	}
	return vmark{x: x, atom: name, old: mk.old, new: mk.new}
}

func trimGamma(v float64) string { return fmt.Sprintf("%.2f", v) }

// markersFromLog turns the γ history into per-atom markers. Changes of one
// atom at the same step merge (keeping the first old value), so holding an
// arrow key while paused leaves one marker, not fifty.
func markersFromLog(log []gammaRecord) []marker {
	prev := map[int][]float64{}
	var out []marker
	for _, r := range log {
		p, seen := prev[r.Layer]
		prev[r.Layer] = r.Gamma
		if !seen {
			continue // the initial γ
		}
		for a := range min(len(p), len(r.Gamma)) {
			if p[a] == r.Gamma[a] {
				continue
			}
			merged := false
			for j := len(out) - 1; j >= 0 && out[j].step == r.Step; j-- {
				if out[j].layer == r.Layer && out[j].atom == a {
					out[j].new = r.Gamma[a]
					merged = true
					break
				}
			}
			if !merged {
				out = append(out, marker{step: r.Step, layer: r.Layer, atom: a, old: p[a], new: r.Gamma[a]})
			}
		}
	}
	// drop changes that were undone at the same step
	kept := out[:0]
	for _, mk := range out {
		if mk.old != mk.new {
			kept = append(kept, mk)
		}
	}
	return kept
}
