package pid

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// ---- independent reference implementation (straight from the definition) ----

// parseAntichain turns "{1}{23}" into member masks (bit 0 = source 1).
func parseAntichain(t testing.TB, name string) []uint8 {
	t.Helper()
	var out []uint8
	for _, part := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(name, "{"), "}"), "}{") {
		var m uint8
		for _, r := range part {
			if r < '1' || r > '9' {
				t.Fatalf("bad antichain name %q", name)
			}
			m |= 1 << (r - '1')
		}
		out = append(out, m)
	}
	return out
}

// renderAntichain renders members canonically: each member's digits ascending,
// members by size, then lexicographically.
func renderAntichain(ms []uint8) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		var b strings.Builder
		for j := 0; j < 8; j++ {
			if m&(1<<j) != 0 {
				b.WriteByte(byte('1' + j))
			}
		}
		parts[i] = b.String()
	}
	sort.Slice(parts, func(i, j int) bool {
		if len(parts[i]) != len(parts[j]) {
			return len(parts[i]) < len(parts[j])
		}
		return parts[i] < parts[j]
	})
	return "{" + strings.Join(parts, "}{") + "}"
}

// refLeq reports a ≤ b on the redundancy lattice.
func refLeq(a, b []uint8) bool {
	for _, bm := range b {
		ok := false
		for _, am := range a {
			if am&bm == am {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func prod(xs []int) int {
	n := 1
	for _, x := range xs {
		n *= x
	}
	return n
}

// coords decodes flat cell c of a row-major source space.
func coords(c int, sizes []int) []int {
	x := make([]int, len(sizes))
	for j := len(sizes) - 1; j >= 0; j-- {
		x[j] = c % sizes[j]
		c /= sizes[j]
	}
	return x
}

// refIsx evaluates I^sx(α) of a dense pmf by enumerating every union event.
func refIsx(shape []int, p []float64, a []uint8) float64 {
	nT, sizes := shape[0], shape[1:]
	space := prod(sizes)
	xs := make([][]int, space)
	for c := range xs {
		xs[c] = coords(c, sizes)
	}
	pt := make([]float64, nT)
	for t := 0; t < nT; t++ {
		for c := 0; c < space; c++ {
			pt[t] += p[t*space+c]
		}
	}
	in := func(c, c2 int) bool {
		for _, m := range a {
			same := true
			for j := range sizes {
				if m&(1<<j) != 0 && xs[c][j] != xs[c2][j] {
					same = false
				}
			}
			if same {
				return true
			}
		}
		return false
	}
	val := 0.0
	for c := 0; c < space; c++ {
		for t := 0; t < nT; t++ {
			v := p[t*space+c]
			if v == 0 {
				continue
			}
			ptu, pu := 0.0, 0.0
			for c2 := 0; c2 < space; c2++ {
				if !in(c, c2) {
					continue
				}
				ptu += p[t*space+c2]
				for t2 := 0; t2 < nT; t2++ {
					pu += p[t2*space+c2]
				}
			}
			val += v * math.Log2(ptu/(pt[t]*pu))
		}
	}
	return val
}

// refAtoms inverts I(α) = Σ_{β≤α} Π(β) by recursion from the bottom up,
// without any Möbius function.
func refAtoms(t testing.TB, shape []int, p []float64) (atoms, red []float64) {
	names := AtomNames(len(shape) - 1)
	nodes := make([][]uint8, len(names))
	for i, nm := range names {
		nodes[i] = parseAntichain(t, nm)
	}
	red = make([]float64, len(nodes))
	for i, a := range nodes {
		red[i] = refIsx(shape, p, a)
	}
	below := func(i int) int {
		k := 0
		for j := range nodes {
			if refLeq(nodes[j], nodes[i]) {
				k++
			}
		}
		return k
	}
	order := make([]int, len(nodes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return below(order[a]) < below(order[b]) })
	atoms = make([]float64, len(nodes))
	for _, i := range order {
		s := red[i]
		for j := range nodes {
			if j != i && refLeq(nodes[j], nodes[i]) {
				s -= atoms[j]
			}
		}
		atoms[i] = s
	}
	return atoms, red
}

// refMI is Shannon's I(T; S_A) from the marginal over the sources in mask.
func refMI(shape []int, p []float64, mask int) float64 {
	nT, sizes := shape[0], shape[1:]
	space := prod(sizes)
	joint := map[[2]int]float64{}
	mx := map[int]float64{}
	pt := make([]float64, nT)
	for c := 0; c < space; c++ {
		x := coords(c, sizes)
		k := 0
		for j := range sizes {
			if mask&(1<<j) != 0 {
				k = k*sizes[j] + x[j]
			}
		}
		for t := 0; t < nT; t++ {
			v := p[t*space+c]
			joint[[2]int{t, k}] += v
			mx[k] += v
			pt[t] += v
		}
	}
	mi := 0.0
	for tk, v := range joint {
		if v > 0 {
			mi += v * math.Log2(v/(pt[tk[0]]*mx[tk[1]]))
		}
	}
	return mi
}

func refEntropy(shape []int, p []float64) float64 {
	nT := shape[0]
	space := len(p) / nT
	h := 0.0
	for t := 0; t < nT; t++ {
		s := 0.0
		for c := 0; c < space; c++ {
			s += p[t*space+c]
		}
		if s > 0 {
			h -= s * math.Log2(s)
		}
	}
	return h
}

// ---- random pmfs ----

// randPMF draws a normalised dense pmf of the given shape. Whole source cells
// are empty with probability cellZero; single entries are 0 with entryZero.
func randPMF(rng *rand.Rand, shape []int, cellZero, entryZero float64) []float64 {
	nT := shape[0]
	space := prod(shape[1:])
	p := make([]float64, nT*space)
	for {
		sum := 0.0
		for c := 0; c < space; c++ {
			if rng.Float64() < cellZero {
				for t := 0; t < nT; t++ {
					p[t*space+c] = 0
				}
				continue
			}
			for t := 0; t < nT; t++ {
				v := 0.0
				if rng.Float64() >= entryZero {
					v = rng.ExpFloat64()
				}
				p[t*space+c] = v
				sum += v
			}
		}
		if sum > 0 {
			for i := range p {
				p[i] /= sum
			}
			return p
		}
	}
}

func mustDecompose(t testing.TB, shape []int, p []float64) Result {
	t.Helper()
	r, err := Decompose(Dist{Shape: shape, P: p})
	if err != nil {
		t.Fatalf("Decompose(%v): %v", shape, err)
	}
	return r
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// miKey names I(T;S_A) the way Result.MI does.
func miKey(mask int) string {
	var parts []string
	for j := 0; j < MaxSources; j++ {
		if mask&(1<<j) != 0 {
			parts = append(parts, "S"+string(rune('1'+j)))
		}
	}
	return "I(T;" + strings.Join(parts, ",") + ")"
}

// checkIdentities verifies the PID bookkeeping of r against Shannon quantities
// computed independently from p, to tolerance tol.
func checkIdentities(t testing.TB, shape []int, p []float64, r Result, tol float64) {
	t.Helper()
	n := len(shape) - 1
	lat := NewLattice(n)
	for i, v := range r.Atoms {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("atom %s = %v", r.Names[i], v)
		}
	}
	full := 1<<n - 1
	for mask := 1; mask <= full; mask++ {
		want := refMI(shape, p, mask)
		got, ok := r.MI[miKey(mask)]
		if !ok {
			t.Fatalf("MI lacks %s (have %v)", miKey(mask), r.MINames)
		}
		if !near(got, want, tol) {
			t.Errorf("%s = %.15g, Shannon %.15g", miKey(mask), got, want)
		}
		// Atoms below the single-member antichain {A} sum to I(T;S_A).
		a := Antichain{uint8(mask)}
		sum := 0.0
		for i, node := range lat.Nodes {
			if leq(node, a) {
				sum += r.Atoms[i]
			}
		}
		if !near(sum, want, tol) {
			t.Errorf("atoms below {%s} sum to %.15g, want %s = %.15g", a.Name(), sum, miKey(mask), want)
		}
	}
	total := 0.0
	for _, v := range r.Atoms {
		total += v
	}
	if mi := r.MI[miKey(full)]; !near(total, mi, tol) {
		t.Errorf("Σ atoms = %.15g, I(T;S1..Sn) = %.15g", total, mi)
	}
	h := refEntropy(shape, p)
	if !near(r.HT, h, tol) {
		t.Errorf("H(T) = %.15g, want %.15g", r.HT, h)
	}
	if !near(r.HRes, h-refMI(shape, p, full), tol) {
		t.Errorf("H_res = %.15g, want %.15g", r.HRes, h-refMI(shape, p, full))
	}
}

// ---- lattice ----

var documentedNames = map[int][]string{
	1: {"{1}"},
	2: {"{1}", "{2}", "{1}{2}", "{12}"},
	3: {"{1}{2}{3}", "{1}{2}", "{1}{3}", "{2}{3}", "{1}{23}", "{2}{13}", "{3}{12}",
		"{1}", "{2}", "{3}", "{12}{13}{23}", "{12}{13}", "{12}{23}", "{13}{23}",
		"{12}", "{13}", "{23}", "{123}"},
}

func TestLatticeStructure(t *testing.T) {
	for n, size := range map[int]int{1: 1, 2: 4, 3: 18} {
		l := NewLattice(n)
		if len(l.Nodes) != size || len(l.Names) != size {
			t.Fatalf("n=%d: %d nodes, want %d", n, len(l.Nodes), size)
		}
		if !slices.Equal(l.Names, documentedNames[n]) || !slices.Equal(AtomNames(n), documentedNames[n]) {
			t.Fatalf("n=%d: names %v, want %v", n, l.Names, documentedNames[n])
		}
		nodes := make([][]uint8, size)
		for i, nm := range l.Names {
			nodes[i] = parseAntichain(t, nm)
			if l.Nodes[i].Name() != nm || renderAntichain(nodes[i]) != nm {
				t.Errorf("n=%d: node %d renders %q / %q, want %q", n, i, l.Nodes[i].Name(), renderAntichain(nodes[i]), nm)
			}
		}
		// Order relation: matches the definition, and is a partial order.
		for i := range nodes {
			for j := range nodes {
				if l.Below[i][j] != refLeq(nodes[j], nodes[i]) {
					t.Errorf("n=%d: Below[%s][%s] = %v", n, l.Names[i], l.Names[j], l.Below[i][j])
				}
				if i != j && l.Below[i][j] && l.Below[j][i] {
					t.Errorf("n=%d: %s and %s below each other", n, l.Names[i], l.Names[j])
				}
				for k := range nodes {
					if l.Below[i][j] && l.Below[j][k] && !l.Below[i][k] {
						t.Errorf("n=%d: not transitive at %s,%s,%s", n, l.Names[i], l.Names[j], l.Names[k])
					}
				}
			}
			if !l.Below[i][i] {
				t.Errorf("n=%d: %s not below itself", n, l.Names[i])
			}
		}
		// Bottom {1}{2}..{n} below everything, top {12..n} above everything.
		top := l.Names[l.Top]
		if top != renderAntichain([]uint8{uint8(1<<n - 1)}) {
			t.Errorf("n=%d: top %s", n, top)
		}
		for i := range nodes {
			if !l.Below[l.Top][i] {
				t.Errorf("n=%d: %s not below top", n, l.Names[i])
			}
		}
		for k, idx := range l.Single {
			if l.Names[idx] != renderAntichain([]uint8{1 << k}) {
				t.Errorf("n=%d: Single[%d] = %s", n, k, l.Names[idx])
			}
		}
		// Möbius is the inverse of the zeta function: Σ_{x≤z≤y} μ(x,z) = δ(x,y).
		for x := range nodes {
			for y := range nodes {
				if !l.Below[y][x] && l.Mobius[x][y] != 0 {
					t.Errorf("n=%d: μ(%s,%s) = %v for incomparable pair", n, l.Names[x], l.Names[y], l.Mobius[x][y])
				}
				s := 0.0
				for z := range nodes {
					if l.Below[z][x] && l.Below[y][z] {
						s += l.Mobius[x][z]
					}
				}
				want := 0.0
				if x == y {
					want = 1
				}
				if s != want {
					t.Errorf("n=%d: Σ_{%s≤z≤%s} μ = %v, want %v", n, l.Names[x], l.Names[y], s, want)
				}
			}
		}
	}
	// The bivariate Möbius inversion in closed form: synergy = I12 − I1 − I2 + I{1}{2}.
	l := NewLattice(2)
	want := []float64{-1, -1, 1, 1} // μ(β, {12}) for β = {1}, {2}, {1}{2}, {12}
	for j, w := range want {
		if l.Mobius[j][l.Top] != w {
			t.Errorf("μ(%s,{12}) = %v, want %v", l.Names[j], l.Mobius[j][l.Top], w)
		}
	}
}

func TestNewLatticePanicsOutOfRange(t *testing.T) {
	for _, n := range []int{0, 4} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewLattice(%d) did not panic", n)
				}
			}()
			NewLattice(n)
		}()
	}
}

// TestMobiusSanity checks Σ_{β≤α} Π(β) = I(α) on random pmfs.
func TestMobiusSanity(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, shape := range [][]int{{2, 3}, {2, 2, 2}, {3, 4, 3}, {2, 3, 2, 4}, {3, 2, 3, 2}} {
		for rep := 0; rep < 5; rep++ {
			p := randPMF(rng, shape, 0.2, 0.2)
			e := NewEstimator(shape[1:], shape[0])
			e.SetDense(p)
			red := slices.Clone(e.Redundancies())
			atoms := make([]float64, len(red))
			e.Atoms(atoms)
			l := e.Lattice()
			for a := range red {
				s := 0.0
				for b := range red {
					if l.Below[a][b] {
						s += atoms[b]
					}
				}
				if !near(s, red[a], 1e-12) {
					t.Errorf("shape %v: Σ_{β≤%s} Π = %.15g, I = %.15g", shape, l.Names[a], s, red[a])
				}
			}
		}
	}
}

// ---- published values ----

func dense2(nT int, f func(s1, s2 int) (t int, w float64)) ([]int, []float64) {
	shape := []int{nT, 2, 2}
	p := make([]float64, nT*4)
	for s1 := 0; s1 < 2; s1++ {
		for s2 := 0; s2 < 2; s2++ {
			tv, w := f(s1, s2)
			p[tv*4+s1*2+s2] += w
		}
	}
	return shape, p
}

func checkAtoms(t *testing.T, label string, r Result, want []float64, tol float64) {
	t.Helper()
	for i, w := range want {
		if !near(r.Atoms[i], w, tol) {
			t.Errorf("%s: %s = %.15g, want %.15g", label, r.Names[i], r.Atoms[i], w)
		}
	}
}

func TestPublishedValues(t *testing.T) {
	l3, l5, l7 := math.Log2(3), math.Log2(5), math.Log2(7)

	// XOR: {1} = {2} = log2(3/2) ≈ 0.585, {1}{2} = log2(2/3) ≈ −0.585, {12} = 2 − log2 3 ≈ 0.415.
	shape, p := dense2(2, func(a, b int) (int, float64) { return a ^ b, 0.25 })
	r := mustDecompose(t, shape, p)
	checkAtoms(t, "XOR", r, []float64{l3 - 1, l3 - 1, 1 - l3, 2 - l3}, 1e-12)
	checkIdentities(t, shape, p, r, 1e-12)
	if !near(r.HRes, 0, 1e-12) {
		t.Errorf("XOR: H_res = %v", r.HRes)
	}

	// AND: {1} = {2} = ¾log2 3 − 1 ≈ 0.1887, {1}{2} = 2.5 − 1.5·log2 3 ≈ 0.1226, {12} = 1.5 − ¾log2 3 ≈ 0.3113.
	shape, p = dense2(2, func(a, b int) (int, float64) { return a & b, 0.25 })
	r = mustDecompose(t, shape, p)
	checkAtoms(t, "AND", r, []float64{0.75*l3 - 1, 0.75*l3 - 1, 2.5 - 1.5*l3, 1.5 - 0.75*l3}, 1e-12)
	checkAtoms(t, "AND (published, 4 digits)", r, []float64{0.1887, 0.1887, 0.1226, 0.3113}, 5e-5)
	checkIdentities(t, shape, p, r, 1e-12)

	// Copy T = S1: {1} = log2(3/2), {2} = −log2(4/3), {1}{2} = log2(4/3), {12} = 2 − log2 3.
	shape, p = dense2(2, func(a, b int) (int, float64) { return a, 0.25 })
	r = mustDecompose(t, shape, p)
	checkAtoms(t, "copy", r, []float64{l3 - 1, l3 - 2, 2 - l3, 2 - l3}, 1e-12)
	checkAtoms(t, "copy (published)", r, []float64{0.585, -0.415, 0.415, 0.415}, 5e-4)
	checkIdentities(t, shape, p, r, 1e-12)

	// 3-bit parity, uniform sources. Closed forms derived symbolically from the definition.
	shape = []int{2, 2, 2, 2}
	p = make([]float64, 16)
	for c := 0; c < 8; c++ {
		par := (c ^ c>>1 ^ c>>2) & 1
		p[par*8+c] = 0.125
	}
	r = mustDecompose(t, shape, p)
	wantParity := map[string]float64{
		"{1}{2}{3}": 3 - l7,
		"{1}{2}":    l7 - 3, "{1}{3}": l7 - 3, "{2}{3}": l7 - 3,
		"{1}{23}": 5 - l5 - l7, "{2}{13}": 5 - l5 - l7, "{3}{12}": 5 - l5 - l7,
		"{1}": l5 - 2, "{2}": l5 - 2, "{3}": l5 - 2,
		"{12}{13}{23}": 3*l5 + l7 - 10,
		"{12}{13}":     4 - l3 - l5, "{12}{23}": 4 - l3 - l5, "{13}{23}": 4 - l3 - l5,
		"{12}": 2*l3 - 3, "{13}": 2*l3 - 3, "{23}": 2*l3 - 3,
		"{123}": 5 - 3*l3,
	}
	want := make([]float64, len(r.Names))
	for i, nm := range r.Names {
		want[i] = wantParity[nm]
	}
	checkAtoms(t, "parity", r, want, 1e-12)
	published := map[string]float64{"{1}{2}{3}": 0.19265, "{12}{13}{23}": -0.22686, "{123}": 0.24511}
	for i, nm := range r.Names {
		if w, ok := published[nm]; ok && !near(r.Atoms[i], w, 5e-6) {
			t.Errorf("parity: %s = %.6f, published %.5f", nm, r.Atoms[i], w)
		}
	}
	checkIdentities(t, shape, p, r, 1e-12)
}

// ---- against the reference, identities ----

func TestAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := [][]int{
		{2, 2}, {3, 5}, {2, 2, 2}, {2, 3, 4}, {3, 4, 3}, {4, 2, 5},
		{2, 2, 2, 2}, {2, 3, 2, 4}, {3, 3, 3, 3}, {2, 4, 4, 4},
	}
	for _, shape := range shapes {
		for rep := 0; rep < 4; rep++ {
			p := randPMF(rng, shape, 0.3*float64(rep%2), 0.25*float64(rep/2))
			r := mustDecompose(t, shape, p)
			atoms, _ := refAtoms(t, shape, p)
			checkAtoms(t, "reference", r, atoms, 1e-12)
			checkIdentities(t, shape, p, r, 1e-12)
		}
	}
}

func TestIdentitiesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for rep := 0; rep < 60; rep++ {
		n := 2 + rep%2
		shape := []int{2 + rng.IntN(2)}
		for j := 0; j < n; j++ {
			shape = append(shape, 2+rng.IntN(5))
		}
		p := randPMF(rng, shape, 0.3*rng.Float64(), 0.3*rng.Float64())
		r := mustDecompose(t, shape, p)
		checkIdentities(t, shape, p, r, 1e-12)
		// For three sources, the atoms below {ij} also sum to I(T;Si,Sj) —
		// covered by checkIdentities over every mask; assert the pair keys exist.
		if n == 3 {
			for _, k := range []string{"I(T;S1,S2)", "I(T;S1,S3)", "I(T;S2,S3)", "I(T;S1,S2,S3)"} {
				if _, ok := r.MI[k]; !ok {
					t.Fatalf("missing %s", k)
				}
			}
		}
	}
}

func TestMultiValuedTarget(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, shape := range [][]int{{3, 2, 2}, {3, 4, 3}, {3, 2, 3, 2}, {5, 3, 3}, {3, 3, 3, 3}} {
		for rep := 0; rep < 4; rep++ {
			p := randPMF(rng, shape, 0.2, 0.3)
			r := mustDecompose(t, shape, p)
			atoms, _ := refAtoms(t, shape, p)
			checkAtoms(t, "nT>2 reference", r, atoms, 1e-12)
			checkIdentities(t, shape, p, r, 1e-12)
		}
	}
	// T = (S1, S2) as four values: T determines both sources, so H_res = 0 and
	// every single source carries one bit.
	shape := []int{4, 2, 2}
	p := make([]float64, 16)
	for c := 0; c < 4; c++ {
		p[c*4+c] = 0.25
	}
	r := mustDecompose(t, shape, p)
	checkIdentities(t, shape, p, r, 1e-12)
	if !near(r.MI["I(T;S1)"], 1, 1e-12) || !near(r.MI["I(T;S1,S2)"], 2, 1e-12) || !near(r.HRes, 0, 1e-12) {
		t.Errorf("T=(S1,S2): MI %v, H_res %v", r.MI, r.HRes)
	}
}

func TestAlphabetsWithZeros(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for a := 2; a <= 20; a++ {
		b := 2 + rng.IntN(19)
		shape := []int{2, a, b}
		p := randPMF(rng, shape, 0.7, 0.3)
		r := mustDecompose(t, shape, p)
		if a <= 12 {
			atoms, _ := refAtoms(t, shape, p)
			checkAtoms(t, "alphabet reference", r, atoms, 1e-12)
		}
		checkIdentities(t, shape, p, r, 1e-12)
	}
	for a := 2; a <= 20; a += 3 {
		shape := []int{2, a, 2 + rng.IntN(8), 2 + rng.IntN(8)}
		p := randPMF(rng, shape, 0.85, 0.3)
		r := mustDecompose(t, shape, p)
		checkIdentities(t, shape, p, r, 1e-12)
	}
	// Very sparse: a few cells of a 20×20×20 space.
	shape := []int{2, 20, 20, 20}
	p := make([]float64, 2*8000)
	for k := 0; k < 40; k++ {
		p[rng.IntN(len(p))] += rng.Float64()
	}
	normalise(p)
	checkIdentities(t, shape, p, mustDecompose(t, shape, p), 1e-12)
}

func normalise(p []float64) {
	s := 0.0
	for _, v := range p {
		s += v
	}
	for i := range p {
		p[i] /= s
	}
}

// ---- invariances ----

// permuteValues relabels the values of every axis (target included) by perms[axis].
func permuteValues(shape []int, p []float64, perms [][]int) []float64 {
	q := make([]float64, len(p))
	for i, v := range p {
		x := coords(i, shape)
		for ax := range x {
			x[ax] = perms[ax][x[ax]]
		}
		k := 0
		for ax := range x {
			k = k*shape[ax] + x[ax]
		}
		q[k] = v
	}
	return q
}

func TestRelabelValuesInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, shape := range [][]int{{2, 3, 4}, {3, 5, 2}, {2, 3, 2, 4}, {3, 2, 3, 3}} {
		p := randPMF(rng, shape, 0.2, 0.2)
		base := mustDecompose(t, shape, p)
		for rep := 0; rep < 5; rep++ {
			perms := make([][]int, len(shape))
			for ax, s := range shape {
				perms[ax] = rng.Perm(s)
			}
			r := mustDecompose(t, shape, permuteValues(shape, p, perms))
			checkAtoms(t, "relabelled values", r, base.Atoms, 1e-12)
			if !near(r.HRes, base.HRes, 1e-12) {
				t.Errorf("relabelled values: H_res %v vs %v", r.HRes, base.HRes)
			}
		}
	}
}

// permuteSources returns the pmf whose new source j is old source perm[j].
func permuteSources(shape []int, p []float64, perm []int) ([]int, []float64) {
	n := len(shape) - 1
	nshape := []int{shape[0]}
	for _, o := range perm {
		nshape = append(nshape, shape[1+o])
	}
	q := make([]float64, len(p))
	for i, v := range p {
		x := coords(i, shape)
		y := []int{x[0]}
		for j := 0; j < n; j++ {
			y = append(y, x[1+perm[j]])
		}
		k := 0
		for ax := range y {
			k = k*nshape[ax] + y[ax]
		}
		q[k] = v
	}
	return nshape, q
}

// atomPermutation maps old atom index → new atom index when new source j is
// old source perm[j], derived by renaming the digits of the antichain names.
func atomPermutation(t testing.TB, n int, perm []int) []int {
	names := AtomNames(n)
	inv := make([]int, n)
	for j, o := range perm {
		inv[o] = j
	}
	idx := map[string]int{}
	for i, nm := range names {
		idx[nm] = i
	}
	out := make([]int, len(names))
	for i, nm := range names {
		var ms []uint8
		for _, m := range parseAntichain(t, nm) {
			var nm2 uint8
			for o := 0; o < n; o++ {
				if m&(1<<o) != 0 {
					nm2 |= 1 << inv[o]
				}
			}
			ms = append(ms, nm2)
		}
		j, ok := idx[renderAntichain(ms)]
		if !ok {
			t.Fatalf("renamed %s → %s is not a documented atom", nm, renderAntichain(ms))
		}
		out[i] = j
	}
	return out
}

func permutations(n int) [][]int {
	if n == 1 {
		return [][]int{{0}}
	}
	var out [][]int
	for _, q := range permutations(n - 1) {
		for pos := 0; pos <= len(q); pos++ {
			r := append(append(append([]int{}, q[:pos]...), n-1), q[pos:]...)
			out = append(out, r)
		}
	}
	return out
}

func TestSourceSwapInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, shape := range [][]int{{2, 3, 4}, {3, 2, 5}, {2, 2, 3, 4}, {3, 4, 2, 3}} {
		n := len(shape) - 1
		for rep := 0; rep < 3; rep++ {
			p := randPMF(rng, shape, 0.2, 0.2)
			base := mustDecompose(t, shape, p)
			for _, perm := range permutations(n) {
				ap := atomPermutation(t, n, perm)
				nshape, q := permuteSources(shape, p, perm)
				r := mustDecompose(t, nshape, q)
				for i := range base.Atoms {
					if !near(base.Atoms[i], r.Atoms[ap[i]], 1e-12) {
						t.Errorf("perm %v: %s = %.15g but swapped %s = %.15g",
							perm, base.Names[i], base.Atoms[i], r.Names[ap[i]], r.Atoms[ap[i]])
					}
				}
				if !near(base.HRes, r.HRes, 1e-12) {
					t.Errorf("perm %v: H_res %v vs %v", perm, base.HRes, r.HRes)
				}
			}
		}
	}
	// The swap is not trivial: on an asymmetric pmf {1} and {2} differ.
	shape, p := dense2(2, func(a, b int) (int, float64) { return a, 0.25 })
	r := mustDecompose(t, shape, p)
	if near(r.Atoms[0], r.Atoms[1], 1e-3) {
		t.Fatalf("copy: unique atoms should differ: %v", r.Atoms)
	}
}

// ---- zeros ----

// insertZeros inserts an all-zero slice at index pos of axis ax.
func insertZeros(shape []int, p []float64, ax, pos int) ([]int, []float64) {
	nshape := slices.Clone(shape)
	nshape[ax]++
	q := make([]float64, prod(nshape))
	for i, v := range p {
		x := coords(i, shape)
		if x[ax] >= pos {
			x[ax]++
		}
		k := 0
		for a := range x {
			k = k*nshape[a] + x[a]
		}
		q[k] = v
	}
	return nshape, q
}

func TestZeroPaddingIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, shape := range [][]int{{2, 3, 4}, {3, 4, 3}, {2, 3, 2, 4}, {2, 1, 1}} {
		for rep := 0; rep < 4; rep++ {
			p := randPMF(rng, shape, 0.2, 0.2)
			base := mustDecompose(t, shape, p)
			ps, pp := slices.Clone(shape), slices.Clone(p)
			for k := 0; k < 4; k++ {
				ax := rng.IntN(len(ps))
				ps, pp = insertZeros(ps, pp, ax, rng.IntN(ps[ax]+1))
			}
			r := mustDecompose(t, ps, pp)
			for i := range base.Atoms {
				if r.Atoms[i] != base.Atoms[i] {
					t.Errorf("%v → %v: %s = %v, unpadded %v", shape, ps, r.Names[i], r.Atoms[i], base.Atoms[i])
				}
			}
			if r.HRes != base.HRes || r.HT != base.HT {
				t.Errorf("%v → %v: H_res %v vs %v, H(T) %v vs %v", shape, ps, r.HRes, base.HRes, r.HT, base.HT)
			}
			for k, v := range base.MI {
				if r.MI[k] != v {
					t.Errorf("%v → %v: %s %v vs %v", shape, ps, k, r.MI[k], v)
				}
			}
		}
	}
}

// TestZeroEntriesExact: entries p(t,s) = 0 inside occupied cells (deterministic
// outputs) give finite, exact results matching the reference.
func TestZeroEntriesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, shape := range [][]int{{2, 4, 4}, {3, 3, 4}, {2, 3, 3, 3}} {
		// Deterministic target: every occupied cell has exactly one non-zero entry.
		nT, space := shape[0], prod(shape[1:])
		p := make([]float64, nT*space)
		for c := 0; c < space; c++ {
			if rng.IntN(4) > 0 {
				p[rng.IntN(nT)*space+c] = rng.Float64()
			}
		}
		normalise(p)
		r := mustDecompose(t, shape, p)
		atoms, _ := refAtoms(t, shape, p)
		checkAtoms(t, "deterministic", r, atoms, 1e-12)
		checkIdentities(t, shape, p, r, 1e-12)
		if !near(r.HRes, 0, 1e-12) {
			t.Errorf("deterministic target: H_res = %v", r.HRes)
		}
	}
	// A single occupied entry: everything is exactly 0.
	r := mustDecompose(t, []int{2, 3, 3}, []float64{0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	for i, v := range r.Atoms {
		if v != 0 {
			t.Errorf("point mass: %s = %v", r.Names[i], v)
		}
	}
	if r.HRes != 0 {
		t.Errorf("point mass: H_res = %v", r.HRes)
	}
}

// ---- estimator plumbing ----

func TestEstimatorReuse(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for _, sizes := range [][]int{{5, 6}, {4, 3, 5}} {
		e := NewEstimator(sizes, 2)
		shape := append([]int{2}, sizes...)
		for rep := 0; rep < 10; rep++ {
			// Alternate dense supports of very different sizes.
			p := randPMF(rng, shape, []float64{0, 0.9, 0.5}[rep%3], 0.1)
			e.SetDense(p)
			got := make([]float64, len(e.Lattice().Nodes))
			hres := e.Atoms(got)
			want := mustDecompose(t, shape, p)
			for i := range got {
				if got[i] != want.Atoms[i] {
					t.Errorf("reused estimator: %s = %v, fresh %v", want.Names[i], got[i], want.Atoms[i])
				}
			}
			if hres != want.HRes {
				t.Errorf("reused estimator: H_res %v, fresh %v", hres, want.HRes)
			}
		}
	}
}

// TestSetSamplesMatchesDense: a batch loaded with SetSamples decomposes like
// the dense pmf built from the same samples.
func TestSetSamplesMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, sizes := range [][]int{{6, 5}, {4, 5, 3}, {20, 20, 20}} {
		space := prod(sizes)
		e := NewEstimator(sizes, 2)
		for rep := 0; rep < 3; rep++ {
			N := 50 + rng.IntN(500)
			cells := make([]int32, N)
			theta := make([]float64, N)
			dense := make([]float64, 2*space)
			hot := 1 + rng.IntN(space) // concentrate samples on a few cells
			for b := range cells {
				c := rng.IntN(hot)
				cells[b] = int32(c)
				theta[b] = rng.Float64()
				dense[c] += (1 - theta[b]) / float64(N)
				dense[space+c] += theta[b] / float64(N)
			}
			e.SetSamples(cells, theta)
			got := make([]float64, len(e.Lattice().Nodes))
			hres := e.Atoms(got)
			want := mustDecompose(t, append([]int{2}, sizes...), dense)
			checkAtoms(t, "SetSamples", Result{Names: want.Names, Atoms: got}, want.Atoms, 1e-12)
			if !near(hres, want.HRes, 1e-12) {
				t.Errorf("SetSamples: H_res %v, dense %v", hres, want.HRes)
			}
		}
	}
}

// TestSetSamples32: θ given in float32 loads the pmf of the widened values
// bit for bit: the same atoms and the same ∂G/∂θ; both return Σθ summed in
// sample order.
func TestSetSamples32(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	sizes := []int{4, 5, 3}
	e := NewEstimator(sizes, 2)
	gamma := make([]float64, len(e.Lattice().Nodes)+1)
	for i := range gamma {
		gamma[i] = rng.NormFloat64()
	}
	const N = 300
	cells := make([]int32, N)
	th32 := make([]float32, N)
	th64 := make([]float64, N)
	for b := range cells {
		cells[b] = int32(rng.IntN(prod(sizes) / 3))
		th32[b] = float32(rng.Float64())
		th64[b] = float64(th32[b])
	}
	run := func(load func()) ([]float64, []float64, float64) {
		load()
		atoms := make([]float64, len(e.Lattice().Nodes))
		d := make([]float64, N)
		hres := e.GradTheta(gamma, d, atoms)
		return atoms, d, hres
	}
	var s64, s32 float64
	a64, d64, h64 := run(func() { s64 = e.SetSamples(cells, th64) })
	a32, d32, h32 := run(func() { s32 = e.SetSamples32(cells, th32) })
	want := 0.0
	for _, v := range th64 {
		want += v
	}
	if math.Float64bits(s64) != math.Float64bits(want) || math.Float64bits(s32) != math.Float64bits(want) {
		t.Fatalf("Σθ: SetSamples %v, SetSamples32 %v, in order %v", s64, s32, want)
	}
	same := func(x, y []float64) bool {
		for i := range x {
			if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
				return false
			}
		}
		return true
	}
	if !same(a64, a32) || !same(d64, d32) || math.Float64bits(h64) != math.Float64bits(h32) {
		t.Fatal("SetSamples32 loaded a different pmf than SetSamples of the widened θ")
	}
}

func TestValidate(t *testing.T) {
	good := Dist{Shape: []int{2, 2}, P: []float64{0.25, 0.25, 0.25, 0.25}}
	if err := good.Validate(); err != nil {
		t.Fatalf("good pmf: %v", err)
	}
	bad := map[string]Dist{
		"no source":    {Shape: []int{2}, P: []float64{0.5, 0.5}},
		"four sources": {Shape: []int{2, 1, 1, 1, 1}, P: []float64{0.5, 0.5}},
		"empty axis":   {Shape: []int{2, 0}, P: nil},
		"wrong size":   {Shape: []int{2, 2}, P: []float64{0.5, 0.5}},
		"negative":     {Shape: []int{2, 2}, P: []float64{0.5, 0.5, 0.5, -0.5}},
		"NaN":          {Shape: []int{2, 2}, P: []float64{0.5, 0.5, math.NaN(), 0}},
		"Inf":          {Shape: []int{2, 2}, P: []float64{0.5, 0.5, math.Inf(1), 0}},
		"sum":          {Shape: []int{2, 2}, P: []float64{0.25, 0.25, 0.25, 0.26}},
	}
	for name, d := range bad {
		if err := d.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %v", name, d)
		}
		if _, err := Decompose(d); err == nil {
			t.Errorf("%s: Decompose accepted %v", name, d)
		}
	}
	// Within tolerance.
	ok := Dist{Shape: []int{2, 2}, P: []float64{0.25, 0.25, 0.25, 0.25 + 5e-10}}
	if err := ok.Validate(); err != nil {
		t.Errorf("sum within 1e-9 rejected: %v", err)
	}
}

func TestDecomposeMINames(t *testing.T) {
	want := map[int][]string{
		1: {"I(T;S1)"},
		2: {"I(T;S1)", "I(T;S2)", "I(T;S1,S2)"},
		3: {"I(T;S1)", "I(T;S2)", "I(T;S3)", "I(T;S1,S2)", "I(T;S1,S3)", "I(T;S2,S3)", "I(T;S1,S2,S3)"},
	}
	rng := rand.New(rand.NewPCG(23, 24))
	for n, names := range want {
		shape := []int{2}
		for j := 0; j < n; j++ {
			shape = append(shape, 3)
		}
		p := randPMF(rng, shape, 0, 0)
		r := mustDecompose(t, shape, p)
		if !slices.Equal(r.MINames, names) || len(r.MI) != len(names) {
			t.Errorf("n=%d: MINames %v, want %v", n, r.MINames, names)
		}
		if r.Sources != n || !slices.Equal(r.Names, documentedNames[n]) {
			t.Errorf("n=%d: Sources %d, Names %v", n, r.Sources, r.Names)
		}
		checkIdentities(t, shape, p, r, 1e-12)
	}
}
