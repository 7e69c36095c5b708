//go:build amd64

package model

//go:noescape
func narrow10x4AVX512(o, b, w, x *float64, xStride, n int)

//go:noescape
func narrowGrad10x4AVX512(grad, d, x *float64, xStride, n int)

//go:noescape
func narrow10x4AVX2(o, b, w, x *float64, xStride, n int)

//go:noescape
func narrowGrad10x4AVX2(grad, d, x *float64, xStride, n int)

// narrowRows10 is narrowRow10 for the rows of o (10 per row) whose inputs
// are x's rows (xStride apart), four rows per kernel call with AVX-512 or
// AVX2.
func narrowRows10(o, b, w, x []float64, xStride int) {
	rows := len(o) / 10
	n := len(w) / 10
	q := 0
	if useAVX2 && n > 0 {
		for ; q+4 <= rows; q += 4 {
			_, _ = x[(q+3)*xStride+n-1], o[10*q+39]
			if useAVX512 {
				narrow10x4AVX512(&o[10*q], &b[0], &w[0], &x[q*xStride], xStride, n)
			} else {
				narrow10x4AVX2(&o[10*q], &b[0], &w[0], &x[q*xStride], xStride, n)
			}
		}
	}
	for ; q < rows; q++ {
		narrowRow10(o[10*q:10*q+10], b, w, x[q*xStride:q*xStride+n])
	}
}

// narrowGrads10 is narrowGrad10 for the rows of d (10 per row) in order,
// with inputs x's rows (xStride apart, n = len(g)/10 of them each), four
// rows per kernel call with AVX-512 or AVX2.
func narrowGrads10(g, d, x []float64, xStride int) {
	rows := len(d) / 10
	n := len(g) / 10
	q := 0
	if useAVX2 && n > 0 {
		for ; q+4 <= rows; q += 4 {
			_, _ = x[(q+3)*xStride+n-1], d[10*q+39]
			if useAVX512 {
				narrowGrad10x4AVX512(&g[0], &d[10*q], &x[q*xStride], xStride, n)
			} else {
				narrowGrad10x4AVX2(&g[0], &d[10*q], &x[q*xStride], xStride, n)
			}
		}
	}
	for ; q < rows; q++ {
		narrowGrad10(g, d[10*q:10*q+10], x[q*xStride:q*xStride+n])
	}
}
