//go:build amd64

package model

import "math"

//go:noescape
func threeFwdF32AVX2(theta, r, c, l *float64, n int, k *actF32, s *actF32Scratch, nextR, nextL int) bool

//go:noescape
func threeBwdF32AVX2(dr, dc, dl, r, c, l, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool

//go:noescape
func graetzFwdF32AVX2(theta, r, c *float64, n int, k *actF32, s *actF32Scratch, next int) bool

//go:noescape
func graetzBwdF32AVX2(dr, dc, r, c, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool

// The same kernels in 16-lane vectors (activation_f32_avx512_amd64.s): n a
// multiple of 16, the same bits.

//go:noescape
func threeFwdF32AVX512(theta, r, c, l *float64, n int, k *actF32, s *actF32Scratch, nextR, nextL int) bool

//go:noescape
func threeBwdF32AVX512(dr, dc, dl, r, c, l, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool

//go:noescape
func graetzFwdF32AVX512(theta, r, c *float64, n int, k *actF32, s *actF32Scratch, next int) bool

//go:noescape
func graetzBwdF32AVX512(dr, dc, r, c, d *float64, n int, k *actF32, s *actF32Scratch, next int) bool

// sigF32 is SIGF32's constants (activation_f32_amd64.s), each over 8 lanes:
// −0 (the sign), ±expF32Lim, log2 e, ln2 high and low, expF32Poly, 1.
var sigF32 = func() (k [13][8]float32) {
	v := [13]float32{math.Float32frombits(1 << 31), expF32Lim, -expF32Lim, log2eF32, ln2HiF32, ln2LoF32}
	copy(v[6:12], expF32Poly[:])
	v[12] = 1
	for i, x := range v {
		for j := range k[i] {
			k[i][j] = x
		}
	}
	return k
}()

// f32Lead is how many leading elements of n the kernels take: a multiple
// of 8, at most a scratch's tileNeurons (the callers' tiles are no wider).
func f32Lead(n int) int {
	if !useAVX2 {
		return 0
	}
	return min(n, tileNeurons) &^ 7
}

// lead512 is how many of a kernel's n elements (a multiple of 8) its
// AVX-512 version takes: a multiple of 16; the AVX2 version takes the rest.
func lead512(n int) int {
	if !useAVX512 {
		return 0
	}
	return n &^ 15
}

// byWidth runs a kernel's AVX-512 version on the leading multiple of 16 of
// its n elements and its AVX2 version, from element i on, on the m left;
// it reports whether both accepted their values (met no NaN).
func byWidth(n int, wide func(z int) bool, narrow func(i, m int) bool) bool {
	z := lead512(n)
	if z > 0 && !wide(z) {
		return false
	}
	return z == n || narrow(z, n-z)
}

// threeThetaF32 is threeThetaF32Go, in the kernel where it can; the kernel
// prefetches the next row's r and l, next elements on (0: none).
func threeThetaF32(k *actF32, s *actF32Scratch, theta, r, c, l []float64, nextR, nextL int) {
	n := f32Lead(len(theta))
	if n > 0 {
		_, _, _ = r[n-1], c[n-1], l[n-1]
		if !byWidth(n, func(z int) bool {
			return threeFwdF32AVX512(&theta[0], &r[0], &c[0], &l[0], z, k, s, 8*nextR, 8*nextL)
		}, func(i, m int) bool {
			return threeFwdF32AVX2(&theta[i], &r[i], &c[i], &l[i], m, k, s, 8*nextR, 8*nextL)
		}) {
			n = 0
		}
	}
	threeThetaF32Go(k, theta[n:], r[n:], c[n:], l[n:])
}

// graetzThetaF32 is graetzThetaF32Go, in the kernel where it can; the
// kernel prefetches the next row's r, next elements on.
func graetzThetaF32(k *actF32, s *actF32Scratch, theta, r, c []float64, next int) {
	n := f32Lead(len(theta))
	if n > 0 {
		_, _ = r[n-1], c[n-1]
		if !byWidth(n, func(z int) bool {
			return graetzFwdF32AVX512(&theta[0], &r[0], &c[0], z, k, s, 8*next)
		}, func(i, m int) bool {
			return graetzFwdF32AVX2(&theta[i], &r[i], &c[i], m, k, s, 8*next)
		}) {
			n = 0
		}
	}
	graetzThetaF32Go(k, theta[n:], r[n:], c[n:])
}

// threeDerivsF32 is threeDerivsF32Go, in the kernel where it can; the
// kernel prefetches the next row's r, l, dr, dc and dl, next elements on.
func threeDerivsF32(k *actF32, s *actF32Scratch, dr, dc, dl, r, c, l, d []float64, next int) {
	n := f32Lead(len(d))
	if n > 0 {
		_, _, _, _, _, _ = dr[n-1], dc[n-1], dl[n-1], r[n-1], c[n-1], l[n-1]
		if !byWidth(n, func(z int) bool {
			return threeBwdF32AVX512(&dr[0], &dc[0], &dl[0], &r[0], &c[0], &l[0], &d[0], z, k, s, 8*next)
		}, func(i, m int) bool {
			return threeBwdF32AVX2(&dr[i], &dc[i], &dl[i], &r[i], &c[i], &l[i], &d[i], m, k, s, 8*next)
		}) {
			n = 0
		}
	}
	threeDerivsF32Go(k, dr[n:], dc[n:], dl[n:], r[n:], c[n:], l[n:], d[n:])
}

// graetzDerivsF32 is graetzDerivsF32Go, in the kernel where it can; the
// kernel prefetches the next row's r, dr and dc, next elements on.
func graetzDerivsF32(k *actF32, s *actF32Scratch, dr, dc, r, c, d []float64, next int) {
	n := f32Lead(len(d))
	if n > 0 {
		_, _, _, _ = dr[n-1], dc[n-1], r[n-1], c[n-1]
		if !byWidth(n, func(z int) bool {
			return graetzBwdF32AVX512(&dr[0], &dc[0], &r[0], &c[0], &d[0], z, k, s, 8*next)
		}, func(i, m int) bool {
			return graetzBwdF32AVX2(&dr[i], &dc[i], &r[i], &c[i], &d[i], m, k, s, 8*next)
		}) {
			n = 0
		}
	}
	graetzDerivsF32Go(k, dr[n:], dc[n:], r[n:], c[n:], d[n:])
}
