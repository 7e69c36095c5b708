package model

// addTo sets dst[i] += src[i] for i < len(src): the bias gradients' and the
// column sums' accumulation, a vector kernel where present. Every element
// gets the same single rounded sum as the scalar loop, in the same order
// across calls, so results are unchanged.
func addTo(dst, src []float64) {
	dst = dst[:len(src)]
	for i := addToKernel(dst, src); i < len(src); i++ {
		dst[i] += src[i]
	}
}
