package pid

import (
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
)

// MaxSources is the largest number of sources supported; the trivariate
// lattice has 18 nodes, four sources would have 166.
const MaxSources = 3

// Antichain is a set of source subsets, none containing another. Each member
// is a bit mask over sources (bit 0 = source 1). Members are sorted by size,
// then lexicographically, which fixes the printed name.
type Antichain []uint8

// Name renders an antichain in the paper's notation, e.g. "{1}{23}".
func (a Antichain) Name() string {
	var b strings.Builder
	for _, m := range a {
		b.WriteByte('{')
		for j := 0; j < 8; j++ {
			if m&(1<<j) != 0 {
				b.WriteByte(byte('1' + j))
			}
		}
		b.WriteByte('}')
	}
	return b.String()
}

// Lattice is the redundancy lattice of n sources: its antichains in the
// documented atom order, the partial order and the Möbius function.
type Lattice struct {
	N     int
	Nodes []Antichain
	Names []string
	// Below[i][j] reports Nodes[j] ≤ Nodes[i].
	Below [][]bool
	// Mobius[j][i] is μ(Nodes[j], Nodes[i]); atoms are Π_i = Σ_j μ(j,i)·I_j.
	Mobius [][]float64
	// Top is the index of {12…n}, whose I^sx is the joint mutual information.
	Top int
	// Single[k] is the index of the antichain {k+1}, whose I^sx is I(T;S_{k+1}).
	Single []int
}

// documentedOrder is the atom order used everywhere (presets, JSON, charts).
var documentedOrder = map[int][]string{
	1: {"{1}"},
	2: {"{1}", "{2}", "{1}{2}", "{12}"},
	3: {"{1}{2}{3}", "{1}{2}", "{1}{3}", "{2}{3}", "{1}{23}", "{2}{13}", "{3}{12}",
		"{1}", "{2}", "{3}", "{12}{13}{23}", "{12}{13}", "{12}{23}", "{13}{23}",
		"{12}", "{13}", "{23}", "{123}"},
}

var lattices [MaxSources + 1]*Lattice

func init() {
	for n := 1; n <= MaxSources; n++ {
		lattices[n] = buildLattice(n)
	}
}

// NewLattice returns the (shared, read-only) lattice for n sources.
func NewLattice(n int) *Lattice {
	if n < 1 || n > MaxSources {
		panic(fmt.Sprintf("pid: %d sources not supported", n))
	}
	return lattices[n]
}

// HRes names the residual entropy H_res = H(T) − I(T; S1..Sn), the last
// entry of every γ vector after the atoms.
const HRes = "h_res"

// AtomNames returns a new slice of the atom names for n sources in the
// documented order.
func AtomNames(n int) []string { return slices.Clone(NewLattice(n).Names) }

// GammaNames returns a new slice of the entries of a goal vector γ for n
// sources: the atom names in the documented order, then HRes.
func GammaNames(n int) []string {
	names := NewLattice(n).Names
	return append(append(make([]string, 0, len(names)+1), names...), HRes)
}

// leq reports a ≤ b: every member of b contains some member of a.
func leq(a, b Antichain) bool {
	for _, bm := range b {
		ok := false
		for _, am := range a {
			if am&bm == am {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// antichains enumerates every non-empty antichain of non-empty subsets of n sources.
func antichains(n int) []Antichain {
	nsub := 1<<n - 1 // subsets 1..nsub
	var out []Antichain
	for set := 1; set < 1<<nsub; set++ {
		var members []uint8
		for k := 0; k < nsub; k++ {
			if set&(1<<k) != 0 {
				members = append(members, uint8(k+1))
			}
		}
		if !isAntichain(members) {
			continue
		}
		sort.Slice(members, func(i, j int) bool {
			ci, cj := bits.OnesCount8(members[i]), bits.OnesCount8(members[j])
			if ci != cj {
				return ci < cj
			}
			return Antichain{members[i]}.Name() < Antichain{members[j]}.Name()
		})
		out = append(out, Antichain(members))
	}
	return out
}

func isAntichain(ms []uint8) bool {
	for i, a := range ms {
		for j, b := range ms {
			if i != j && a&b == a {
				return false
			}
		}
	}
	return true
}

func buildLattice(n int) *Lattice {
	nodes := antichains(n)
	order := documentedOrder[n]
	if len(order) != len(nodes) {
		panic(fmt.Sprintf("pid: lattice of %d sources has %d nodes, documented order %d", n, len(nodes), len(order)))
	}
	byName := map[string]Antichain{}
	for _, a := range nodes {
		byName[a.Name()] = a
	}
	l := &Lattice{N: n}
	for _, name := range order {
		a, ok := byName[name]
		if !ok {
			panic("pid: documented atom " + name + " is not an antichain")
		}
		l.Nodes = append(l.Nodes, a)
		l.Names = append(l.Names, name)
	}
	m := len(l.Nodes)
	l.Below = make([][]bool, m)
	for i := range l.Nodes {
		l.Below[i] = make([]bool, m)
		for j := range l.Nodes {
			l.Below[i][j] = leq(l.Nodes[j], l.Nodes[i])
		}
	}
	l.Mobius = mobius(l.Below)
	full := uint8(1<<n - 1)
	l.Single = make([]int, n)
	for i, a := range l.Nodes {
		if len(a) == 1 && a[0] == full {
			l.Top = i
		}
		if len(a) == 1 && bits.OnesCount8(a[0]) == 1 {
			l.Single[bits.TrailingZeros8(a[0])] = i
		}
	}
	return l
}

// mobius computes μ(x,y) = 1 if x = y, −Σ_{x ≤ z < y} μ(x,z) if x < y, 0 otherwise,
// processing y in an order compatible with ≤ (fewer elements below first).
func mobius(below [][]bool) [][]float64 {
	m := len(below)
	rank := make([]int, m)
	for i := range below {
		for j := range below[i] {
			if below[i][j] {
				rank[i]++
			}
		}
	}
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank[idx[a]] < rank[idx[b]] })
	mu := make([][]float64, m)
	for x := range mu {
		mu[x] = make([]float64, m)
	}
	for x := 0; x < m; x++ {
		for _, y := range idx {
			switch {
			case x == y:
				mu[x][y] = 1
			case below[y][x]:
				s := 0.0
				for z := 0; z < m; z++ {
					if z != y && below[z][x] && below[y][z] {
						s += mu[x][z]
					}
				}
				mu[x][y] = -s
			}
		}
	}
	return mu
}
