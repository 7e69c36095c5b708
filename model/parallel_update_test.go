package model

import (
	"math/rand/v2"
	"testing"
)

// TestParallelUpdateBitIdentical: the split Adam step and bias-gradient sums
// equal the serial ones for any worker count.
func TestParallelUpdateBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n = 3*minParallel + 7
	w := make([]float64, n)
	g := make([]float64, n)
	mask := make([]float64, n)
	for i := range w {
		w[i], g[i] = rng.NormFloat64(), rng.NormFloat64()
		if rng.IntN(5) > 0 {
			mask[i] = 1
		}
	}
	for _, mk := range [][]float64{nil, mask} {
		ref := NewAdam(2e-3, 3.5e-4, n)
		wr := append([]float64(nil), w...)
		for _, workers := range []int{1, 2, 3, 8} {
			a := NewAdam(2e-3, 3.5e-4, n)
			ww := append([]float64(nil), w...)
			if workers == 1 {
				a, ww = ref, wr
			}
			for step := 0; step < 3; step++ {
				a.ascend(ww, g, mk, workers)
			}
			if !bitsEqual(ww, wr) || !bitsEqual(a.m, ref.m) || !bitsEqual(a.v, ref.v) {
				t.Fatalf("workers %d: Adam differs from the serial step", workers)
			}
		}
	}
	const rows, O = 301, 203
	delta := make([]float64, rows*O)
	for i := range delta {
		delta[i] = rng.NormFloat64()
	}
	want := make([]float64, O)
	for b := 0; b < rows; b++ {
		for j := 0; j < O; j++ {
			want[j] += delta[b*O+j]
		}
	}
	for _, workers := range []int{1, 2, 3, 64} {
		got := make([]float64, O)
		sumRows(got, delta, rows, workers)
		if !bitsEqual(got, want) {
			t.Fatalf("workers %d: sumRows differs", workers)
		}
	}
}
