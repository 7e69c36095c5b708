package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSigmoidsBitIdentical: the vector sigmoid equals the scalar one bit for
// bit, on random arguments of every scale and on the special values.
func TestSigmoidsBitIdentical(t *testing.T) {
	skipWithoutAVX2(t)
	rng := rand.New(rand.NewPCG(1, 2))
	src := []float64{0, math.Copysign(0, -1), 1, -1, 699.999, -699.999, 700, -700, math.Nextafter(700, 800),
		709.78, -709.78, 709.79, -709.79, 745.2, -745.2, 746, -746, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, -5e-324, 1e-300, 0.5, -0.5, 36.7368005696771, -36.7368005696771}
	for _, scale := range []float64{1e-8, 1e-3, 0.1, 1, 4, 20, 100, 1000} {
		for i := 0; i < 4000; i++ {
			src = append(src, scale*rng.NormFloat64())
		}
	}
	for n := 0; n <= 9; n++ {
		src = append(src, float64(n)*0.37-1.5) // odd tails
	}
	for _, off := range []int{0, 1, 2, 3} {
		s := src[off:]
		got := make([]float64, len(s))
		sigmoids(got, s)
		for i, x := range s {
			want := sigmoid(x)
			if math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(got[i])) {
				t.Fatalf("sigmoid(%v) = %v, scalar %v (useAVX2 %v)", x, got[i], want, useAVX2)
			}
		}
	}
}

// skipWithoutAVX2 skips a test that compares the vector kernels with the
// scalar code: without AVX2 (and FMA) both sides run the scalar code.
func skipWithoutAVX2(t *testing.T) {
	t.Helper()
	if !useAVX2 {
		t.Skip("no AVX2: the vector kernels are off, so this would compare the scalar path with itself")
	}
}

func BenchmarkSigmoids(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]float64, 1024)
	for i := range src {
		src[i] = 4 * rng.NormFloat64()
	}
	dst := make([]float64, len(src))
	b.Run("vector", func(b *testing.B) {
		for b.Loop() {
			sigmoids(dst, src)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(src)), "ns/value")
	})
	b.Run("scalar", func(b *testing.B) {
		for b.Loop() {
			for i, x := range src {
				dst[i] = sigmoid(x)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(src)), "ns/value")
	})
}

// TestBinIntoBitIdentical: the vector binning equals Binning.Assign's.
func TestBinIntoBitIdentical(t *testing.T) {
	skipWithoutAVX2(t)
	rng := rand.New(rand.NewPCG(3, 4))
	vals := []float64{-20, 20, -20.000001, 19.999999, 0, math.Copysign(0, -1), -2, 2, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), 18, 17.99999999999, -18}
	for i := 0; i < 5000; i++ {
		vals = append(vals, 15*rng.NormFloat64())
	}
	for _, bn := range []Binning{FixedBins(), {Bins: 7, Lo: -1, Hi: 3}} {
		width := (bn.Hi - bn.Lo) / float64(bn.Bins)
		for _, off := range []int{0, 1, 3} {
			v := vals[off:]
			got := make([]int32, len(v))
			want := make([]int32, len(v))
			for i := range got {
				got[i], want[i] = int32(i%5), int32(i%5)
			}
			binInto(got, v, bn.Lo, width, bn.Bins, 20)
			for i, x := range v {
				want[i] += 20 * bin(x, bn.Lo, width, bn.Bins)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("bins %d: value %v → %d, scalar %d", bn.Bins, v[i], got[i], want[i])
				}
			}
		}
	}
}
