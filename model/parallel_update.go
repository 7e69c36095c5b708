package model

// Parallel forms of the elementwise parts of a learning step. Each element
// gets exactly the operations of the serial code, so results do not depend on
// the worker count.

// minParallel is the smallest parameter count worth splitting across workers.
const minParallel = 1 << 14

// update is Update with the parameters split across workers.
func (c *Compartment) update(workers int) {
	if !c.Fixed {
		c.optW.ascend(c.W, c.gW, c.Mask, workers)
	}
	c.optB.ascend(c.B, c.gB, nil, workers)
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
