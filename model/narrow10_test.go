package model

import (
	"math/rand/v2"
	"testing"
)

// TestNarrow10BitIdentical: the 10-output readout products give the same bits
// as the generic per-non-zero axpy they replace (dense input with zeros, ±1
// and real values, several workers).
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
