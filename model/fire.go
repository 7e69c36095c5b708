package model

import (
	"math"
	"math/rand/v2"
)

// The forward pass's activation and sampling, organised for speed without
// changing a bit of the results.
//
// The row-major batch arrays (rows×Units) are walked in tiles of 32 rows ×
// 128 neurons: a worker owns a range of neurons and visits its tiles row
// block by row block, so every access is to short contiguous row segments
// that stay in cache, and each neuron's random stream is still drawn in row
// order (one stream per neuron, as before). Within a tile:
//
//   - θ, dθ/dA and ∂A/∂(r, c, l) are elementwise; the sigmoids are
//     evaluated by a vector kernel that performs math.Exp's own operations
//     lane by lane (a Float32 layer: in float32, activation_f32.go);
//   - a recurrent layer's first step only needs θ (its derivatives are
//     overwritten by step 2), and a three-source layer whose context is not
//     lateral keeps σ(2rc) from step 1 for step 2, since r and c are unchanged;
//   - with k1 = 1 the Graetz term (1−k1)·2σ(k2·r·c) is exactly zero, so its
//     sigmoid is skipped (NaN still propagates as before);
//   - the last step also writes θ and the PID cell of every sample
//     neuron-major (thetaT, cellsT) for Learn, and step 1 of a layer with a
//     sparse lateral compartment writes its outputs transposed (Input.T).

const (
	tileRows    = TBlock // rows per tile (that of Input.T)
	tileNeurons = 128    // neurons per tile
)

// rowThetaMaxUnits: layers of at least this many neurons keep a training
// step's θ only neuron-major (see fire); a variable for the tests.
var rowThetaMaxUnits = 512

// fireState is a layer's scratch for fire and Learn.
type fireState struct {
	// outT is step 1's outputs transposed in row blocks (Input.T), written
	// while sampling when wantT: the sparse lateral kernels read it.
	outT  []float64
	wantT bool
	// onlyT: step 1's outputs go only to outT/outT32, not to the row-major
	// Out, when every reader of them takes the transposed copy (onlyT).
	onlyT bool
	// outT32 replaces outT when t32: outputs are exact in float32 (useT32).
	outT32 []float32
	t32    bool
	// thetaT and cellsT are the last step's θ and PID cells, neuron-major
	// (neuron j's rows at j·cs); cellsOK says cellsT is valid (fixed binning).
	thetaT []float64
	cellsT []int32
	// thetaT32 replaces thetaT when theta32: a float32 activation's θ is
	// exact in float32, and half the bytes to transpose and read.
	thetaT32 []float32
	theta32  bool
	// cs is the neuron stride of thetaT, thetaT32, cellsT and dT: rows
	// plus a pad, since rows of 1024 values lie a multiple of 4 kB apart
	// and a tile's 128 neurons would share two sets of the L1 cache.
	cs      int
	cellsOK bool
	dT      []float64 // ∂G/∂θ per neuron (at j·cs, as thetaT), from Learn
	// act32 is the activation's float32 constants when usesF32Act.
	act32 *actF32
	work  []fireScratch
	learn []learnScratch // learn.go
}

// fireScratch is one worker's buffers: elementwise temporaries for one row
// segment, the tile's cells, and the random streams of its tile's neurons.
type fireScratch struct {
	t, s1, s2, A, th [tileNeurons]float64
	cells            [tileRows * tileNeurons]int32
	theta            [tileRows * tileNeurons]float64 // step 1's θ (not kept)
	out              [tileRows * tileNeurons]float64 // step 1's outputs when onlyT
	pcg              [tileNeurons]rand.PCG
	act32            actF32Scratch        // the float32 activation kernels'
	keys             [tileNeurons]uint32  // hashSampling's neuron keys
	dr, dc           [tileNeurons]float64 // Learn's rows of ∂G/∂r, ∂G/∂c kept out of dr, dc
}

// fire computes θ, dθ/dA and ∂A/∂(r, c, l) from the compartments and samples
// ±1 outputs, each neuron with its own random stream (seeded by key, step
// and neuron; a Float32 layer hashes key, step, neuron and row instead), so
// results do not depend on the worker count.
func (l *Layer) fire(ws []*worker, key uint64, step uint64) {
	U, rows := l.Spec.Units, l.rows
	nw := len(ws)
	f := &l.fast
	for len(f.work) < nw {
		f.work = append(f.work, fireScratch{})
	}
	final := step == 1 || !l.Spec.Recurrent()
	f.wantT = step == 0 && l.Spec.Recurrent() && l.lateralKernels(rows)
	// A float32 lateral compartment reads the float32 copy on any machine.
	f.t32 = f.wantT && (useT32() && !l.meanField || l.Spec.Float32)
	f.onlyT = f.wantT && l.onlyT(rows)
	f.act32 = nil
	if l.usesF32Act() {
		f.act32 = newActF32(l.Spec.Act)
	}
	switch {
	case f.t32:
		f.outT32 = growF32(f.outT32, TLen(rows, U))
	case f.wantT:
		f.outT = growF64(f.outT, TLen(rows, U))
	}
	// keep: write Learn's neuron-major θ and cells (not in inference).
	keep := final && !l.infer
	cells := keep && !l.Spec.Bins.Adaptive
	// rowTheta: the last step's θ also row-major (Layer.theta), but for a
	// wide layer in training, whose θ only Learn reads (16 MB of stores a
	// step at 2000 neurons); Theta rebuilds it from thetaT when asked.
	rowTheta := !keep || U < rowThetaMaxUnits
	if final {
		l.thetaStale = !rowTheta
	}
	if keep {
		f.cs = rows + 16
		f.theta32 = f.act32 != nil
		if f.theta32 {
			f.thetaT32 = growF32(f.thetaT32, f.cs*U)
		} else {
			f.thetaT = growF64(f.thetaT, f.cs*U)
		}
		f.cellsOK = cells
		if cells {
			f.cellsT = growInt32(f.cellsT, f.cs*U)
		}
	}
	hashed := l.hashSampling()
	parallelFor((U+7)/8, nw, func(glo, ghi, wi int) {
		sc := &f.work[wi]
		for j0 := glo * 8; j0 < min(ghi*8, U); j0 += tileNeurons {
			nj := min(tileNeurons, min(ghi*8, U)-j0)
			for jj := 0; jj < nj; jj++ {
				if hashed {
					sc.keys[jj] = neuronKey(key, step, j0+jj)
				} else {
					sc.pcg[jj].Seed(key, mix(step, uint64(j0+jj)))
				}
			}
			for b0 := 0; b0 < rows; b0 += tileRows {
				nr := min(tileRows, rows-b0)
				for r := 0; r < nr; r++ {
					a := (b0+r)*U + j0
					th := l.theta[a : a+nj]
					if !final || !rowTheta {
						th = sc.theta[r*tileNeurons : r*tileNeurons+nj]
					}
					l.activate(sc, a, j0, nj, step, th)
					if cells {
						l.cellsOf(sc.cells[r*tileNeurons:r*tileNeurons+nj], a)
					}
				}
				l.sample(sc, b0, nr, j0, nj, keep, cells, !final || !rowTheta, hashed)
			}
		}
	})
}

// activate computes the clamped θ of the nj elements of the row-major batch
// starting at a (neurons j0…) into theta. A lateral compartment is at its
// bias in the first step. The derivatives are left to Learn (learn.go),
// which recomputes the same intermediate values, so a forward pass that is
// not followed by learning (evaluation) does not pay for them.
func (l *Layer) activate(sc *fireScratch, a, j0, nj int, step uint64, theta []float64) {
	act := l.Spec.Act
	if k := l.fast.act32; k != nil {
		r, c, lv := l.compartmentsAt(a, j0, nj, step)
		// The next row's compartments, for the kernel to prefetch.
		nextR, nextL := 0, 0
		if a+l.Spec.Units+nj <= len(l.r) {
			nextR = l.Spec.Units
			if step > 0 || !atBias(l.Spec.L) {
				nextL = nextR
			}
		}
		if act.Kind == ThreeSource {
			threeThetaF32(k, &sc.act32, theta[:nj], r, c, lv, nextR, nextL)
		} else {
			graetzThetaF32(k, &sc.act32, theta[:nj], r, c, nextR)
		}
		return
	}
	if l.Spec.Firing != Heaviside {
		r, c, lv := l.compartmentsAt(a, j0, nj, step)
		n := 0
		switch act.Kind {
		case ThreeSource:
			n = threeSourceTheta(act, theta[:nj], r, c, lv)
		case Graetz:
			n = graetzTheta(act, theta[:nj], r, c)
		}
		if n > 0 {
			if n < nj {
				l.activateGo(sc, a+n, j0+n, nj-n, step, theta[n:])
			}
			return
		}
	}
	l.activateGo(sc, a, j0, nj, step, theta)
}

// compartmentsAt returns the nj values of r, c and l of the row-major batch
// at a (neurons j0…), c and l at their biases where the step has not yet
// computed them.
func (l *Layer) compartmentsAt(a, j0, nj int, step uint64) (r, c, lv []float64) {
	e := a + nj
	r, c = l.r[a:e], l.cAt(a, e)
	if step == 0 && atBias(l.Spec.C) {
		c = l.C.B[j0 : j0+nj]
	}
	if l.l != nil {
		lv = l.l[a:e]
		if step == 0 && atBias(l.Spec.L) {
			lv = l.L.B[j0 : j0+nj]
		}
	}
	return r, c, lv
}

// activateGo is activate in Go, for any activation and element count.
func (l *Layer) activateGo(sc *fireScratch, a, j0, nj int, step uint64, theta []float64) {
	act := l.Spec.Act
	t, s1, s2, A, th := sc.t[:nj], sc.s1[:nj], sc.s2[:nj], sc.A[:nj], sc.th[:nj]
	r, c, lv := l.compartmentsAt(a, j0, nj, step)
	switch act.Kind {
	case ThreeSource:
		s1, s2 := threeSourceSigmoids(s1, s2, t, r, c, lv)
		base := 1 - act.C1 - act.C2
		for i := range A {
			A[i] = r[i] * (base + act.C1*s1[i] + act.C2*s2[i])
		}
	case Graetz:
		s := graetzSigmoid(act, s1, t, r, c)
		for i := range A {
			A[i] = r[i] * (act.K1 + (1-act.K1)*2*s[i])
		}
	default:
		// Kay–Phillips and sum: the scalar Eval.
		for i := range A {
			lvi := 0.0
			if lv != nil {
				lvi = lv[i]
			}
			A[i], _, _, _ = act.Eval(r[i], c[i], lvi)
		}
	}
	sigmoids(th, A)
	clampTheta(theta, th)
	if l.Spec.Firing == Heaviside {
		heaviside(theta, A)
	}
}

// heaviside sets theta[i] = 1 where A[i] > 0, else 0 (NaN gives 0).
func heaviside(theta, A []float64) {
	theta = theta[:len(A)]
	for i, a := range A {
		theta[i] = 0
		if a > 0 {
			theta[i] = 1
		}
	}
}

// threeSourceSigmoids sets s1 = σ(2rc) and s2 = σ(2rl) (Activation.Eval's),
// using t as scratch.
func threeSourceSigmoids(s1, s2, t, r, c, lv []float64) ([]float64, []float64) {
	for i := range t {
		t[i] = 2 * r[i] * c[i]
	}
	sigmoids(s1, t)
	for i := range t {
		t[i] = 2 * r[i] * lv[i]
	}
	sigmoids(s2, t)
	return s1, s2
}

// graetzSigmoid sets s = σ(k2·r·c) (Activation.Eval's). With k1 = 1 the
// sigmoid only ever meets a zero factor, so it is skipped: s = 0, or NaN
// where σ would be NaN, gives the same A and derivatives.
func graetzSigmoid(act Activation, s, t, r, c []float64) []float64 {
	if act.K1 == 1 {
		for i := range s {
			s[i] = 0
			if t := act.K2 * r[i] * c[i]; t != t {
				s[i] = t
			}
		}
		return s
	}
	for i := range t {
		t[i] = act.K2 * r[i] * c[i]
	}
	sigmoids(s, t)
	return s
}

// clampTheta writes the sigmoids th clamped to [ThetaMin, ThetaMax] into theta.
func clampTheta(theta, th []float64) {
	theta = theta[:len(th)]
	for i, t := range th {
		theta[i] = min(max(t, ThetaMin), ThetaMax)
	}
}

// cellsOf sets the PID cells (fixed bins) of the len(out) elements at a.
func (l *Layer) cellsOf(out []int32, a int) {
	bn := l.Spec.Bins
	n := int32(bn.Bins)
	width := (bn.Hi - bn.Lo) / float64(bn.Bins)
	e := a + len(out)
	clear(out)
	if l.Spec.Sources() == 3 {
		binInto(out, l.r[a:e], bn.Lo, width, bn.Bins, n*n)
		binInto(out, l.cAt(a, e), bn.Lo, width, bn.Bins, n)
		binInto(out, l.l[a:e], bn.Lo, width, bn.Bins, 1)
		return
	}
	binInto(out, l.r[a:e], bn.Lo, width, bn.Bins, n)
	binInto(out, l.cAt(a, e), bn.Lo, width, bn.Bins, 1)
}

// sample draws the ±1 outputs of a tile (rows b0..b0+nr, neurons j0..j0+nj)
// from the neurons' streams, in row order, or by hashing (hashSampling),
// and writes the tile's transposed copies (θ and cells for Learn only when
// keep).
func (l *Layer) sample(sc *fireScratch, b0, nr, j0, nj int, keep, cells, scratchTheta, hashed bool) {
	U := l.Spec.Units
	f := &l.fast
	p := sc.pcg[:nj]
	vals := [2]float64{-1, 1}
	if l.Spec.Firing == Sample01 {
		vals[0] = 0
	}
	for r := 0; r < nr; r++ {
		k := (b0+r)*U + j0
		th := l.theta[k : k+nj]
		if scratchTheta {
			th = sc.theta[r*tileNeurons : r*tileNeurons+nj]
		}
		out := l.Out[k : k+nj]
		if f.onlyT {
			out = sc.out[r*tileNeurons : r*tileNeurons+nj]
		}
		if hashed {
			sampleHash(out, th, sc.keys[:nj], uint32(b0+r)*rowSpacing, &vals)
			continue
		}
		if l.Spec.Firing != Sample || l.meanField {
			l.fireOther(p, th, out)
			continue
		}
		for jj := range th {
			// rand.Rand.Float64 of the neuron's PCG stream; ±1 set without
			// a branch (the sign bit of 1.0).
			u := float64(p[jj].Uint64()<<11>>11) / (1 << 53)
			sign := uint64(1) << 63
			if u < th[jj] {
				sign = 0
			}
			out[jj] = math.Float64frombits(0x3ff0000000000000 | sign)
		}
	}
	out, stride := l.Out[b0*U+j0:], U
	if f.onlyT {
		out, stride = sc.out[:], tileNeurons
	}
	// The tile's outputs into their row block of Input.T's layout (in
	// float32 for the exact ±1 and 0/1 outputs when t32).
	switch {
	case f.t32:
		packCols(f.outT32[b0*U+j0*tileRows:], tileRows, out, stride, nr, nj)
	case f.wantT:
		transposeF64(f.outT[b0*U+j0*tileRows:], tileRows, out, stride, nr, nj)
	}
	if !keep {
		return
	}
	th, stride := l.theta[b0*U+j0:], U
	if scratchTheta {
		th, stride = sc.theta[:], tileNeurons
	}
	if f.theta32 {
		packCols(f.thetaT32[j0*f.cs+b0:], f.cs, th, stride, nr, nj)
	} else {
		transposeF64(f.thetaT[j0*f.cs+b0:], f.cs, th, stride, nr, nj)
	}
	if cells {
		transposeI32(f.cellsT[j0*f.cs+b0:], f.cs, sc.cells[:], tileNeurons, nr, nj)
	}
}

// transposeTile copies the nr × nj tile src (rows srcStride apart) to dst
// transposed: column jj of src becomes dst[jj·dstStride : jj·dstStride+nr].
func transposeTile[D, S float32 | float64 | int32 | uint32](dst []D, dstStride int, src []S, srcStride, nr, nj int) {
	for jj := 0; jj < nj; jj++ {
		t := dst[jj*dstStride : jj*dstStride+nr]
		for r := range t {
			t[r] = D(src[r*srcStride+jj])
		}
	}
}

// onlyT reports whether step 1's outputs are needed only transposed: every
// lateral compartment is sparse and its kernels cover all rows (whole
// 32-row blocks), and no other layer reads them (feedback), so nothing
// reads the row-major copy (16 MB of stores a step at 2000 neurons).
// onlyTOff turns it off, for the tests.
var onlyTOff bool

func (l *Layer) onlyT(rows int) bool {
	if onlyTOff || l.firstOutRead || rows%latRows != 0 || !useLateralKernels(rows) {
		return false
	}
	for _, s := range []struct {
		c   *Compartment
		src Source
	}{{l.C, l.Spec.C}, {l.L, l.Spec.L}} {
		if s.src == Lateral && (s.c == nil || !s.c.Sparse()) {
			return false
		}
	}
	return true
}

// fireOther sets the outputs of one row segment for the firings other than
// ±1 samples: 0/1 samples (one draw per neuron, as sample), Heaviside (the
// output is θ), and the tests' mean field (θ, or 2θ−1 for ±1 outputs).
func (l *Layer) fireOther(p []rand.PCG, th, out []float64) {
	out = out[:len(th)]
	switch {
	case l.meanField && l.Spec.Firing == Sample:
		for jj, t := range th {
			out[jj] = 2*t - 1
		}
	case l.meanField || l.Spec.Firing == Heaviside:
		copy(out, th)
	default: // Sample01
		for jj, t := range th {
			u := float64(p[jj].Uint64()<<11>>11) / (1 << 53)
			out[jj] = 0
			if u < t {
				out[jj] = 1
			}
		}
	}
}

// lateralKernels reports whether the layer's lateral compartment is sparse
// and will use the vector kernels, which read the transposed input.
func (l *Layer) lateralKernels(rows int) bool {
	for _, c := range []*Compartment{l.C, l.L} {
		if c != nil && c.Sparse() && useLateralKernels(rows) {
			return true
		}
	}
	return false
}
