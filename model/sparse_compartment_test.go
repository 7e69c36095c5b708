package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// maskedDense returns the dense compartment equivalent to the sparse s:
// W[i,j] = s's weight of partner i of neuron j, every other weight masked.
func maskedDense(s *Compartment, lr, wd float64) *Compartment {
	d := NewCompartment(s.In, s.Out, rand.New(rand.NewPCG(0, 0)))
	d.Mask = make([]float64, len(d.W))
	clear(d.W)
	for j := 0; j < s.Out; j++ {
		for k, i := range s.Partners[j*s.K : j*s.K+s.K] {
			d.W[int(i)*s.Out+j] = s.W[j*s.K+k]
			d.Mask[int(i)*s.Out+j] = 1
		}
	}
	copy(d.B, s.B)
	d.SetOptim(lr, wd)
	return d
}

// pmInput draws a dense rows×dim batch of ±1 (the lateral input) or, with
// real set, of non-zero normal values.
func pmInput(rng *rand.Rand, rows, dim int, real bool) *Input {
	in := &Input{Rows: rows, Dim: dim, Dense: make([]float64, rows*dim)}
	for i := range in.Dense {
		switch {
		case real:
			in.Dense[i] = rng.NormFloat64() + 0.01
		case rng.IntN(2) == 0:
			in.Dense[i] = 1
		default:
			in.Dense[i] = -1
		}
	}
	return in
}

func TestSparsePartners(t *testing.T) {
	const n, k = 40, 15
	mk := func(seed uint64) *Compartment {
		c, err := NewSparseCompartment(n, n, k, true, rand.New(rand.NewPCG(seed, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := mk(5)
	if len(c.W) != n*k || len(c.B) != n || len(c.Partners) != n*k {
		t.Fatalf("sizes: W %d, B %d, partners %d", len(c.W), len(c.B), len(c.Partners))
	}
	seen := 0
	for j := 0; j < n; j++ {
		p := c.Partners[j*k : j*k+k]
		for m, i := range p {
			if i < 0 || int(i) >= n || int(i) == j || m > 0 && p[m-1] >= i {
				t.Fatalf("neuron %d: partners %v (want ascending, distinct, no self)", j, p)
			}
			seen |= 1 << (int(i) % 60)
		}
	}
	if seen != 1<<n-1 {
		t.Errorf("some inputs are never a partner: %b", seen)
	}
	bound := 1 / math.Sqrt(k)
	for _, w := range append(append([]float64(nil), c.W...), c.B...) {
		if w == 0 || math.Abs(w) > bound {
			t.Fatalf("weight %g outside ±%g", w, bound)
		}
	}
	if d := mk(5); !bitsEqual(d.W, c.W) || !slices.Equal(d.Partners, c.Partners) {
		t.Error("same seed gave a different compartment")
	}
	if d := mk(6); slices.Equal(d.Partners, c.Partners) {
		t.Error("another seed gave the same partners")
	}
	if c.Weight(int(c.Partners[3*k+2]), 3) != c.W[3*k+2] || c.Weight(3, 3) != 0 {
		t.Error("Weight does not look up partners")
	}
	for _, bad := range []int{0, n} {
		if _, err := NewSparseCompartment(n, n, bad, true, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("k = %d accepted", bad)
		}
	}
	if _, err := NewSparseCompartment(n, n, n-1, true, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Errorf("k = n−1: %v", err)
	}
}

// TestSparseMatchesMaskedDense: Forward, Backward and several Adam updates of
// a sparse compartment give bitwise the numbers of the dense compartment
// masked to the same partners, for any worker count.
func TestSparseMatchesMaskedDense(t *testing.T) {
	for _, rows := range []int{23, 75} { // 75: two 32-row kernel blocks, one of 8, 3 more
		for _, transposed := range []bool{false, true} {
			for _, k := range []int{6, 13} {
				t.Run(fmt.Sprintf("rows%d-T%v-k%d", rows, transposed, k), func(t *testing.T) {
					testSparseMatchesMaskedDense(t, rows, transposed, k)
				})
			}
		}
	}
}

// withT sets in.T to in.Dense transposed in row blocks, and, when every
// value is exact in float32 (as the layers' outputs are), in.T32 as well,
// which the AVX2 kernels then read.
func withT(in *Input) *Input {
	in.T = make([]float64, TLen(in.Rows, in.Dim))
	for b := 0; b < in.Rows; b++ {
		for i := 0; i < in.Dim; i++ {
			in.T[b/TBlock*TBlock*in.Dim+i*TBlock+b%TBlock] = in.Dense[b*in.Dim+i]
		}
	}
	in.T32 = make([]float32, len(in.T))
	for k, v := range in.T {
		in.T32[k] = float32(v)
		if float64(in.T32[k]) != v {
			in.T32 = nil
			break
		}
	}
	return in
}

func testSparseMatchesMaskedDense(t *testing.T, rows int, transposed bool, k int) {
	const n = 29
	for _, real := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(9, 9))
		s, err := NewSparseCompartment(n, n, k, true, rng)
		if err != nil {
			t.Fatal(err)
		}
		s.SetOptim(2e-3, 3.5e-4)
		d := maskedDense(s, 2e-3, 3.5e-4)
		for step := 0; step < 4; step++ {
			in := pmInput(rng, rows, n, real)
			if transposed {
				withT(in)
			}
			delta := make([]float64, rows*n)
			for i := range delta {
				delta[i] = rng.NormFloat64()
			}
			want := make([]float64, rows*n)
			d.Forward(in, want, 1)
			d.Backward(in, delta, 1)
			for _, workers := range []int{1, 2, 3, 64} {
				got := make([]float64, rows*n)
				s.Forward(in, got, workers)
				if !bitsEqual(got, want) {
					t.Fatalf("real=%v step %d workers %d: Forward differs from the masked dense compartment", real, step, workers)
				}
				s.Backward(in, delta, workers)
				if !bitsEqual(s.gB, d.gB) {
					t.Fatalf("real=%v step %d workers %d: bias gradient differs", real, step, workers)
				}
				for j := 0; j < n; j++ {
					for kk, i := range s.Partners[j*k : j*k+k] {
						if a, b := s.gW[j*k+kk], d.gW[int(i)*n+j]; math.Float64bits(a) != math.Float64bits(b) {
							t.Fatalf("real=%v step %d workers %d: ∂W[%d→%d] %g, dense %g", real, step, workers, i, j, a, b)
						}
					}
				}
			}
			s.Update()
			d.Update()
			for j := 0; j < n; j++ {
				for kk, i := range s.Partners[j*k : j*k+k] {
					if s.W[j*k+kk] != d.W[int(i)*n+j] {
						t.Fatalf("step %d: W[%d→%d] differs after Update", step, i, j)
					}
				}
			}
			if !bitsEqual(s.B, d.B) {
				t.Fatalf("step %d: B differs after Update", step)
			}
		}
	}
}

func sparseTrivariate(units, partners int) LayerSpec {
	s := trivariateSpec(units)
	s.Partners = partners
	return s
}

// TestSparseLayerMatchesDense: a trivariate network whose lateral
// compartment is sparse trains bit-identically to the same network with a
// dense lateral compartment masked to the same partners, and gives the same
// results for 1 and 2 workers.
func TestSparseLayerMatchesDense(t *testing.T) {
	const units, partners, steps = 12, 5, 5
	task := newSynTask(4, 1, true)
	sp := newNet(t, 3, sparseTrivariate(units, partners), readoutSpec(1))
	sp2 := newNet(t, 3, sparseTrivariate(units, partners), readoutSpec(1))
	sp2.Workers = 1
	sp.Workers = 2
	de := newNet(t, 3, trivariateSpec(units), readoutSpec(1))
	de.Workers = 2
	for i, l := range sp.Layers {
		dl := de.Layers[i]
		for _, p := range [][2]*Compartment{{l.F, dl.F}, {l.C, dl.C}} {
			copy(p[1].W, p[0].W)
			copy(p[1].B, p[0].B)
		}
		if l.L != nil {
			if !l.L.Sparse() || l.L.K != partners {
				t.Fatalf("lateral compartment is not sparse with %d partners", partners)
			}
			dl.L = maskedDense(l.L, l.Spec.LR, l.Spec.WD)
		}
	}
	train(t, sp, task, 7, steps)
	train(t, sp2, task, 7, steps)
	train(t, de, task, 7, steps)
	for i, l := range sp.Layers {
		dl, l2 := de.Layers[i], sp2.Layers[i]
		if !bitsEqual(l.Theta(), dl.Theta()) || !bitsEqual(l.Out, dl.Out) || !bitsEqual(l.NeuronAtoms, dl.NeuronAtoms) {
			t.Errorf("layer %d: θ, outputs or atoms differ from the masked dense network", i)
		}
		if !bitsEqual(l.Theta(), l2.Theta()) || !bitsEqual(l.NeuronAtoms, l2.NeuronAtoms) || !bitsEqual(l.F.W, l2.F.W) {
			t.Errorf("layer %d: 1 and 2 workers differ", i)
		}
		if l.L != nil {
			if !bitsEqual(l.L.W, l2.L.W) {
				t.Errorf("layer %d: lateral weights differ between 1 and 2 workers", i)
			}
			for j := 0; j < units; j++ {
				for k, p := range l.L.Partners[j*partners : (j+1)*partners] {
					if l.L.W[j*partners+k] != dl.L.W[int(p)*units+j] {
						t.Fatalf("lateral weight %d→%d differs from the dense network", p, j)
					}
				}
			}
		}
	}
}

func TestSparseSpecErrors(t *testing.T) {
	for name, s := range map[string]LayerSpec{
		"too many partners":   sparseTrivariate(6, 6),
		"negative partners":   sparseTrivariate(6, -1),
		"no lateral source":   func() LayerSpec { s := hiddenSpec(6); s.Partners = 2; return s }(),
		"partners of nothing": func() LayerSpec { s := readoutSpec(0); s.Partners = 1; return s }(),
	} {
		if _, err := NewNetwork(NetSpec{InputDim: synDim, Classes: synK, Layers: []LayerSpec{s, readoutSpec(1)}}, 1); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The recurrent bivariate layer (C = lateral) can be sparse too.
	s := lateralSpec(8)
	s.Partners = 3
	net := newNet(t, 1, s, readoutSpec(1))
	if !net.Layers[0].C.Sparse() {
		t.Error("lateral context is not sparse")
	}
	train(t, net, newSynTask(1, 1, false), 1, 2)
}
