//go:build amd64

package model

//go:noescape
func threeFwdAVX512(theta, r, c, l *float64, n int, k *[5]float64) bool

//go:noescape
func threeBwdAVX512(dr, dc, dl, r, c, l, d *float64, n int, k *[5]float64) bool

// threeConsts is the kernels' k: C1, C2, 1−C1−C2, ThetaMin, ThetaMax.
func threeConsts(act Activation) [5]float64 {
	return [5]float64{act.C1, act.C2, 1 - act.C1 - act.C2, ThetaMin, ThetaMax}
}

// threeSourceTheta sets theta[i] to the clamped θ of a three-source neuron
// with compartments r[i], c[i], l[i], as activate does, for a leading
// multiple of 8 elements, and returns how many it set: 0 without AVX-512 or
// when a sigmoid's argument left exp's fast path (the caller then computes
// them all).
func threeSourceTheta(act Activation, theta, r, c, l []float64) int {
	n := len(theta) &^ 7
	if !useAVX512 || n == 0 {
		return 0
	}
	_, _, _ = r[n-1], c[n-1], l[n-1]
	k := threeConsts(act)
	if !threeFwdAVX512(&theta[0], &r[0], &c[0], &l[0], n, &k) {
		return 0
	}
	return n
}

// threeSourceDerivs sets dr, dc, dl to ∂G/∂(r, c, l) from ∂G/∂θ (d) as
// derivatives does, for a leading multiple of 8 elements, and returns how
// many it set (0 as for threeSourceTheta).
func threeSourceDerivs(act Activation, dr, dc, dl, r, c, l, d []float64) int {
	n := len(d) &^ 7
	if !useAVX512 || n == 0 {
		return 0
	}
	_, _, _, _, _, _ = dr[n-1], dc[n-1], dl[n-1], r[n-1], c[n-1], l[n-1]
	k := threeConsts(act)
	if !threeBwdAVX512(&dr[0], &dc[0], &dl[0], &r[0], &c[0], &l[0], &d[0], n, &k) {
		return 0
	}
	return n
}
