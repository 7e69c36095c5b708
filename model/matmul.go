package model

import "fmt"

// Dense compartments' forward and backward passes as register-blocked sparse
// matrix products. Every output element is still the same sum of the same
// products in the same order as the straightforward loops
//
//	forward:  out[b,:] = B (dense input) or 0 (sparse rows); for each non-zero
//	          x[b,i] in order: out[b,:] += x[b,i]·W[i,:]; then the affine map
//	backward: gW[i,:] = 0; for each row b in order with x[b,i] ≠ 0:
//	          gW[i,:] += x[b,i]·δ[b,:]; then gW[i,:] += Shift·gB
//
// but a tile of 32 outputs is accumulated in registers across all the
// non-zeros, and tiles are visited so that the part of W (or δ) they read
// stays in cache. Results are bit-identical to those loops for any worker
// count.

// tileW is the widest column tile; narrower tails use 4 columns, then 1.
const tileW = 32

// tiles calls fn for the column tiles covering [0, n): widths 64 (with
// AVX-512), 32, then 16, then 4, then 1.
func tiles(n int, fn func(j0, w int)) {
	j := 0
	for ; useAVX512 && j+2*tileW <= n; j += 2 * tileW {
		fn(j, 2*tileW)
	}
	for ; j+tileW <= n; j += tileW {
		fn(j, tileW)
	}
	if j+16 <= n {
		fn(j, 16)
		j += 16
	}
	for ; j+4 <= n; j += 4 {
		fn(j, 4)
	}
	for ; j < n; j++ {
		fn(j, 1)
	}
}

// spmmGo is the portable spmm, in float64 or (the float32 path) float32.
func spmmGo[T float32 | float64](out, m []T, stride int, idx []int32, val []T) {
	val = val[:len(idx)]
	for t, i := range idx {
		a := val[t]
		row := m[int(i)*stride : int(i)*stride+len(out)]
		for j, w := range row {
			out[j] += a * w
		}
	}
}

// matmulState is a dense compartment's scratch: per-worker row lists of a
// dense input's non-zeros, and per-worker column lists for Backward.
type matmulState struct {
	rows []nzList
	cols []nzList
	// Sparse lateral kernels: partners padded to groups of 8, and the
	// gradient in that padded layout.
	partP []int32
	gP    []float64
	// W and δ packed tile by tile (packTiles), for wide layers.
	wT, dT []float64
	// Per-worker four-line groups (spmmquad.go).
	quads []quadScratch
}

// packMinOut and packMinNZ say when packTiles pays: a layer of at least
// packMinOut outputs (rows of W and δ then lie 4 kB or more apart, each on
// its own page) whose input has at least packMinNZ non-zeros per row
// (the one-hot label has one: packing would cost more than it saves).
const (
	packMinOut = 512
	packMinNZ  = 8
)

// quads reports whether Forward and Backward take four lines per kernel
// call (spmmQuad): for wide layers only. Below packMinOut outputs W's
// tiles stay in L2 and the groups' merged entries (≈ 1.5× a line's) cost
// more than the loads they save (100 outputs: a step 9 → 12 ms).
func (c *Compartment) quads() bool { return useQuads() && c.Out >= packMinOut }

// packs reports whether Forward and Backward of in read W and δ packed.
// With four-line kernels (spmmQuad) each segment loaded serves four lines,
// and the copies cost more than they save (2000 outputs, Zen 5: forward
// 28.6 → 27.5 ms, gradient 22.3 → 21.4 ms without them), so only the
// one-line kernels read packed slabs.
func (c *Compartment) packs(in *Input) bool {
	if c.Out < packMinOut || c.quads() {
		return false
	}
	if in.IsDense() {
		return true // a dense input counts as full
	}
	return int(in.Ptr[in.Rows]) >= packMinNZ*in.Rows
}

// packTiles copies the row-major n×O matrix src to dst tile by tile, in the
// column tiles of tiles(): tile (j0, w) is the n×w matrix at dst[n·j0:].
// The kernels then walk one contiguous slab per tile instead of n short
// segments on n different pages, which on a 2000-output layer took the F
// compartment's forward from ≈ 140 to ≈ 118 ms and its weight gradient from
// ≈ 187 to ≈ 125 ms per 1024 images (one worker, Zen 2), copies included.
// The values and the order of every sum are unchanged.
func packTiles(dst, src []float64, n, O, workers int) {
	parallelFor(n, workers, func(lo, hi, _ int) {
		tiles(O, func(j0, w int) {
			t := dst[n*j0:]
			for i := lo; i < hi; i++ {
				copy(t[i*w:i*w+w], src[i*O+j0:i*O+j0+w])
			}
		})
	})
}

// nzList is a compressed list of non-zeros: entries ptr[k]..ptr[k+1] of idx
// and val belong to line k.
type nzList struct {
	ptr []int32
	idx []int32
	val []float64
}

func (s *matmulState) scratch(workers int) {
	for len(s.rows) < workers {
		s.rows = append(s.rows, nzList{})
		s.cols = append(s.cols, nzList{})
		s.quads = append(s.quads, quadScratch{})
	}
}

// checkInput panics unless every index of a sparse input addresses one of
// the compartment's inputs (the kernels do not check bounds).
func (c *Compartment) checkInput(in *Input) {
	if in.IsDense() {
		if in.Dim != c.In || len(in.Dense) < in.Rows*in.Dim {
			panic(fmt.Sprintf("model: dense input %d×%d for a compartment of %d inputs", in.Rows, in.Dim, c.In))
		}
		return
	}
	if len(in.Ptr) < in.Rows+1 {
		panic("model: sparse input has too few row pointers")
	}
	n := int(in.Ptr[in.Rows])
	if n > len(in.Idx) || n > len(in.Val) {
		panic("model: sparse input is shorter than its row pointers")
	}
	for _, i := range in.Idx[:n] {
		if i < 0 || int(i) >= c.In {
			panic(fmt.Sprintf("model: sparse input index %d out of range [0, %d)", i, c.In))
		}
	}
}

// denseForward is Forward for a dense compartment: rows are split across
// workers; each worker visits its rows in blocks, each block tile by tile.
func (c *Compartment) denseForward(in *Input, out []float64, workers int) {
	if c.Out < tileW {
		c.narrowForward(in, out, workers)
		return
	}
	if c.F32 {
		c.denseForwardF32(in, out, workers)
		return
	}
	c.checkInput(in)
	O := c.Out
	if !in.IsDense() {
		c.columnSums(in.Shift, workers)
	}
	if workers > in.Rows {
		workers = in.Rows
	}
	c.mm.scratch(max(workers, 1))
	quads := c.quads()
	// W's slab for each column tile, contiguous (see packTiles), or W itself.
	wt, wStride := c.W, O
	packed := c.packs(in)
	if packed {
		c.mm.wT = growF64(c.mm.wT, c.In*O)
		packTiles(c.mm.wT, c.W, c.In, O, workers)
		wt = c.mm.wT
	}
	parallelFor(in.Rows, workers, func(lo, hi, wi int) {
		out := out[:hi*O]
		ptr, idx, val := in.Ptr, in.Idx, in.Val
		if in.IsDense() {
			l := &c.mm.rows[wi]
			rowLists(in, lo, hi, l)
			ptr, idx, val = l.ptr, l.idx, l.val
		}
		// Groups of four rows of each row block, for the tiles of 32 and 64
		// columns (rowgroups.go); perm lists the rows group by group.
		qs := &c.mm.quads[wi]
		q := &qs.q
		q.reset()
		qs.perm = growInt32(qs.perm, hi-lo)
		perm := qs.perm
		if quads {
			qs.g.groupRows(perm, ptr, idx, lo, hi, fwdRowBlock, c.In)
			var gi [4][]int32
			var gv [4][]float64
			for r0 := lo; r0 < hi; r0 += fwdRowBlock {
				for p := r0; p+4 <= min(r0+fwdRowBlock, hi); p += 4 {
					for r, b := range perm[p-lo : p-lo+4] {
						p0, p1 := ptr[b], ptr[b+1]
						gi[r], gv[r] = idx[p0:p1], val[p0:p1]
					}
					q.appendGroup(&gi, &gv)
				}
			}
			q.close()
		} else {
			for b := lo; b < hi; b++ {
				perm[b-lo] = int32(b)
			}
		}
		for r0 := lo; r0 < hi; r0 += fwdRowBlock {
			r1 := min(r0+fwdRowBlock, hi)
			tiles(O, func(j0, w int) {
				m, stride := wt[j0:], wStride
				if packed {
					m, stride = wt[c.In*j0:], w
				}
				colsum, bias := c.colsum[j0:j0+w], c.B[j0:j0+w]
				// start sets a row's sums to their initial values; finish
				// writes them to out, with a sparse input's affine map
				// applied while the tile is in cache.
				start := func(o []float64) {
					if in.IsDense() {
						copy(o, bias)
					} else {
						clear(o)
					}
				}
				finish := func(o, sums []float64) {
					if in.IsDense() {
						copy(o, sums)
						return
					}
					for j := range o {
						o[j] = in.Scale*sums[j] + in.Shift*colsum[j] + bias[j]
					}
				}
				p := r0
				if quads && w%quadTile == 0 {
					sums := qs.tile[:4*w]
					for ; p+4 <= r1; p += 4 {
						for r := range 4 {
							start(sums[r*w : r*w+w])
						}
						t0, t1 := q.group((p - lo) / 4)
						spmmQuad(sums, w, m, stride, q, t0, t1, w)
						for r, b := range perm[p-lo : p-lo+4] {
							finish(out[int(b)*O+j0:int(b)*O+j0+w], sums[r*w:r*w+w])
						}
					}
				}
				for ; p < r1; p++ {
					b := int(perm[p-lo])
					o := out[b*O+j0 : b*O+j0+w]
					start(o)
					p0, p1 := ptr[b], ptr[b+1]
					spmm(o, m, stride, idx[p0:p1], val[p0:p1])
					finish(o, o)
				}
			})
		}
	})
}

// fwdRowBlock is how many rows denseForward takes through all column tiles
// before the next rows: their non-zero lists (≈ 230 kB for MNIST) then stay
// in L2 beside the tile's slab of W instead of being streamed again for
// every tile (measured on a 512 kB-L2 Zen 2: 135 → 120 ms for 1024 images
// into 2000 units, one worker).
const fwdRowBlock = 128

// denseBackward is Backward for a dense compartment. Workers own disjoint
// ranges of inputs, i.e. contiguous blocks of W's rows; each builds the
// column lists of its inputs (rows in order) and visits them tile by tile.
func (c *Compartment) denseBackward(in *Input, delta []float64, workers int) {
	c.checkInput(in)
	O := c.Out
	rows := in.Rows
	if c.Fixed {
		return
	}
	if O < tileW {
		c.narrowBackward(in, delta, workers)
		return
	}
	if c.F32 {
		c.denseBackwardF32(in, delta, workers)
		return
	}
	if workers > c.In {
		workers = c.In
	}
	c.mm.scratch(max(workers, 1))
	quads := c.quads()
	delta = delta[:rows*O]
	packed := c.packs(in)
	if packed {
		c.mm.dT = growF64(c.mm.dT, rows*O)
		packTiles(c.mm.dT, delta, rows, O, workers)
	}
	parallelFor(c.In, workers, func(lo, hi, wi int) {
		l := &c.mm.cols[wi]
		n := hi - lo
		columnLists(in, lo, hi, l)
		gW := c.gW[lo*O : hi*O]
		clear(gW)
		// Groups of four inputs, for the tiles of 32 and 64 columns.
		q := &c.mm.quads[wi].q
		q.reset()
		if quads {
			var gi [4][]int32
			var gv [4][]float64
			for k := 0; k+4 <= n; k += 4 {
				for r := range gi {
					p0, p1 := l.ptr[k+r], l.ptr[k+r+1]
					gi[r], gv[r] = l.idx[p0:p1], l.val[p0:p1]
				}
				q.appendGroup(&gi, &gv)
			}
			q.close()
		}
		tiles(O, func(j0, w int) {
			m, stride := delta[j0:], O
			if packed {
				m, stride = c.mm.dT[rows*j0:], w
			}
			k := 0
			if quads && w%quadTile == 0 {
				for ; k+4 <= n; k += 4 {
					t0, t1 := q.group(k / 4)
					spmmQuad(gW[k*O+j0:], O, m, stride, q, t0, t1, w)
				}
			}
			for ; k < n; k++ {
				p0, p1 := l.ptr[k], l.ptr[k+1]
				spmm(gW[k*O+j0:k*O+j0+w], m, stride, l.idx[p0:p1], l.val[p0:p1])
			}
		})
		if !in.IsDense() && in.Shift != 0 {
			for k := 0; k < n; k++ {
				axpy(in.Shift, c.gB, gW[k*O:k*O+O])
			}
		}
	})
}

// rowLists sets l to the non-zeros of a dense input's rows lo..hi-1, in
// input order (l.ptr indexed by row), for Forward.
func rowLists(in *Input, lo, hi int, l *nzList) {
	l.ptr = growInt32(l.ptr, in.Rows+1)
	l.idx, l.val = l.idx[:0], l.val[:0]
	D := in.Dim
	for b := lo; b < hi; b++ {
		l.ptr[b] = int32(len(l.idx))
		for i, v := range in.Dense[b*D : b*D+D] {
			if v != 0 {
				l.idx = append(l.idx, int32(i))
				l.val = append(l.val, v)
			}
		}
	}
	l.ptr[hi] = int32(len(l.idx))
}

// columnLists sets l to the non-zeros of in's inputs lo..hi-1, input by
// input, rows in order (a sparse input's values scaled), for Backward.
func columnLists(in *Input, lo, hi int, l *nzList) {
	rows := in.Rows
	n := hi - lo
	l.ptr = growInt32(l.ptr, n+1)
	clear(l.ptr)
	// Count, then fill, the non-zeros of inputs lo..hi-1, rows in order.
	if in.IsDense() {
		D := in.Dim
		for b := 0; b < rows; b++ {
			for k, v := range in.Dense[b*D+lo : b*D+hi] {
				if v != 0 {
					l.ptr[k+1]++
				}
			}
		}
	} else {
		for _, i := range in.Idx[:in.Ptr[rows]] {
			if int(i) >= lo && int(i) < hi {
				l.ptr[int(i)-lo+1]++
			}
		}
	}
	for k := 0; k < n; k++ {
		l.ptr[k+1] += l.ptr[k]
	}
	total := int(l.ptr[n])
	l.idx = growInt32(l.idx, total)
	l.val = growF64(l.val, total)
	// ptr[k] serves as the fill cursor of input lo+k, then is restored.
	if in.IsDense() {
		D := in.Dim
		for b := 0; b < rows; b++ {
			for k, v := range in.Dense[b*D+lo : b*D+hi] {
				if v != 0 {
					p := l.ptr[k]
					l.idx[p], l.val[p] = int32(b), v
					l.ptr[k] = p + 1
				}
			}
		}
	} else {
		for b := 0; b < rows; b++ {
			for k := in.Ptr[b]; k < in.Ptr[b+1]; k++ {
				i := int(in.Idx[k])
				if i < lo || i >= hi {
					continue
				}
				p := l.ptr[i-lo]
				l.idx[p], l.val[p] = int32(b), in.Scale*in.Val[k]
				l.ptr[i-lo] = p + 1
			}
		}
	}
	copy(l.ptr[1:n+1], l.ptr[:n])
	l.ptr[0] = 0
}

// narrowForward is Forward for fewer than 32 outputs (the readout): one
// vector update of the whole output row per non-zero input.
func (c *Compartment) narrowForward(in *Input, out []float64, workers int) {
	O := c.Out
	if !in.IsDense() {
		c.columnSums(in.Shift, workers)
	}
	parallelFor(in.Rows, workers, func(lo, hi, _ int) {
		if in.IsDense() && O == 10 {
			D := in.Dim
			narrowRows10(out[lo*O:hi*O], c.B, c.W[:D*O], in.Dense[lo*D:hi*D], D)
			return
		}
		for b := lo; b < hi; b++ {
			o := out[b*O : b*O+O]
			if in.IsDense() {
				x := in.Dense[b*in.Dim : b*in.Dim+in.Dim]
				copy(o, c.B)
				for i, v := range x {
					if v == 0 {
						continue
					}
					axpy(v, c.W[i*O:i*O+O], o)
				}
				continue
			}
			for j := range o {
				o[j] = 0
			}
			for k := in.Ptr[b]; k < in.Ptr[b+1]; k++ {
				i := int(in.Idx[k])
				axpy(in.Val[k], c.W[i*O:i*O+O], o)
			}
			for j := range o {
				o[j] = in.Scale*o[j] + in.Shift*c.colsum[j] + c.B[j]
			}
		}
	})
}

// narrowBackward is the weight gradient for fewer than 32 outputs: workers
// own disjoint ranges of inputs and walk the rows in order.
func (c *Compartment) narrowBackward(in *Input, delta []float64, workers int) {
	O := c.Out
	rows := in.Rows
	parallelFor(c.In, workers, func(lo, hi, _ int) {
		clear(c.gW[lo*O : hi*O])
		if in.IsDense() && O == 10 && hi > lo {
			D := in.Dim
			narrowGrads10(c.gW[lo*O:hi*O], delta[:rows*O], in.Dense[lo:(rows-1)*D+hi], D)
			return
		}
		for b := 0; b < rows; b++ {
			d := delta[b*O : b*O+O]
			if in.IsDense() {
				x := in.Dense[b*in.Dim+lo : b*in.Dim+hi]
				for k, v := range x {
					if v != 0 {
						i := lo + k
						axpy(v, d, c.gW[i*O:i*O+O])
					}
				}
				continue
			}
			for k := in.Ptr[b]; k < in.Ptr[b+1]; k++ {
				i := int(in.Idx[k])
				if i < lo || i >= hi {
					continue
				}
				axpy(in.Scale*in.Val[k], d, c.gW[i*O:i*O+O])
			}
		}
		if !in.IsDense() && in.Shift != 0 {
			for i := lo; i < hi; i++ {
				axpy(in.Shift, c.gB, c.gW[i*O:i*O+O])
			}
		}
	})
}

// columnSums refreshes Σ_i W[i,j], which a sparse affine input needs for its
// shift term (zero when the input has no shift). Workers own ranges of whole
// cache lines of columns, and each column is summed over i in order, so the
// sums do not depend on the worker count.
func (c *Compartment) columnSums(shift float64, workers int) {
	O := c.Out
	clear(c.colsum)
	if shift == 0 {
		return
	}
	if c.In*O < minParallel {
		workers = 1
	}
	parallelFor((O+7)/8, workers, func(lo, hi, _ int) {
		lo, hi = lo*8, min(hi*8, O)
		for i := 0; i < c.In; i++ {
			addTo(c.colsum[lo:hi], c.W[i*O+lo:i*O+hi])
		}
	})
}
