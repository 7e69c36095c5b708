package pid

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLog2s: the batch log gives the scalar log2's bits for values of every
// scale, subnormals, the frexp boundary √2/2 (times powers of 2), and
// math.Log's special cases (±0, negatives, ±Inf, NaN), at every length.
func TestLog2s(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	special := []float64{0, math.Copysign(0, -1), -1, -1e-300, math.Inf(1), math.Inf(-1), math.NaN(),
		-math.NaN(), 1, 2, 0.5, math.Sqrt2 / 2, math.Nextafter(math.Sqrt2/2, 0), math.Nextafter(math.Sqrt2/2, 1),
		math.Sqrt2 / 2 * 1024, math.SmallestNonzeroFloat64, 1e-310, math.MaxFloat64, 1e-300, 1 - 1e-16}
	// The frexp boundary at every exponent (subnormals included).
	var edge []float64
	for e := -1074; e <= 1023; e++ {
		edge = append(edge, math.Ldexp(math.Sqrt2/2, e))
	}
	got := make([]float64, len(edge))
	log2s(got, edge)
	for i, x := range edge {
		if want := log2(x); math.Float64bits(got[i]) != math.Float64bits(want) {
			t.Fatalf("log2(%v) = %v, scalar %v", x, got[i], want)
		}
	}
	for n := range 70 {
		src := make([]float64, n)
		for i := range src {
			switch rng.IntN(4) {
			case 0:
				src[i] = special[rng.IntN(len(special))]
			case 1:
				src[i] = rng.Float64()
			default:
				src[i] = math.Ldexp(rng.Float64()+0.5, rng.IntN(200)-150)
			}
		}
		got := make([]float64, n)
		log2s(got, src)
		for i, x := range src {
			want := log2(x)
			if math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(got[i]) && math.IsNaN(want)) {
				t.Fatalf("log2(%v) = %v (%#x), scalar %v (%#x)", x, got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
			}
		}
		in := append([]float64(nil), src...)
		log2s(in, in) // in place
		for i := range in {
			if math.Float64bits(in[i]) != math.Float64bits(got[i]) && !(math.IsNaN(in[i]) && math.IsNaN(got[i])) {
				t.Fatal("in place differs")
			}
		}
	}
}

// BenchmarkLog2s times the batch log against the scalar one.
func BenchmarkLog2s(b *testing.B) {
	src := make([]float64, 1024)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range src {
		src[i] = rng.Float64() + 1e-3
	}
	dst := make([]float64, len(src))
	b.Run("batch", func(b *testing.B) {
		for b.Loop() {
			log2s(dst, src)
		}
	})
	b.Run("scalar", func(b *testing.B) {
		for b.Loop() {
			log2sGo(dst, src)
		}
	})
}
