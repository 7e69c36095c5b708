//go:build amd64

package model

import "golang.org/x/sys/cpu"

// useAVX512 enables the sparse lateral kernels (lateral_amd64.s).
var useAVX512 = cpu.X86.HasAVX512F && useAVX2

//go:noescape
func latFwdAVX512(outT, xT *float64, rowBytes int, part *int32, w, bias *float64, nj, k int)

//go:noescape
func latBwdAVX512(acc, xT *float64, rowBytes int, part *int32, delta *float64, deltaStride, nj, groups, nbBytes int)

// useLateralKernels reports whether the sparse lateral compartment's vector
// kernels run for a batch of rows (they need a transposed input, Input.T).
func useLateralKernels(rows int) bool { return useAVX512 && rows >= latRows }
