package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNarrow10BitIdentical: the 10-output readout products give the same bits
// as the generic per-non-zero axpy they replace (dense input with zeros, ±1
// and real values, several workers). A zero input must leave a sum alone,
// even a −0 bias (adding +0 would make it +0) and even with an infinite
// weight (0·Inf is NaN), which only a skip or a true mask gets right.
func TestNarrow10BitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 10))
	const rows, in, out = 67, 301, 10
	c := NewCompartment(in, out, rng)
	x := &Input{Rows: rows, Dim: in, Dense: make([]float64, rows*in)}
	for i := range x.Dense {
		switch rng.IntN(4) {
		case 0: // zero
		case 1:
			x.Dense[i] = 1
		case 2:
			x.Dense[i] = -1
		default:
			x.Dense[i] = rng.NormFloat64()
		}
	}
	c.B[3] = math.Copysign(0, -1)
	c.W[5*out+2] = math.Inf(1)
	for b := 0; b < rows; b += 2 {
		x.Dense[b*in+5] = 0
	}
	for i := 0; i < in; i++ {
		x.Dense[7*in+i] = 0 // row 7: the bias alone, −0 included
	}
	delta := make([]float64, rows*out)
	for i := range delta {
		delta[i] = rng.NormFloat64() * 1e-3
	}
	// The generic loops, as narrowForward and narrowBackward had them.
	wantOut := make([]float64, rows*out)
	for b := 0; b < rows; b++ {
		o := wantOut[b*out : b*out+out]
		copy(o, c.B)
		for i, v := range x.Dense[b*in : b*in+in] {
			if v != 0 {
				axpy(v, c.W[i*out:i*out+out], o)
			}
		}
	}
	wantGW := make([]float64, in*out)
	for b := 0; b < rows; b++ {
		for i, v := range x.Dense[b*in : b*in+in] {
			if v != 0 {
				axpy(v, delta[b*out:b*out+out], wantGW[i*out:i*out+out])
			}
		}
	}
	for _, workers := range []int{1, 3} {
		got := make([]float64, rows*out)
		c.Forward(x, got, workers)
		if !bitsEqual(got, wantOut) {
			t.Errorf("%d workers: forward differs", workers)
		}
		c.Backward(x, delta, workers)
		if !bitsEqual(c.gW, wantGW) {
			t.Errorf("%d workers: weight gradient differs", workers)
		}
	}
}
