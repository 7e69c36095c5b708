//go:build amd64

package model

//go:noescape
func graetzFwdAVX512(theta, r, c *float64, n int, k *[5]float64) bool

//go:noescape
func graetzBwdAVX512(dr, dc, r, c, d *float64, n int, k *[5]float64) bool

// graetzKernels reports whether the Graetz kernels run for act: with
// AVX-512, and not for k1 = 1, whose sigmoid the Go code skips (the readout).
func graetzKernels(act Activation) bool { return useAVX512 && act.K1 != 1 }

// graetzConsts is the kernels' k: k2, k1, (1−k1)·2, ThetaMin, ThetaMax.
func graetzConsts(act Activation) [5]float64 {
	return [5]float64{act.K2, act.K1, (1 - act.K1) * 2, ThetaMin, ThetaMax}
}

// graetzTheta sets theta[i] to the clamped θ of a Graetz neuron with
// compartments r[i], c[i], as activate does, for a leading multiple of 16
// elements, and returns how many it set: 0 without the kernel or when a
// sigmoid's argument left exp's fast path (the caller then computes them all).
func graetzTheta(act Activation, theta, r, c []float64) int {
	n := len(theta) &^ 15
	if !graetzKernels(act) || n == 0 {
		return 0
	}
	_, _ = r[n-1], c[n-1]
	k := graetzConsts(act)
	if !graetzFwdAVX512(&theta[0], &r[0], &c[0], n, &k) {
		return 0
	}
	return n
}

// graetzDerivs sets dr, dc to ∂G/∂(r, c) from ∂G/∂θ (d) as derivatives
// does, for a leading multiple of 16 elements, and returns how many it set
// (0 as for graetzTheta).
func graetzDerivs(act Activation, dr, dc, r, c, d []float64) int {
	n := len(d) &^ 15
	if !graetzKernels(act) || n == 0 {
		return 0
	}
	_, _, _, _ = dr[n-1], dc[n-1], r[n-1], c[n-1]
	k := graetzConsts(act)
	if !graetzBwdAVX512(&dr[0], &dc[0], &r[0], &c[0], &d[0], n, &k) {
		return 0
	}
	return n
}
