//go:build amd64

package model

//go:noescape
func addToAVX2(dst, src *float64, n int)

// addToKernel adds the leading multiple of 16 of src to dst with AVX2 and
// returns how many it did.
func addToKernel(dst, src []float64) int {
	n := len(src) &^ 15
	if !useAVX2 || n == 0 {
		return 0
	}
	_ = dst[n-1]
	addToAVX2(&dst[0], &src[0], n)
	return n
}
