//go:build !amd64

package model

const useAVX512 = false

func useLateralKernels(rows int) bool { return false }

func latFwd(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int) {
	panic("model: no lateral kernels on this architecture")
}

func latBwd(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int) {
	panic("model: no lateral kernels on this architecture")
}

func useT32() bool { return false }

func latFwd32AVX2(outT *float64, xT *float32, rowBytes int, part *int32, w, bias *float64, nj, k int) {
	panic("model: no lateral kernels on this architecture")
}

func latBwd32AVX2(acc *float64, xT *float32, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int) {
	panic("model: no lateral kernels on this architecture")
}
