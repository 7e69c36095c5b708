//go:build !amd64

package model

func useQuads() bool { return false }

func spmmQuad(out []float64, oStride int, m []float64, mStride int, q *quadList, t0, t1, w int) {
	spmmQuadGo(out, oStride, m, mStride, q, t0, t1, w)
}
