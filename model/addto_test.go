package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAddToBitIdentical compares addTo with the scalar loop it replaces on
// lengths around the kernel's width, with signed zeros, infinities, NaN and
// subnormals among the values, and checks that dst beyond src is untouched.
func TestAddToBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, -1e308, 1e308}
	val := func() float64 {
		if rng.IntN(6) == 0 {
			return special[rng.IntN(len(special))]
		}
		return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(20)-10))
	}
	for _, n := range []int{0, 1, 3, 15, 16, 17, 31, 32, 47, 128, 2000} {
		dst, src := make([]float64, n+3), make([]float64, n)
		for i := range dst {
			dst[i] = val()
		}
		for i := range src {
			src[i] = val()
		}
		want := append([]float64(nil), dst...)
		for i, v := range src {
			want[i] += v
		}
		addTo(dst, src)
		for i := range dst {
			if math.Float64bits(dst[i]) != math.Float64bits(want[i]) {
				t.Fatalf("n=%d: dst[%d] = %v (%#x), want %v (%#x)", n, i, dst[i], math.Float64bits(dst[i]), want[i], math.Float64bits(want[i]))
			}
		}
	}
}
