package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

var memOptGamma = []float64{0.48, -0.16, 0.25, 0.04, -0.63}

func TestMemoryCell(t *testing.T) {
	w := 40.0 / 60 // context bin width
	cases := []struct {
		r, c float64
		want int32
	}{
		// R: bin 0 below 0, bin 1 from 0 up; C: 60 bins on [−20, 20].
		{-2.3, -20, 0}, {-2.3, -20 + w*0.999, 0}, {-2.3, -20 + w*1.001, 1},
		{-2.3, -1e-9, 29}, {-2.3, 0, 30}, {-2.3, w * 0.999, 30}, {-2.3, w * 1.001, 31},
		{-2.3, 19.9, 59}, {-2.3, 20, 59}, {-2.3, 1e9, 59}, {-2.3, math.Inf(1), 59},
		{-2.3, -20.5, 0}, {-2.3, math.Inf(-1), 0}, {-2.3, math.NaN(), 0},
		{2.3, -20, 60}, {2.3, 0, 90}, {2.3, 20, 119}, {0, 0, 90}, {-1e-12, 0, 30},
	}
	for _, c := range cases {
		if got := MemoryCell(c.r, c.c); got != c.want {
			t.Errorf("MemoryCell(%g, %g) = %d, want %d", c.r, c.c, got, c.want)
		}
	}
}

func newTestMemory(t *testing.T, n int, gamma []float64, seed uint64) *Memory {
	t.Helper()
	m, err := NewMemory(n, gamma, 0.05, 0, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNewMemory(t *testing.T) {
	m := newTestMemory(t, 30, []float64{0, 0, 1, 0, 0}, 1)
	nonzero := 0
	for i := 0; i < m.N; i++ {
		for j := 0; j < m.N; j++ {
			w := m.W[i*m.N+j]
			if i == j && w != 0 {
				t.Fatalf("diagonal W[%d][%d] = %g", i, i, w)
			}
			if math.Abs(w) > MemoryInit {
				t.Fatalf("W[%d][%d] = %g outside ±%g", i, j, w, MemoryInit)
			}
			if w != 0 {
				nonzero++
			}
		}
	}
	if nonzero != 30*29 {
		t.Errorf("%d nonzero weights, want %d", nonzero, 30*29)
	}
	if _, err := NewMemory(10, []float64{0, 0, 1}, 0.05, 0, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("short γ accepted")
	}
	if _, err := NewMemory(1, []float64{0, 0, 1, 0, 0}, 0.05, 0, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("one neuron accepted")
	}
}

// TestMemoryGradFD checks the chain θ → σ → C → W of the analytic gradient
// against central differences of the summed goal on a tiny network.
func TestMemoryGradFD(t *testing.T) {
	for g, gamma := range [][]float64{{0, 0, 1, 0, 0}, {1, 0, 1, 0, 0}, memOptGamma} {
		rng := rand.New(rand.NewPCG(7, 7))
		m := newTestMemory(t, 6, gamma, 3)
		m.SkipAtoms = g%2 == 1 // both gradient paths of the estimator
		for i := range m.W {
			if m.mask[i] != 0 {
				m.W[i] = 2*rng.Float64() - 1
			}
		}
		p := RandomPatterns(14, 6, rng)
		grad := append([]float64(nil), m.Grad(p)...)
		const h = 1e-6
		worst := 0.0
		for k := range m.W {
			if m.mask[k] == 0 {
				if grad[k] != 0 {
					t.Errorf("diagonal gradient %d = %g", k, grad[k])
				}
				continue
			}
			w := m.W[k]
			m.W[k] = w + h
			gp := m.Measure(p)
			m.W[k] = w - h
			gm := m.Measure(p)
			m.W[k] = w
			fd := (gp - gm) / (2 * h)
			if d := math.Abs(fd - grad[k]); d > worst {
				worst = d
			}
			if math.Abs(fd-grad[k]) > 1e-6*(1+math.Abs(fd)) {
				t.Errorf("γ %v: ∂G/∂W[%d] = %.10g, finite difference %.10g", gamma, k, grad[k], fd)
			}
		}
		t.Logf("γ %v: worst |analytic − fd| = %.2g", gamma, worst)
	}
}

// TestMemoryAtomsMatchLearn: Learn's atoms (gradient path) equal Measure's.
func TestMemoryAtomsMatchLearn(t *testing.T) {
	m := newTestMemory(t, 12, memOptGamma, 5)
	p := RandomPatterns(9, 12, rand.New(rand.NewPCG(5, 5)))
	for range 5 {
		if err := m.Learn(p); err != nil {
			t.Fatal(err)
		}
	}
	m.Measure(p)
	want := append([]float64(nil), m.NeuronAtoms...)
	m.Grad(p)
	for i, v := range m.NeuronAtoms {
		if math.Abs(v-want[i]) > 1e-12 {
			t.Fatalf("atom %d: learn %g, measure %g", i, v, want[i])
		}
	}
	// Atoms plus h_res add up to H(Y) ≤ 1 bit per neuron.
	for i := 0; i < m.N; i++ {
		s := 0.0
		for k := 0; k < 5; k++ {
			s += m.NeuronAtoms[i*5+k]
		}
		if s < -1e-12 || s > 1+1e-12 {
			t.Errorf("neuron %d: H(Y) = %g", i, s)
		}
	}
}

func memState(v ...float64) []float64 { return v }

func memRecall(m *Memory, s []float64) ([]float64, int) {
	s = append([]float64(nil), s...)
	steps := m.Recall(s, make([]float64, m.N), make([]float64, m.N))
	return s, steps
}

func memSame(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestRecallDynamics(t *testing.T) {
	mk := func(n int, w ...float64) *Memory { return &Memory{N: n, W: w, ContextScale: 1} }
	// Fixed point at once: no update changes anything.
	m := mk(4, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0)
	if s, steps := memRecall(m, memState(1, 1, 1, 1)); !memSame(s, memState(1, 1, 1, 1)) || steps != 0 {
		t.Errorf("fixed point: %v after %d updates", s, steps)
	}
	// One update into a fixed point: the odd unit out joins the majority.
	if s, steps := memRecall(m, memState(1, 1, 1, -1)); !memSame(s, memState(1, 1, 1, 1)) || steps != 1 {
		t.Errorf("majority: %v after %d updates, want all +1 after 1", s, steps)
	}
	// Tie rule: sign(0) = −1, so the zero network sends everything to −1.
	z := mk(3, make([]float64, 9)...)
	if s, steps := memRecall(z, memState(1, -1, 1)); !memSame(s, memState(-1, -1, -1)) || steps != 1 {
		t.Errorf("ties: %v after %d updates, want all −1 after 1", s, steps)
	}
	// Ties on one unit: field exactly 0 for unit 0 gives −1.
	// (units 1 and 2 hold their state through self-weights).
	tie := mk(3, 0, 1, 1, 0, 1, 0, 0, 0, 1)
	if s, steps := memRecall(tie, memState(1, 1, -1)); !memSame(s, memState(-1, 1, -1)) || steps != 1 {
		t.Errorf("unit with zero field: %v after %d updates, want (−1, 1, −1) after 1", s, steps)
	}
	// 2-cycle: two units that each copy the other's negation flip together;
	// the update back to the start is not applied, so the run ends at the
	// other state of the cycle (overlap −1 with the start, not +1).
	c2 := mk(2, 0, -1, -1, 0)
	if s, steps := memRecall(c2, memState(1, 1)); !memSame(s, memState(-1, -1)) || steps != 1 {
		t.Errorf("2-cycle: %v after %d updates, want (−1, −1) after 1", s, steps)
	}
	// A 2-cycle entered after a transient: (1, −1, −1, 1) → … with unit 3
	// following unit 0 while units 0, 1 flip together.
	w4 := make([]float64, 16)
	w4[0*4+1], w4[1*4+0] = -1, -1 // s0 ← −s1, s1 ← −s0
	w4[2*4+3] = 1                 // s2 ← s3
	w4[3*4+2] = 1                 // s3 ← s2
	c4 := mk(4, w4...)
	// (1, 1, −1, 1) → (−1, −1, 1, −1) → (1, 1, −1, 1): a 2-cycle from the start.
	if s, steps := memRecall(c4, memState(1, 1, -1, 1)); !memSame(s, memState(-1, -1, 1, -1)) || steps != 1 {
		t.Errorf("2-cycle of 4: %v after %d updates", s, steps)
	}
	// (1, −1, 1, 1) → (1, −1, 1, 1) is a fixed point.
	if s, steps := memRecall(c4, memState(1, -1, 1, 1)); !memSame(s, memState(1, -1, 1, 1)) || steps != 0 {
		t.Errorf("fixed point of 4: %v after %d updates", s, steps)
	}
	// A 3-cycle (units 0–2 shift, 3–4 copy each other) never settles: the
	// dynamics stop after N = 5 updates, i.e. two shifts past the start.
	w := make([]float64, 25)
	w[0*5+2], w[1*5+0], w[2*5+1] = 1, 1, 1 // s0 ← s2, s1 ← s0, s2 ← s1
	w[3*5+4], w[4*5+3] = 1, 1
	c3 := mk(5, w...)
	s, steps := memRecall(c3, memState(1, -1, -1, 1, 1))
	if !memSame(s, memState(-1, -1, 1, 1, 1)) || steps != 5 {
		t.Errorf("3-cycle: %v after %d updates, want (−1, −1, 1, 1, 1) after 5", s, steps)
	}
}

// hadamard returns the rows of the n×n Sylvester–Hadamard matrix (n a power of 2).
func memHadamard(n int) [][]float64 {
	h := [][]float64{{1}}
	for len(h) < n {
		k := len(h)
		next := make([][]float64, 2*k)
		for i := range h {
			next[i] = append(append([]float64(nil), h[i]...), h[i]...)
			neg := make([]float64, k)
			for j, v := range h[i] {
				neg[j] = -v
			}
			next[k+i] = append(append([]float64(nil), h[i]...), neg...)
		}
		h = next
	}
	return h
}

func TestHebbianOrthogonal(t *testing.T) {
	h := memHadamard(16)
	p := &Patterns{M: 3, N: 16}
	for _, k := range []int{1, 6, 11} {
		p.X = append(p.X, h[k]...)
	}
	m := newTestMemory(t, 16, []float64{0, 0, 1, 0, 0}, 1)
	m.Hebbian(p)
	for i := 0; i < 16; i++ {
		for j := 0; j < 16; j++ {
			want := 0.0
			if i != j {
				for k := 0; k < 3; k++ {
					want += p.X[k*16+i] * p.X[k*16+j]
				}
			}
			if m.W[i*16+j] != want {
				t.Fatalf("W[%d][%d] = %g, want %g", i, j, m.W[i*16+j], want)
			}
		}
	}
	for k := 0; k < 3; k++ {
		// W·ξ = (N − M)·ξ for orthogonal patterns: every pattern is a fixed point.
		if s, steps := memRecall(m, p.Row(k)); !memSame(s, p.Row(k)) || steps != 0 {
			t.Errorf("pattern %d: not a fixed point (%d updates)", k, steps)
		}
	}
	scores := make([]float64, 3)
	if got := m.RecallScore(p, 0, 1, scores, nil); got != 1 {
		t.Errorf("score %g (%v), want 1", got, scores)
	}
	// One flipped bit of 16 is corrected in one update.
	if got := m.RecallScore(p, 1.0/16, 9, scores, nil); got != 1 {
		t.Errorf("score from 1-bit-corrupted cues %g (%v), want 1", got, scores)
	}
}

func TestHebbianRandomFew(t *testing.T) {
	for M := 1; M <= 3; M++ {
		p := RandomPatterns(M, 100, rand.New(rand.NewPCG(uint64(M), 2)))
		m := newTestMemory(t, 100, []float64{0, 0, 1, 0, 0}, 1)
		m.Hebbian(p)
		if got := m.RecallScore(p, 0, 1, nil, nil); got < 0.95 {
			t.Errorf("M = %d: Hebbian recall %g < 0.95", M, got)
		}
		if got := m.RecallScore(p, 0.1, 1, nil, nil); got < 0.95 {
			t.Errorf("M = %d: Hebbian recall from 10%% flipped cues %g < 0.95", M, got)
		}
	}
}

func TestRecallCueNoise(t *testing.T) {
	p := RandomPatterns(4, 50, rand.New(rand.NewPCG(1, 2)))
	// With W = I (a hand-made net with self-weights) every state is a fixed
	// point, so the final states are the corrupted cues themselves.
	m := &Memory{N: 50, W: make([]float64, 2500), ContextScale: 1}
	for i := 0; i < 50; i++ {
		m.W[i*50+i] = 1
	}
	final := make([]float64, 4*50)
	scores := make([]float64, 4)
	if got := m.RecallScore(p, 0.2, 3, scores, final); math.Abs(got-0.6) > 1e-15 {
		t.Errorf("score %g, want 0.6 (10 of 50 bits flipped)", got)
	}
	for k := 0; k < 4; k++ {
		flipped := 0
		for i, v := range p.Row(k) {
			if final[k*50+i] != v {
				flipped++
			}
		}
		if flipped != 10 || scores[k] != 0.6 {
			t.Errorf("pattern %d: %d bits flipped (score %g), want 10", k, flipped, scores[k])
		}
	}
	again := make([]float64, 4*50)
	m.RecallScore(p, 0.2, 3, nil, again)
	if !memSame(final, again) {
		t.Error("same key, different corrupted cues")
	}
	m.RecallScore(p, 0.2, 4, nil, again)
	if memSame(final, again) {
		t.Error("different keys, identical corrupted cues")
	}
	if got := m.RecallScore(p, 1, 3, nil, nil); got != -1 {
		t.Errorf("flip = 1: score %g, want −1", got)
	}
	if got := m.RecallScore(p, 0, 3, nil, nil); got != 1 {
		t.Errorf("flip = 0: score %g, want 1", got)
	}
}

func TestMemoryWorkersDeterministic(t *testing.T) {
	run := func(workers int) ([]float64, []float64, []float64) {
		m := newTestMemory(t, 40, memOptGamma, 11)
		m.Workers = workers
		p := RandomPatterns(30, 40, rand.New(rand.NewPCG(11, 2)))
		for range 12 {
			if err := m.Learn(p); err != nil {
				t.Fatal(err)
			}
		}
		scores := make([]float64, p.M)
		m.RecallScore(p, 0.1, 5, scores, nil)
		return m.W, m.NeuronAtoms, scores
	}
	w1, a1, s1 := run(1)
	for _, workers := range []int{2, 3, 7} {
		w, a, s := run(workers)
		if !memSame(w, w1) || !memSame(a, a1) || !memSame(s, s1) {
			t.Errorf("%d workers differ from 1", workers)
		}
	}
}

func TestMemoryNoAllocs(t *testing.T) {
	m := newTestMemory(t, 30, memOptGamma, 2)
	p := RandomPatterns(40, 30, rand.New(rand.NewPCG(2, 2)))
	// Warm up: the estimator's buffers grow with the support, which spreads
	// over the context bins as the weights grow.
	for range 100 {
		if err := m.Learn(p); err != nil {
			t.Fatal(err)
		}
	}
	m.RecallScore(p, 0.1, 1, nil, nil)
	if a := testing.AllocsPerRun(5, func() { _ = m.Learn(p) }); a != 0 {
		t.Errorf("Learn allocates %.0f times per step", a)
	}
	m.SkipAtoms = true
	if a := testing.AllocsPerRun(5, func() { _ = m.Learn(p) }); a != 0 {
		t.Errorf("Learn without atoms allocates %.0f times per step", a)
	}
	if a := testing.AllocsPerRun(5, func() { m.RecallScore(p, 0.1, 1, nil, nil) }); a != 0 {
		t.Errorf("RecallScore allocates %.0f times", a)
	}
}

// TestMemoryLearns: redundancy learning stores α = 0.5 on a small network.
func TestMemoryLearns(t *testing.T) {
	m := newTestMemory(t, 40, []float64{0, 0, 1, 0, 0}, 4)
	p := RandomPatterns(20, 40, rand.New(rand.NewPCG(4, 2)))
	g0 := m.Measure(p)
	for range 200 {
		if err := m.Learn(p); err != nil {
			t.Fatal(err)
		}
	}
	g1 := m.Measure(p)
	if g1 <= g0 {
		t.Errorf("redundancy did not grow: %g → %g", g0, g1)
	}
	if got := m.RecallScore(p, 0, 1, nil, nil); got < 0.95 {
		t.Errorf("recall after 200 epochs %g < 0.95", got)
	}
	if m.Steps() != 200 {
		t.Errorf("Steps() = %d", m.Steps())
	}
}

func BenchmarkMemoryLearn(b *testing.B) {
	for _, M := range []int{50, 160} {
		b.Run(map[int]string{50: "M50", 160: "M160"}[M], func(b *testing.B) {
			m, _ := NewMemory(100, []float64{0, 0, 1, 0, 0}, 0.05, 0, rand.New(rand.NewPCG(1, 1)))
			m.SkipAtoms = true
			p := RandomPatterns(M, 100, rand.New(rand.NewPCG(1, 2)))
			for b.Loop() {
				_ = m.Learn(p)
			}
		})
	}
}

func BenchmarkMemoryRecall(b *testing.B) {
	m, _ := NewMemory(100, []float64{0, 0, 1, 0, 0}, 0.05, 0, rand.New(rand.NewPCG(1, 1)))
	p := RandomPatterns(160, 100, rand.New(rand.NewPCG(1, 2)))
	m.Hebbian(p)
	for b.Loop() {
		m.RecallScore(p, 0, 1, nil, nil)
	}
}

func TestFireSat(t *testing.T) {
	for _, A := range []float64{-1e9, -30, -14.0001, -14, -13.9999, -13.8, -5, 0, 3, 13.8, 13.9999, 14, 14.0001, 40, 1e9} {
		t1, d1 := Fire(A)
		t2, d2 := fireSat(A)
		if t1 != t2 || d1 != d2 {
			t.Errorf("A = %g: Fire (%g, %g), fireSat (%g, %g)", A, t1, d1, t2, d2)
		}
	}
}
