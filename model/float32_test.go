package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"infomorph-tui/pid"
)

// TestLateralF32Kernels: the float32 lateral kernels give bit for bit the
// Go loops' float32 results (the same products and sums in the same order).
func TestLateralF32Kernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	const D, K, nj, blocks = 90, 12, 7, 3
	xT := make([]float32, blocks*latRows*D)
	for i := range xT {
		xT[i] = float32(1 - 2*rng.IntN(2))
		if rng.IntN(9) == 0 {
			xT[i] = float32(rng.NormFloat64())
		}
	}
	part := make([]int32, nj*K)
	w := make([]float32, nj*K)
	for i := range part {
		part[i] = int32(rng.IntN(D))
		w[i] = float32(rng.NormFloat64())
	}
	bias := make([]float32, nj)
	for i := range bias {
		bias[i] = float32(rng.NormFloat64())
	}
	got, want := make([]float32, nj*latRows), make([]float32, nj*latRows)
	latFwdF32(got, xT, part, w, bias, nj, K)
	latFwdF32Go(want, xT, part, w, bias, nj, K)
	if !f32BitsEqual(got, want) {
		t.Fatal("latFwdF32 differs from latFwdF32Go")
	}
	d := make([]float32, blocks*latRows)
	for i := range d {
		d[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(8)-4)))
	}
	gs, ws := make([]float32, K), make([]float32, K)
	latBwdF32(gs, d, xT, D, part[:K], blocks)
	latBwdF32Go(ws, d, xT, D, part[:K], blocks)
	if !f32BitsEqual(gs, ws) {
		t.Fatalf("latBwdF32 %v differs from latBwdF32Go %v", gs, ws)
	}
	// ±1 inputs as bits: the same sums as the float32 products.
	bits := make([]uint32, blocks*D)
	if signBits(bits, xT, D, blocks, 2) {
		t.Fatal("signBits took non-±1 values for signs")
	}
	for i := range xT {
		xT[i] = float32(1 - 2*rng.IntN(2))
	}
	if !signBits(bits, xT, D, blocks, 2) {
		t.Fatal("signBits refused ±1 values")
	}
	goBits := make([]uint32, len(bits))
	if !signWordsGo(goBits, xT) || !slices.Equal(goBits, bits) {
		t.Fatal("signBits differs from signWordsGo")
	}
	latBwdF32Go(ws, d, xT, D, part[:K], blocks)
	// The backward reads the bits partner by partner.
	bitsT := make([]uint32, len(bits))
	transposeU32(bitsT, blocks, bits, D, blocks, D)
	for p := 0; p < D; p++ {
		for blk := 0; blk < blocks; blk++ {
			if bitsT[p*blocks+blk] != bits[blk*D+p] {
				t.Fatalf("transposeU32: input %d block %d", p, blk)
			}
		}
	}
	for _, f := range []func([]float32, []float32, []uint32, []int32, int){latBwdBits, latBwdBitsGo} {
		gs := make([]float32, K)
		f(gs, d, bitsT, part[:K], blocks)
		if !f32BitsEqual(gs, ws) {
			t.Fatalf("sums from bits %v differ from latBwdF32Go %v", gs, ws)
		}
	}
	// The forward from bits: every block's outputs equal the float32
	// products', also with ±0 and ±Inf weights (w·(−1) is −w exactly).
	w[0], w[1], w[2] = float32(math.Copysign(0, -1)), float32(math.Inf(1)), 0
	for blk := 0; blk < blocks; blk++ {
		latFwdF32Go(want, xT[blk*latRows*D:], part, w, bias, nj, K)
		for _, f := range []func([]float32, []uint32, []int32, []float32, []float32, int, int){latFwdBits, latFwdBitsGo} {
			clear(got)
			f(got, bits[blk*D:(blk+1)*D], part, w, bias, nj, K)
			if !f32BitsEqual(got, want) {
				t.Fatalf("block %d: forward from bits %v differs from latFwdF32Go %v", blk, got, want)
			}
		}
	}
}

func f32BitsEqual(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return true
}

// TestSparseF32: a float32 sparse compartment computes the float64 one's
// products to float32 precision, reads its transposed float32 input and its
// row-major input alike, and gives the same numbers for any worker count
// and any number of rows (whole 32-row blocks or not).
func TestSparseF32(t *testing.T) {
	const in, out, k = 300, 300, 20
	for _, rows := range []int{45, 96} {
		rng := rand.New(rand.NewPCG(9, uint64(rows)))
		c, err := NewSparseCompartment(in, out, k, true, rng)
		if err != nil {
			t.Fatal(err)
		}
		x := &Input{Rows: rows, Dim: in, Dense: make([]float64, rows*in)}
		for i := range x.Dense {
			x.Dense[i] = float64(1 - 2*rng.IntN(2))
		}
		xT := &Input{Rows: rows, Dim: in, Dense: x.Dense, T32: make([]float32, TLen(rows, in))}
		for b := 0; b < rows; b++ {
			for i := 0; i < in; i++ {
				xT.T32[(b/TBlock)*TBlock*in+i*TBlock+b%TBlock] = float32(x.Dense[b*in+i])
			}
		}
		delta := make([]float64, rows*out)
		for i := range delta {
			delta[i] = rng.NormFloat64()
		}
		want := make([]float64, rows*out)
		c.Forward(x, want, 1)
		c.Backward(x, delta, 1)
		wantW := append([]float64(nil), c.gW...)
		c.F32 = true
		var ref, refW []float64
		for _, inp := range []*Input{x, xT} {
			for _, workers := range []int{1, 3} {
				got := make([]float64, rows*out)
				c.Forward(inp, got, workers)
				c.Backward(inp, delta, workers)
				if ref == nil {
					ref, refW = got, append([]float64(nil), c.gW...)
					for i := range got {
						if math.Abs(got[i]-want[i]) > 1e-5*(1+math.Abs(want[i])) {
							t.Fatalf("rows %d: forward %g, float64 %g", rows, got[i], want[i])
						}
					}
					for i := range refW {
						if math.Abs(refW[i]-wantW[i]) > 1e-4*(1+math.Abs(wantW[i])) {
							t.Fatalf("rows %d: gradient %g, float64 %g", rows, refW[i], wantW[i])
						}
					}
					continue
				}
				if !bitsEqual(got, ref) || !bitsEqual(c.gW, refW) {
					t.Fatalf("rows %d, transposed input %v, %d workers: float32 results differ", rows, inp.T32 != nil, workers)
				}
			}
		}
	}
}

// TestFloat32Layer: a network whose hidden layer runs its products in
// float32 trains to the same weights for any worker count and with or
// without the vector kernels (which also read the lateral input transposed
// rather than row-major), and to other weights than in float64.
func TestFloat32Layer(t *testing.T) {
	defer func(v bool) { useAVX2 = v }(useAVX2)
	avx2 := useAVX2
	train := func(f32 bool, workers int, vec bool) *Network {
		useAVX2 = vec
		net := inferNetUnits(t, false, 96)
		net.Layers[0].Spec.Float32 = f32
		l := net.Layers[0]
		for _, c := range l.compartments() {
			c.F32 = f32 && (c.Sparse() || c == l.F)
		}
		g := make([]float64, len(pid.GammaNames(3)))
		g[0], g[3] = 1, 0.5
		if err := net.Layers[0].SetGamma(g); err != nil {
			t.Fatal(err)
		}
		net.Workers = workers
		for s := range 3 {
			img, lab := inferBatch(uint64(s), 96)
			if err := net.Train(img, lab, uint64(s)); err != nil {
				t.Fatal(err)
			}
		}
		return net
	}
	a, ref := train(true, 1, avx2), train(false, 1, avx2)
	for _, b := range []*Network{train(true, 3, avx2), train(true, 2, false)} {
		for i, l := range a.Layers {
			for ci, c := range l.compartments() {
				cb := b.Layers[i].compartments()[ci]
				if !bitsEqual(c.W, cb.W) || !bitsEqual(c.B, cb.B) {
					t.Fatalf("layer %d compartment %d: float32 weights depend on the workers or the kernels", i, ci)
				}
			}
		}
	}
	if bitsEqual(a.Layers[0].L.W, ref.Layers[0].L.W) || bitsEqual(a.Layers[0].F.W, ref.Layers[0].F.W) {
		t.Fatal("the float32 layer trained exactly as in float64")
	}
}

// TestDenseF32: a float32 dense compartment computes the float64 products
// to float32 precision for dense, sparse and affine sparse inputs, bit for
// bit the same for any worker count and with or without the vector kernels,
// on widths that take the 64- and 8-column kernels and the Go tail.
func TestDenseF32(t *testing.T) {
	defer func(v bool) { useAVX2 = v }(useAVX2)
	avx2 := useAVX2
	const in = 70
	for _, rc := range []struct{ rows, out int }{{45, 600}, {301, 75}} {
		for ci, cc := range compCases {
			rows, out := rc.rows, rc.out
			rng := rand.New(rand.NewPCG(uint64(ci), uint64(out)))
			c := NewCompartment(in, out, rng)
			inp := randInput(rng, rows, in, cc.sparse, cc.scale, cc.shift)
			delta := make([]float64, rows*out)
			for i := range delta {
				delta[i] = rng.NormFloat64()
			}
			want := make([]float64, rows*out)
			c.Forward(inp, want, 1)
			c.Backward(inp, delta, 1)
			wantW, wantB := append([]float64(nil), c.gW...), append([]float64(nil), c.gB...)
			c.F32 = true
			var ref, refW []float64
			for _, vec := range []bool{avx2, false} {
				useAVX2 = vec
				for _, workers := range []int{1, 3} {
					got := make([]float64, rows*out)
					c.Forward(inp, got, workers)
					c.Backward(inp, delta, workers)
					if !bitsEqual(c.gB, wantB) {
						t.Fatalf("%s %d×%d: the bias gradient changed", cc.name, rows, out)
					}
					if ref == nil {
						ref, refW = got, append([]float64(nil), c.gW...)
						for i := range got {
							if math.Abs(got[i]-want[i]) > 1e-5*(1+math.Abs(want[i])) {
								t.Fatalf("%s %d×%d: forward %g, float64 %g", cc.name, rows, out, got[i], want[i])
							}
						}
						for i := range refW {
							if math.Abs(refW[i]-wantW[i]) > 1e-4*(1+math.Abs(wantW[i])) {
								t.Fatalf("%s %d×%d: gradient %g, float64 %g", cc.name, rows, out, refW[i], wantW[i])
							}
						}
						if bitsEqual(got, want) {
							t.Fatalf("%s %d×%d: the float32 forward equals float64's bit for bit", cc.name, rows, out)
						}
						continue
					}
					if !bitsEqual(got, ref) || !bitsEqual(c.gW, refW) {
						t.Fatalf("%s %d×%d, vector %v, %d workers: float32 results differ", cc.name, rows, out, vec, workers)
					}
				}
			}
		}
	}
}

// TestNarrowWidenF32: the vector conversions round as Go's conversions do,
// for lengths around the kernels' width and values that overflow float32,
// fall to its subnormals, or are signed zeros, infinities or NaN.
func TestNarrowWidenF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 1))
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e-40, -3e-45, 1e39, -1e39, 1 + 1.0/(1<<24), 1 + 3.0/(1<<24)}
	for _, n := range []int{0, 1, 7, 8, 9, 64, 67} {
		src := make([]float64, n)
		for i := range src {
			src[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(60)-30))
			if rng.IntN(4) == 0 {
				src[i] = special[rng.IntN(len(special))]
			}
		}
		got := make([]float32, n)
		narrowF32(got, src)
		back := make([]float64, n)
		widenF32(back, got)
		for i, v := range src {
			if w := float32(v); math.Float32bits(got[i]) != math.Float32bits(w) && !(w != w && got[i] != got[i]) {
				t.Fatalf("n=%d: float32(%g) = %g, want %g", n, v, got[i], w)
			}
			if w := float64(got[i]); math.Float64bits(back[i]) != math.Float64bits(w) && !(w != w && back[i] != back[i]) {
				t.Fatalf("n=%d: float64(%g) = %g, want %g", n, got[i], back[i], w)
			}
		}
	}
}

// TestTransposeF64: the 4×4-block kernel copies every element where the Go
// loop does, whole blocks and the tails alike.
func TestTransposeF64(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 9))
	checkTranspose(t, "transposeF64", transposeF64, rng.NormFloat64,
		[][2]int{{1, 1}, {4, 4}, {7, 33}, {128, 32}, {13, 6}})
}

// TestTransposeI32: the 8×8-block kernel moves every PID cell index where
// the Go loop does, on whole blocks, ragged edges and a fire tile.
func TestTransposeI32(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 10))
	checkTranspose(t, "transposeI32", transposeI32, rng.Int32,
		[][2]int{{1, 1}, {8, 8}, {9, 17}, {32, 128}, {23, 6}, {16, 130}})
}

// checkTranspose compares transpose with transposeTile on n×m tiles of
// values drawn by gen (source rows 136 apart, destination rows 140).
func checkTranspose[T float64 | int32](t *testing.T, name string,
	transpose func(dst []T, dStride int, src []T, sStride, n, m int), gen func() T, sizes [][2]int) {
	t.Helper()
	const sStride, dStride = 136, 140
	for _, nm := range sizes {
		n, m := nm[0], nm[1]
		src := make([]T, n*sStride)
		for i := range src {
			src[i] = gen()
		}
		got, want := make([]T, m*dStride), make([]T, m*dStride)
		transpose(got, dStride, src, sStride, n, m)
		transposeTile(want, dStride, src, sStride, n, m)
		if !slices.Equal(got, want) {
			t.Fatalf("%d×%d: %s differs from the Go loop", n, m, name)
		}
		for i := 0; i < n; i++ {
			for r := 0; r < m; r++ {
				if got[r*dStride+i] != src[i*sStride+r] {
					t.Fatalf("%d×%d: %s left element (%d, %d) in place", n, m, name, i, r)
				}
			}
		}
	}
}

// TestPackRowF32: packing a matrix row by row, in segments that start
// anywhere and straddle the 64-, 8- and 1-wide tiles, fills the same layout
// as packF32; and a packed δ serves exactly one Backward.
func TestPackRowF32(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, O := range []int{512, 600, 2000, 651} {
		const rows = 7
		src := make([]float64, rows*O)
		for i := range src {
			src[i] = rng.NormFloat64()
		}
		want := make([]float32, rows*O)
		packF32(want, src, rows, O, 2)
		got := make([]float32, rows*O)
		for b := 0; b < rows; b++ {
			for j := 0; j < O; {
				n := min(1+rng.IntN(150), O-j)
				packRowF32(got, src[b*O+j:b*O+j+n], rows, O, b, j)
				j += n
			}
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("O=%d: element %d is %g, packF32 has %g", O, i, got[i], want[i])
			}
		}
	}
	// A stale packed δ must not outlive its Backward.
	c := NewCompartment(30, 600, rng)
	c.F32 = true
	inp := randInput(rng, 9, 30, false, 1, 0)
	delta := make([]float64, 9*600)
	for i := range delta {
		delta[i] = rng.NormFloat64()
	}
	c.Backward(inp, delta, 1)
	want := append([]float64(nil), c.gW...)
	c.f32.dRows = 9 // Learn packed it
	c.Backward(inp, delta, 1)
	if c.f32.dRows != 0 {
		t.Fatal("Backward left the packed δ marked ready")
	}
	clear(c.f32.d)
	c.Backward(inp, delta, 1)
	if !bitsEqual(c.gW, want) {
		t.Fatal("a Backward after the packed one did not pack δ again")
	}
}

// TestAscendPacking: the update that packs W row by row for the next
// forward gives the same weights and moments as the plain update, a
// forward from its packed copy equals one that packs afresh, its finiteness
// reaches Layer.check once, and every other writer of W drops the copy.
func TestAscendPacking(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 3))
	const in, out, rows = 40, 600, 11
	c := NewCompartment(in, out, rng)
	c.SetOptim(0.01, 1e-4)
	twin := NewCompartment(in, out, rng)
	copy(twin.W, c.W)
	copy(twin.B, c.B)
	twin.SetOptim(0.01, 1e-4)
	c.F32, twin.F32 = true, true
	inp := randInput(rng, rows, in, true, 1, 0)
	delta := make([]float64, rows*out)
	got, fresh := make([]float64, rows*out), make([]float64, rows*out)
	for step := 0; step < 3; step++ {
		for i := range delta {
			delta[i] = rng.NormFloat64()
		}
		for _, x := range []*Compartment{c, twin} {
			x.Forward(inp, got, 2)
			x.Backward(inp, delta, 2)
		}
		c.update(2)
		twin.Update()
		if !c.f32.wReady || twin.f32.wReady {
			t.Fatalf("step %d: packed copy ready %v, after Update %v", step, c.f32.wReady, twin.f32.wReady)
		}
		if !bitsEqual(c.W, twin.W) || !bitsEqual(c.optW.m, twin.optW.m) || !bitsEqual(c.optW.v, twin.optW.v) {
			t.Fatalf("step %d: the packing update moved W or its moments differently", step)
		}
		if !c.finiteW() || c.f32.wFinite != finiteUnknown {
			t.Fatalf("step %d: finiteness not reported once", step)
		}
		c.Forward(inp, got, 2)
		c.f32.wReady = false
		c.Forward(inp, fresh, 2)
		if !bitsEqual(got, fresh) {
			t.Fatalf("step %d: the forward from the update's packed W differs", step)
		}
	}
	c.gW[7] = math.NaN()
	c.update(1)
	if c.finiteW() || c.finiteW() {
		t.Fatal("a NaN weight passed the check")
	}
	st := c.state()
	c.update(1)
	c.restore(st)
	if c.f32.wReady {
		t.Fatal("restore kept the packed copy of the weights it replaced")
	}
}

// TestPairKernel: the two-line kernel gives spmm2Go's bits, each line equal
// to the one-line kernel over its own entries, and reports non-finite
// results (an Inf in the slab meeting a line's absent entry).
func TestPairKernel(t *testing.T) {
	defer func(v bool) { useAVX2 = v }(useAVX2)
	avx2 := useAVX2
	rng := rand.New(rand.NewPCG(5, 7))
	const rows = 40
	m := make([]float32, rows*f32Tile)
	for i := range m {
		m[i] = float32(rng.NormFloat64())
	}
	for _, n := range []int{0, 1, 11, 12, 13, 39} {
		var p pairLists
		p.reset()
		line := func() ([]int32, []float32) {
			var idx []int32
			var val []float32
			for i := 0; i < rows && len(idx) < n; i++ {
				if rng.IntN(2) == 0 {
					idx = append(idx, int32(i))
					val = append(val, float32(rng.NormFloat64()))
				}
			}
			return idx, val
		}
		ia, va := line()
		ib, vb := line()
		p.add(ia, va, ib, vb)
		pi, pv := p.pair(0)
		for _, inf := range []bool{false, true} {
			mm := m
			if inf && len(ia) > 0 {
				mm = append([]float32(nil), m...)
				mm[int(ia[0])*f32Tile+3] = float32(math.Inf(1))
			}
			var got [2][2 * f32Tile]float32
			var ok [2]bool
			for k, vec := range []bool{true, false} {
				useAVX2 = vec && avx2
				ok[k] = spmm2F32(got[k][:], mm, f32Tile, pi, pv)
			}
			for i := range got[0] {
				if math.Float32bits(got[0][i]) != math.Float32bits(got[1][i]) && !(got[0][i] != got[0][i] && got[1][i] != got[1][i]) {
					t.Fatalf("n=%d: kernel %g, Go %g at %d", n, got[0][i], got[1][i], i)
				}
			}
			if ok[0] != ok[1] {
				t.Fatalf("n=%d: kernel and Go disagree on finiteness", n)
			}
			onlyA := len(ia) > 0 && !slices.Contains(ib, ia[0])
			if inf && onlyA && ok[0] {
				t.Fatalf("n=%d: 0·Inf in the line without the entry passed as finite", n)
			}
			if inf {
				continue
			}
			if !ok[0] {
				t.Fatalf("n=%d: finite sums reported non-finite", n)
			}
			var a, b [f32Tile]float32
			spmmGo(a[:], m, f32Tile, ia, va)
			spmmGo(b[:], m, f32Tile, ib, vb)
			for j := range a {
				if math.Float32bits(a[j]) != math.Float32bits(got[0][j]) || math.Float32bits(b[j]) != math.Float32bits(got[0][f32Tile+j]) {
					t.Fatalf("n=%d: the pair's sums differ from each line's own", n)
				}
			}
		}
	}
}

// TestPairGradientExact: the float32 weight gradient with pairs of inputs
// equals the one-line sums bit for bit, also when δ holds an Inf (the
// pairs it poisons are redone line by line).
func TestPairGradientExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	const in, out, rows = 31, 600, 37
	c := NewCompartment(in, out, rng)
	c.F32 = true
	inp := randInput(rng, rows, in, true, 1, 0)
	delta := make([]float64, rows*out)
	for i := range delta {
		delta[i] = rng.NormFloat64()
	}
	for _, inf := range []bool{false, true} {
		if inf {
			delta[5*out+7] = math.Inf(-1)
		}
		c.Backward(inp, delta, 2)
		for i := 0; i < in; i++ {
			want := make([]float32, out)
			for b := 0; b < rows; b++ {
				for p := inp.Ptr[b]; p < inp.Ptr[b+1]; p++ {
					if int(inp.Idx[p]) != i {
						continue
					}
					x := float32(inp.Val[p])
					for j := range want {
						want[j] += x * float32(delta[b*out+j])
					}
				}
			}
			for j, v := range want {
				if g := c.gW[i*out+j]; math.Float64bits(g) != math.Float64bits(float64(v)) && !(g != g && v != v) {
					t.Fatalf("Inf %v: gW[%d,%d] = %g, one line at a time %g", inf, i, j, g, v)
				}
			}
		}
	}
}

// TestLearnPacksDelta: Learn handing F its δ packed and L its δ transposed
// (and keeping neither in dr, dl) trains a float32 layer to the same bits
// as Backward packing them from the arrays; on 96 rows both hand-overs run,
// on 100 (not whole 32-row blocks) only F's.
func TestLearnPacksDelta(t *testing.T) {
	defer func(v bool) { learnPackOff = v }(learnPackOff)
	for _, rows := range []int{96, 100} {
		var nets []*Network
		for _, off := range []bool{false, true} {
			learnPackOff = off
			net := inferNetPrecision(t, false, 600, true)
			net.Workers = 2
			for s := range 3 {
				img, lab := inferBatch(uint64(s), rows)
				if err := net.Train(img, lab, uint64(s)); err != nil {
					t.Fatal(err)
				}
			}
			l := net.Layers[0]
			if l.packsDelta() == off || l.packsLateralDelta() != (!off && rows%latRows == 0) {
				t.Fatalf("%d rows, off %v: packs F %v, L %v", rows, off, l.packsDelta(), l.packsLateralDelta())
			}
			nets = append(nets, net)
		}
		for i := range nets[0].Layers {
			la, lb := nets[0].Layers[i], nets[1].Layers[i]
			for k, cs := range [][2]*Compartment{{la.F, lb.F}, {la.C, lb.C}, {la.L, lb.L}} {
				if cs[0] != nil && (!bitsEqual(cs[0].W, cs[1].W) || !bitsEqual(cs[0].B, cs[1].B)) {
					t.Fatalf("%d rows, layer %d compartment %d: weights differ", rows, i, k)
				}
			}
			if !bitsEqual(la.NeuronAtoms, lb.NeuronAtoms) || !bitsEqual(la.Out, lb.Out) {
				t.Fatalf("%d rows, layer %d: atoms or outputs differ", rows, i)
			}
		}
	}
}
