package tui

import (
	"strings"

	"infomorph-tui/pid"
)

// atomLabel is an atom's paper-notation name and its meaning in words.
type atomLabel struct {
	name, meaning string
	hres          bool
}

// labelAtoms derives "unique F", "shared F·C", "synergy"… from atom names
// (pid.Meaning). Sources are 1 = F (feed-forward), 2 = C (context), 3 = L
// (lateral); in a bivariate layer whose second source is lateral (named so
// by the layer or a hidden layer of a "lateral" preset) source 2 reads L.
func labelAtoms(names []string, layerName, preset string, last bool) []atomLabel {
	nsrc := 0
	for _, n := range names {
		for _, r := range n {
			if r >= '1' && r <= '9' {
				nsrc = max(nsrc, int(r-'0'))
			}
		}
	}
	letters := []string{"F", "C", "L"}
	if nsrc == 2 && lateralLayer(layerName, preset, last) {
		letters[1] = "L"
	}
	out := make([]atomLabel, len(names))
	for i, n := range names {
		out[i] = atomLabel{name: n, meaning: pid.Meaning(n, nsrc, letters...), hres: n == pid.HRes}
	}
	return out
}

func lateralLayer(layer, preset string, last bool) bool {
	l := strings.ToLower(layer)
	if strings.Contains(l, "lateral") || strings.Contains(l, "recurrent") {
		return true
	}
	return !last && !strings.Contains(l, "readout") && strings.Contains(strings.ToLower(preset), "lateral")
}
