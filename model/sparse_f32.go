package model

import "sync/atomic"

// The sparse (lateral) compartment's products in float32 (Compartment.F32,
// a layer's Float32 option). Weights and biases stay float64 for Adam and
// are rounded to float32 for each pass; the sums are float32, in an order
// chosen for the vector units rather than fixed by the float64 path:
//
//	forward:  out[b,j] = B_j + w_j1·x_b,p1 + … + w_jK·x_b,pK, left to right
//	backward: ∂G/∂w_jk = Σ_b δ[b,j]·x[b,p_k] as eight partial sums (row b
//	          goes to lane b mod 8, rows in order) added as a tree
//
// The same every time and for any worker count, with or without the vector
// kernels (the Go loops below perform the same float32 operations).

// f32State is a float32 compartment's scratch: its weights (packed, for a
// dense one) and biases, δ packed (dense), and per worker the tile of
// outputs or the transposed δ and sums (sparse), or non-zeros and sums.
type f32State struct {
	w, b, d []float32
	work    [][]float32
	rows    []*f32Rows
	bits    []uint32 // a ±1 lateral input's signs (signBits)
	bitsT   []uint32 // the same, partner by partner
	// dRows ≠ 0 says d already holds the next dense Backward's δ of dRows
	// rows, packed by Learn (packRowF32).
	dRows int
	// dlRows ≠ 0 says dlT holds the next sparse Backward's δ of dlRows rows
	// (a multiple of 32), neuron by neuron in float32 at latDeltaStride,
	// transposed by Learn while the chain rule had it in cache.
	dlT    []float32
	dlRows int
	// wReady says w holds W packed (packF32), as the last update left it;
	// whatever else writes W clears it (Compartment.wChanged).
	wReady bool
	// wFinite is whether that update's W was finite, for the next
	// Layer.check only (finiteUnknown once read).
	wFinite finiteness
}

// finiteness is a check's result carried to Layer.check: unknown, or
// known to be all finite or not.
type finiteness uint8

const (
	finiteUnknown finiteness = iota
	finiteYes
	finiteNo
)

// reserve makes room for the scratch of n workers, before they start.
func (s *f32State) reserve(n int) {
	for len(s.work) < n {
		s.work = append(s.work, nil)
	}
	for len(s.rows) < n {
		s.rows = append(s.rows, &f32Rows{})
	}
}

// f32Work returns worker wi's buffer of at least n values (see reserve).
func (s *f32State) f32Work(wi, n int) []float32 {
	s.work[wi] = growF32(s.work[wi], n)
	return s.work[wi]
}

// roundWeights refreshes the float32 copies of W and B.
func (c *Compartment) roundWeights() {
	s := &c.f32
	s.w = growF32(s.w, len(c.W))
	s.b = growF32(s.b, len(c.B))
	narrowF32(s.w, c.W)
	narrowF32(s.b, c.B)
}

// f32Input returns in's float32 transposed copy if it covers every row.
func f32Input(in *Input) []float32 {
	if len(in.T32) >= TLen(in.Rows, in.Dim) {
		return in.T32[:TLen(in.Rows, in.Dim)]
	}
	return nil
}

// sparseForwardF32 is sparseForward in float32: workers own 32-row blocks.
func (c *Compartment) sparseForwardF32(in *Input, out []float64, workers int) {
	K, O, R, D := c.K, c.Out, in.Rows, in.Dim
	c.roundWeights()
	w, bias := c.f32.w, c.f32.b
	xT := f32Input(in)
	blocks := (R + latRows - 1) / latRows
	c.f32.reserve(max(workers, 1))
	// ±1 inputs as sign bits: a block's 4 bytes an input stay in L1.
	var bits []uint32
	if xT != nil {
		c.f32.bits = growUint32(c.f32.bits, blocks*D)
		if signBits(c.f32.bits, xT, D, blocks, workers) {
			bits = c.f32.bits
		}
	}
	parallelFor(blocks, workers, func(lo, hi, wi int) {
		tmp := c.f32.f32Work(wi, latChunk*latRows)
		for blk := lo; blk < hi; blk++ {
			b0 := blk * latRows
			nr := min(latRows, R-b0)
			for j0 := 0; j0 < O; j0 += latChunk {
				nj := min(latChunk, O-j0)
				if bits != nil {
					latFwdBits(tmp, bits[blk*D:(blk+1)*D], c.Partners[j0*K:], w[j0*K:], bias[j0:], nj, K)
				} else if xT != nil {
					latFwdF32(tmp, xT[b0*D:], c.Partners[j0*K:], w[j0*K:], bias[j0:], nj, K)
				} else {
					latFwdF32Dense(tmp, in.Dense[b0*D:], D, nr, c.Partners[j0*K:], w[j0*K:], bias[j0:], nj, K)
				}
				unpackRows(out[b0*O+j0:], O, tmp, nj, nr)
			}
		}
	})
}

// latFwdF32Go sets tmp[jj·32+r] for the nj neurons from j0 (partners part,
// weights w, biases bias, K each) and the 32 rows of the block at xT.
func latFwdF32Go(tmp, xT []float32, part []int32, w, bias []float32, nj, K int) {
	for jj := 0; jj < nj; jj++ {
		o := tmp[jj*latRows : jj*latRows+latRows]
		for r := range o {
			o[r] = bias[jj]
		}
		for t, p := range part[jj*K : jj*K+K] {
			wt := w[jj*K+t]
			x := xT[int(p)*latRows : int(p)*latRows+latRows]
			for r := range o {
				o[r] += wt * x[r]
			}
		}
	}
}

// latFwdBitsGo is latFwdF32Go for ±1 inputs given as bits (input p's 32
// rows in bits[p], see signBits): w·(±1) is ±w.
func latFwdBitsGo(tmp []float32, bits []uint32, part []int32, w, bias []float32, nj, K int) {
	for jj := 0; jj < nj; jj++ {
		o := tmp[jj*latRows : jj*latRows+latRows]
		for r := range o {
			o[r] = bias[jj]
		}
		for t, p := range part[jj*K : jj*K+K] {
			wt, x := w[jj*K+t], bits[p]
			for r := range o {
				if x>>r&1 != 0 {
					o[r] += wt
				} else {
					o[r] += -wt
				}
			}
		}
	}
}

// latFwdF32Dense is latFwdF32Go reading nr rows of the row-major input x
// (rows D apart) instead of a transposed block.
func latFwdF32Dense(tmp []float32, x []float64, D, nr int, part []int32, w, bias []float32, nj, K int) {
	for jj := 0; jj < nj; jj++ {
		o := tmp[jj*latRows : jj*latRows+nr]
		for r := range o {
			o[r] = bias[jj]
		}
		for t, p := range part[jj*K : jj*K+K] {
			wt := w[jj*K+t]
			for r := range o {
				o[r] += wt * float32(x[r*D+int(p)])
			}
		}
	}
}

// sparseBackwardF32 is sparseBackward in float32: workers own neuron
// ranges; each transposes its neurons' δ to float32 rows (zero-padded to
// whole 32-row blocks) and takes its dot products with the partners' inputs.
func (c *Compartment) sparseBackwardF32(in *Input, delta []float64, workers int) {
	K, O, R, D := c.K, c.Out, in.Rows, in.Dim
	xT := f32Input(in)
	blocks := (R + latRows - 1) / latRows
	stride := latDeltaStride(R)
	// Learn may have transposed δ already (learnNeurons, dlRows).
	ready := c.f32.dlRows == R && len(c.f32.dlT) >= O*stride
	Kq := (K + 3) &^ 3
	if xT != nil && len(c.mm.partP) != O*Kq {
		// Partners padded to whole groups of four (the padding's sums are dropped).
		c.mm.partP = make([]int32, O*Kq)
		for j := 0; j < O; j++ {
			copy(c.mm.partP[j*Kq:], c.Partners[j*K:j*K+K])
		}
	}
	c.f32.reserve(max(workers, 1))
	// ±1 inputs as sign bits, partner by partner: a partner's words are
	// 128 contiguous bytes instead of one word in each of 32 blocks 8 kB apart.
	var bitsT []uint32
	if xT != nil {
		c.f32.bits = growUint32(c.f32.bits, blocks*D)
		if signBits(c.f32.bits, xT, D, blocks, workers) {
			c.f32.bitsT = growUint32(c.f32.bitsT, blocks*D)
			bitsT = c.f32.bitsT
			transposeU32(bitsT, blocks, c.f32.bits, D, blocks, D)
		}
	}
	parallelFor(O, workers, func(lo, hi, wi int) {
		var dT, sums []float32
		if ready {
			dT, sums = c.f32.dlT[lo*stride:hi*stride], c.f32.f32Work(wi, Kq)
		} else {
			buf := c.f32.f32Work(wi, (hi-lo)*stride+Kq)
			dT, sums = buf[:(hi-lo)*stride], buf[(hi-lo)*stride:]
			for j := lo; j < hi; j++ {
				clear(dT[(j-lo)*stride+R : (j-lo+1)*stride])
			}
			const tile = 64
			for j0 := lo; j0 < hi; j0 += tile {
				packCols(dT[(j0-lo)*stride:], stride, delta[j0:], O, R, min(tile, hi-j0))
			}
		}
		for j := lo; j < hi; j++ {
			d := dT[(j-lo)*stride : (j-lo)*stride+blocks*latRows]
			g := c.gW[j*K : j*K+K]
			if xT != nil {
				if bitsT != nil {
					latBwdBits(sums, d, bitsT, c.mm.partP[j*Kq:j*Kq+Kq], blocks)
				} else {
					latBwdF32(sums, d, xT, D, c.mm.partP[j*Kq:j*Kq+Kq], blocks)
				}
				widenF32(g, sums[:len(g)])
				continue
			}
			for k, p := range c.Partners[j*K : j*K+K] {
				var acc [8]float32
				for b := 0; b < R; b++ {
					acc[b%8] += d[b] * float32(in.Dense[b*D+int(p)])
				}
				g[k] = float64(hsum8(&acc))
			}
		}
	})
}

// latDeltaStride is the neuron stride of the lateral gradient's transposed
// δ for R rows: whole 32-row blocks, plus a pad so that neurons do not lie
// a multiple of 4 kB apart (they would share L1 sets while transposing).
func latDeltaStride(R int) int { return (R+latRows-1)/latRows*latRows + 16 }

// latBwdF32Go sets sums[t], for the partners part (a multiple of four), to
// Σ_b d[b]·x[b, part[t]] over the blocks of 32 rows of xT (D inputs each),
// as eight lane sums (row b in lane b mod 8) added by hsum8.
func latBwdF32Go(sums, d, xT []float32, D int, part []int32, blocks int) {
	for t, p := range part {
		var acc [8]float32
		for blk := 0; blk < blocks; blk++ {
			x := xT[blk*latRows*D+int(p)*latRows:]
			for r := 0; r < latRows; r++ {
				acc[r%8] += d[blk*latRows+r] * x[r]
			}
		}
		sums[t] = hsum8(&acc)
	}
}

// signBits sets bits[blk·D+p] to the signs of input p's 32 rows of block
// blk of xT (bit r set: +1) and reports whether every value is ±1; the
// weight gradient then reads 1 bit per value instead of 32.
func signBits(bits []uint32, xT []float32, D, blocks, workers int) bool {
	var other atomic.Bool
	parallelFor(blocks*D, workers, func(lo, hi, _ int) {
		if !signWords(bits[lo:hi], xT[lo*latRows:hi*latRows]) {
			other.Store(true)
		}
	})
	return !other.Load()
}

// signWordsGo sets bits[w] to the signs of xT[32w:32w+32] (bit r set:
// +1) and reports whether every value is ±1.
func signWordsGo(bits []uint32, xT []float32) bool {
	ok := true
	for n := range bits {
		var w uint32
		for r, v := range xT[n*latRows : n*latRows+latRows] {
			switch v {
			case 1:
				w |= 1 << r
			case -1:
			default:
				ok = false
			}
		}
		bits[n] = w
	}
	return ok
}

// latBwdBitsGo is latBwdF32Go for ±1 inputs given as bits, partner by
// partner (input p's word of block blk at bitsT[p·blocks+blk]): d·(±1) is ±d.
func latBwdBitsGo(sums, d []float32, bitsT []uint32, part []int32, blocks int) {
	for t, p := range part {
		var acc [8]float32
		for blk := 0; blk < blocks; blk++ {
			w := bitsT[int(p)*blocks+blk]
			for r := 0; r < latRows; r++ {
				v := d[blk*latRows+r]
				if w>>r&1 == 0 {
					v = -v
				}
				acc[r%8] += v
			}
		}
		sums[t] = hsum8(&acc)
	}
}

// hsum8 adds eight lane sums as the kernel does: the upper four onto the
// lower four, then the upper two of those onto the lower two, then the two.
func hsum8(a *[8]float32) float32 {
	s0, s1, s2, s3 := a[0]+a[4], a[1]+a[5], a[2]+a[6], a[3]+a[7]
	return (s0 + s2) + (s1 + s3)
}
