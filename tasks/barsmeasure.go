package tasks

import "math"

// BarMatch is the |cosine| a receptive field must reach with one bar's
// template to count as a detector of that single bar. A field of exactly
// one bar reaches 1; a field of two bars reaches at most 0.66 with either
// (two parallel bars 0.655, a row and a column 0.57), so 0.8 separates
// single-bar detectors from fields that mix bars.
const BarMatch = 0.8

// BarStats says how many of a layer's neurons became single-bar detectors
// on the bars task (MatchBar).
type BarStats struct {
	// Detectors counts the neurons whose field matches one bar, of Units
	// neurons in the layer; Fraction is Detectors/Units.
	Detectors int     `json:"detectors"`
	Units     int     `json:"units"`
	Fraction  float64 `json:"fraction"`
	// Distinct counts the different bars matched (of BarsCount = 16).
	Distinct int `json:"distinct_bars"`
}

// MatchBar finds the bar an 8×8 receptive field w (row-major) is most
// like. Both the field and each bar's template (1 on the bar's 8 pixels, 0
// elsewhere) are centred (their mean subtracted), and their cosine taken;
// the bar of largest |cosine| is returned with that |cosine| (a field of
// negative weights on a bar detects it as well: the neuron is silent, not
// firing, when the bar is on). Bars 0..7 are the rows from the top, 8..15
// the columns from the left. A constant field matches nothing: bar −1.
// The field detects its bar when the |cosine| is at least BarMatch.
func MatchBar(w []float64) (bar int, cos float64) {
	n := BarsSide * BarsSide
	if len(w) != n {
		return -1, 0
	}
	mean := 0.0
	for _, v := range w {
		mean += v
	}
	mean /= float64(n)
	norm := 0.0
	for _, v := range w {
		norm += (v - mean) * (v - mean)
	}
	if norm == 0 || math.IsNaN(norm) {
		return -1, 0
	}
	// A centred template is 1−1/8 on its 8 pixels and −1/8 elsewhere; its
	// squared norm is 8·(7/8)² + 56·(1/8)² = 7. Since the centred field sums
	// to 0, its dot product with the template is the sum over the bar's pixels.
	tnorm := math.Sqrt(7)
	bar, cos = -1, 0
	for b := range BarsCount {
		dot := 0.0
		for k := range BarsSide {
			i := b*BarsSide + k // row b
			if b >= BarsSide {
				i = k*BarsSide + (b - BarsSide) // column b−8
			}
			dot += w[i] - mean
		}
		if c := math.Abs(dot) / (math.Sqrt(norm) * tnorm); c > cos {
			bar, cos = b, c
		}
	}
	return bar, cos
}

// barStats measures the single-bar detectors of a layer reading a bars
// image: ok is false for any other data or layer.
func (r *Run) barStats(layer int) (BarStats, bool) {
	if r.data.Name != "bars" || layer >= len(r.net.Layers) {
		return BarStats{}, false
	}
	U := r.Units(layer)
	st := BarStats{Units: U}
	seen := map[int]bool{}
	for j := range U {
		w, _, _, ok := r.ReceptiveField(layer, j)
		if !ok || len(w) != BarsSide*BarsSide {
			return BarStats{}, false
		}
		if b, c := MatchBar(w); b >= 0 && c >= BarMatch {
			st.Detectors++
			seen[b] = true
		}
	}
	st.Fraction = float64(st.Detectors) / float64(U)
	st.Distinct = len(seen)
	return st, true
}
