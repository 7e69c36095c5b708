package model

import "math"

// Binning maps a compartment's batch of values to bin indices.
// Fixed: Bins equal bins on [Lo, Hi], values clamped. Adaptive: each neuron's
// values are divided by their batch max |v|, then Bins equal bins on [−1, 1].
type Binning struct {
	Adaptive bool
	Bins     int
	Lo, Hi   float64
}

// FixedBins is the hidden-layer binning: 20 bins on [−20, 20].
func FixedBins() Binning { return Binning{Bins: 20, Lo: -20, Hi: 20} }

// AdaptiveBins is the readout binning: 20 bins on the normalised range [−1, 1].
func AdaptiveBins() Binning { return Binning{Adaptive: true, Bins: 20, Lo: -1, Hi: 1} }

// bin returns the bin of v on [lo, hi] with n bins; out-of-range values clamp.
func bin(v, lo, width float64, n int) int32 {
	k := math.Floor((v - lo) / width)
	if !(k >= 0) { // also NaN
		return 0
	}
	if k >= float64(n) {
		return int32(n - 1)
	}
	return int32(k)
}

// Assign writes the bin of column j of the row-major batch vals (stride
// units) into out, multiplying by mult and adding to out (so several sources
// form a flat cell index). It reads rows 0..len(out)-1.
func (bn Binning) Assign(vals []float64, units, j int, mult int32, out []int32) {
	lo, hi := bn.Lo, bn.Hi
	if bn.Adaptive {
		m := 0.0
		for b := range out {
			if a := math.Abs(vals[b*units+j]); a > m {
				m = a
			}
		}
		if m == 0 {
			m = 1
		}
		// v/m binned on [−1, 1] equals v binned on [−m, m].
		lo, hi = -m, m
	}
	width := (hi - lo) / float64(bn.Bins)
	for b := range out {
		out[b] += mult * bin(vals[b*units+j], lo, width, bn.Bins)
	}
}
