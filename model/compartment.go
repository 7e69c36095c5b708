package model

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// Compartment is a weighted sum with its own bias: out_j = Σ_i W[i,j]·x_i + B_j.
// Weights are stored input-major (W[i*Out+j]) so a sparse input row adds
// whole contiguous rows of W.
type Compartment struct {
	In, Out int
	// W and B are for reading outside this package: a float32 compartment
	// keeps a packed copy of W between its update and its next forward
	// (wChanged).
	W, B []float64
	// Mask zeroes weights that must not exist (nil: none masked).
	Mask []float64
	// Fixed weights are never trained (the readout's identity context); B still learns.
	Fixed bool
	// Partners (Out×K, ascending per neuron) makes the compartment sparse:
	// neuron j reads only its K partners and W holds K weights per neuron,
	// neuron-major (see NewSparseCompartment). nil: dense.
	Partners []int32
	K        int
	// F32 runs the products in float32 (sparse_f32.go, matmul_f32.go):
	// the layer's Float32 option.
	F32 bool

	gW, gB []float64
	// gBSummed says gB already holds the next Backward's Σ_b δ[b,:], summed
	// in row order by the layer while it wrote δ (Layer.sumBias), so
	// Backward need not read δ a second time for it.
	gBSummed   bool
	optW, optB *Adam
	colsum     []float64
	mm         matmulState  // scratch of Forward and Backward (matmul.go)
	f32        f32State     // scratch of the float32 products
	tr         *Compartment // transposed weights for inputGrad (backprop.go)
}

// NewCompartment initialises weights and biases uniform in ±1/√In.
func NewCompartment(in, out int, rng *rand.Rand) *Compartment {
	c := &Compartment{In: in, Out: out, W: make([]float64, in*out), B: make([]float64, out),
		gW: make([]float64, in*out), gB: make([]float64, out), colsum: make([]float64, out)}
	bound := 1 / math.Sqrt(float64(in))
	for i := range c.W {
		c.W[i] = (2*rng.Float64() - 1) * bound
	}
	for j := range c.B {
		c.B[j] = (2*rng.Float64() - 1) * bound
	}
	return c
}

// wChanged drops what was derived from W (its packed float32 copy); every
// write to W but ascendPacking's goes through it. Code that writes W
// directly must call it too.
func (c *Compartment) wChanged() {
	c.f32.wReady = false
	c.f32.wFinite = finiteUnknown
}

// NoSelf masks the diagonal (lateral input: no self-connections).
func (c *Compartment) NoSelf() {
	c.wChanged()
	c.Mask = make([]float64, len(c.W))
	for i := range c.Mask {
		c.Mask[i] = 1
	}
	for j := 0; j < c.Out && j < c.In; j++ {
		c.Mask[j*c.Out+j] = 0
		c.W[j*c.Out+j] = 0
	}
}

// Identity fixes the weights to the identity (In must equal Out).
func (c *Compartment) Identity() {
	c.wChanged()
	for i := range c.W {
		c.W[i] = 0
	}
	for j := 0; j < c.Out; j++ {
		c.W[j*c.Out+j] = 1
	}
	c.Fixed = true
}

// SetOptim attaches Adam optimisers with the given learning rate and decay.
func (c *Compartment) SetOptim(lr, wd float64) {
	c.optW = NewAdam(lr, wd, len(c.W))
	c.optB = NewAdam(lr, wd, len(c.B))
}

// Forward writes out[b*Out+j] for every row of in, splitting rows across
// workers (matmul.go; sparse_compartment.go for a sparse compartment).
func (c *Compartment) Forward(in *Input, out []float64, workers int) {
	if c.Partners != nil {
		c.sparseForward(in, out, workers)
		return
	}
	c.denseForward(in, out, workers)
}

// Backward turns δ = ∂G/∂out (row-major Rows×Out) into ∂G/∂W and ∂G/∂B.
// Workers own disjoint ranges of inputs, i.e. contiguous blocks of W's rows,
// so no two goroutines write the same cache line; every sum runs over rows
// in order, so results do not depend on the worker count.
func (c *Compartment) Backward(in *Input, delta []float64, workers int) {
	if c.gBSummed {
		c.gBSummed = false
	} else {
		sumRows(c.gB, delta, in.Rows, workers)
	}
	if c.Partners != nil {
		c.sparseBackward(in, delta, workers)
	} else {
		c.denseBackward(in, delta, workers)
	}
	c.f32.dRows, c.f32.dlRows = 0, 0 // a packed δ serves one Backward only
}

// Update applies one Adam ascent step from the last Backward.
func (c *Compartment) Update() {
	c.wChanged()
	if !c.Fixed {
		c.optW.Ascend(c.W, c.gW, c.Mask)
	}
	c.optB.Ascend(c.B, c.gB, nil)
}

// axpy computes y += a·x with gonum's SIMD kernel (no fused multiply-add,
// so results equal the plain loop's); short vectors (the readout's 10
// outputs) use the plain loop, which is cheaper than the call.
func axpy(a float64, x, y []float64) {
	if len(x) < 16 {
		y = y[:len(x)]
		for i, v := range x {
			y[i] += a * v
		}
		return
	}
	floats.AddScaled(y[:len(x)], a, x)
}
