package pid

// log2s sets dst[i] = log2(src[i]) for every i, the same bits as the scalar
// log2: the engine's logs come in runs (one a cell or group per node), and
// on amd64 a vector kernel (log2s_amd64.s) takes them four at a time with
// math.Log's own operations. dst may be src.
func log2sGo(dst, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = log2(v)
	}
}
