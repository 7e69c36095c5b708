//go:build amd64

package model

//go:noescape
func threeFwdAVX512(theta, r, c, l *float64, n int, k *[5]float64) bool

//go:noescape
func threeBwdAVX512(dr, dc, dl, r, c, l, d *float64, n int, k *[5]float64) bool

//go:noescape
func threeFwdAVX2(theta, r, c, l *float64, n int, k *[20]float64) bool

//go:noescape
func threeBwdAVX2(dr, dc, dl, r, c, l, d *float64, n int, k *[20]float64) bool

// threeConsts is the kernels' k: C1, C2, 1−C1−C2, ThetaMin, ThetaMax.
func threeConsts(act Activation) [5]float64 {
	return [5]float64{act.C1, act.C2, 1 - act.C1 - act.C2, ThetaMin, ThetaMax}
}

// threeConsts4 is threeConsts with every constant repeated 4 times (the
// AVX2 kernels' vector operands).
func threeConsts4(act Activation) [20]float64 {
	var k4 [20]float64
	for i, v := range threeConsts(act) {
		k4[4*i], k4[4*i+1], k4[4*i+2], k4[4*i+3] = v, v, v, v
	}
	return k4
}

// threeSourceTheta sets theta[i] to the clamped θ of a three-source neuron
// with compartments r[i], c[i], l[i], as activate does, for a leading
// multiple of the vector width (16 with AVX-512, 8 with AVX2), and returns
// how many it set: 0 without AVX2 or when a sigmoid's argument left exp's
// fast path (the caller then computes them all).
func threeSourceTheta(act Activation, theta, r, c, l []float64) int {
	n := len(theta) &^ (threeLanes() - 1)
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _, _ = r[n-1], c[n-1], l[n-1]
	var ok bool
	if useAVX512 {
		k := threeConsts(act)
		ok = threeFwdAVX512(&theta[0], &r[0], &c[0], &l[0], n, &k)
	} else {
		k := threeConsts4(act)
		ok = threeFwdAVX2(&theta[0], &r[0], &c[0], &l[0], n, &k)
	}
	if !ok {
		return 0
	}
	return n
}

// threeLanes is the kernels' vector width.
func threeLanes() int {
	if useAVX512 {
		return 16 // two chains of 8 lanes
	}
	return 8 // two chains of 4 lanes
}

// threeSourceDerivs sets dr, dc, dl to ∂G/∂(r, c, l) from ∂G/∂θ (d) as
// derivatives does, for a leading multiple of the vector width, and returns
// how many it set (0 as for threeSourceTheta).
func threeSourceDerivs(act Activation, dr, dc, dl, r, c, l, d []float64) int {
	n := len(d) &^ (threeLanes() - 1)
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _, _, _, _, _ = dr[n-1], dc[n-1], dl[n-1], r[n-1], c[n-1], l[n-1]
	var ok bool
	if useAVX512 {
		k := threeConsts(act)
		ok = threeBwdAVX512(&dr[0], &dc[0], &dl[0], &r[0], &c[0], &l[0], &d[0], n, &k)
	} else {
		k := threeConsts4(act)
		ok = threeBwdAVX2(&dr[0], &dc[0], &dl[0], &r[0], &c[0], &l[0], &d[0], n, &k)
	}
	if !ok {
		return 0
	}
	return n
}
