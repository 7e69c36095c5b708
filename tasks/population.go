package tasks

import (
	"math"
	"slices"
	"sort"
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
	sort.SliceStable(st.ByInfo, func(a, b int) bool { return info[st.ByInfo[a]] > info[st.ByInfo[b]] })
	st.Spread = make([]AtomSpread, na)
	col := make([]float64, U)
	for k := range na {
		for j, row := range st.Neurons {
			col[j] = row[k]
		}
		slices.Sort(col)
		st.Spread[k] = AtomSpread{P10: quantile(col, 0.1), Median: quantile(col, 0.5), P90: quantile(col, 0.9)}
	}
}

// quantile is the q-quantile of sorted values, linear between order statistics.
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
