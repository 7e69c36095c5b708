//go:build amd64

package model

// kernelRuns reports whether act's forward and backward kernels accept the
// leading multiple of 8 of the values.
func kernelRuns(act Activation, k *actF32, r, c, l, d []float64) bool {
	n := min(len(r), tileNeurons) &^ 7
	var s actF32Scratch
	a, b, e := make([]float64, n), make([]float64, n), make([]float64, n)
	if act.Kind == ThreeSource {
		return threeFwdF32AVX2(&a[0], &r[0], &c[0], &l[0], n, k, &s, 0, 0) &&
			threeBwdF32AVX2(&a[0], &b[0], &e[0], &r[0], &c[0], &l[0], &d[0], n, k, &s, 0)
	}
	return graetzFwdF32AVX2(&a[0], &r[0], &c[0], n, k, &s, 0) && graetzBwdF32AVX2(&a[0], &b[0], &r[0], &c[0], &d[0], n, k, &s, 0)
}
