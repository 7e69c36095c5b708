package tasks

import (
	"math"
	"slices"
)

// SilentBits is the information below which a neuron counts as silent: its
// output tells nothing about its inputs (I(Y : sources) = H(Y) − H_res, in
// bits). In mnist-context, weight decay drives 8–21 of 100 hidden neurons
// there within a few epochs (their weights ~0, H(Y) = 1 bit, every atom 0).
const SilentBits = 1e-3

// AtomSpread is one atom's distribution over a layer's neurons: the 10th,
// 50th and 90th percentile (bits), as the paper's atom plots show it
// (plot_pid_atom_list: median line, 10–90% band). Run files record it per
// epoch and layer, so these names are part of the run-file schema.
type AtomSpread struct {
	P10    float64 `json:"p10"`
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
}

// population fills a layer's per-neuron summaries from st.Neurons: each
// atom's spread, which neurons are silent, and the neurons ordered by how
// much their output tells about their inputs.
func population(st *LayerStats) {
	U := len(st.Neurons)
	if U == 0 {
		return
	}
	na := len(st.Neurons[0])
	info := make([]float64, U)
	st.IsSilent = make([]bool, U)
	st.Silent = 0
	for j, row := range st.Neurons {
		mi := 0.0
		for k := 0; k < len(row)-1; k++ { // every atom but h_res
			mi += row[k]
		}
		info[j] = mi
		if math.Abs(mi) < SilentBits || !(mi == mi) {
			st.IsSilent[j] = true
			st.Silent++
		}
	}
	st.ByInfo = make([]int, U)
	for j := range st.ByInfo {
		st.ByInfo[j] = j
	}
	// Most informative first; a stable sort with the comparisons
	// sort.SliceStable made (a NaN compares equal to everything).
	slices.SortStableFunc(st.ByInfo, func(a, b int) int {
		switch {
		case info[a] > info[b]:
			return -1
		case info[b] > info[a]:
			return 1
		}
		return 0
	})
	st.Spread = make([]AtomSpread, na)
	col := make([]float64, U)
	for k := range na {
		for j, row := range st.Neurons {
			col[j] = row[k]
		}
		st.Spread[k] = spread(col)
	}
}

// spread is the AtomSpread of vals (reordered in place): the quantiles of
// the sorted values (slices.Sort's order: NaN first), found by selecting
// the order statistics they need instead of sorting, each search within
// the part above the last (19 atoms × 2000 neurons every lab refresh).
func spread(vals []float64) AtomSpread {
	// NaNs first, as slices.Sort puts them; the rest compare with <.
	nan := 0
	for i, v := range vals {
		if v != v {
			vals[i], vals[nan] = vals[nan], vals[i]
			nan++
		}
	}
	from := 0
	var qs [3]float64
	for k, q := range [3]float64{0.1, 0.5, 0.9} {
		qs[k], from = selectQuantile(vals, nan, from, q)
	}
	return AtomSpread{P10: qs[0], Median: qs[1], P90: qs[2]}
}

// selectQuantile returns quantile(sorted(vals), q) and the index after the
// order statistics it placed. vals[:nan] are NaN, and the sorted order's
// first from values are already in place (every value after them is no
// smaller), so the search starts there.
func selectQuantile(vals []float64, nan, from int, q float64) (float64, int) {
	n := len(vals)
	if n == 0 {
		return math.NaN(), 0
	}
	pos := q * float64(n-1)
	i := int(pos)
	if i >= n-1 {
		i = n - 1
	}
	lo := max(from, nan)
	if i >= lo {
		selectNth(vals[lo:], i-lo)
	}
	if i == n-1 {
		return vals[i], n
	}
	// The next order statistic: the least value after i (a NaN if i+1 < nan).
	next := vals[i+1]
	if i+1 >= nan {
		for _, v := range vals[i+2:] {
			if v < next {
				next = v
			}
		}
	}
	f := pos - float64(i)
	return vals[i] + f*(next-vals[i]), i + 1
}

// selectNth reorders a (no NaN) so that a[k] is the value a sort would put
// there, with no greater value before it and no smaller one after it.
func selectNth(a []float64, k int) {
	lo, hi := 0, len(a)-1
	for lo < hi {
		// Median of three as the pivot.
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[mid], a[hi] = a[hi], a[mid]
		}
		p := a[mid]
		// Three-way partition: < p, == p, > p (many equal atoms, e.g. 0).
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch v := a[i]; {
			case v < p:
				a[lt], a[i] = v, a[lt]
				lt++
				i++
			case v > p:
				a[i], a[gt] = a[gt], v
				gt--
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return
		}
	}
}

// withoutNeurons returns copies of layers without their per-neuron fields
// (Neurons, MeanTheta, IsSilent, ByInfo): only the latest epoch's are read
// (the lab's inspector and gallery), and for 2000 neurons they cost ≈ 0.4 MB
// per epoch, 40 MB over 100 epochs. Copies, because snapshots already handed
// out share the old slice.
func withoutNeurons(layers []LayerStats) []LayerStats {
	out := make([]LayerStats, len(layers))
	for i, l := range layers {
		l.Neurons, l.MeanTheta, l.IsSilent, l.ByInfo = nil, nil, nil, nil
		out[i] = l
	}
	return out
}
