package tune

import (
	"fmt"
	"slices"
	"strings"

	"infomorph-tui/pid"
	"infomorph-tui/sweep"
)

// Dim is one γ entry of the tuned layer: searched in [Lo, Hi], or fixed
// at Lo when Lo == Hi.
type Dim struct {
	Atom string  `json:"atom"` // γ name: an atom such as {1}{2}, or h_res
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

// Free reports whether the entry is searched.
func (d Dim) Free() bool { return d.Lo < d.Hi }

// Space is the search space: one Dim per γ entry of the layer, in γ order.
type Space []Dim

// DefaultSpace is every γ entry in [−1, 1], as the authors searched; on a
// trivariate layer h_res stays fixed at 0, as in their 18-atom studies.
func DefaultSpace(names []string) Space {
	s := make(Space, len(names))
	trivariate := len(names) > 5
	for i, n := range names {
		s[i] = Dim{Atom: n, Lo: -1, Hi: 1}
		if n == pid.HRes && trivariate {
			s[i] = Dim{Atom: n}
		}
	}
	return s
}

// ParseVary reads a --vary argument of tune: ATOM=a:b (search the entry
// in [a, b]) or ATOM=v (fix it at v).
func ParseVary(arg string) (sweep.Vary, error) {
	v, err := sweep.ParseVary(arg)
	if err != nil {
		return v, fmt.Errorf("%s (tune takes ATOM=a:b or ATOM=v)", strings.TrimSuffix(err.Error(), "."))
	}
	if v.N > 1 {
		return v, fmt.Errorf("--vary %q: tune searches a range ATOM=a:b (or fixes ATOM=v); a grid a:b:n is for sweep", arg)
	}
	if v.Lo > v.Hi {
		v.Lo, v.Hi = v.Hi, v.Lo
	}
	return v, nil
}

// Narrow applies --vary arguments to the space.
func (s Space) Narrow(layer string, vary []sweep.Vary) (Space, error) {
	out := slices.Clone(s)
	seen := map[string]bool{}
	names := make([]string, len(s))
	for i, d := range s {
		names[i] = d.Atom
	}
	for _, v := range vary {
		k := slices.Index(names, v.Atom)
		switch {
		case k < 0:
			return nil, fmt.Errorf("--vary %s: unknown atom %q for layer %s (γ entries: %s)", v.Atom, v.Atom, layer, strings.Join(names, " "))
		case seen[v.Atom]:
			return nil, fmt.Errorf("--vary %s: given twice", v.Atom)
		}
		seen[v.Atom] = true
		out[k] = Dim{Atom: v.Atom, Lo: v.Lo, Hi: v.Hi}
	}
	if len(out.free()) == 0 {
		return nil, fmt.Errorf("--vary: every γ entry is fixed; leave at least one range a:b to search")
	}
	return out, nil
}

// free lists the indices of the searched entries.
func (s Space) free() []int {
	var f []int
	for i, d := range s {
		if d.Free() {
			f = append(f, i)
		}
	}
	return f
}

// Dims is the number of searched entries.
func (s Space) Dims() int { return len(s.free()) }

// Gamma maps a point of the unit cube (one coordinate in [0, 1] per
// searched entry) to the layer's full γ.
func (s Space) Gamma(x []float64) []float64 {
	g := make([]float64, len(s))
	k := 0
	for i, d := range s {
		g[i] = d.Lo
		if d.Free() {
			u := min(max(x[k], 0), 1)
			g[i] = d.Lo + (d.Hi-d.Lo)*u
			if u == 1 {
				g[i] = d.Hi
			}
			k++
		}
	}
	return g
}

// Unit maps a full γ into the unit cube (clipped to the space); ok is false
// when a fixed entry differs.
func (s Space) Unit(g []float64) (x []float64, ok bool) {
	ok = len(g) == len(s)
	for i, d := range s {
		if i >= len(g) {
			break
		}
		if !d.Free() {
			ok = ok && g[i] == d.Lo
			continue
		}
		x = append(x, min(max((g[i]-d.Lo)/(d.Hi-d.Lo), 0), 1))
	}
	return x, ok
}

// Describe is a short text such as "all 5 γ entries in [−1, 1]",
// "18 γ entries in [−1, 1], h_res = 0" or "{1} in [0, 1], 4 in [−1, 1]".
func (s Space) Describe() string {
	unit := 0
	var parts []string
	for _, d := range s {
		switch {
		case d.Free() && d.Lo == -1 && d.Hi == 1:
			unit++
		case d.Free():
			parts = append(parts, fmt.Sprintf("%s in [%g, %g]", d.Atom, d.Lo, d.Hi))
		default:
			parts = append(parts, fmt.Sprintf("%s = %g", d.Atom, d.Lo))
		}
	}
	switch {
	case unit == len(s):
		return fmt.Sprintf("all %d γ entries in [−1, 1]", len(s))
	case unit > 0:
		parts = append([]string{fmt.Sprintf("%d γ entr%s in [−1, 1]", unit, map[bool]string{true: "y", false: "ies"}[unit == 1])}, parts...)
	}
	return strings.Join(parts, ", ")
}
