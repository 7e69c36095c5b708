package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"infomorph-tui/pid"
	"infomorph-tui/presets"
)

// Vary is one --vary argument: ATOM=a:b:n (n grid points from a to b),
// ATOM=a:b (a range, for random sweeps) or ATOM=v (one value).
type Vary struct {
	Atom   string
	Lo, Hi float64
	N      int // grid points; 0 for a bare range a:b
}

// ParseVary reads an ATOM=a:b:n, ATOM=a:b or ATOM=v argument.
func ParseVary(s string) (Vary, error) {
	atom, spec, ok := strings.Cut(s, "=")
	atom = strings.TrimSpace(atom)
	if !ok || atom == "" || spec == "" {
		return Vary{}, fmt.Errorf("--vary %q: want ATOM=a:b:n (n values from a to b), ATOM=a:b (with --random) or ATOM=v", s)
	}
	parts := strings.Split(spec, ":")
	if len(parts) > 3 {
		return Vary{}, fmt.Errorf("--vary %q: want ATOM=a:b:n, ATOM=a:b or ATOM=v", s)
	}
	var vals []float64
	for _, p := range parts[:min(len(parts), 2)] {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return Vary{}, fmt.Errorf("--vary %q: %q is not a finite number", s, p)
		}
		vals = append(vals, v)
	}
	if len(vals) == 2 && math.IsInf(vals[1]-vals[0], 0) {
		return Vary{}, fmt.Errorf("--vary %q: the range from a to b is too wide (b − a is not a finite number)", s)
	}
	v := Vary{Atom: atom, Lo: vals[0], Hi: vals[0], N: 1}
	switch len(parts) {
	case 2:
		v.Hi, v.N = vals[1], 0
		if v.Lo == v.Hi {
			return Vary{}, fmt.Errorf("--vary %q: the range is empty (a = b)", s)
		}
	case 3:
		v.Hi = vals[1]
		n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err != nil || n < 2 || n > 10000 {
			return Vary{}, fmt.Errorf("--vary %q: n must be a whole number from 2 to 10000 (use ATOM=v for one value)", s)
		}
		if v.Lo == v.Hi {
			return Vary{}, fmt.Errorf("--vary %q: a and b are equal; use ATOM=v for one value", s)
		}
		v.N = n
	}
	return v, nil
}

// Axis is one varied γ entry of the swept layer.
type Axis struct {
	Atom  string  `json:"atom"`  // γ name: an atom such as {1}{2}, or h_res
	Index int     `json:"index"` // position in the layer's γ
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	// Values are the grid values, from Lo to Hi; empty in random sweeps.
	Values []float64 `json:"values,omitempty"`
}

// NamedPoint is one explicitly listed γ point of a sweep (Spec.Named): the
// layer's full γ and a label naming it.
type NamedPoint struct {
	Label string `json:"label"`
	// Entry is the γ entry this point modifies (the one removed last, for
	// cumulative removal); empty for the unmodified baseline.
	Entry string `json:"entry,omitempty"`
	// Removed counts the entries set to 0 so far in cumulative removal.
	Removed int       `json:"removed,omitempty"`
	Gamma   []float64 `json:"gamma"`
}

// Symbol names the axis's goal weight: γ{1}{2}, or γ_res for h_res.
func (a Axis) Symbol() string {
	if a.Atom == pid.HRes {
		return "γ_res"
	}
	return "γ" + a.Atom
}

// Spec says what a sweep trains. Two processes with equal specs (shards)
// may share a folder.
type Spec struct {
	Preset string         `json:"preset"`
	Def    presets.Preset `json:"preset_def"`
	Layer  string         `json:"layer"`
	// Base is the layer's γ before the variation; GammaNames names its entries.
	Base       []float64 `json:"base_gamma"`
	GammaNames []string  `json:"gamma_names"`
	Axes       []Axis    `json:"axes"`
	// Named, when set instead of Axes, lists the points explicitly, each
	// with the layer's full γ (sensitivity analyses).
	Named []NamedPoint `json:"points,omitempty"`
	// Sensitivity says how Named was built, for a sensitivity analysis.
	Sensitivity *Sensitivity `json:"sensitivity,omitempty"`
	// Random > 0 draws that many points uniformly from the axes' ranges
	// (seeded by RandomSeed) instead of the grid.
	Random     int    `json:"random,omitempty"`
	RandomSeed uint64 `json:"random_seed,omitempty"`
	Seeds      int    `json:"seeds"`      // runs per point
	FirstSeed  uint64 `json:"first_seed"` // seeds FirstSeed … FirstSeed+Seeds−1
	Epochs     int    `json:"epochs"`
	// Data describes the data set's size (train/validation/test), so that
	// shards on other machines are checked to train on the same data.
	Data string `json:"data"`
}

// NewSpec checks a sweep over preset p's layer (empty: the first) and builds
// its spec. Errors are one line, naming the argument at fault.
func NewSpec(p presets.Preset, layer string, vary []Vary, random int, randomSeed uint64, seeds int, firstSeed uint64, epochs int) (Spec, error) {
	s := Spec{Preset: p.Name, Def: p, Random: random, Seeds: seeds, FirstSeed: firstSeed, Epochs: epochs}
	if random > 0 {
		s.RandomSeed = randomSeed
	}
	netSpec, err := p.NetSpec()
	if err != nil {
		return s, fmt.Errorf("preset %s: %w", p.Name, err)
	}
	li := 0
	if layer != "" {
		li = -1
		var names []string
		for i, l := range netSpec.Layers {
			names = append(names, l.Name)
			if l.Name == layer {
				li = i
			}
		}
		if li < 0 {
			return s, fmt.Errorf("--layer: preset %s has no layer %q (layers: %s)", p.Name, layer, strings.Join(names, ", "))
		}
	}
	ls := netSpec.Layers[li]
	s.Layer = ls.Name
	s.Base = append([]float64(nil), ls.Gamma...)
	s.GammaNames = pid.GammaNames(ls.Sources())
	switch {
	case len(vary) == 0:
		return s, errors.New("--vary: give at least one γ entry to vary, e.g. --vary '{1}{2}=0:1:5'")
	case seeds < 1 || seeds > 10000:
		return s, errors.New("--seeds must be between 1 and 10000")
	case epochs < 1 || epochs > 100000:
		return s, errors.New("--epochs must be between 1 and 100000")
	case random < 0 || random > 1000000:
		return s, errors.New("--random must be between 1 and 1000000")
	}
	seen := map[string]bool{}
	runs := seeds
	for _, v := range vary {
		k := slices.Index(s.GammaNames, v.Atom)
		if k < 0 {
			return s, fmt.Errorf("--vary %s: unknown atom %q for layer %s (γ entries: %s)", v.Atom, v.Atom, s.Layer, strings.Join(s.GammaNames, " "))
		}
		if seen[v.Atom] {
			return s, fmt.Errorf("--vary %s: given twice", v.Atom)
		}
		seen[v.Atom] = true
		a := Axis{Atom: v.Atom, Index: k, Lo: v.Lo, Hi: v.Hi}
		switch {
		case random > 0 && v.N > 1:
			return s, fmt.Errorf("--vary %s: with --random give a range a:b (or one value), not a:b:n", v.Atom)
		case random == 0 && v.N == 0:
			return s, fmt.Errorf("--vary %s: a range a:b needs --random M; for a grid give a:b:n", v.Atom)
		case random == 0:
			a.Values = gridValues(v.Lo, v.Hi, v.N)
			runs *= v.N
		}
		s.Axes = append(s.Axes, a)
	}
	if random > 0 {
		runs = seeds * random
	}
	if runs > 1000000 {
		return s, fmt.Errorf("the sweep has %d runs; at most 1000000", runs)
	}
	return s, nil
}

// gridValues returns n values from lo to hi, both included.
func gridValues(lo, hi float64, n int) []float64 {
	if n == 1 {
		return []float64{lo}
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*float64(i)/float64(n-1)
		if math.IsInf(v[i], 0) { // (hi−lo)·i overflowed: same point, other rounding
			v[i] = lo + (hi-lo)*(float64(i)/float64(n-1))
		}
	}
	v[n-1] = hi
	return v
}

// Points returns the sweep's γ points (the varied values, in axis order):
// the grid with the last axis varying fastest, or the random samples; for
// a sweep of named points, each point's full γ.
func (s Spec) Points() [][]float64 {
	if len(s.Named) > 0 {
		pts := make([][]float64, len(s.Named))
		for i, p := range s.Named {
			pts[i] = slices.Clone(p.Gamma)
		}
		return pts
	}
	if s.Random > 0 {
		rng := rand.New(rand.NewPCG(s.RandomSeed, 0x5eed))
		pts := make([][]float64, s.Random)
		for i := range pts {
			pts[i] = make([]float64, len(s.Axes))
			for k, a := range s.Axes {
				pts[i][k] = a.Lo + (a.Hi-a.Lo)*rng.Float64()
			}
		}
		return pts
	}
	n := 1
	for _, a := range s.Axes {
		n *= len(a.Values)
	}
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, len(s.Axes))
		rest := i
		for k := len(s.Axes) - 1; k >= 0; k-- {
			vals := s.Axes[k].Values
			pts[i][k] = vals[rest%len(vals)]
			rest /= len(vals)
		}
	}
	return pts
}

// Job is one run of a sweep: a point and a seed.
type Job struct {
	Index int       // position in the sweep's run list
	Point []float64 // the varied values, in axis order
	Seed  uint64
	Gamma []float64 // the layer's full γ
	ID    string
	Label string // the point's label in a sweep of named points
}

// Jobs lists every run of the sweep, point by point, seeds innermost.
// It fails if two runs would be identical (a grid with repeated values).
func (s Spec) Jobs() ([]Job, error) {
	var jobs []Job
	seen := map[string]bool{}
	for i, pt := range s.Points() {
		g := s.Gamma(pt)
		label := ""
		if len(s.Named) > 0 {
			label = s.Named[i].Label
		}
		for k := 0; k < s.Seeds; k++ {
			seed := s.FirstSeed + uint64(k)
			id := RunID(s.Preset, s.Layer, g, seed)
			if seen[id] {
				if label != "" {
					return nil, fmt.Errorf("the point %s repeats another point's γ (seed %d)", label, seed)
				}
				return nil, fmt.Errorf("the sweep repeats the point %v (seed %d); make the grid's values distinct", pt, seed)
			}
			seen[id] = true
			jobs = append(jobs, Job{Index: len(jobs), Point: pt, Seed: seed, Gamma: g, ID: id, Label: label})
		}
	}
	return jobs, nil
}

// Gamma is the layer's full γ at a point.
func (s Spec) Gamma(point []float64) []float64 {
	if len(s.Named) > 0 {
		return slices.Clone(point)
	}
	g := append([]float64(nil), s.Base...)
	for k, a := range s.Axes {
		g[a.Index] = point[k]
	}
	return g
}

// RunID names a run by what determines it: preset, layer, the layer's γ
// (exact bits) and seed.
func RunID(preset, layer string, gamma []float64, seed uint64) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", preset, layer)
	var b [8]byte
	for _, v := range gamma {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	sum := h.Sum(nil)
	return fmt.Sprintf("g%s-s%d", hex.EncodeToString(sum[:8]), seed)
}

// ParseShard reads --shard K/N (1 ≤ K ≤ N).
func ParseShard(s string) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("--shard %q: want K/N with 1 ≤ K ≤ N, e.g. 2/8", s)
	}
	return k, n, nil
}

// Shard returns the jobs of shard k of n (1-based): every n-th job, so each
// shard gets a similar mix of points.
func Shard(jobs []Job, k, n int) []Job {
	if n <= 1 {
		return jobs
	}
	var out []Job
	for i := k - 1; i < len(jobs); i += n {
		out = append(out, jobs[i])
	}
	return out
}
