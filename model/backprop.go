package model

import "math"

// End-to-end training (NetSpec.Training = Backprop), as the authors'
// GlobalBackpropModel (paper_trivariate/base_model.py):
//
//   - the loss is the cross-entropy of softmax(θ) against the one-hot label,
//     θ being the readout's firing probabilities (not logits), averaged over
//     the batch; Adam minimises it (we ascend G = −loss);
//   - the readout's θ is clamped as Fire clamps it, so dθ/dA = θ(1−θ), or 0
//     where the clamp is active;
//   - a sampled unit passes its gradient on by the surrogate
//     dOut/dA = σ'(A) = σ(A)(1−σ(A)) (2σ'(A) for ±1 outputs), Heaviside
//     units likewise (their ProbabilisticSigmoidFunction and
//     HeavisideSigmoidFunction);
//   - a recurrent layer is unrolled over its two steps: step 2's lateral
//     compartment carries the gradient into step 1's outputs, so the
//     feed-forward and context weights learn from both steps, the lateral
//     weights from step 2 (step 1's lateral input is 0) and the lateral bias
//     from both.
//
// Everything is split by rows or inputs and summed in a fixed order, so
// results do not depend on the worker count.

// bpState is a network's backprop scratch: ∂G/∂(outputs) per layer.
type bpState struct {
	dOut [][]float64
	row  []float64
}

// layerBP is a layer's backprop scratch: step 1's ∂G/∂(r, c, l), the
// gradient into step 1's outputs, per-worker row buffers, and the transposed
// weights of its compartments.
type layerBP struct {
	r1, c1, l1, dh1, tmp []float64
	rows                 []bpRow
}

type bpRow struct {
	t, s1, s2, A, s, pr, pc, pl []float64
}

func (b *bpRow) grow(n int) {
	for _, p := range []*[]float64{&b.t, &b.s1, &b.s2, &b.A, &b.s, &b.pr, &b.pc, &b.pl} {
		*p = growF64(*p, n)
	}
}

// trainBackprop runs a forward pass, carries the loss gradient down through
// every layer, and takes one Adam step in every layer that is not fixed.
// Atoms (unless SkipAtoms) and mean θ are measured on the same forward pass.
func (n *Network) trainBackprop(image, label *Input, key uint64) error {
	n.Forward(image, label, key)
	n.backward(image, label)
	for _, l := range n.Layers {
		if !l.Spec.Fixed() {
			for _, c := range []*Compartment{l.F, l.C, l.L} {
				if c == nil {
					continue
				}
				c.update(n.Workers)
				if c.Fixed {
					c.Identity() // re-set every batch, as the reference does
				}
			}
		}
		l.measureNeurons(l.workers(n.Workers, l.rows))
		if err := l.check(); err != nil {
			return err
		}
	}
	return nil
}

// backward sets every compartment's gW and gB to ∂G/∂W and ∂G/∂B,
// G = −loss, for the last forward pass.
func (n *Network) backward(image, label *Input) {
	nl := len(n.Layers)
	for len(n.bp.dOut) < nl {
		n.bp.dOut = append(n.bp.dOut, nil)
	}
	ro := n.Readout()
	rows := ro.rows
	d := growF64(n.bp.dOut[nl-1], rows*ro.Spec.Units)
	n.bp.dOut[nl-1] = d
	n.bp.row = lossGrad(ro.Theta(), label, ro.Spec.Units, d, n.bp.row)
	for i := nl - 1; i >= 0; i-- {
		var dIn []float64
		if i > 0 {
			dIn = growF64(n.bp.dOut[i-1], rows*n.Layers[i-1].Spec.Units)
			n.bp.dOut[i-1] = dIn
		}
		n.Layers[i].backprop(n.inputs(i, image, label), d, dIn, i == nl-1, n.Workers)
		d = dIn
	}
}

// Loss returns the mean cross-entropy of softmax(θ) of the last forward pass
// against label (the quantity Backprop training minimises).
func (n *Network) Loss(label *Input) float64 {
	ro := n.Readout()
	U, rows := ro.Spec.Units, ro.rows
	th := ro.Theta()
	y := make([]float64, U)
	loss := 0.0
	for b := 0; b < rows; b++ {
		denseRow(label, b, y)
		t := th[b*U : b*U+U]
		m := math.Inf(-1)
		for _, v := range t {
			m = max(m, v)
		}
		z := 0.0
		for _, v := range t {
			z += math.Exp(v - m)
		}
		for j, v := range t {
			loss -= y[j] * (v - m - math.Log(z))
		}
	}
	return loss / float64(rows)
}

// lossGrad sets d = ∂G/∂θ = (y − softmax(θ))/rows for every row, y being the
// row's label (one-hot during training). row is scratch, returned grown.
func lossGrad(theta []float64, label *Input, U int, d, row []float64) []float64 {
	rows := len(theta) / U
	row = growF64(row, U)
	inv := 1 / float64(rows)
	for b := 0; b < rows; b++ {
		denseRow(label, b, row)
		t := theta[b*U : b*U+U]
		o := d[b*U : b*U+U]
		m := math.Inf(-1)
		for _, v := range t {
			m = max(m, v)
		}
		z := 0.0
		for j, v := range t {
			o[j] = math.Exp(v - m)
			z += o[j]
		}
		for j := range o {
			o[j] = (row[j] - o[j]/z) * inv
		}
	}
	return row
}

// denseRow writes row b of in into out (len in.Dim).
func denseRow(in *Input, b int, out []float64) {
	out = out[:in.Dim]
	if in.IsDense() {
		copy(out, in.Dense[b*in.Dim:])
		return
	}
	for i := range out {
		out[i] = in.Shift
	}
	for k := in.Ptr[b]; k < in.Ptr[b+1]; k++ {
		out[in.Idx[k]] = in.Scale*in.Val[k] + in.Shift
	}
}

// backprop turns dOut = ∂G/∂(outputs of the last step) — for the readout
// (last) ∂G/∂θ — into the compartments' gradients, and, when dIn is not nil,
// sets dIn = ∂G/∂(the receptive input), rows×F.In. It reads the weights, so
// every layer's backprop runs before any update.
func (l *Layer) backprop(in map[Source]*Input, dOut, dIn []float64, last bool, workers int) {
	U, rows := l.Spec.Units, l.rows
	bp := &l.bp
	l.stepPartials(1, dOut, last, l.dr, l.dc, l.dl, workers)
	if l.Spec.Recurrent() {
		// Into step 1's outputs through the lateral compartments, then
		// through step 1.
		bp.dh1 = growF64(bp.dh1, rows*U)
		bp.tmp = growF64(bp.tmp, rows*U)
		first := true
		for _, x := range []struct {
			c     *Compartment
			src   Source
			delta []float64
		}{{l.C, l.Spec.C, l.dc}, {l.L, l.Spec.L, l.dl}} {
			if x.src != Lateral {
				continue
			}
			if first {
				x.c.inputGrad(x.delta, rows, bp.dh1, workers)
				first = false
				continue
			}
			x.c.inputGrad(x.delta, rows, bp.tmp, workers)
			for i, v := range bp.tmp {
				bp.dh1[i] += v
			}
		}
		bp.r1 = growF64(bp.r1, rows*U)
		bp.c1 = growF64(bp.c1, rows*U)
		if l.L != nil {
			bp.l1 = growF64(bp.l1, rows*U)
		}
		l.stepPartials(0, bp.dh1, false, bp.r1, bp.c1, bp.l1, workers)
		// The receptive (and a non-lateral context) compartment reads the
		// same input in both steps: their deltas add up.
		for i, v := range bp.r1 {
			l.dr[i] += v
		}
		if !atBias(l.Spec.C) {
			for i, v := range bp.c1 {
				l.dc[i] += v
			}
		}
	}
	l.F.Backward(in[l.Spec.F], l.dr, workers)
	l.C.Backward(l.inputOf(l.Spec.C, in), l.dc, workers)
	if l.L != nil {
		l.L.Backward(l.inputOf(l.Spec.L, in), l.dl, workers)
	}
	if l.Spec.Recurrent() {
		// A compartment at its bias in step 1: its bias learns from step 1 too.
		if atBias(l.Spec.C) {
			addColumnSums(l.C.gB, bp.c1, rows)
		}
		if l.L != nil && atBias(l.Spec.L) {
			addColumnSums(l.L.gB, bp.l1, rows)
		}
	}
	if dIn != nil {
		l.F.inputGrad(l.dr, rows, dIn, workers)
	}
}

// addColumnSums adds Σ_b delta[b*len(g)+j] (rows in order) to g[j].
func addColumnSums(g, delta []float64, rows int) {
	O := len(g)
	for b := 0; b < rows; b++ {
		for j, v := range delta[b*O : b*O+O] {
			g[j] += v
		}
	}
}

// stepPartials sets dr, dc, dl = ∂G/∂(r, c, l) of step (0 or 1; 1 is the
// last step of every layer) from dOut = ∂G/∂(that step's outputs). The
// readout's last step differentiates its clamped θ; every other step uses the
// surrogate σ'(A) (2σ'(A) for ±1 outputs). In step 0 of a recurrent layer
// the lateral and feedback compartments sit at their biases.
func (l *Layer) stepPartials(step int, dOut []float64, last bool, dr, dc, dl []float64, workers int) {
	U, rows := l.Spec.Units, l.rows
	act := l.Spec.Act
	if !l.Spec.Recurrent() {
		step = 1
	}
	theta := last && step == 1
	scale := 1.0
	if l.Spec.Firing == Sample {
		scale = 2
	}
	for len(l.bp.rows) < max(workers, 1) {
		l.bp.rows = append(l.bp.rows, bpRow{})
	}
	parallelFor(rows, workers, func(lo, hi, wi int) {
		sc := &l.bp.rows[wi]
		sc.grow(U)
		for b := lo; b < hi; b++ {
			a, e := b*U, b*U+U
			r, c := l.r[a:e], l.cAt(a, e)
			if step == 0 && atBias(l.Spec.C) {
				c = l.C.B
			}
			var lv []float64
			if l.l != nil {
				lv = l.l[a:e]
				if step == 0 && atBias(l.Spec.L) {
					lv = l.L.B
				}
			}
			partials(act, r, c, lv, sc)
			sigmoids(sc.s, sc.A)
			g := dOut[a:e]
			for i, s := range sc.s {
				var f float64
				if theta {
					// Fire's dθ/dA: zero where θ is clamped.
					if s >= ThetaMin && s <= ThetaMax {
						f = s * (1 - s)
					}
				} else {
					f = scale * s * (1 - s)
				}
				d := g[i] * f
				dr[a+i] = sc.pr[i] * d
				dc[a+i] = sc.pc[i] * d
				if lv != nil {
					dl[a+i] = sc.pl[i] * d
				}
			}
		}
	})
}

// partials sets sc.A = A(r, c, l) and sc.pr, pc, pl = ∂A/∂(r, c, l) for one
// row segment: Activation.Eval's formulas, with the vector sigmoids.
func partials(act Activation, r, c, lv []float64, sc *bpRow) {
	n := len(r)
	t, s1, s2, A := sc.t[:n], sc.s1[:n], sc.s2[:n], sc.A[:n]
	pr, pc, pl := sc.pr[:n], sc.pc[:n], sc.pl[:n]
	switch act.Kind {
	case ThreeSource:
		s1, s2 := threeSourceSigmoids(s1, s2, t, r, c, lv)
		base := 1 - act.C1 - act.C2
		for i := range A {
			ri := r[i]
			g1, g2 := act.C1*s1[i]*(1-s1[i])*2, act.C2*s2[i]*(1-s2[i])*2
			A[i] = ri * (base + act.C1*s1[i] + act.C2*s2[i])
			pr[i] = base + act.C1*s1[i] + act.C2*s2[i] + ri*(g1*c[i]+g2*lv[i])
			pc[i] = ri * g1 * ri
			pl[i] = ri * g2 * ri
		}
	case Graetz:
		s := graetzSigmoid(act, s1, t, r, c)
		for i := range A {
			ri := r[i]
			g := 2 * (1 - act.K1) * s[i] * (1 - s[i]) * act.K2
			A[i] = ri * (act.K1 + (1-act.K1)*2*s[i])
			pr[i] = act.K1 + (1-act.K1)*2*s[i] + ri*g*c[i]
			pc[i] = ri * g * ri
		}
	default:
		for i := range A {
			lvi := 0.0
			if lv != nil {
				lvi = lv[i]
			}
			A[i], pr[i], pc[i], pl[i] = act.Eval(r[i], c[i], lvi)
		}
	}
}

// inputGrad sets out[b*In+i] = Σ_j W[i,j]·delta[b*Out+j] (masked and absent
// weights are zero): the gradient with respect to the compartment's input.
// Rows are split across workers; each sum runs over j in order. A dense
// compartment multiplies by its transposed weights with the forward kernels.
func (c *Compartment) inputGrad(delta []float64, rows int, out []float64, workers int) {
	out = out[:rows*c.In]
	if c.Sparse() {
		K := c.K
		parallelFor(rows, workers, func(lo, hi, _ int) {
			for b := lo; b < hi; b++ {
				o := out[b*c.In : b*c.In+c.In]
				clear(o)
				for j, d := range delta[b*c.Out : b*c.Out+c.Out] {
					if d == 0 {
						continue
					}
					w := c.W[j*K : j*K+K]
					for k, i := range c.Partners[j*K : j*K+K] {
						o[i] += w[k] * d
					}
				}
			}
		})
		return
	}
	t := c.tr
	if t == nil {
		t = &Compartment{In: c.Out, Out: c.In, W: make([]float64, len(c.W)), B: make([]float64, c.In),
			colsum: make([]float64, c.In)}
		c.tr = t
	}
	for i := 0; i < c.In; i++ {
		for j, w := range c.W[i*c.Out : i*c.Out+c.Out] {
			t.W[j*c.In+i] = w
		}
	}
	t.denseForward(&Input{Rows: rows, Dim: c.Out, Dense: delta[:rows*c.Out]}, out, workers)
}
