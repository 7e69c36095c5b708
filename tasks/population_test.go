package tasks

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// quantile is the q-quantile of sorted values, linear between order
// statistics: the definition selectQuantile must match.
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	pos := q * float64(n-1)
	i := int(pos)
	if i >= n-1 {
		return sorted[n-1]
	}
	f := pos - float64(i)
	return sorted[i] + f*(sorted[i+1]-sorted[i])
}

// TestSelectQuantile: selecting the order statistics gives the quantiles of
// the sorted values, with ties, ±Inf and NaN (sorted first) among them.
func TestSelectQuantile(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for trial := 0; trial < 400; trial++ {
		n := []int{0, 1, 2, 3, 5, 10, 31, 2000}[trial%8]
		vals := make([]float64, n)
		for i := range vals {
			switch rng.IntN(10) {
			case 0:
				vals[i] = 0 // silent neurons: many equal atoms
			case 1:
				vals[i] = float64(rng.IntN(3))
			case 2:
				if trial%5 == 0 {
					vals[i] = math.NaN()
				} else {
					vals[i] = math.Inf(1 - 2*rng.IntN(2))
				}
			default:
				vals[i] = rng.NormFloat64()
			}
		}
		sorted := slices.Clone(vals)
		slices.Sort(sorted)
		want := [3]float64{quantile(sorted, 0.1), quantile(sorted, 0.5), quantile(sorted, 0.9)}
		s := spread(slices.Clone(vals))
		for k, got := range [3]float64{s.P10, s.Median, s.P90} {
			if got != want[k] && !(math.IsNaN(got) && math.IsNaN(want[k])) {
				t.Fatalf("n %d quantile %d: select %v, sort %v", n, k, got, want[k])
			}
		}
	}
}
