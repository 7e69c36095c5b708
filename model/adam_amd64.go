//go:build amd64

package model

//go:noescape
func adamAVX2(w, dG, m, v *float64, n int, k *[8]float64)

// adamKernel applies the update of Ascend's loop, unmasked, to the leading
// multiple of 4 of the parameters with AVX2 and returns how many it did.
func adamKernel(a *Adam, w, dG, m, v []float64, step, sq float64) int {
	n := len(w) &^ 3
	if !useAVX2 || n == 0 {
		return 0
	}
	_, _, _ = dG[n-1], m[n-1], v[n-1]
	k := [8]float64{a.WD, a.Beta1, 1 - a.Beta1, a.Beta2, 1 - a.Beta2, step, sq, a.Eps}
	adamAVX2(&w[0], &dG[0], &m[0], &v[0], n, &k)
	return n
}
