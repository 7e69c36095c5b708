//go:build amd64

package model

//go:noescape
func sampleHashAVX2(out, th *float64, keys *uint32, n int, w uint32, vals *[2]float64)

//go:noescape
func sampleHashAVX512(out, th *float64, keys *uint32, n int, w uint32, vals *[2]float64)

// sampleHash is sampleHashGo, in the kernels for a leading multiple of 8:
// the AVX-512 one takes a multiple of 16 and the AVX2 one the rest.
func sampleHash(out, th []float64, keys []uint32, w uint32, vals *[2]float64) {
	n := 0
	if useAVX2 {
		n = len(th) &^ 7
	}
	z := lead512(n)
	if z > 0 {
		_, _ = out[z-1], keys[z-1]
		sampleHashAVX512(&out[0], &th[0], &keys[0], z, w, vals)
	}
	if n > z {
		_, _ = out[n-1], keys[n-1]
		sampleHashAVX2(&out[z], &th[z], &keys[z], n-z, w, vals)
	}
	sampleHashGo(out[n:], th[n:], keys[n:], w, vals)
}
