//go:build amd64

package model

// kernelRuns reports whether every vector kernel present (AVX2 and, where
// the processor has it, AVX-512) accepts the leading values: n a multiple
// of 8, the AVX-512 ones the multiple of 16 within it.
func kernelRuns(act Activation, k *actF32, r, c, l, d []float64) bool {
	for _, ok := range kernelVerdicts(act, k, r, c, l, d) {
		if !ok {
			return false
		}
	}
	return true
}

// kernelRefuses reports whether every vector kernel present refuses the
// values (a NaN among them).
func kernelRefuses(act Activation, k *actF32, r, c, l, d []float64) bool {
	for _, ok := range kernelVerdicts(act, k, r, c, l, d) {
		if ok {
			return false
		}
	}
	return true
}

// kernelVerdicts runs each vector kernel of act, forward and backward, and
// returns whether each pair accepted the values.
func kernelVerdicts(act Activation, k *actF32, r, c, l, d []float64) []bool {
	n := min(len(r), tileNeurons) &^ 7
	var s actF32Scratch
	a, b, e := make([]float64, n), make([]float64, n), make([]float64, n)
	var v []bool
	if act.Kind == ThreeSource {
		v = append(v, threeFwdF32AVX2(&a[0], &r[0], &c[0], &l[0], n, k, &s, 0, 0) &&
			threeBwdF32AVX2(&a[0], &b[0], &e[0], &r[0], &c[0], &l[0], &d[0], n, k, &s, 0))
		if z := lead512(n); z > 0 {
			v = append(v, threeFwdF32AVX512(&a[0], &r[0], &c[0], &l[0], z, k, &s, 0, 0) &&
				threeBwdF32AVX512(&a[0], &b[0], &e[0], &r[0], &c[0], &l[0], &d[0], z, k, &s, 0))
		}
		return v
	}
	v = append(v, graetzFwdF32AVX2(&a[0], &r[0], &c[0], n, k, &s, 0) && graetzBwdF32AVX2(&a[0], &b[0], &r[0], &c[0], &d[0], n, k, &s, 0))
	if z := lead512(n); z > 0 {
		v = append(v, graetzFwdF32AVX512(&a[0], &r[0], &c[0], z, k, &s, 0) && graetzBwdF32AVX512(&a[0], &b[0], &r[0], &c[0], &d[0], z, k, &s, 0))
	}
	return v
}
