//go:build !amd64

package model

func latFwdF32(tmp, xT []float32, part []int32, w, bias []float32, nj, K int) {
	latFwdF32Go(tmp, xT, part, w, bias, nj, K)
}

func latBwdF32(sums, d, xT []float32, D int, part []int32, blocks int) {
	latBwdF32Go(sums, d, xT, D, part, blocks)
}

func spmmF32(out, m []float32, stride int, idx []int32, val []float32) {
	spmmGo(out, m, stride, idx, val)
}

func spmm2F32(out, m []float32, stride int, idx []int32, val []float32) bool {
	return spmm2Go(out, m, stride, idx, val)
}

func latBwdBits(sums, d []float32, bitsT []uint32, part []int32, blocks int) {
	latBwdBitsGo(sums, d, bitsT, part, blocks)
}

func transposeU32(dst []uint32, dStride int, src []uint32, sStride, n, m int) {
	transposeTile(dst, dStride, src, sStride, n, m)
}

func signWords(bits []uint32, xT []float32) bool { return signWordsGo(bits, xT) }

func unpackRows(out []float64, oStride int, tmp []float32, nj, nr int) {
	transposeTile(out, oStride, tmp, latRows, nj, nr)
}

func packCols(dT []float32, dStride int, delta []float64, stride, nb, nj int) {
	transposeTile(dT, dStride, delta, stride, nb, nj)
}

func affineF32(o []float64, sums []float32, colsum, bias []float64, scale, shift float64) {
	affineF32Go(o, sums, colsum, bias, scale, shift)
}

// narrowF32 sets dst[i] = float32(src[i]) for i < len(src).
func narrowF32(dst []float32, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float32(v)
	}
}

// widenF32 sets dst[i] = float64(src[i]) for i < len(src).
func widenF32(dst []float64, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float64(v)
	}
}

func transposeF64(dst []float64, dStride int, src []float64, sStride, n, m int) {
	transposeTile(dst, dStride, src, sStride, n, m)
}

func transposeI32(dst []int32, dStride int, src []int32, sStride, n, m int) {
	transposeTile(dst, dStride, src, sStride, n, m)
}

func latFwdBits(tmp []float32, bits []uint32, part []int32, w, bias []float32, nj, K int) {
	latFwdBitsGo(tmp, bits, part, w, bias, nj, K)
}
