package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSpmmQuad: the four-line kernel gives each row exactly spmm's sums
// over its own entries: absent entries change nothing even where m holds
// ±Inf (0·Inf would be NaN) or a row's sum is −0 (adding +0 would make it
// +0), and lines whose entries are not sorted keep their own order.
func TestSpmmQuad(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const in = 40
	for _, w := range []int{32, 64} {
		for trial := 0; trial < 20; trial++ {
			m := make([]float64, in*w)
			for i := range m {
				m[i] = rng.NormFloat64()
				if rng.IntN(50) == 0 {
					m[i] = math.Inf(1 - 2*rng.IntN(2))
				}
			}
			var idx [4][]int32
			var val [4][]float64
			for r := range idx {
				for i := 0; i < in; i++ {
					if rng.IntN(3) == 0 {
						idx[r] = append(idx[r], int32(i))
						val[r] = append(val[r], rng.NormFloat64())
					}
				}
				if r == 3 {
					rng.Shuffle(len(idx[r]), func(a, b int) {
						idx[r][a], idx[r][b] = idx[r][b], idx[r][a]
						val[r][a], val[r][b] = val[r][b], val[r][a]
					})
				}
			}
			const oStride = 70
			want := make([]float64, 3*oStride+w)
			for i := range want {
				want[i] = rng.NormFloat64()
			}
			want[2*oStride+5] = math.Copysign(0, -1) // a −0 row sum start
			got := append([]float64(nil), want...)
			ref := append([]float64(nil), want...)
			for r := range idx {
				spmmGo(want[r*oStride:r*oStride+w], m, w, idx[r], val[r])
			}
			var q quadList
			q.appendGroup(&idx, &val)
			q.close()
			t0, t1 := q.group(0)
			spmmQuad(got, oStride, m, w, &q, t0, t1, w)
			if !bitsEqual(got, want) {
				t.Fatalf("w %d trial %d: spmmQuad differs from spmm row by row", w, trial)
			}
			spmmQuadGo(ref, oStride, m, w, &q, t0, t1, w)
			if !bitsEqual(ref, want) {
				t.Fatalf("w %d trial %d: spmmQuadGo differs from spmm row by row", w, trial)
			}
		}
	}
}
