package tui

import "strings"

// hresName is the name of the residual entropy term, last in every γ vector.
const hresName = "h_res"

// atomLabel is an atom's paper-notation name and its meaning in words.
type atomLabel struct {
	name, meaning string
	hres          bool
}

// labelAtoms derives "unique F", "shared F·C", "synergy"… from atom names.
// Sources are 1 = F (feed-forward), 2 = C (context), 3 = L (lateral); in a
// bivariate layer whose second source is lateral (named so by the layer or a
// hidden layer of a "lateral" preset) source 2 reads L.
func labelAtoms(names []string, layerName, preset string, last bool) []atomLabel {
	nsrc := 0
	for _, n := range names {
		for _, r := range n {
			if r >= '1' && r <= '9' {
				nsrc = max(nsrc, int(r-'0'))
			}
		}
	}
	letters := []string{"", "F", "C", "L"}
	if nsrc == 2 && lateralLayer(layerName, preset, last) {
		letters[2] = "L"
	}
	out := make([]atomLabel, len(names))
	for i, n := range names {
		out[i] = atomLabel{name: n, meaning: atomMeaning(n, nsrc, letters), hres: n == hresName}
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

// atomMeaning names one antichain: one singleton → unique, one set of several
// sources → synergy, several sets → shared (redundant) information.
func atomMeaning(name string, nsrc int, letters []string) string {
	if name == hresName {
		return "unexplained"
	}
	sets := parseAntichain(name)
	if len(sets) == 0 {
		return ""
	}
	word := func(set string) string {
		var b strings.Builder
		for _, r := range set {
			if i := int(r - '0'); i > 0 && i < len(letters) {
				b.WriteString(letters[i])
			} else {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	switch {
	case len(sets) == 1 && len(sets[0]) == 1:
		return "unique " + word(sets[0])
	case len(sets) == 1:
		if nsrc <= 2 {
			return "synergy"
		}
		return "synergy " + word(sets[0])
	default:
		parts := make([]string, len(sets))
		for i, s := range sets {
			parts[i] = word(s)
		}
		return "shared " + strings.Join(parts, "·")
	}
}

// parseAntichain splits "{1}{23}" into ["1", "23"].
func parseAntichain(name string) []string {
	var sets []string
	for {
		i := strings.IndexByte(name, '{')
		j := strings.IndexByte(name, '}')
		if i < 0 || j < i {
			return sets
		}
		sets = append(sets, name[i+1:j])
		name = name[j+1:]
	}
}
