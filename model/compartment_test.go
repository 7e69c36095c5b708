package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// denseOf expands an input to a dense rows×dim matrix x (the affine map of a
// sparse input applied to every entry, zeros included).
func denseOf(in *Input) []float64 {
	if in.IsDense() {
		return append([]float64(nil), in.Dense...)
	}
	x := make([]float64, in.Rows*in.Dim)
	for b := 0; b < in.Rows; b++ {
		v := make([]float64, in.Dim)
		for k := in.Ptr[b]; k < in.Ptr[b+1]; k++ {
			v[in.Idx[k]] += in.Val[k]
		}
		for i := range v {
			x[b*in.Dim+i] = in.Scale*v[i] + in.Shift
		}
	}
	return x
}

// randInput draws a batch with about a third of the entries non-zero.
func randInput(rng *rand.Rand, rows, dim int, sparse bool, scale, shift float64) *Input {
	in := &Input{Rows: rows, Dim: dim}
	if !sparse {
		in.Dense = make([]float64, rows*dim)
		for i := range in.Dense {
			if rng.IntN(3) == 0 {
				in.Dense[i] = rng.NormFloat64()
			}
		}
		return in
	}
	in.Scale, in.Shift = scale, shift
	in.Ptr = make([]int32, rows+1)
	for b := 0; b < rows; b++ {
		for i := 0; i < dim; i++ {
			if rng.IntN(3) == 0 {
				in.Idx = append(in.Idx, int32(i))
				in.Val = append(in.Val, rng.Float64())
			}
		}
		in.Ptr[b+1] = int32(len(in.Idx))
	}
	return in
}

type compCase struct {
	name         string
	sparse       bool
	scale, shift float64
}

var compCases = []compCase{
	{"dense", false, 0, 0},
	{"sparse", true, 1, 0},
	{"sparse-affine", true, 1 / 0.3081, -0.1307 / 0.3081},
	{"sparse-shift-only", true, 2, 0.75},
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-10*math.Max(1, math.Abs(b)) }

// TestCompartmentReference checks Forward and Backward against a naive dense
// computation. Backward's gradients are those of the linear functional
// L = Σ_bj δ_bj·out_bj, which is also checked by finite differences.
func TestCompartmentReference(t *testing.T) {
	const rows, in, out = 37, 23, 9
	for ci, cc := range compCases {
		t.Run(cc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci), 7))
			c := NewCompartment(in, out, rng)
			bound := 1 / math.Sqrt(in)
			for _, w := range append(append([]float64(nil), c.W...), c.B...) {
				if math.Abs(w) > bound {
					t.Fatalf("initial weight %g outside ±1/√%d", w, in)
				}
			}
			inp := randInput(rng, rows, in, cc.sparse, cc.scale, cc.shift)
			x := denseOf(inp)
			got := make([]float64, rows*out)
			c.Forward(inp, got, 1)
			lin := func(W, B []float64, delta []float64) float64 {
				s := 0.0
				for b := 0; b < rows; b++ {
					for j := 0; j < out; j++ {
						o := B[j]
						for i := 0; i < in; i++ {
							o += W[i*out+j] * x[b*in+i]
						}
						s += delta[b*out+j] * o
					}
				}
				return s
			}
			for b := 0; b < rows; b++ {
				for j := 0; j < out; j++ {
					want := c.B[j]
					for i := 0; i < in; i++ {
						want += c.W[i*out+j] * x[b*in+i]
					}
					if !near(got[b*out+j], want) {
						t.Fatalf("out[%d,%d] = %.15g, want %.15g", b, j, got[b*out+j], want)
					}
				}
			}
			delta := make([]float64, rows*out)
			for i := range delta {
				delta[i] = rng.NormFloat64()
			}
			c.Backward(inp, delta, 1)
			for j := 0; j < out; j++ {
				gb := 0.0
				for b := 0; b < rows; b++ {
					gb += delta[b*out+j]
				}
				if !near(c.gB[j], gb) {
					t.Fatalf("gB[%d] = %g, want %g", j, c.gB[j], gb)
				}
				for i := 0; i < in; i++ {
					gw := 0.0
					for b := 0; b < rows; b++ {
						gw += delta[b*out+j] * x[b*in+i]
					}
					if !near(c.gW[i*out+j], gw) {
						t.Fatalf("gW[%d,%d] = %g, want %g", i, j, c.gW[i*out+j], gw)
					}
				}
			}
			// L is linear in W and B: a central difference is exact up to rounding.
			const h = 1e-3
			for k := 0; k < 20; k++ {
				i, j := rng.IntN(in), rng.IntN(out)
				W := append([]float64(nil), c.W...)
				W[i*out+j] += h
				lp := lin(W, c.B, delta)
				W[i*out+j] -= 2 * h
				lm := lin(W, c.B, delta)
				if fd := (lp - lm) / (2 * h); math.Abs(fd-c.gW[i*out+j]) > 1e-8*math.Max(1, math.Abs(fd)) {
					t.Fatalf("gW[%d,%d] = %g, finite difference %g", i, j, c.gW[i*out+j], fd)
				}
				B := append([]float64(nil), c.B...)
				B[j] += h
				lp = lin(c.W, B, delta)
				B[j] -= 2 * h
				lm = lin(c.W, B, delta)
				if fd := (lp - lm) / (2 * h); math.Abs(fd-c.gB[j]) > 1e-8*math.Max(1, math.Abs(fd)) {
					t.Fatalf("gB[%d] = %g, finite difference %g", j, c.gB[j], fd)
				}
			}
		})
	}
}

// TestCompartmentWorkers: Forward and Backward give bitwise identical results
// for any worker count.
func TestCompartmentWorkers(t *testing.T) {
	const rows, in, out = 61, 30, 13
	for ci, cc := range compCases {
		t.Run(cc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(ci), 11))
			c := NewCompartment(in, out, rng)
			inp := randInput(rng, rows, in, cc.sparse, cc.scale, cc.shift)
			delta := make([]float64, rows*out)
			for i := range delta {
				delta[i] = rng.NormFloat64()
			}
			var refOut, refW, refB []float64
			for _, workers := range []int{1, 2, 3, 7, 64} {
				o := make([]float64, rows*out)
				c.Forward(inp, o, workers)
				c.Backward(inp, delta, workers)
				if refOut == nil {
					refOut = o
					refW = append([]float64(nil), c.gW...)
					refB = append([]float64(nil), c.gB...)
					continue
				}
				if !bitsEqual(o, refOut) {
					t.Errorf("workers=%d: Forward differs from workers=1", workers)
				}
				if !bitsEqual(c.gW, refW) || !bitsEqual(c.gB, refB) {
					t.Errorf("workers=%d: Backward differs from workers=1", workers)
				}
			}
		})
	}
}

// TestCompartmentMasks covers NoSelf, Identity and Update with a mask.
func TestCompartmentMasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n, rows = 5, 8
	lat := NewCompartment(n, n, rng)
	lat.NoSelf()
	lat.SetOptim(0.1, 0.01)
	id := NewCompartment(n, n, rng)
	id.Identity()
	id.SetOptim(0.1, 0.01)
	b0 := append([]float64(nil), id.B...)
	inp := randInput(rng, rows, n, false, 0, 0)
	delta := make([]float64, rows*n)
	for i := range delta {
		delta[i] = rng.NormFloat64() + 1
	}
	for s := 0; s < 3; s++ {
		for _, c := range []*Compartment{lat, id} {
			c.Backward(inp, delta, 2)
			c.Update()
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			w := lat.W[i*n+j]
			if i == j && w != 0 {
				t.Errorf("lateral diagonal W[%d,%d] = %g, want 0", i, j, w)
			}
			want := 0.0
			if i == j {
				want = 1
			}
			if id.W[i*n+j] != want {
				t.Errorf("identity W[%d,%d] = %g, want %g", i, j, id.W[i*n+j], want)
			}
		}
	}
	moved := false
	for j := range b0 {
		moved = moved || id.B[j] != b0[j]
	}
	if !moved {
		t.Error("fixed compartment's bias did not learn")
	}
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestOneHot(t *testing.T) {
	var in Input
	labels := []uint8{2, 0, 3, 3}
	in.OneHot(labels, 4, false)
	x := denseOf(&in)
	for b, l := range labels {
		for i := 0; i < 4; i++ {
			want := 0.0
			if i == int(l) {
				want = 1
			}
			if x[b*4+i] != want {
				t.Fatalf("one-hot row %d = %v", b, x[b*4:b*4+4])
			}
		}
	}
	in.OneHot(labels, 4, true) // evaluation context: all zeros, buffers reused
	if in.Rows != 4 || in.Dim != 4 || len(in.Idx) != 0 {
		t.Fatalf("zero one-hot: rows %d dim %d nnz %d", in.Rows, in.Dim, len(in.Idx))
	}
	for _, v := range denseOf(&in) {
		if v != 0 {
			t.Fatal("zero one-hot has a non-zero entry")
		}
	}
}
