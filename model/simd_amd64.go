//go:build amd64

package model

import "golang.org/x/sys/cpu"

// useAVX2 enables the vector kernels. They replicate math.Exp's FMA path,
// which math.Exp itself takes whenever AVX and FMA are present.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func sigmoidAVX2(dst, src []float64) bool

//go:noescape
func sigmoid4AVX2(dst, src []float64) bool

//go:noescape
func sigmoidAVX512(dst, src []float64) bool

//go:noescape
func spmm64AVX512(out, m []float64, stride int, idx []int32, val []float64)

// sigmoids sets dst[i] = sigmoid(src[i]), bit-identical to the scalar
// function. dst and src must not overlap.
func sigmoids(dst, src []float64) {
	dst = dst[:len(src)]
	n := 0
	if useAVX2 {
		ok := true
		if useAVX512 {
			n = len(src) &^ 7
			if n > 0 {
				ok = sigmoidAVX512(dst[:n], src[:n])
			}
		}
		if m := (len(src) - n) &^ 15; m > 0 {
			ok = sigmoid4AVX2(dst[n:n+m], src[n:n+m]) && ok
			n += m
		}
		if m := (len(src) - n) &^ 3; m > 0 {
			ok = sigmoidAVX2(dst[n:n+m], src[n:n+m]) && ok
			n += m
		}
		if !ok {
			for i, x := range src[:n] {
				if !(x <= 700 && x >= -700) {
					dst[i] = sigmoid(x)
				}
			}
		}
	}
	for i := n; i < len(src); i++ {
		dst[i] = sigmoid(src[i])
	}
}

//go:noescape
func spmm32AVX2(out, m []float64, stride int, idx []int32, val []float64)

//go:noescape
func spmm16AVX2(out, m []float64, stride int, idx []int32, val []float64)

//go:noescape
func spmm4AVX2(out, m []float64, stride int, idx []int32, val []float64)

// spmm sets out[j] += val[t]·m[idx[t]*stride+j] for every t in order and
// j < len(out) (a product, then a sum, per element: as y += a·x). The caller
// guarantees idx[t]*stride+len(out) ≤ len(m) and len(idx) == len(val).
func spmm(out, m []float64, stride int, idx []int32, val []float64) {
	switch {
	case useAVX512 && len(out) == 64:
		spmm64AVX512(out, m, stride, idx, val)
	case useAVX2 && len(out) == 32:
		spmm32AVX2(out, m, stride, idx, val)
	case useAVX2 && len(out) == 16:
		spmm16AVX2(out, m, stride, idx, val)
	case useAVX2 && len(out) == 4:
		spmm4AVX2(out, m, stride, idx, val)
	default:
		spmmGo(out, m, stride, idx, val)
	}
}

//go:noescape
func binAVX2(out []int32, vals []float64, lo, width, last float64, mult int32)

// binInto adds mult·bin(vals[i]) to out[i] (bin as in Binning.Assign, on
// [lo, lo+n·width] with n bins), bit-identical to the scalar loop.
func binInto(out []int32, vals []float64, lo, width float64, n int, mult int32) {
	out = out[:len(vals)]
	m := 0
	if useAVX2 {
		m = len(vals) &^ 3
		if m > 0 {
			binAVX2(out[:m], vals[:m], lo, width, float64(n-1), mult)
		}
	}
	for i := m; i < len(vals); i++ {
		out[i] += mult * bin(vals[i], lo, width, n)
	}
}
