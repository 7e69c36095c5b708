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
func latBwdBitsAVX2(sums, d *float32, bits *uint32, blockBytes int, part *int32, kq, blocks int, masks *[32]uint32)

// bitMasks[i] = 1 << i: the lanes' bits of latBwdBitsAVX2.
var bitMasks = func() (m [32]uint32) {
	for i := range m {
		m[i] = 1 << i
	}
	return m
}()

// latBwdBits is latBwdF32 for ±1 inputs given as bits (see signBits).
func latBwdBits(sums, d []float32, bits []uint32, D int, part []int32, blocks int) {
	if !useAVX2 || len(part) == 0 || blocks == 0 {
		latBwdBitsGo(sums, d, bits, D, part, blocks)
		return
	}
	_, _ = sums[len(part)-1], d[blocks*latRows-1]
	latBwdBitsAVX2(&sums[0], &d[0], &bits[0], D*4, &part[0], len(part)/4, blocks, &bitMasks)
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
func spmmF32x64AVX2(out, m *float32, stride int, idx *int32, val *float32, n int)

//go:noescape
func spmmF32x8AVX2(out, m *float32, stride int, idx *int32, val *float32, n int)

// spmmF32 is spmmF32Go, with the AVX2 kernels for 64 and 8 columns. The
// caller guarantees idx[t]·stride+len(out) ≤ len(m) and len(val) ≥ len(idx).
func spmmF32(out, m []float32, stride int, idx []int32, val []float32) {
	n := len(idx)
	if !useAVX2 || n == 0 || len(out) != 64 && len(out) != 8 {
		spmmF32Go(out, m, stride, idx, val)
		return
	}
	_ = val[n-1]
	if len(out) == 64 {
		spmmF32x64AVX2(&out[0], &m[0], stride, &idx[0], &val[0], n)
		return
	}
	spmmF32x8AVX2(&out[0], &m[0], stride, &idx[0], &val[0], n)
}
