package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// threeSourceCases draws compartment values of every scale, with special
// values mixed in: arguments beyond exp's fast path (|2rc| > 700), θ in the
// clamp, NaN and infinities.
func threeSourceCases(rng *rand.Rand, n int) (r, c, l, d []float64) {
	special := []float64{0, math.Copysign(0, -1), 1, -1, 20, -20, 30, -30, 400, -400, 1e300,
		math.Inf(1), math.Inf(-1), math.NaN()}
	draw := func() float64 {
		if rng.IntN(50) == 0 {
			return special[rng.IntN(len(special))]
		}
		return []float64{0.1, 1, 4, 15}[rng.IntN(4)] * rng.NormFloat64()
	}
	for range n {
		r, c, l, d = append(r, draw()), append(c, draw()), append(l, draw()), append(d, rng.NormFloat64())
	}
	return r, c, l, d
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

// chainFactor is ∂G/∂θ·dθ/dA as Learn forms it from Fire: d·σ(A)(1−σ(A)),
// 0 where θ is clamped.
func chainFactor(A, d float64) float64 {
	s := sigmoid(A)
	dth := s * (1 - s)
	if s < ThetaMin || s > ThetaMax {
		dth = 0
	}
	return d * dth
}

// kernelCoverage checks each segment's element counts for the activation
// kernels and tallies whether the kernel ran or fell back to Go.
type kernelCoverage struct{ ran, fellBack int }

// segment reports whether the kernel ran on segment seg of n elements (θ
// kernel k and chain rule kd elements), failing if the two disagree, if it
// did not take a whole number of vectors of lanes, or if it fell back on
// ordinary values.
func (cv *kernelCoverage) segment(t *testing.T, seg, n, lanes, k, kd int, ordinary bool) bool {
	t.Helper()
	if k != kd {
		t.Fatalf("segment %d: θ kernel set %d elements, chain rule %d", seg, k, kd)
	}
	if k == 0 {
		cv.fellBack++
		if ordinary {
			t.Fatalf("segment %d of ordinary values: the kernel fell back", seg)
		}
		return false
	}
	cv.ran++
	if k != n&^(lanes-1) {
		t.Fatalf("segment %d: kernel set %d of %d elements", seg, k, n)
	}
	return true
}

// check fails unless the cases exercised both the kernel and the fallback.
func (cv *kernelCoverage) check(t *testing.T) {
	t.Helper()
	if cv.fellBack == 0 || cv.ran == 0 {
		t.Fatalf("cases did not exercise both paths: %d segments ran, %d fell back", cv.ran, cv.fellBack)
	}
}

// TestThreeSourceKernels: the vector θ and chain rule equal Activation.Eval
// and Fire bit for bit, element by element, in every segment (kernels that
// fall back when an argument leaves exp's range included).
func TestThreeSourceKernels(t *testing.T) {
	skipWithoutAVX2(t)
	act := Activation{Kind: ThreeSource, C1: 0.3, C2: 0.45}
	rng := rand.New(rand.NewPCG(3, 4))
	var cover kernelCoverage
	for seg := 0; seg < 3000; seg++ {
		n := threeLanes() + rng.IntN(130)
		r, c, l, d := threeSourceCases(rng, n)
		if seg%3 == 0 { // ordinary values only: the kernel must run
			for i := range r {
				r[i], c[i], l[i] = rng.NormFloat64(), 3*rng.NormFloat64(), 3*rng.NormFloat64()
			}
		}
		theta := make([]float64, n)
		dr, dc, dl := make([]float64, n), make([]float64, n), make([]float64, n)
		k := threeSourceTheta(act, theta, r, c, l)
		kd := threeSourceDerivs(act, dr, dc, dl, r, c, l, d)
		if !cover.segment(t, seg, n, threeLanes(), k, kd, seg%3 == 0) {
			continue
		}
		for i := 0; i < k; i++ {
			A, pr, pc, pl := act.Eval(r[i], c[i], l[i])
			th, _ := Fire(A)
			if !sameBits(theta[i], th) {
				t.Fatalf("θ(r=%v, c=%v, l=%v) = %v, scalar %v", r[i], c[i], l[i], theta[i], th)
			}
			D := chainFactor(A, d[i])
			for _, p := range [][2]float64{{dr[i], pr * D}, {dc[i], pc * D}, {dl[i], pl * D}} {
				if !sameBits(p[0], p[1]) {
					t.Fatalf("chain rule at r=%v, c=%v, l=%v, d=%v: %v, scalar %v", r[i], c[i], l[i], d[i], p[0], p[1])
				}
			}
		}
	}
	cover.check(t)
}

// BenchmarkThreeSource times θ and the chain rule of a 32×128 tile (fire's
// and Learn's unit of work), in the vector kernels (float64 and a Float32
// layer's) and in Go.
func BenchmarkThreeSource(b *testing.B) {
	act := Activation{Kind: ThreeSource, C1: 0.3, C2: 0.45}
	rng := rand.New(rand.NewPCG(5, 6))
	const n = tileRows * tileNeurons
	r, c, l, d := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range r {
		r[i], c[i], l[i], d[i] = rng.NormFloat64(), 3*rng.NormFloat64(), 3*rng.NormFloat64(), rng.NormFloat64()
	}
	theta, dr, dc, dl := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	perValue := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/value")
	}
	b.Run("theta/kernel", func(b *testing.B) {
		for b.Loop() {
			for s := 0; s < n; s += tileNeurons {
				threeSourceTheta(act, theta[s:s+tileNeurons], r[s:], c[s:], l[s:])
			}
		}
		perValue(b)
	})
	b.Run("derivs/kernel", func(b *testing.B) {
		for b.Loop() {
			for s := 0; s < n; s += tileNeurons {
				e := s + tileNeurons
				threeSourceDerivs(act, dr[s:e], dc[s:e], dl[s:e], r[s:e], c[s:e], l[s:e], d[s:e])
			}
		}
		perValue(b)
	})
	k32 := newActF32(act)
	var s32 actF32Scratch
	b.Run("theta/f32", func(b *testing.B) {
		for b.Loop() {
			for s := 0; s < n; s += tileNeurons {
				e := s + tileNeurons
				threeThetaF32(k32, &s32, theta[s:e], r[s:e], c[s:e], l[s:e], 0, 0)
			}
		}
		perValue(b)
	})
	b.Run("derivs/f32", func(b *testing.B) {
		for b.Loop() {
			for s := 0; s < n; s += tileNeurons {
				e := s + tileNeurons
				threeDerivsF32(k32, &s32, dr[s:e], dc[s:e], dl[s:e], r[s:e], c[s:e], l[s:e], d[s:e], 0)
			}
		}
		perValue(b)
	})
	b.Run("theta/go", func(b *testing.B) {
		var sc fireScratch
		t, s1, s2, A, th := sc.t[:], sc.s1[:], sc.s2[:], sc.A[:], sc.th[:]
		for b.Loop() {
			for s := 0; s < n; s += tileNeurons {
				e := s + tileNeurons
				threeSourceSigmoids(s1, s2, t, r[s:e], c[s:e], l[s:e])
				for i := range A {
					A[i] = r[s+i] * (0.25 + act.C1*s1[i] + act.C2*s2[i])
				}
				sigmoids(th, A)
				clampTheta(theta[s:e], th)
			}
		}
		perValue(b)
	})
}

// TestGraetzKernels: the Graetz kernels' θ and chain rule equal
// Activation.Eval and Fire bit for bit, as TestThreeSourceKernels.
func TestGraetzKernels(t *testing.T) {
	if !useAVX512 {
		t.Skip("no AVX-512: the Graetz kernels are off, so this would compare the scalar path with itself")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	var cover kernelCoverage
	for seg := 0; seg < 3000; seg++ {
		act := Activation{Kind: Graetz, K1: []float64{0.9, 0.5, 0, -0.3}[seg%4], K2: []float64{2, 1, 0.7}[seg%3]}
		n := 16 + rng.IntN(130)
		r, c, _, d := threeSourceCases(rng, n)
		if seg%3 == 0 {
			for i := range r {
				r[i], c[i] = rng.NormFloat64(), 3*rng.NormFloat64()
			}
		}
		theta, dr, dc := make([]float64, n), make([]float64, n), make([]float64, n)
		k := graetzTheta(act, theta, r, c)
		kd := graetzDerivs(act, dr, dc, r, c, d)
		if !cover.segment(t, seg, n, 16, k, kd, seg%3 == 0) {
			continue
		}
		for i := 0; i < k; i++ {
			A, pr, pc, _ := act.Eval(r[i], c[i], 0)
			th, _ := Fire(A)
			if !sameBits(theta[i], th) {
				t.Fatalf("%+v: θ(r=%v, c=%v) = %v, scalar %v", act, r[i], c[i], theta[i], th)
			}
			D := chainFactor(A, d[i])
			if !sameBits(dr[i], pr*D) || !sameBits(dc[i], pc*D) {
				t.Fatalf("%+v: chain rule at r=%v, c=%v, d=%v: %v, %v; scalar %v, %v", act, r[i], c[i], d[i], dr[i], dc[i], pr*D, pc*D)
			}
		}
	}
	cover.check(t)
	if graetzKernels(Activation{Kind: Graetz, K1: 1, K2: 2}) {
		t.Fatal("k1 = 1 must keep the Go path, which skips the sigmoid")
	}
}
