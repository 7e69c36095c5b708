package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// A sparse compartment is a Compartment whose neuron j reads only K fixed
// partner inputs Partners[j*K:(j+1)*K] (ascending, distinct), with weights
// W[j*K+k] stored neuron-major: out_j = B_j + Σ_k W[j*K+k]·x_{Partners[j*K+k]}.
// It computes exactly what a dense compartment computes whose weights are
// masked to the same partners: the sums run over the same terms in the same
// order (bias, then ascending input), so the numbers are bit-identical.
// It is used for sparse lateral connectivity (the paper's 2000-neuron network
// gives each neuron 100 random lateral partners). Its input must be dense.

// NewSparseCompartment draws, for each of out neurons, k distinct partners
// among in inputs (never the neuron itself when noSelf), then initialises
// the k weights per neuron and the biases uniform in ±1/√k. Everything comes
// from rng, so the wiring is fixed by the network seed.
func NewSparseCompartment(in, out, k int, noSelf bool, rng *rand.Rand) (*Compartment, error) {
	avail := in
	if noSelf {
		avail = in - 1
	}
	if k < 1 || k > avail {
		return nil, fmt.Errorf("%d partners out of %d possible inputs", k, avail)
	}
	c := &Compartment{In: in, Out: out, K: k,
		Partners: make([]int32, out*k),
		W:        make([]float64, out*k), B: make([]float64, out),
		gW: make([]float64, out*k), gB: make([]float64, out)}
	pool := make([]int32, avail)
	for j := 0; j < out; j++ {
		// Candidates in ascending order, j left out; a partial Fisher–Yates
		// shuffle picks k of them without replacement.
		n := 0
		for i := 0; i < in; i++ {
			if noSelf && i == j {
				continue
			}
			pool[n] = int32(i)
			n++
		}
		for m := 0; m < k; m++ {
			r := m + rng.IntN(avail-m)
			pool[m], pool[r] = pool[r], pool[m]
		}
		p := c.Partners[j*k : j*k+k]
		copy(p, pool[:k])
		slices.Sort(p)
	}
	bound := 1 / math.Sqrt(float64(k))
	for i := range c.W {
		c.W[i] = (2*rng.Float64() - 1) * bound
	}
	for j := range c.B {
		c.B[j] = (2*rng.Float64() - 1) * bound
	}
	return c, nil
}

// Sparse reports whether the compartment has per-neuron partner lists.
func (c *Compartment) Sparse() bool { return c.Partners != nil }

// Weight returns the weight from input i to neuron j (0 where there is none).
func (c *Compartment) Weight(i, j int) float64 {
	if !c.Sparse() {
		return c.W[i*c.Out+j]
	}
	p := c.Partners[j*c.K : j*c.K+c.K]
	if k, ok := slices.BinarySearch(p, int32(i)); ok {
		return c.W[j*c.K+k]
	}
	return 0
}

// sparseRows is how many batch rows the sparse kernels handle at once: their
// partial sums are independent, which hides the latency of the additions.
const sparseRows = 4

// sparseForward is Forward for a sparse compartment: rows are split across
// workers; each output is its bias plus its partners' terms in ascending order.
func (c *Compartment) sparseForward(in *Input, out []float64, workers int) {
	if !in.IsDense() {
		panic("model: a sparse compartment needs a dense input")
	}
	if c.F32 {
		c.sparseForwardF32(in, out, workers)
		return
	}
	K, O, D := c.K, c.Out, in.Dim
	x := in.Dense
	first := 0 // rows before first are done by the vector kernel
	if c.kernelInput(in) {
		first = c.sparseForwardKernel(in, out, workers)
	}
	parallelFor(in.Rows-first, workers, func(lo, hi, _ int) {
		lo, hi = lo+first, hi+first
		b := lo
		for ; b+sparseRows <= hi; b += sparseRows {
			x0 := x[b*D : b*D+D]
			x1 := x[(b+1)*D : (b+1)*D+D]
			x2 := x[(b+2)*D : (b+2)*D+D]
			x3 := x[(b+3)*D : (b+3)*D+D]
			o0 := out[b*O : b*O+O]
			o1 := out[(b+1)*O : (b+1)*O+O]
			o2 := out[(b+2)*O : (b+2)*O+O]
			o3 := out[(b+3)*O : (b+3)*O+O]
			for j := range o0 {
				p := c.Partners[j*K : j*K+K]
				w := c.W[j*K : j*K+K]
				w = w[:len(p)]
				a0 := c.B[j]
				a1, a2, a3 := a0, a0, a0
				for k, i := range p {
					wk := w[k]
					a0 += wk * x0[i]
					a1 += wk * x1[i]
					a2 += wk * x2[i]
					a3 += wk * x3[i]
				}
				o0[j], o1[j], o2[j], o3[j] = a0, a1, a2, a3
			}
		}
		for ; b < hi; b++ {
			xb := x[b*D : b*D+D]
			ob := out[b*O : b*O+O]
			for j := range ob {
				p := c.Partners[j*K : j*K+K]
				w := c.W[j*K : j*K+K]
				w = w[:len(p)]
				a := c.B[j]
				for k, i := range p {
					a += w[k] * xb[i]
				}
				ob[j] = a
			}
		}
	})
}

// sparseBackward is Backward for a sparse compartment: workers own disjoint
// ranges of neurons (contiguous blocks of W); every sum runs over rows in
// order, so results do not depend on the worker count.
func (c *Compartment) sparseBackward(in *Input, delta []float64, workers int) {
	if !in.IsDense() {
		panic("model: a sparse compartment needs a dense input")
	}
	if c.F32 {
		c.sparseBackwardF32(in, delta, workers)
		return
	}
	K, O, D, rows := c.K, c.Out, in.Dim, in.Rows
	x := in.Dense
	if c.kernelInput(in) {
		c.sparseBackwardKernel(in, delta, workers)
		return
	}
	parallelFor(O, workers, func(lo, hi, _ int) {
		clear(c.gW[lo*K : hi*K])
		b := 0
		for ; b+sparseRows <= rows; b += sparseRows {
			x0 := x[b*D : b*D+D]
			x1 := x[(b+1)*D : (b+1)*D+D]
			x2 := x[(b+2)*D : (b+2)*D+D]
			x3 := x[(b+3)*D : (b+3)*D+D]
			for j := lo; j < hi; j++ {
				d0, d1, d2, d3 := delta[b*O+j], delta[(b+1)*O+j], delta[(b+2)*O+j], delta[(b+3)*O+j]
				p := c.Partners[j*K : j*K+K]
				g := c.gW[j*K : j*K+K]
				g = g[:len(p)]
				for k, i := range p {
					// The same additions, in row order, as four separate passes.
					g[k] = g[k] + d0*x0[i] + d1*x1[i] + d2*x2[i] + d3*x3[i]
				}
			}
		}
		for ; b < rows; b++ {
			xb := x[b*D : b*D+D]
			for j := lo; j < hi; j++ {
				d := delta[b*O+j]
				p := c.Partners[j*K : j*K+K]
				g := c.gW[j*K : j*K+K]
				g = g[:len(p)]
				for k, i := range p {
					g[k] += d * xb[i]
				}
			}
		}
	})
}

// latRows is the row block of the vector kernels (that of Input.T).
const latRows = TBlock

// latChunk is how many neurons the forward kernel computes between transposes.
const latChunk = 128

// kernelInput reports whether the vector kernels can run on in: they need
// the transposed input that the layer provides for its lateral input.
func (c *Compartment) kernelInput(in *Input) bool {
	if !useLateralKernels(in.Rows) || in.Dim != c.In || len(in.Dense) < in.Rows*in.Dim {
		return false
	}
	return len(in.T) >= TLen(in.Rows, in.Dim) || t32Input(in)
}

// t32Input reports whether the kernels read in.T32 (the float32 copy).
func t32Input(in *Input) bool {
	return useT32() && len(in.T32) >= TLen(in.Rows, in.Dim)
}

// sparseForwardKernel computes the rows of whole 32-row blocks with the
// vector kernel and returns how many rows it did. Workers own row blocks.
func (c *Compartment) sparseForwardKernel(in *Input, out []float64, workers int) int {
	K, O, R, D := c.K, c.Out, in.Rows, in.Dim
	blocks := R / latRows
	t32 := t32Input(in)
	c.mm.scratch(max(min(workers, blocks), 1))
	parallelFor(blocks, workers, func(lo, hi, wi int) {
		tmp := growF64(c.mm.rows[wi].val, latChunk*latRows)
		c.mm.rows[wi].val = tmp
		for blk := lo; blk < hi; blk++ {
			b0 := blk * latRows
			for j0 := 0; j0 < O; j0 += latChunk {
				nj := min(latChunk, O-j0)
				if t32 {
					latFwd32AVX2(&tmp[0], &in.T32[b0*D], 4*latRows, &c.Partners[j0*K], &c.W[j0*K], &c.B[j0], nj, K)
				} else {
					latFwd(&tmp[0], &in.T[b0*D], 8*latRows, &c.Partners[j0*K], &c.W[j0*K], &c.B[j0], nj, K)
				}
				for r := 0; r < latRows; r++ {
					o := out[(b0+r)*O+j0 : (b0+r)*O+j0+nj]
					for jj := range o {
						o[jj] = tmp[jj*latRows+r]
					}
				}
			}
		}
	})
	return blocks * latRows
}

// sparseBackwardKernel is sparseBackward with the vector kernel: workers own
// neuron ranges; rows go in blocks of 32, then of 8, then one by one, so
// every gradient is still summed over rows in order.
func (c *Compartment) sparseBackwardKernel(in *Input, delta []float64, workers int) {
	K, O, R, D := c.K, c.Out, in.Rows, in.Dim
	Kp := (K + 7) &^ 7
	if len(c.mm.partP) != O*Kp {
		// Partners padded to whole groups of 8 (the padding's sums are dropped).
		c.mm.partP = make([]int32, O*Kp)
		for j := 0; j < O; j++ {
			copy(c.mm.partP[j*Kp:], c.Partners[j*K:j*K+K])
		}
	}
	c.mm.gP = growF64(c.mm.gP, O*Kp)
	gP, partP, x := c.mm.gP, c.mm.partP, in.Dense
	t32 := t32Input(in)
	parallelFor(O, workers, func(lo, hi, _ int) {
		clear(gP[lo*Kp : hi*Kp])
		b0 := 0
		for b0 < R&^7 {
			nb := min(latRows, R&^7-b0)
			if t32 {
				latBwd32AVX2(&gP[lo*Kp], &in.T32[b0*D], 4*latRows, &partP[lo*Kp], &delta[b0*O+lo], 8*O, hi-lo, Kp/8, 4*nb)
			} else {
				latBwd(&gP[lo*Kp], &in.T[b0*D], 8*latRows, &partP[lo*Kp], &delta[b0*O+lo], 8*O, hi-lo, Kp/8, 8*nb)
			}
			b0 += nb
		}
		for b := b0; b < R; b++ {
			xb := x[b*D : b*D+D]
			for j := lo; j < hi; j++ {
				d := delta[b*O+j]
				p := c.Partners[j*K : j*K+K]
				g := gP[j*Kp : j*Kp+K]
				for k, i := range p {
					g[k] += d * xb[i]
				}
			}
		}
		for j := lo; j < hi; j++ {
			copy(c.gW[j*K:j*K+K], gP[j*Kp:j*Kp+K])
		}
	})
}
