package model

// A wide dense compartment's products in float32 (Compartment.F32): W and δ
// are rounded to float32 into contiguous slabs of 48 columns (see
// packTiles), and each output or gradient element is a float32 sum of
// float32 products, in the float64 path's order (a product, then a sum):
//
//	forward:  out[b,:] = B (dense input) or 0; for each non-zero x[b,i] in
//	          order: out[b,:] += x[b,i]·W[i,:]; then, in float64, a sparse
//	          input's affine map Scale·out + Shift·Σ_i W[i,:] + B
//	backward: gW[i,:] = Σ_b x[b,i]·δ[b,:] over rows in order; then, in
//	          float64, a sparse input's Shift·gB
//
// The vector kernels perform the Go loop's operations, so results do not
// depend on them nor on the worker count. The gradient's full-width tiles
// take two inputs per kernel call (spmm_pair.go).

// f32Tile is the column width of the float32 slabs and kernels: two lines
// of 48 columns fill 12 of the 16 AVX2 registers (spmm2F32).
const f32Tile = 48

// tilesF32 calls fn for column tiles of n columns: f32Tile wide, then 8,
// then 1 (the kernels take 48 and 8).
func tilesF32(n int, fn func(j0, w int)) {
	j := 0
	for ; j+f32Tile <= n; j += f32Tile {
		fn(j, f32Tile)
	}
	for ; j+8 <= n; j += 8 {
		fn(j, 8)
	}
	for ; j < n; j++ {
		fn(j, 1)
	}
}

// packF32 rounds the row-major n×O matrix src to float32 into dst tile by
// tile (tilesF32): tile (j0, w) is the n×w matrix at dst[n·j0:].
func packF32(dst []float32, src []float64, n, O, workers int) {
	parallelFor(n, workers, func(lo, hi, _ int) {
		tilesF32(O, func(j0, w int) {
			t := dst[n*j0:]
			for i := lo; i < hi; i++ {
				narrowF32(t[i*w:i*w+w], src[i*O+j0:i*O+j0+w])
			}
		})
	})
}

// packRowF32 narrows src, row b's values of columns j0… of a rows×O
// matrix, into their places in packF32's tile layout: Learn packs F's δ
// row by row while the chain rule has it in cache, instead of Backward
// streaming the whole float64 array once more.
func packRowF32(dst []float32, src []float64, rows, O, b, j0 int) {
	full := O / f32Tile * f32Tile // columns in full-width tiles
	eights := full + (O-full)&^7  // then in 8-wide ones, then single
	end := j0 + len(src)
	for j := j0; j < end; {
		jt, w := j, 1
		switch {
		case j < full:
			jt, w = j/f32Tile*f32Tile, f32Tile
		case j < eights:
			jt, w = full+(j-full)&^7, 8
		}
		n := min(jt+w, end) - j
		narrowF32(dst[rows*jt+b*w+j-jt:][:n], src[j-j0:j-j0+n])
		j += n
	}
}

// affineF32Go sets o[j] = Scale·sums[j] + Shift·colsum[j] + bias[j].
func affineF32Go(o []float64, sums []float32, colsum, bias []float64, scale, shift float64) {
	o = o[:len(sums)]
	for j, v := range sums {
		o[j] = scale*float64(v) + shift*colsum[j] + bias[j]
	}
}

// toF32 returns v rounded to float32 in buf's storage.
func toF32(buf []float32, v []float64) []float32 {
	buf = growF32(buf, len(v))
	narrowF32(buf, v)
	return buf
}

// f32Rows is a worker's scratch for the float32 products: non-zero values
// in float32, the merged line pairs, and one tile of sums for two lines.
type f32Rows struct {
	val   []float32
	pairs pairLists
	sums  [2 * f32Tile]float32
}

// f32Scratch returns worker wi's scratch (see f32State.reserve).
func (c *Compartment) f32Scratch(wi int) *f32Rows { return c.f32.rows[wi] }

// denseForwardF32 is denseForward in float32: rows split across workers,
// visited in blocks, each block tile by tile.
func (c *Compartment) denseForwardF32(in *Input, out []float64, workers int) {
	c.checkInput(in)
	O := c.Out
	if !in.IsDense() {
		c.columnSums(in.Shift, workers)
	}
	workers = max(min(workers, in.Rows), 1)
	c.mm.scratch(workers)
	c.f32.reserve(workers)
	if !c.f32.wReady || len(c.f32.w) != c.In*O {
		c.f32.w = growF32(c.f32.w, c.In*O)
		packF32(c.f32.w, c.W, c.In, O, workers)
	}
	c.f32.b = toF32(c.f32.b, c.B)
	parallelFor(in.Rows, workers, func(lo, hi, wi int) {
		sc := c.f32Scratch(wi)
		ptr, idx := in.Ptr, in.Idx
		if in.IsDense() {
			l := &c.mm.rows[wi]
			rowLists(in, lo, hi, l)
			ptr, idx = l.ptr, l.idx
			sc.val = toF32(sc.val, l.val)
		} else {
			p0, p1 := ptr[lo], ptr[hi]
			sc.val = growF32(sc.val, int(ptr[in.Rows]))
			narrowF32(sc.val[p0:p1], in.Val[p0:p1])
		}
		for r0 := lo; r0 < hi; r0 += fwdRowBlock {
			r1 := min(r0+fwdRowBlock, hi)
			tilesF32(O, func(j0, w int) {
				m := c.f32.w[c.In*j0:]
				sums := sc.sums[:w]
				for b := r0; b < r1; b++ {
					if in.IsDense() {
						copy(sums, c.f32.b[j0:j0+w])
					} else {
						clear(sums)
					}
					p0, p1 := ptr[b], ptr[b+1]
					spmmF32(sums, m, w, idx[p0:p1], sc.val[p0:p1])
					o := out[b*O+j0 : b*O+j0+w]
					if in.IsDense() {
						widenF32(o, sums)
						continue
					}
					affineF32(o, sums, c.colsum[j0:j0+w], c.B[j0:j0+w], in.Scale, in.Shift)
				}
			})
		}
	})
}

// denseBackwardF32 is denseBackward in float32: workers own disjoint ranges
// of inputs (rows of W), each input's gradient summed over its rows in order.
func (c *Compartment) denseBackwardF32(in *Input, delta []float64, workers int) {
	c.checkInput(in)
	O, rows := c.Out, in.Rows
	if c.Fixed {
		return
	}
	workers = max(min(workers, c.In), 1)
	c.mm.scratch(workers)
	c.f32.reserve(workers)
	c.f32.d = growF32(c.f32.d, rows*O)
	if c.f32.dRows != rows { // else Learn packed it (Backward clears dRows)
		packF32(c.f32.d, delta[:rows*O], rows, O, workers)
	}
	parallelFor(c.In, workers, func(lo, hi, wi int) {
		l := &c.mm.cols[wi]
		columnLists(in, lo, hi, l)
		sc := c.f32Scratch(wi)
		sc.val = toF32(sc.val, l.val[:l.ptr[hi-lo]])
		gW := c.gW[lo*O : hi*O]
		n := hi - lo
		line := func(k int) ([]int32, []float32) {
			p0, p1 := l.ptr[k], l.ptr[k+1]
			return l.idx[p0:p1], sc.val[p0:p1]
		}
		sc.pairs.reset()
		for k := 0; k+1 < n; k += 2 {
			ia, va := line(k)
			ib, vb := line(k + 1)
			sc.pairs.add(ia, va, ib, vb)
		}
		tilesF32(O, func(j0, w int) {
			m := c.f32.d[rows*j0:]
			k := 0
			if w == f32Tile {
				for ; k+1 < n; k += 2 {
					s0, s1 := sc.sums[:w], sc.sums[w:2*w]
					clear(sc.sums[:2*w])
					pi, pv := sc.pairs.pair(k / 2)
					if !spmm2F32(sc.sums[:2*w], m, w, pi, pv) {
						linesF32(s0, s1, m, w, line, k)
					}
					widenF32(gW[k*O+j0:k*O+j0+w], s0)
					widenF32(gW[(k+1)*O+j0:(k+1)*O+j0+w], s1)
				}
			}
			for ; k < n; k++ {
				sums := sc.sums[:w]
				clear(sums)
				ia, va := line(k)
				spmmF32(sums, m, w, ia, va)
				widenF32(gW[k*O+j0:k*O+j0+w], sums)
			}
		})
		if !in.IsDense() && in.Shift != 0 {
			for k := 0; k < hi-lo; k++ {
				axpy(in.Shift, c.gB, gW[k*O:k*O+O])
			}
		}
	})
}

// linesF32 recomputes a pair whose merged sums were not finite (the slab
// holds an Inf or NaN, which an absent entry's 0 turns into NaN): lines k
// and k+1 alone, from zero, into s0 and s1.
func linesF32(s0, s1, m []float32, w int, line func(int) ([]int32, []float32), k int) {
	for i, s := range [2][]float32{s0, s1} {
		clear(s)
		idx, val := line(k + i)
		spmmF32(s, m, w, idx, val)
	}
}
