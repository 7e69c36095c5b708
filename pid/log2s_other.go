//go:build !amd64

package pid

func log2s(dst, src []float64) { log2sGo(dst, src) }
