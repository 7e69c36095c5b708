//go:build amd64

package model

//go:noescape
func latFwdF32AVX2(tmp, xT *float32, part *int32, w, bias *float32, nj, k int)

//go:noescape
func latBwdF32AVX2(sums, d, xT *float32, blockBytes int, part *int32, kq, blocks int)

// latFwdF32 is latFwdF32Go, with the AVX2 kernel where present.
func latFwdF32(tmp, xT []float32, part []int32, w, bias []float32, nj, K int) {
	if !useAVX2 || nj == 0 || K == 0 {
		latFwdF32Go(tmp, xT, part, w, bias, nj, K)
		return
	}
	_, _, _, _ = tmp[nj*latRows-1], part[nj*K-1], w[nj*K-1], bias[nj-1]
	latFwdF32AVX2(&tmp[0], &xT[0], &part[0], &w[0], &bias[0], nj, K)
}

// latBwdF32 is latBwdF32Go, with the AVX2 kernel where present (part holds
// a multiple of four partners).
func latBwdF32(sums, d, xT []float32, D int, part []int32, blocks int) {
	if !useAVX2 || len(part) == 0 || blocks == 0 {
		latBwdF32Go(sums, d, xT, D, part, blocks)
		return
	}
	_, _ = sums[len(part)-1], d[blocks*latRows-1]
	latBwdF32AVX2(&sums[0], &d[0], &xT[0], latRows*D*4, &part[0], len(part)/4, blocks)
}

//go:noescape
func latBwdBitsAVX2(sums, d *float32, bitsT *uint32, blocks int, part *int32, kq int, shifts *[32]uint32)

//go:noescape
func latBwdBitsAVX512(sums, d *float32, bitsT *uint32, blocks int, part *int32, kq int, shifts *[32]uint32)

// latBwdBits is latBwdBitsGo, with the AVX-512 or AVX2 kernel where present
// (part holds a multiple of four partners).
func latBwdBits(sums, d []float32, bitsT []uint32, part []int32, blocks int) {
	if !useAVX2 || len(part) == 0 || blocks == 0 {
		latBwdBitsGo(sums, d, bitsT, part, blocks)
		return
	}
	_, _ = sums[len(part)-1], d[blocks*latRows-1]
	if useAVX512 {
		latBwdBitsAVX512(&sums[0], &d[0], &bitsT[0], blocks, &part[0], len(part)/4, &bitShifts)
		return
	}
	latBwdBitsAVX2(&sums[0], &d[0], &bitsT[0], blocks, &part[0], len(part)/4, &bitShifts)
}

//go:noescape
func transposeU32AVX2(dst *uint32, dStride int, src *uint32, sStride, n, m int)

// transposeU32 is transposeI32 for the sign bits.
func transposeU32(dst []uint32, dStride int, src []uint32, sStride, n, m int) {
	transposeBlocks(dst, dStride, src, sStride, n, m, 8, transposeU32AVX2)
}

//go:noescape
func latFwdBitsAVX2(tmp *float32, bits *uint32, part *int32, w, bias *float32, nj, k int, shifts *[32]uint32)

// bitShifts[r] = 31 − r moves row r's bit to the sign (the bits kernels).
var bitShifts = func() (s [32]uint32) {
	for r := range s {
		s[r] = uint32(31 - r)
	}
	return s
}()

//go:noescape
func latFwdBitsAVX512(tmp *float32, bits *uint32, part *int32, w, bias *float32, nj, k int)

// latFwdBits is latFwdBitsGo, with the AVX-512 or AVX2 kernel where present.
func latFwdBits(tmp []float32, bits []uint32, part []int32, w, bias []float32, nj, K int) {
	if !useAVX2 || nj == 0 || K == 0 {
		latFwdBitsGo(tmp, bits, part, w, bias, nj, K)
		return
	}
	_, _, _, _ = tmp[nj*latRows-1], part[nj*K-1], w[nj*K-1], bias[nj-1]
	if useAVX512 {
		latFwdBitsAVX512(&tmp[0], &bits[0], &part[0], &w[0], &bias[0], nj, K)
		return
	}
	latFwdBitsAVX2(&tmp[0], &bits[0], &part[0], &w[0], &bias[0], nj, K, &bitShifts)
}

//go:noescape
func signBitsAVX2(bits *uint32, xT *float32, n int) bool

// signWords is signWordsGo with the AVX2 kernel where present.
func signWords(bits []uint32, xT []float32) bool {
	if !useAVX2 || len(bits) == 0 {
		return signWordsGo(bits, xT)
	}
	_ = xT[len(bits)*latRows-1]
	return signBitsAVX2(&bits[0], &xT[0], len(bits))
}

//go:noescape
func spmmF32x48AVX2(out, m *float32, stride int, idx *int32, val *float32, n int)

//go:noescape
func spmm2F32x48AVX2(out, m *float32, stride int, idx *int32, val *float32, n int) bool

//go:noescape
func spmmF32x48AVX512(out, m *float32, stride int, idx *int32, val *float32, n int)

//go:noescape
func spmm2F32x48AVX512(out, m *float32, stride int, idx *int32, val *float32, n int) bool

//go:noescape
func spmmF32x8AVX2(out, m *float32, stride int, idx *int32, val *float32, n int)

// spmmF32 is spmmGo in float32, with the AVX-512 or AVX2 kernel for 48
// columns and the AVX2 kernel for 8. The caller guarantees
// idx[t]·stride+len(out) ≤ len(m) and len(val) ≥ len(idx).
func spmmF32(out, m []float32, stride int, idx []int32, val []float32) {
	n := len(idx)
	if !useAVX2 || n == 0 || len(out) != f32Tile && len(out) != 8 {
		spmmGo(out, m, stride, idx, val)
		return
	}
	_ = val[n-1]
	if len(out) == f32Tile && useAVX512 {
		spmmF32x48AVX512(&out[0], &m[0], stride, &idx[0], &val[0], n)
		return
	}
	if len(out) == f32Tile {
		spmmF32x48AVX2(&out[0], &m[0], stride, &idx[0], &val[0], n)
		return
	}
	spmmF32x8AVX2(&out[0], &m[0], stride, &idx[0], &val[0], n)
}

// spmm2F32 is spmm2Go with the AVX-512 or AVX2 kernel (len(out) = 2·f32Tile).
func spmm2F32(out, m []float32, stride int, idx []int32, val []float32) bool {
	n := len(idx)
	if !useAVX2 || n == 0 || len(out) != 2*f32Tile {
		return spmm2Go(out, m, stride, idx, val)
	}
	_ = val[2*n-1]
	if useAVX512 {
		return spmm2F32x48AVX512(&out[0], &m[0], stride, &idx[0], &val[0], n)
	}
	return spmm2F32x48AVX2(&out[0], &m[0], stride, &idx[0], &val[0], n)
}

//go:noescape
func unpackRowsF32AVX2(out *float64, oStride int, tmp *float32, nj, nr int)

//go:noescape
func packColsF32AVX2(dT *float32, dStride int, delta *float64, stride, nb, nj int)

//go:noescape
func affineF32AVX2(o *float64, sums *float32, colsum, bias *float64, n int, k *[2]float64)

// unpackRows sets out[r·oStride+jj] = tmp[jj·32+r] for jj < nj, r < nr (a
// transposeTile), with the AVX2 kernel on whole 4×4 blocks.
func unpackRows(out []float64, oStride int, tmp []float32, nj, nr int) {
	j4, r4 := nj&^3, nr&^3
	if useAVX2 && j4 > 0 && r4 > 0 {
		_, _ = out[(r4-1)*oStride+j4-1], tmp[(j4-1)*latRows+r4-1]
		unpackRowsF32AVX2(&out[0], oStride, &tmp[0], j4, r4)
		if r4 < nr {
			transposeTile(out[r4*oStride:], oStride, tmp[r4:], latRows, j4, nr-r4)
		}
		if j4 < nj {
			transposeTile(out[j4:], oStride, tmp[j4*latRows:], latRows, nj-j4, nr)
		}
		return
	}
	transposeTile(out, oStride, tmp, latRows, nj, nr)
}

// packCols sets dT[jj·dStride+b] = delta[b·stride+jj] for b < nb, jj < nj
// (a transposeTile), with the AVX2 kernel on whole 4×4 blocks.
func packCols(dT []float32, dStride int, delta []float64, stride, nb, nj int) {
	b4, j4 := nb&^3, nj&^3
	if useAVX2 && b4 > 0 && j4 > 0 {
		_, _ = dT[(j4-1)*dStride+b4-1], delta[(b4-1)*stride+j4-1]
		packColsF32AVX2(&dT[0], dStride, &delta[0], stride, b4, j4)
		if b4 < nb {
			transposeTile(dT[b4:], dStride, delta[b4*stride:], stride, nb-b4, j4)
		}
		if j4 < nj {
			transposeTile(dT[j4*dStride:], dStride, delta[j4:], stride, nb, nj-j4)
		}
		return
	}
	transposeTile(dT, dStride, delta, stride, nb, nj)
}

// affineF32 is affineF32Go, with the AVX2 kernel on a multiple of 4.
func affineF32(o []float64, sums []float32, colsum, bias []float64, scale, shift float64) {
	n := 0
	if useAVX2 {
		if n = len(sums) &^ 3; n > 0 {
			_, _, _ = o[n-1], colsum[n-1], bias[n-1]
			k := [2]float64{scale, shift}
			affineF32AVX2(&o[0], &sums[0], &colsum[0], &bias[0], n, &k)
		}
	}
	affineF32Go(o[n:], sums[n:], colsum[n:], bias[n:], scale, shift)
}

//go:noescape
func narrowF32AVX2(dst *float32, src *float64, n int)

//go:noescape
func widenF32AVX2(dst *float64, src *float32, n int)

// narrowF32 sets dst[i] = float32(src[i]) for i < len(src).
func narrowF32(dst []float32, src []float64) { convertF(dst, src, narrowF32AVX2) }

// widenF32 sets dst[i] = float64(src[i]) for i < len(src).
func widenF32(dst []float64, src []float32) { convertF(dst, src, widenF32AVX2) }

// convertF sets dst[i] = D(src[i]), with kernel on a leading multiple of 8.
func convertF[D, S float32 | float64](dst []D, src []S, kernel func(dst *D, src *S, n int)) {
	dst = dst[:len(src)]
	n := 0
	if useAVX2 {
		if n = len(src) &^ 7; n > 0 {
			kernel(&dst[0], &src[0], n)
		}
	}
	for i := n; i < len(src); i++ {
		dst[i] = D(src[i])
	}
}

//go:noescape
func transposeF64AVX2(dst *float64, dStride int, src *float64, sStride, n, m int)

// transposeF64 sets dst[r·dStride+i] = src[i·sStride+r] for i < n, r < m,
// whole 4×4 blocks with the AVX2 kernel.
func transposeF64(dst []float64, dStride int, src []float64, sStride, n, m int) {
	transposeBlocks(dst, dStride, src, sStride, n, m, 4, transposeF64AVX2)
}

//go:noescape
func transposeI32AVX2(dst *int32, dStride int, src *int32, sStride, n, m int)

// transposeI32 is transposeF64 for int32 (fire's PID cells), whole 8×8
// blocks with the AVX2 kernel.
func transposeI32(dst []int32, dStride int, src []int32, sStride, n, m int) {
	transposeBlocks(dst, dStride, src, sStride, n, m, 8, transposeI32AVX2)
}

// transposeBlocks is transposeTile with kernel on the whole blocks×blocks
// squares (blocks a power of 2) and the Go loop on the edges.
func transposeBlocks[T float64 | int32 | uint32](dst []T, dStride int, src []T, sStride, n, m, blocks int,
	kernel func(dst *T, dStride int, src *T, sStride, n, m int)) {
	nb, mb := n&^(blocks-1), m&^(blocks-1)
	if useAVX2 && nb > 0 && mb > 0 {
		_, _ = dst[(mb-1)*dStride+nb-1], src[(nb-1)*sStride+mb-1]
		kernel(&dst[0], dStride, &src[0], sStride, nb, mb)
		if mb < m {
			transposeTile(dst[mb*dStride:], dStride, src[mb:], sStride, nb, m-mb)
		}
		if nb < n {
			transposeTile(dst[nb:], dStride, src[nb*sStride:], sStride, n-nb, m)
		}
		return
	}
	transposeTile(dst, dStride, src, sStride, n, m)
}
