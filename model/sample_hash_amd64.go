//go:build amd64

package model

//go:noescape
func sampleHashAVX2(out, th *float64, keys *uint32, n int, w uint32, vals *[2]float64)

// sampleHash is sampleHashGo, in the kernel for a leading multiple of 8.
func sampleHash(out, th []float64, keys []uint32, w uint32, vals *[2]float64) {
	n := 0
	if useAVX2 {
		n = len(th) &^ 7
	}
	if n > 0 {
		_, _ = out[n-1], keys[n-1]
		sampleHashAVX2(&out[0], &th[0], &keys[0], n, w, vals)
	}
	sampleHashGo(out[n:], th[n:], keys[n:], w, vals)
}
