package model

import (
	"math"

	"infomorph-tui/pid"
)

// The per-neuron part of Learn, organised for cache and vector units without
// changing a bit of the results. fire's last step left every neuron's θ and
// PID cells neuron-major (thetaT, cellsT), so the PID engine reads contiguous
// columns; ∂G/∂θ comes back neuron-major (dT) and is applied to ∂A/∂(r, c, l)
// in the same 32-row × 64-neuron tiles fire uses.

// learnScratch is one worker's column buffer for adaptive binning.
type learnScratch struct {
	col []float64
}

// assignCol is Binning.Assign for one neuron's contiguous values.
func (bn Binning) assignCol(vals []float64, mult int32, out []int32) {
	lo, hi := bn.Lo, bn.Hi
	if bn.Adaptive {
		m := 0.0
		for _, v := range vals {
			if a := math.Abs(v); a > m {
				m = a
			}
		}
		if m == 0 {
			m = 1
		}
		lo, hi = -m, m
	}
	width := (hi - lo) / float64(bn.Bins)
	binInto(out, vals, lo, width, bn.Bins, mult)
}

// learnNeurons sets, for every neuron, its atoms (unless SkipAtoms), its mean
// θ, and turns dr, dc, dl from ∂A/∂(r, c, l) into ∂G/∂(r, c, l).
func (l *Layer) learnNeurons(ws []*worker) {
	U, rows := l.Spec.Units, l.rows
	f := &l.fast
	for len(f.learn) < len(ws) {
		f.learn = append(f.learn, learnScratch{})
	}
	f.dT = growF64(f.dT, f.cs*U)
	na := l.nAtoms
	parallelFor(U, len(ws), func(lo, hi, wi int) {
		w := ws[wi]
		s := &f.learn[wi]
		for j := lo; j < hi; j++ {
			sum := f.setSamples(w.est, l.neuronCells(j, w, s), j, rows)
			d := f.dT[j*f.cs : j*f.cs+rows]
			if l.SkipAtoms {
				w.est.GradTheta(l.Spec.Gamma, d, nil)
			} else {
				hres := w.est.GradTheta(l.Spec.Gamma, d, w.atoms)
				copy(l.NeuronAtoms[j*(na+1):], w.atoms)
				l.NeuronAtoms[j*(na+1)+na] = hres
			}
			l.MeanTheta[j] = sum / float64(rows)
		}
	})
	for len(f.work) < len(ws) {
		f.work = append(f.work, fireScratch{})
	}
	for _, c := range l.compartments() {
		clear(c.gB)
	}
	f.act32 = nil
	if l.usesF32Act() {
		f.act32 = newActF32(l.Spec.Act)
	}
	cg := l.contextGrad()
	// F's float32 Backward reads δ packed (packF32); rows are packed here
	// while in cache.
	pk := l.packsDelta()
	if pk {
		l.F.f32.d = growF32(l.F.f32.d, rows*U)
	}
	// L's float32 Backward reads δ neuron by neuron (latDeltaStride); each
	// tile's rows are transposed here.
	pkl := l.packsLateralDelta()
	ls := latDeltaStride(rows)
	if pkl {
		l.L.f32.dlT = growF32(l.L.f32.dlT, U*ls)
	}
	parallelFor((U+7)/8, len(ws), func(glo, ghi, wi int) {
		sc := &f.work[wi]
		for j0 := glo * 8; j0 < min(ghi*8, U); j0 += tileNeurons {
			nj := min(tileNeurons, min(ghi*8, U)-j0)
			for b0 := 0; b0 < rows; b0 += tileRows {
				nr := min(tileRows, rows-b0)
				// The tile's ∂G/∂θ, row-major: dT's neuron-major rows
				// are read contiguously once instead of gathered row by
				// row (neurons 8 kB apart share L1 sets).
				dTile := sc.theta[:]
				transposeF64(dTile, tileNeurons, f.dT[j0*f.cs+b0:], f.cs, nj, nr)
				for r := 0; r < nr; r++ {
					b := b0 + r
					g := l.rowDerivs(b*U+j0, nj)
					// Rows whose only readers are below stay in scratch:
					// 16 MB of stores a step each at 2000 neurons.
					if pk {
						g.r = sc.dr[:nj]
					}
					if cg != nil {
						g.c = sc.dc[:nj]
					}
					if pkl {
						g.l = sc.out[r*tileNeurons : r*tileNeurons+nj]
					}
					l.derivatives(sc, b, j0, nj, dTile[r*tileNeurons:r*tileNeurons+nj], g)
					l.sumBias(j0, g)
					if pk {
						packRowF32(l.F.f32.d, g.r, rows, U, b, j0)
					}
					if cg != nil {
						l.addContextGrad(cg, b, j0, g.c)
					}
				}
				if pkl {
					packCols(l.L.f32.dlT[j0*ls+b0:], ls, sc.out[:], tileNeurons, nr, nj)
				}
			}
		}
	})
	for _, c := range l.compartments() {
		c.gBSummed = true
	}
	if pk {
		l.F.f32.dRows = rows
	}
	if pkl {
		l.L.f32.dlRows = rows
	}
}

// packsLateralDelta reports whether L's Backward runs the float32 sparse
// products (sparseBackwardF32), which read δ transposed, on whole blocks of
// 32 rows (so the transposed rows need no zero padding).
func (l *Layer) packsLateralDelta() bool {
	c := l.L
	return !learnPackOff && c != nil && c.F32 && c.Sparse() && !c.Fixed && l.rows%latRows == 0
}

// learnPackOff makes Learn leave ∂G/∂r and ∂G/∂l to Backward, as before
// packsDelta and packsLateralDelta; for the tests.
var learnPackOff bool

// packsDelta reports whether F's Backward runs the float32 dense products
// (denseBackwardF32), which read δ packed.
func (l *Layer) packsDelta() bool {
	c := l.F
	return !learnPackOff && c.F32 && !c.Sparse() && !c.Fixed && c.Out >= tileW
}

// sumTheta returns Σ_b θ_b of neuron j (rows in order).
func (f *fireState) sumTheta(j, rows int) float64 {
	sum := 0.0
	if f.theta32 {
		for _, v := range f.thetaT32[j*f.cs : j*f.cs+rows] {
			sum += float64(v)
		}
		return sum
	}
	for _, v := range f.thetaT[j*f.cs : j*f.cs+rows] {
		sum += v
	}
	return sum
}

// setSamples loads neuron j's cells and θ into est and returns Σ_b θ_b
// (sumTheta's, bit for bit).
func (f *fireState) setSamples(est *pid.Estimator, cells []int32, j, rows int) float64 {
	if f.theta32 {
		return est.SetSamples32(cells, f.thetaT32[j*f.cs:j*f.cs+rows])
	}
	return est.SetSamples(cells, f.thetaT[j*f.cs:j*f.cs+rows])
}

// compartments lists the layer's compartments (F, C, and L if any).
func (l *Layer) compartments() []*Compartment {
	if l.L == nil {
		return []*Compartment{l.F, l.C}
	}
	return []*Compartment{l.F, l.C, l.L}
}

// sumBias adds a row segment of ∂G/∂(r, c, l) (neurons j0…) to the
// compartments' bias gradients while it is in cache. Rows come in
// order for every neuron, so each sum is Backward's (sumRows) bit for bit.
func (l *Layer) sumBias(j0 int, g rowDerivs) {
	nj := len(g.r)
	addTo(l.F.gB[j0:j0+nj], g.r)
	addTo(l.C.gB[j0:j0+nj], g.c)
	if l.L != nil {
		addTo(l.L.gB[j0:j0+nj], g.l)
	}
}

// rowDerivs is where derivatives writes one row segment of ∂G/∂r, ∂G/∂c
// and ∂G/∂l (nil without a lateral compartment): the layer's dr, dc, dl
// (rowDerivs) or a worker's scratch.
type rowDerivs struct{ r, c, l []float64 }

// rowDerivs returns dr, dc, dl's segments of nj values at a.
func (l *Layer) rowDerivs(a, nj int) rowDerivs {
	g := rowDerivs{r: l.dr[a : a+nj], c: l.dc[a : a+nj]}
	if l.L != nil {
		g.l = l.dl[a : a+nj]
	}
	return g
}

// neuronCells returns neuron j's PID cell of every sample of the last step:
// fire's neuron-major cells (fixed bins), or, for adaptive bins (the
// readout), the cells of its gathered columns in w's buffer.
func (l *Layer) neuronCells(j int, w *worker, s *learnScratch) []int32 {
	U, rows := l.Spec.Units, l.rows
	f := &l.fast
	if f.cellsOK {
		return f.cellsT[j*f.cs : j*f.cs+rows]
	}
	nb := int32(l.Spec.Bins.Bins)
	s.col = growF64(s.col, rows)
	col := func(x []float64) []float64 {
		for b := range s.col {
			s.col[b] = x[b*U+j]
		}
		return s.col
	}
	colC := func() []float64 {
		for b := range s.col {
			s.col[b] = l.cAt(b*U+j, b*U+j+1)[0]
		}
		return s.col
	}
	cells := w.cells[:rows]
	clear(cells)
	if l.Spec.Sources() == 3 {
		l.Spec.Bins.assignCol(col(l.r), nb*nb, cells)
		l.Spec.Bins.assignCol(colC(), nb, cells)
		l.Spec.Bins.assignCol(col(l.l), 1, cells)
	} else {
		l.Spec.Bins.assignCol(col(l.r), nb, cells)
		l.Spec.Bins.assignCol(colC(), 1, cells)
	}
	return cells
}

// measureNeurons sets every neuron's mean θ and, unless SkipAtoms, its atoms
// and h_res, measured on the last forward pass without a goal gradient: for
// layers that do not learn by their PID goal (fixed, or trained by backprop).
func (l *Layer) measureNeurons(ws []*worker) {
	U, rows := l.Spec.Units, l.rows
	f := &l.fast
	for len(f.learn) < len(ws) {
		f.learn = append(f.learn, learnScratch{})
	}
	na := l.nAtoms
	parallelFor(U, len(ws), func(lo, hi, wi int) {
		w := ws[wi]
		s := &f.learn[wi]
		for j := lo; j < hi; j++ {
			if l.SkipAtoms {
				l.MeanTheta[j] = f.sumTheta(j, rows) / float64(rows)
				continue
			}
			l.MeanTheta[j] = f.setSamples(w.est, l.neuronCells(j, w, s), j, rows) / float64(rows)
			hres := w.est.Atoms(w.atoms)
			copy(l.NeuronAtoms[j*(na+1):], w.atoms)
			l.NeuronAtoms[j*(na+1)+na] = hres
		}
	})
}

// derivatives sets g (row b, neurons j0…j0+nj−1) to
// ∂G/∂(r, c, l) = ∂A/∂(r, c, l)·(∂G/∂θ·dθ/dA): it recomputes A, θ and the
// partial derivatives from the compartments exactly as Activation.Eval and
// Fire do, and multiplies in the same order as the scalar rule
// (dA := ∂G/∂θ·dθ/dA; dr *= dA). d holds the row's ∂G/∂θ of those neurons.
func (l *Layer) derivatives(sc *fireScratch, b, j0, nj int, d []float64, g rowDerivs) {
	act := l.Spec.Act
	if k := l.fast.act32; k != nil {
		U := l.Spec.Units
		a := b*U + j0
		e := a + nj
		next := 0 // the next row, for the kernel to prefetch
		if e+U <= len(l.r) {
			next = U
		}
		if act.Kind == ThreeSource {
			threeDerivsF32(k, &sc.act32, g.r, g.c, g.l, l.r[a:e], l.cAt(a, e), l.l[a:e], d, next)
		} else {
			graetzDerivsF32(k, &sc.act32, g.r, g.c, l.r[a:e], l.cAt(a, e), d, next)
		}
		return
	}
	if act.Kind == ThreeSource && useAVX2 || act.Kind == Graetz && graetzKernels(act) {
		U := l.Spec.Units
		a := b*U + j0
		e := a + nj
		var n int
		if act.Kind == ThreeSource {
			n = threeSourceDerivs(act, g.r, g.c, g.l, l.r[a:e], l.cAt(a, e), l.l[a:e], d)
		} else {
			n = graetzDerivs(act, g.r, g.c, l.r[a:e], l.cAt(a, e), d)
		}
		if n > 0 {
			if n < nj {
				l.derivativesGo(sc, b, j0+n, nj-n, d[n:], g.from(n))
			}
			return
		}
	}
	l.derivativesGo(sc, b, j0, nj, d, g)
}

// from returns g's segments from element n on.
func (g rowDerivs) from(n int) rowDerivs {
	h := rowDerivs{r: g.r[n:], c: g.c[n:]}
	if g.l != nil {
		h.l = g.l[n:]
	}
	return h
}

// derivativesGo is derivatives in Go, for any activation and element count.
func (l *Layer) derivativesGo(sc *fireScratch, b, j0, nj int, dG []float64, g rowDerivs) {
	act := l.Spec.Act
	U := l.Spec.Units
	a := b*U + j0
	e := a + nj
	t, s1, s2, A, th := sc.t[:nj], sc.s1[:nj], sc.s2[:nj], sc.A[:nj], sc.th[:nj]
	r, c := l.r[a:e], l.cAt(a, e)
	dr, dc := g.r[:nj], g.c[:nj]
	// dA is ∂G/∂θ·dθ/dA of neuron j0+i, with dθ/dA as Fire's (0 where clamped).
	dA := func(i int) float64 {
		t := th[i]
		dth := t * (1 - t)
		if t < ThetaMin || t > ThetaMax {
			dth = 0
		}
		return dG[i] * dth
	}
	switch act.Kind {
	case ThreeSource:
		lv, dl := l.l[a:e], g.l[:nj]
		s1, s2 := threeSourceSigmoids(s1, s2, t, r, c, lv)
		base := 1 - act.C1 - act.C2
		for i := range A {
			A[i] = r[i] * (base + act.C1*s1[i] + act.C2*s2[i])
		}
		sigmoids(th, A)
		for i := range dr {
			d := dA(i)
			s1, s2 := s1[i], s2[i]
			g1, g2 := act.C1*s1*(1-s1)*2, act.C2*s2*(1-s2)*2
			ri := r[i]
			dr[i] = (base + act.C1*s1 + act.C2*s2 + ri*(g1*c[i]+g2*lv[i])) * d
			dc[i] = (ri * g1 * ri) * d
			dl[i] = (ri * g2 * ri) * d
		}
	case Graetz:
		s := graetzSigmoid(act, s1, t, r, c)
		for i := range A {
			A[i] = r[i] * (act.K1 + (1-act.K1)*2*s[i])
		}
		sigmoids(th, A)
		for i := range dr {
			d := dA(i)
			si, ri := s[i], r[i]
			gs := 2 * (1 - act.K1) * si * (1 - si) * act.K2
			dr[i] = (act.K1 + (1-act.K1)*2*si + ri*gs*c[i]) * d
			dc[i] = (ri * gs * ri) * d
		}
	default:
		var lv, dl []float64
		if l.l != nil {
			lv, dl = l.l[a:e], g.l[:nj]
		}
		for i := range A {
			lvi := 0.0
			if lv != nil {
				lvi = lv[i]
			}
			A[i], t[i], s1[i], s2[i] = act.Eval(r[i], c[i], lvi)
		}
		sigmoids(th, A)
		three := l.Spec.Sources() == 3
		for i := range dr {
			d := dA(i)
			dr[i] = t[i] * d
			dc[i] = s1[i] * d
			if three {
				dl[i] = s2[i] * d
			}
		}
	}
}
