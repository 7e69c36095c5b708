//go:build !amd64

package model

// narrowRows10 is narrowRow10 for the rows of o (10 per row) whose inputs
// are x's rows (xStride apart).
func narrowRows10(o, b, w, x []float64, xStride int) {
	n := len(w) / 10
	for q := 0; q < len(o)/10; q++ {
		narrowRow10(o[10*q:10*q+10], b, w, x[q*xStride:q*xStride+n])
	}
}

// narrowGrads10 is narrowGrad10 for the rows of d (10 per row) in order.
func narrowGrads10(g, d, x []float64, xStride int) {
	n := len(g) / 10
	for q := 0; q < len(d)/10; q++ {
		narrowGrad10(g, d[10*q:10*q+10], x[q*xStride:q*xStride+n])
	}
}
