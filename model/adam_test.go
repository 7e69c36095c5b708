package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdamTorchSteps replays three torch.optim.Adam steps (lr 0.1,
// weight_decay 0.5, β = (0.9, 0.999), ε = 1e-8) on the loss −G, worked out by
// hand. torch: g = ∇(−G) + wd·w; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
// w −= lr/(1−β1^t) · m / (√v/√(1−β2^t) + ε).
//
// Parameters: w = (1, −2, 0.5, 0.2); the third is masked.
//
// Step 1 (t = 1, 1−β1 = 0.1, 1−β2 = 0.001), dG = (0, 0, 9, 1):
//
//	w0: g = 0 + 0.5·1 = 0.5        m = 0.05   v = 0.00025   m̂ = 0.5,  √v̂ = 0.5
//	    w = 1 − 0.1·0.5/(0.5+1e-8)            = 0.900000002    (decay pulls a positive w down)
//	w1: g = 0 + 0.5·(−2) = −1      m = −0.1   v = 0.001     m̂ = −1,   √v̂ = 1
//	    w = −2 + 0.1·1/(1+1e-8)               = −1.900000001   (decay pulls a negative w up)
//	w3: g = −1 + 0.5·0.2 = −0.9    m = −0.09  v = 0.00081   m̂ = −0.9, √v̂ = 0.9
//	    w = 0.2 + 0.1·0.9/(0.9+1e-8)          = 0.299999998889 (ascent on dG > 0)
//
// Step 2 (t = 2, 1−β1² = 0.19, 1−β2² = 0.001999), dG = (0.2, 0, −5, 1):
//
//	w0: g = −0.2 + 0.5·0.900000002 = 0.250000001
//	    m = 0.9·0.05 + 0.1·0.250000001 = 0.0700000001
//	    v = 0.999·0.00025 + 0.001·0.250000001² = 0.0003122500005
//	    w = 0.900000002 − (0.1/0.19)·0.0700000001/(√(0.0003122500005/0.001999) + 1e-8)
//	      = 0.900000002 − 0.526315789·0.0700000001/0.395225381 = 0.806782040419
//	w1: g = 0 + 0.5·(−1.900000001) = −0.9500000005
//	    m = −0.09 − 0.09500000005 = −0.18500000005
//	    v = 0.000999 + 0.001·0.90250000095 = 0.00190150000095
//	    w = −1.900000001 + 0.526315789·0.18500000005/(0.975307958 + 1e-8) = −1.800166487632
//	w3: g = −1 + 0.5·0.299999998889 = −0.8500000005556
//	    m = −0.081 − 0.08500000005556 = −0.16600000005556
//	    v = 0.00080919 + 0.001·0.72250000094444 = 0.00153169000094444
//	    w = 0.299999998889 + 0.526315789·0.16600000005556/(0.875344569 + 1e-8) = 0.399810317219
//
// Step 3 (t = 3, 1−β1³ = 0.271, 1−β2³ = 0.002997001), dG = (0, −3, 0, −2):
//
//	w0: g = 0.5·0.806782040419 = 0.403391020209
//	    m = 0.063000000090 + 0.040339102021 = 0.103339102111
//	    v = 0.000311937750500 + 0.000162724315186 = 0.000474662065685
//	    w = 0.806782040419 − (0.1/0.271)·0.103339102111/(0.397968610 + 1e-8) = 0.710964159161
//	w1: g = 3 + 0.5·(−1.800166487632) = 2.099916756184
//	    m = −0.166500000045 + 0.209991675618 = 0.043491675573
//	    v = 0.00189959850095 + 0.00440965038290 = 0.00630924888385
//	    w = −1.800166487632 − 0.369003690·0.043491675573/(1.450926410 + 1e-8) = −1.811227412950
//	w3: g = 2 + 0.5·0.399810317219 = 2.199905158610
//	    m = −0.149400000050 + 0.219990515861 = 0.070590515811
//	    v = 0.00153015831094 + 0.00483958270688 = 0.00636974101782
//	    w = 0.399810317219 − 0.369003690·0.070590515811/(1.457865450 + 1e-8) = 0.381942988898
func TestAdamTorchSteps(t *testing.T) {
	w := []float64{1, -2, 0.5, 0.2}
	mask := []float64{1, 1, 0, 1}
	a := NewAdam(0.1, 0.5, len(w))
	if a.Beta1 != 0.9 || a.Beta2 != 0.999 || a.Eps != 1e-8 {
		t.Fatalf("defaults β = (%g, %g), ε = %g; want (0.9, 0.999), 1e-8", a.Beta1, a.Beta2, a.Eps)
	}
	steps := []struct {
		dG, want []float64
	}{
		{[]float64{0, 0, 9, 1}, []float64{0.900000002, -1.900000001, 0.5, 0.299999998889}},
		{[]float64{0.2, 0, -5, 1}, []float64{0.806782040419, -1.800166487632, 0.5, 0.399810317219}},
		{[]float64{0, -3, 0, -2}, []float64{0.710964159161, -1.811227412950, 0.5, 0.381942988898}},
	}
	for s, st := range steps {
		a.Ascend(w, st.dG, mask)
		if a.Steps() != s+1 {
			t.Fatalf("Steps() = %d after %d steps", a.Steps(), s+1)
		}
		for i := range w {
			if math.Abs(w[i]-st.want[i]) > 1e-11 {
				t.Errorf("step %d: w[%d] = %.15g, want %.12g", s+1, i, w[i], st.want[i])
			}
		}
		if w[2] != 0.5 {
			t.Errorf("step %d: masked w[2] = %v, want exactly 0.5", s+1, w[2])
		}
	}
	if a.m[2] != 0 || a.v[2] != 0 {
		t.Errorf("masked entry accumulated moments m=%g v=%g", a.m[2], a.v[2])
	}
}

// TestAdamDecayTowardZero: with no goal gradient, L2 decay shrinks weights of
// either sign toward zero, step after step; without decay nothing moves.
func TestAdamDecayTowardZero(t *testing.T) {
	w := []float64{0.8, -0.8, 3, -3}
	zero := make([]float64, len(w))
	a := NewAdam(0.01, 0.1, len(w))
	prev := append([]float64(nil), w...)
	for s := 0; s < 20; s++ {
		a.Ascend(w, zero, nil)
		for i := range w {
			if math.Abs(w[i]) >= math.Abs(prev[i]) || math.Signbit(w[i]) != math.Signbit(prev[i]) {
				t.Fatalf("step %d: w[%d] went %g → %g, want strictly toward zero", s+1, i, prev[i], w[i])
			}
		}
		copy(prev, w)
	}
	// Symmetry: decay treats ±w alike.
	if w[0] != -w[1] || w[2] != -w[3] {
		t.Errorf("decay is not symmetric: %v", w)
	}
	b := NewAdam(0.01, 0, 2)
	v := []float64{0.8, -0.8}
	b.Ascend(v, []float64{0, 0}, nil)
	if v[0] != 0.8 || v[1] != -0.8 {
		t.Errorf("wd = 0, dG = 0 moved weights to %v", v)
	}
	// Ascent: a positive goal gradient raises the weight, a negative one lowers it.
	b.Ascend(v, []float64{1, -1}, nil)
	if !(v[0] > 0.8 && v[1] < -0.8) {
		t.Errorf("ascent moved weights the wrong way: %v", v)
	}
}

// TestAdamKernelBitIdentical: the vector update gives Ascend's loop's bits,
// serial and split across workers, over several steps (lengths that are and
// are not multiples of the vector width; gradients of every scale, zeros
// and negative zeros).
func TestAdamKernelBitIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 17))
	for _, n := range []int{3, 4, 37, minParallel + 5} {
		w := make([]float64, n)
		for i := range w {
			w[i] = rng.NormFloat64()
		}
		grads := make([][]float64, 4)
		for s := range grads {
			g := make([]float64, n)
			for i := range g {
				switch rng.IntN(5) {
				case 0:
				case 1:
					g[i] = math.Copysign(0, -1)
				default:
					g[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-8))
				}
			}
			grads[s] = g
		}
		run := func(vector bool, workers int) []float64 {
			defer func(v bool) { useAVX2 = v }(useAVX2)
			useAVX2 = useAVX2 && vector
			x := append([]float64(nil), w...)
			a := NewAdam(1e-3, 1e-4, n)
			for _, g := range grads {
				a.ascend(x, g, nil, workers)
			}
			return append(x, append(a.m, a.v...)...)
		}
		want := run(false, 1)
		for _, workers := range []int{1, 2} {
			if got := run(true, workers); !bitsEqual(got, want) {
				t.Fatalf("n %d, %d workers: the vector update differs from the loop", n, workers)
			}
		}
	}
}
