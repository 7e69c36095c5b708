package model

import "sync/atomic"

// Parallel forms of the elementwise parts of a learning step. Each element
// gets exactly the operations of the serial code, so results do not depend on
// the worker count.

// minParallel is the smallest parameter count worth splitting across workers.
const minParallel = 1 << 14

// update is Update with the parameters split across workers.
func (c *Compartment) update(workers int) {
	c.wChanged()
	if !c.Fixed {
		if c.packsWeights() {
			c.ascendPacking(workers)
		} else {
			c.optW.ascend(c.W, c.gW, c.Mask, workers)
		}
	}
	c.optB.ascend(c.B, c.gB, nil, workers)
}

// packsWeights reports whether the forward reads W packed in float32
// (denseForwardF32) and the update can pack it: no mask.
func (c *Compartment) packsWeights() bool {
	return c.F32 && !c.Sparse() && c.Mask == nil && c.Out >= tileW
}

// ascendPacking is ascend for a float32 dense compartment, row by row of W:
// each updated row is packed for the next forward and checked finite for
// Layer.check while it is in cache, instead of three passes over the whole
// array (update, check, packF32), 12.5 MB each at 784 × 2000.
func (c *Compartment) ascendPacking(workers int) {
	a, O := c.optW, c.Out
	step, sq := a.next()
	s := &c.f32
	s.w = growF32(s.w, c.In*O)
	var bad atomic.Bool
	parallelFor(c.In, workers, func(lo, hi, _ int) {
		for i := lo; i < hi; i++ {
			r0, r1 := i*O, i*O+O
			a.update(c.W[r0:r1], c.gW[r0:r1], a.m[r0:r1], a.v[r0:r1], nil, step, sq)
			packRowF32(s.w, c.W[r0:r1], c.In, O, i, 0)
			if !allFinite(c.W[r0:r1]) {
				bad.Store(true)
			}
		}
	})
	s.wReady = true
	s.wFinite = finiteYes
	if bad.Load() {
		s.wFinite = finiteNo
	}
}

// ascend is Ascend with the parameters split across workers.
func (a *Adam) ascend(w, dG, mask []float64, workers int) {
	if len(w) < minParallel || workers <= 1 {
		a.Ascend(w, dG, mask)
		return
	}
	step, sq := a.next()
	parallelFor(len(w), workers, func(lo, hi, _ int) {
		var mk []float64
		if mask != nil {
			mk = mask[lo:hi]
		}
		a.update(w[lo:hi], dG[lo:hi], a.m[lo:hi], a.v[lo:hi], mk, step, sq)
	})
}

// sumRows sets gB[j] = Σ_b delta[b*len(gB)+j] over rows in order, the
// columns split across workers.
func sumRows(gB, delta []float64, rows, workers int) {
	O := len(gB)
	clear(gB)
	if O*rows < minParallel || workers <= 1 || O < 64 {
		for b := 0; b < rows; b++ {
			d := delta[b*O : b*O+O]
			for j, v := range d {
				gB[j] += v
			}
		}
		return
	}
	// Column ranges in whole cache lines (8 values), so workers never share one.
	parallelFor((O+7)/8, workers, func(lo, hi, _ int) {
		lo, hi = lo*8, min(hi*8, O)
		g := gB[lo:hi]
		for b := 0; b < rows; b++ {
			d := delta[b*O+lo : b*O+hi]
			for j, v := range d {
				g[j] += v
			}
		}
	})
}

// finiteW reports whether W is finite, from the last ascendPacking's rows
// if it has not been asked since, else by reading W.
func (c *Compartment) finiteW() bool {
	f := c.f32.wFinite
	c.f32.wFinite = finiteUnknown
	if f == finiteUnknown {
		return allFinite(c.W)
	}
	return f == finiteYes
}
