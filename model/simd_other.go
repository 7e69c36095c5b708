//go:build !amd64

package model

// useAVX2 is false without amd64 kernels (a variable, as on amd64, for the tests).
var useAVX2 = false

// sigmoids sets dst[i] = sigmoid(src[i]).
func sigmoids(dst, src []float64) {
	dst = dst[:len(src)]
	for i, x := range src {
		dst[i] = sigmoid(x)
	}
}

// spmm sets out[j] += val[t]·m[idx[t]*stride+j] for every t in order and j < len(out).
func spmm(out, m []float64, stride int, idx []int32, val []float64) {
	spmmGo(out, m, stride, idx, val)
}

// binInto adds mult·bin(vals[i]) to out[i] (bin as in Binning.Assign).
func binInto(out []int32, vals []float64, lo, width float64, n int, mult int32) {
	out = out[:len(vals)]
	for i, v := range vals {
		out[i] += mult * bin(v, lo, width, n)
	}
}
