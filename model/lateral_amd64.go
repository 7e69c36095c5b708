//go:build amd64

package model

import "golang.org/x/sys/cpu"

// useAVX512 enables the 8-lane kernels (lateral_amd64.s, matmul, sigmoids).
var useAVX512 = cpu.X86.HasAVX512F && useAVX2

//go:noescape
func latFwdAVX512(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int)

//go:noescape
func latBwdAVX512(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)

//go:noescape
func latFwdAVX2(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int)

//go:noescape
func latBwdAVX2(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)

//go:noescape
func latFwd32AVX2(outT *float64, xT *float32, rowBytes int, part *int32, w, bias *float64, nj, k int)

//go:noescape
func latBwd32AVX2(acc *float64, xT *float32, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)

// useT32 says whether the layers write a binary lateral input transposed in
// float32 (Input.T32) rather than float64: the AVX2 kernels read it at half
// the traffic (a 32-row block of 2000 inputs then fits a 256 kB share of L2);
// the AVX-512 kernels read Input.T.
func useT32() bool { return useAVX2 && !useAVX512 }

// useLateralKernels reports whether the sparse lateral compartment's vector
// kernels run for a batch of rows (they need a transposed input, Input.T).
func useLateralKernels(rows int) bool { return useAVX2 && rows >= latRows }

// latFwd is the forward kernel of the widest instruction set present.
func latFwd(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int) {
	if useAVX512 {
		latFwdAVX512(outT, xT, rowBytes, part, w, bias, nj, k)
		return
	}
	latFwdAVX2(outT, xT, rowBytes, part, w, bias, nj, k)
}

// latBwd is the backward kernel of the widest instruction set present.
func latBwd(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int) {
	if useAVX512 {
		latBwdAVX512(acc, xT, rowBytes, part, delta, deltaStride, nj, groups, nbBytes)
		return
	}
	latBwdAVX2(acc, xT, rowBytes, part, delta, deltaStride, nj, groups, nbBytes)
}
