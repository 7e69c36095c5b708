package model

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"

	"infomorph-tui/pid"
)

// Associative memory: a recurrent network of N infomorphic neurons (the
// protocol of Blümel et al., arXiv 2511.02584). Neuron i sees two sources:
// the receptive input R_i = 2.3·ξ_i (the pattern itself, fixed weight) and the
// context C_i = Σ_{j≠i} W_ij·ξ_j (the other neurons' states through learned
// recurrent weights); θ_i = σ(R_i + C_i). Its goal (usually the redundancy
// between R and C) is estimated over all M stored patterns at once, so one
// learning step is one full-batch epoch.

// Protocol constants.
const (
	MemoryGain   = 2.3  // receptive weight: R_i = 2.3·ξ_i, never trained
	MemoryInit   = 1e-4 // recurrent weights start uniform in ±1e-4
	MemoryRBins  = 2    // R is split at 0
	MemoryCBins  = 60   // C: 60 equal bins on [−20, 20], clamped
	MemoryCRange = 20.0
)

// memoryCWidth is the width of one context bin.
const memoryCWidth = 2 * MemoryCRange / MemoryCBins

// MemoryCell returns the flat PID source cell of a neuron's (R, C):
// rbin·60 + cbin, with rbin = 0 for R < 0 and 1 for R ≥ 0, and cbin the bin
// of C among 60 equal bins on [−20, 20] (values outside clamp to the edge bins).
func MemoryCell(r, c float64) int32 {
	var rb int32
	if r >= 0 {
		rb = 1
	}
	return rb*MemoryCBins + bin(c, -MemoryCRange, memoryCWidth, MemoryCBins)
}

// Patterns is a set of M binary patterns (entries ±1) of N units, row-major M×N.
type Patterns struct {
	M, N int
	X    []float64
}

// RandomPatterns draws M patterns with i.i.d. entries, +1 with probability 1/2.
func RandomPatterns(m, n int, rng *rand.Rand) *Patterns {
	p := &Patterns{M: m, N: n, X: make([]float64, m*n)}
	for i := range p.X {
		if rng.Uint64()&1 == 1 {
			p.X[i] = 1
		} else {
			p.X[i] = -1
		}
	}
	return p
}

// Row returns pattern k (aliasing the storage).
func (p *Patterns) Row(k int) []float64 { return p.X[k*p.N : k*p.N+p.N] }

// Memory is a recurrent network of N binary (±1) neurons without biases.
// W[i*N+j] is the weight of neuron j's state in neuron i's context; the
// diagonal is zero and stays zero. Weights need not be symmetric: every
// neuron learns its own row. Results never depend on Workers.
type Memory struct {
	N int
	W []float64
	// Gamma is the goal (bivariate atoms {1} unique R, {2} unique C, {1}{2},
	// {12}, then h_res); change it only between steps.
	Gamma []float64
	// ContextScale multiplies the recurrent sum before θ and the binning: 1 for
	// learned weights; the Hebbian baseline uses 1/N so that its integer
	// weights give contexts of order 1. Recall reads only signs and ignores it.
	ContextScale float64
	// Workers is the number of goroutines per step (neurons or patterns are
	// split across them); 0 or 1 runs on the calling goroutine.
	Workers int
	// SkipAtoms makes Learn compute only the goal gradient; NeuronAtoms then
	// keeps the values of the last step that computed them.
	SkipAtoms bool
	// NeuronAtoms holds N×5 atoms ({1}, {2}, {1}{2}, {12}, h_res) per neuron in
	// bits, measured on the forward pass of the last Learn or Measure.
	NeuronAtoms []float64
	// MeanTheta is each neuron's mean firing probability over the patterns.
	MeanTheta []float64

	opt                       *Adam
	mask, grad, scores, goals []float64
	work                      []*memWorker
}

// memWorker is one goroutine's scratch.
type memWorker struct {
	est             *pid.Estimator
	cells           []int32
	th, dth, dTheta []float64
	atoms           []float64
	s, prev, next   []float64
	perm            []int
	pcg             rand.PCG
	rng             *rand.Rand
}

// memAtoms is the number of bivariate atoms.
const memAtoms = 4

// NewMemory returns an infomorphic memory of n neurons with weights uniform in
// ±MemoryInit (zero diagonal), drawn from rng, learning with Adam (lr, wd).
func NewMemory(n int, gamma []float64, lr, wd float64, rng *rand.Rand) (*Memory, error) {
	if n < 2 {
		return nil, fmt.Errorf("memory: needs at least 2 neurons, got %d", n)
	}
	m := &Memory{N: n, W: make([]float64, n*n), ContextScale: 1,
		mask: make([]float64, n*n), grad: make([]float64, n*n),
		NeuronAtoms: make([]float64, n*(memAtoms+1)), MeanTheta: make([]float64, n),
		Gamma: make([]float64, memAtoms+1)}
	if err := m.SetGamma(gamma); err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			m.mask[i*n+j] = 1
			m.W[i*n+j] = (2*rng.Float64() - 1) * MemoryInit
		}
	}
	m.opt = NewAdam(lr, wd, n*n)
	return m, nil
}

// SetGamma replaces the goal from the next step on.
func (m *Memory) SetGamma(g []float64) error {
	if len(g) != memAtoms+1 {
		return fmt.Errorf("memory: γ has %d entries, want %d (4 atoms + h_res)", len(g), memAtoms+1)
	}
	for _, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("memory: γ must be finite")
		}
	}
	copy(m.Gamma, g)
	return nil
}

// Hebbian sets the weights to the classical Hopfield rule W = Σ_μ ξ^μ ξ^μᵀ
// with zero diagonal (exact small integers, so ties h = 0 are exact) and the
// context scale to 1/N for measuring atoms.
func (m *Memory) Hebbian(p *Patterns) {
	n := m.N
	if p.N != n {
		panic("memory: pattern size differs from the network")
	}
	clear(m.W)
	for k := 0; k < p.M; k++ {
		x := p.Row(k)
		for i := 0; i < n; i++ {
			row := m.W[i*n : i*n+n]
			floats.AddScaled(row, x[i], x)
			row[i] = 0
		}
	}
	m.ContextScale = 1 / float64(n)
}

func (m *Memory) workers(n, rows int) []*memWorker {
	for len(m.work) < n {
		w := &memWorker{est: pid.NewEstimator([]int{MemoryRBins, MemoryCBins}, 2), atoms: make([]float64, memAtoms)}
		w.rng = rand.New(&w.pcg)
		m.work = append(m.work, w)
	}
	for _, w := range m.work[:n] {
		w.cells = growInt32(w.cells, rows)
		w.th = growF64(w.th, rows)
		w.dth = growF64(w.dth, rows)
		w.dTheta = growF64(w.dTheta, rows)
		w.s = growF64(w.s, m.N)
		w.prev = growF64(w.prev, m.N)
		w.next = growF64(w.next, m.N)
		if len(w.perm) != m.N {
			w.perm = make([]int, m.N)
		}
	}
	return m.work[:n]
}

func (m *Memory) nworkers() int { return max(m.Workers, 1) }

// forward computes neuron i's θ, dθ/dA and PID cells over the patterns.
func (m *Memory) forward(i int, p *Patterns, w *memWorker) {
	n := m.N
	wi := m.W[i*n : i*n+n]
	sum := 0.0
	for b := 0; b < p.M; b++ {
		x := p.X[b*n : b*n+n]
		c := floats.Dot(wi, x) * m.ContextScale
		r := MemoryGain * x[i]
		th, d := fireSat(r + c)
		w.th[b], w.dth[b] = th, d
		w.cells[b] = MemoryCell(r, c)
		sum += th
	}
	m.MeanTheta[i] = sum / float64(p.M)
	w.est.SetSamples(w.cells[:p.M], w.th[:p.M])
}

// fireSat is Fire with the saturated ends decided without exp: σ(±14) lies
// beyond the clamp (σ(14) = 1 − 8.3e-7 > ThetaMax), so the result is identical.
func fireSat(A float64) (theta, dtheta float64) {
	switch {
	case A >= 14:
		return ThetaMax, 0
	case A <= -14:
		return ThetaMin, 0
	}
	return Fire(A)
}

// gradRow computes neuron i's ∂G/∂W_i· into the gradient buffer (and its atoms
// unless SkipAtoms): ∂G/∂W_ij = Σ_b ∂G/∂θ_b · θ_b(1−θ_b) · s·ξ_bj, s the
// context scale (∂A/∂C = 1).
func (m *Memory) gradRow(i int, p *Patterns, w *memWorker) {
	n, M := m.N, p.M
	m.forward(i, p, w)
	dT := w.dTheta[:M]
	if m.SkipAtoms {
		w.est.GradTheta(m.Gamma, dT, nil)
	} else {
		m.storeAtoms(i, w, w.est.GradTheta(m.Gamma, dT, w.atoms))
	}
	g := m.grad[i*n : i*n+n]
	clear(g)
	for b := 0; b < M; b++ {
		if a := dT[b] * w.dth[b] * m.ContextScale; a != 0 {
			floats.AddScaled(g, a, p.X[b*n:b*n+n])
		}
	}
	g[i] = 0
}

func (m *Memory) gradRange(lo, hi int, p *Patterns, w *memWorker) {
	for i := lo; i < hi; i++ {
		m.gradRow(i, p, w)
	}
}

func (m *Memory) storeAtoms(i int, w *memWorker, hres float64) {
	k := memAtoms + 1
	copy(m.NeuronAtoms[i*k:], w.atoms)
	m.NeuronAtoms[i*k+memAtoms] = hres
}

// Grad computes ∂G/∂W (G summed over neurons, each neuron's goal estimated
// over all patterns) and returns it; the slice is owned by the network and
// valid until the next call. The diagonal is zero.
func (m *Memory) Grad(p *Patterns) []float64 {
	if p.N != m.N {
		panic("memory: pattern size differs from the network")
	}
	ws := m.workers(m.nworkers(), p.M)
	if len(ws) == 1 {
		m.gradRange(0, m.N, p, ws[0]) // no goroutine, no closure: no allocation
	} else {
		parallelFor(m.N, len(ws), func(lo, hi, wi int) { m.gradRange(lo, hi, p, ws[wi]) })
	}
	return m.grad
}

// Learn takes one local learning step on all patterns (one epoch): per
// neuron, bin (R, C), estimate the pmf weighted by θ, get ∂G/∂θ_b from the
// PID engine, chain through σ to the neuron's weight row, then ascend with
// Adam (diagonal masked). It reports ErrDiverged on NaN/Inf.
func (m *Memory) Learn(p *Patterns) error {
	m.Grad(p)
	m.opt.Ascend(m.W, m.grad, m.mask)
	for _, v := range m.W {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("memory: %w", ErrDiverged)
		}
	}
	return nil
}

// Steps returns the number of learning steps taken.
func (m *Memory) Steps() int { return m.opt.Steps() }

// Measure computes every neuron's atoms and mean θ on the patterns without
// learning, and returns the goal G summed over neurons.
func (m *Memory) Measure(p *Patterns) float64 {
	ws := m.workers(m.nworkers(), p.M)
	m.goals = growF64(m.goals, m.N)
	goals := m.goals
	parallelFor(m.N, len(ws), func(lo, hi, wi int) {
		w := ws[wi]
		for i := lo; i < hi; i++ {
			m.forward(i, p, w)
			hres := w.est.Atoms(w.atoms)
			m.storeAtoms(i, w, hres)
			g := m.Gamma[memAtoms] * hres
			for k, a := range w.atoms {
				g += m.Gamma[k] * a
			}
			goals[i] = g
		}
	})
	total := 0.0
	for _, g := range goals {
		total += g
	}
	return total
}

// Recall runs the synchronous dynamics s ← sign(W·s) with sign(0) = −1 and no
// external input, starting from s, for at most N updates; s receives the
// final state. It stops at a fixed point (the next state equals s) and at a
// 2-cycle, detected when the next state would equal the previous one: that
// update is not applied, so a cycle ξ → ξ′ → ξ ends at ξ′ and is not scored
// as a perfect recall of ξ. prev and next are scratch of length N. It returns
// the number of updates applied.
func (m *Memory) Recall(s, prev, next []float64) int {
	n := m.N
	for step := 1; step <= n; step++ {
		same, back := true, step > 1
		for i := 0; i < n; i++ {
			v := -1.0
			if floats.Dot(m.W[i*n:i*n+n], s) > 0 {
				v = 1
			}
			next[i] = v
			same = same && v == s[i]
			back = back && v == prev[i]
		}
		if same || back {
			return step - 1 // fixed point, or the update would close a 2-cycle
		}
		copy(prev, s)
		copy(s, next)
	}
	return n
}

// flips returns round(flip·n) clamped to [0, n].
func flips(flip float64, n int) int {
	return min(max(int(math.Round(flip*float64(n))), 0), n)
}

// corrupt flips nf distinct units of s, chosen by a partial Fisher–Yates
// shuffle of perm (scratch of length len(s)) driven by the stream (key, k).
func corrupt(s []float64, nf int, key uint64, k int, perm []int, pcg *rand.PCG, rng *rand.Rand) {
	if nf == 0 {
		return
	}
	pcg.Seed(key, Mix(0xc0e, uint64(k)))
	for j := range perm {
		perm[j] = j
	}
	n := len(s)
	for j := 0; j < nf; j++ {
		r := j + rng.IntN(n-j)
		perm[j], perm[r] = perm[r], perm[j]
		s[perm[j]] = -s[perm[j]]
	}
}

// Cue returns pattern x with round(flip·N) distinct bits flipped: exactly
// the start state RecallScore uses for pattern index k with this key.
func Cue(x []float64, flip float64, key uint64, k int) []float64 {
	s := append([]float64(nil), x...)
	var pcg rand.PCG
	corrupt(s, flips(flip, len(s)), key, k, make([]int, len(s)), &pcg, rand.New(&pcg))
	return s
}

// RecallScore starts the dynamics from every stored pattern, each with
// round(flip·N) distinct bits flipped (chosen by a stream seeded from key and
// the pattern index), and returns the mean over patterns of the overlap
// (s·ξ)/N of the final state s with the pattern. scores (length M) receives
// each pattern's overlap and final (M×N) the final states; both may be nil.
func (m *Memory) RecallScore(p *Patterns, flip float64, key uint64, scores, final []float64) float64 {
	if p.N != m.N {
		panic("memory: pattern size differs from the network")
	}
	nf := flips(flip, m.N)
	ws := m.workers(m.nworkers(), p.M)
	if scores == nil {
		m.scores = growF64(m.scores, p.M)
		scores = m.scores
	}
	if len(ws) == 1 {
		m.recallRange(0, p.M, p, nf, key, scores, final, ws[0])
	} else {
		parallelFor(p.M, len(ws), func(lo, hi, wi int) { m.recallRange(lo, hi, p, nf, key, scores, final, ws[wi]) })
	}
	total := 0.0
	for _, v := range scores[:p.M] {
		total += v
	}
	return total / float64(p.M)
}

func (m *Memory) recallRange(lo, hi int, p *Patterns, nf int, key uint64, scores, final []float64, w *memWorker) {
	n := m.N
	for k := lo; k < hi; k++ {
		x := p.Row(k)
		s := w.s[:n]
		copy(s, x)
		corrupt(s, nf, key, k, w.perm, &w.pcg, w.rng)
		m.Recall(s, w.prev[:n], w.next[:n])
		scores[k] = floats.Dot(s, x) / float64(n)
		if final != nil {
			copy(final[k*n:k*n+n], s)
		}
	}
}
