package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSigmoidF32: the float32 sigmoid is within 1e-6 relative (and 1e-7
// absolute) of the float64 one over the range that matters, saturates
// cleanly beyond it, and keeps NaN.
func TestSigmoidF32(t *testing.T) {
	worstRel := 0.0
	for i := -200000; i <= 200000; i++ {
		x := float32(i) / 2000 // −100 … 100
		got, want := float64(sigmoidF32(x)), sigmoid(float64(x))
		if d := math.Abs(got - want); d > 1e-7 {
			t.Fatalf("σ(%v) = %v, float64 %v", x, got, want)
		}
		if x > -80 {
			worstRel = max(worstRel, math.Abs(got-want)/want)
		}
	}
	if worstRel > 1e-6 {
		t.Fatalf("worst relative error %.3g", worstRel)
	}
	for _, c := range []struct{ x, want float32 }{
		{float32(math.Inf(1)), 1}, {float32(math.Inf(-1)), 0}, {1e30, 1}, {-1e30, 0}, {0, 0.5},
	} {
		if got := sigmoidF32(c.x); math.Abs(float64(got-c.want)) > 1e-37 {
			t.Errorf("σ(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if v := sigmoidF32(float32(math.NaN())); v == v {
		t.Errorf("σ(NaN) = %v", v)
	}
}

// TestActivationF32Kernels: the AVX2 kernels give the Go loops' float32
// results bit for bit, on ordinary values (where the kernel must run), and
// through the Go fallback on segments with NaN; the Go loops are the
// float64 activation to float32 precision.
func TestActivationF32Kernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 17))
	acts := []Activation{
		{Kind: ThreeSource, C1: 0.1, C2: 0.1}, {Kind: ThreeSource, C1: 0.3, C2: 0.45},
		{Kind: Graetz, K1: 0.9, K2: 2}, {Kind: Graetz, K1: 1, K2: 2}, {Kind: Graetz, K1: -0.3, K2: 0.7},
	}
	ran := 0
	for seg := 0; seg < 600; seg++ {
		act := acts[seg%len(acts)]
		k := newActF32(act)
		var sc actF32Scratch
		n := 1 + rng.IntN(140)
		r, c, l, d := threeSourceCases(rng, n)
		ordinary := seg%3 == 0
		if ordinary {
			for i := range r {
				r[i], c[i], l[i] = rng.NormFloat64(), 3*rng.NormFloat64(), 3*rng.NormFloat64()
			}
		}
		th, dr, dc, dl := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		wth, wdr, wdc, wdl := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		if act.Kind == ThreeSource {
			threeThetaF32(k, &sc, th, r, c, l, 0, 0)
			threeThetaF32Go(k, wth, r, c, l)
			threeDerivsF32(k, &sc, dr, dc, dl, r, c, l, d, 0)
			threeDerivsF32Go(k, wdr, wdc, wdl, r, c, l, d)
		} else {
			graetzThetaF32(k, &sc, th, r, c, 0)
			graetzThetaF32Go(k, wth, r, c)
			graetzDerivsF32(k, &sc, dr, dc, r, c, d, 0)
			graetzDerivsF32Go(k, wdr, wdc, r, c, d)
		}
		for i := range th {
			for _, p := range [][2]float64{{th[i], wth[i]}, {dr[i], wdr[i]}, {dc[i], wdc[i]}, {dl[i], wdl[i]}} {
				if !sameBits(p[0], p[1]) {
					t.Fatalf("%+v at r=%v c=%v l=%v d=%v: kernel %v, Go %v", act, r[i], c[i], l[i], d[i], p[0], p[1])
				}
			}
		}
		if ordinary && useAVX2 && n >= 8 {
			ran++
			if !kernelRuns(act, k, r, c, l, d) {
				t.Fatalf("%+v: the kernel refused ordinary values", act)
			}
			for i := range th {
				A, pr, pc, pl := act.Eval(r[i], c[i], l[i])
				want, _ := Fire(A)
				D := chainFactor(A, d[i])
				if math.Abs(th[i]-want) > 2e-6 {
					t.Fatalf("%+v: θ %v, float64 %v", act, th[i], want)
				}
				for _, p := range [][2]float64{{dr[i], pr * D}, {dc[i], pc * D}, {dl[i], pl * D}} {
					if math.Abs(p[0]-p[1]) > 1e-5*(math.Abs(p[1])+math.Abs(d[i])) {
						t.Fatalf("%+v: derivative %v, float64 %v", act, p[0], p[1])
					}
				}
			}
		}
	}
	if useAVX2 && ran == 0 {
		t.Fatal("no segment ran the kernels")
	}
	if useAVX2 {
		for _, at := range []int{5, 13} { // 16-lane kernels: either half
			r, c, l, d := make([]float64, 16), make([]float64, 16), make([]float64, 16), make([]float64, 16)
			for i := range r {
				r[i] = float64(i + 1)
			}
			c[at] = math.NaN()
			for _, act := range acts[1:3] {
				if !kernelRefuses(act, newActF32(act), r, c, l, d) {
					t.Fatalf("%+v: a kernel took a NaN at %d", act, at)
				}
			}
		}
	}
}
