//go:build !amd64

package model

// Without the AVX2 kernels a Float32 layer's activation runs in Go, with the
// same results.

func threeThetaF32(k *actF32, _ *actF32Scratch, theta, r, c, l []float64, _, _ int) {
	threeThetaF32Go(k, theta, r, c, l)
}

func graetzThetaF32(k *actF32, _ *actF32Scratch, theta, r, c []float64, _ int) {
	graetzThetaF32Go(k, theta, r, c)
}

func threeDerivsF32(k *actF32, _ *actF32Scratch, dr, dc, dl, r, c, l, d []float64, _ int) {
	threeDerivsF32Go(k, dr, dc, dl, r, c, l, d)
}

func graetzDerivsF32(k *actF32, _ *actF32Scratch, dr, dc, r, c, d []float64, _ int) {
	graetzDerivsF32Go(k, dr, dc, r, c, d)
}
