//go:build amd64

package model

//go:noescape
func spmmQuad32AVX512(out *float64, oStride int, m *float64, mStride int, idx *int32, val *float64, msk *uint8, n int)

// useQuads says whether the four-line kernel is present (see
// Compartment.quads for when it is used).
func useQuads() bool { return useAVX512 }

// spmmQuad adds to out's four rows (oStride apart), for w columns (a
// multiple of 32), the products of q's entries t0 ≤ t < t1 with m's rows
// (mStride apart), as spmm does for each row alone. The caller guarantees
// every idx[t]·mStride+w ≤ len(m).
func spmmQuad(out []float64, oStride int, m []float64, mStride int, q *quadList, t0, t1, w int) {
	_ = out[3*oStride+w-1]
	n := t1 - t0
	if !useAVX512 {
		spmmQuadGo(out, oStride, m, mStride, q, t0, t1, w)
		return
	}
	if n == 0 {
		return
	}
	_, _ = q.val[4*t1-1], q.msk[4*t1-1]
	for h := 0; h < w; h += 32 {
		spmmQuad32AVX512(&out[h], oStride, &m[h], mStride, &q.idx[t0], &q.val[4*t0], &q.msk[4*t0], n)
	}
}
