//go:build amd64

package pid

import "golang.org/x/sys/cpu"

// useAVX2 enables log2s' kernel (a variable for the tests).
var useAVX2 = cpu.X86.HasAVX2

//go:noescape
func log2sAVX2(dst, src *float64, n int)

func log2s(dst, src []float64) {
	n := 0
	if useAVX2 {
		n = len(src) &^ 3
	}
	if n > 0 {
		_ = dst[n-1]
		log2sAVX2(&dst[0], &src[0], n)
	}
	log2sGo(dst[n:], src[n:])
}
