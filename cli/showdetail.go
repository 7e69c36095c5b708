package cli

// The per-epoch details of a run file in `show`: the readout's confusion
// matrix on the test set and each layer's atom distribution over its neurons
// (median, 10th and 90th percentile). Files written before these were
// recorded have neither; show then prints what it printed before.

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"infomorph-tui/tasks"
)

// lastConfusion is the latest epoch that recorded a confusion matrix.
func lastConfusion(epochs []tasks.EpochStats) (tasks.EpochStats, bool) {
	for i := len(epochs) - 1; i >= 0; i-- {
		if len(epochs[i].Confusion) > 0 {
			return epochs[i], true
		}
	}
	return tasks.EpochStats{}, false
}

// writeConfusion prints an epoch's confusion matrix as counts (rows: true
// class, columns: predicted class) with each class's recall, the share of
// its images classified correctly.
func writeConfusion(w io.Writer, e tasks.EpochStats) {
	rows := e.ConfusionRows()
	k := len(rows)
	if k == 0 {
		return
	}
	n, diag, big := 0, 0, 0
	for j, v := range e.Confusion {
		n += v
		big = max(big, v)
		if j/k == j%k {
			diag += v
		}
	}
	cw := max(4, len(strconv.Itoa(big)), len(strconv.Itoa(k-1))) + 1
	fmt.Fprintf(w, "\nconfusion · test set, epoch %d: %d images, %.2f%% on the diagonal (rows: true class, columns: predicted, zero context)\n",
		e.Epoch, n, 100*float64(diag)/float64(n))
	fmt.Fprintf(w, "%10s", "true\\pred")
	for c := range k {
		fmt.Fprintf(w, "%*d", cw, c)
	}
	fmt.Fprintf(w, "  %7s\n", "recall")
	for i := range k {
		fmt.Fprintf(w, "%10d", i)
		for c := range k {
			fmt.Fprintf(w, "%*d", cw, e.Confusion[i*k+c])
		}
		if r := rows[i][i]; r == r {
			fmt.Fprintf(w, "  %6.1f%%\n", 100*r)
		} else {
			fmt.Fprintf(w, "  %7s\n", "–")
		}
	}
}

// spreadHeader and spreadCells are the final atom table's extra columns: an
// atom's median, 10th and 90th percentile over the layer's neurons.
func spreadHeader(l tasks.LayerStats) string {
	if len(l.Spread) != len(l.AtomNames) {
		return ""
	}
	return fmt.Sprintf("  %8s  %8s  %8s", "median", "p10", "p90")
}

func spreadCells(l tasks.LayerStats, k int) string {
	if len(l.Spread) != len(l.AtomNames) {
		return ""
	}
	s := l.Spread[k]
	return fmt.Sprintf("  %8.4f  %8.4f  %8.4f", s.Median, s.P10, s.P90)
}

// epochDetailJSON is an epoch of `show --json` with its details: the
// fields of the `run --json` line, then "confusion" (counts, row-major) and
// "spread" (per layer and atom: median, p10, p90 in bits) where recorded.
func epochDetailJSON(e tasks.EpochStats, final bool) string {
	base := epochJSON(e, final)
	var b strings.Builder
	if len(e.Confusion) > 0 {
		b.WriteString(`,"confusion":[`)
		for j, v := range e.Confusion {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(v))
		}
		b.WriteByte(']')
	}
	first := true
	for _, l := range e.Layers {
		if len(l.Spread) != len(l.AtomNames) {
			continue
		}
		if first {
			b.WriteString(`,"spread":{`)
		} else {
			b.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&b, "%s:{", jsonString(l.Name))
		for k, name := range l.AtomNames {
			if k > 0 {
				b.WriteByte(',')
			}
			s := l.Spread[k]
			fmt.Fprintf(&b, `%s:{"median":%s,"p10":%s,"p90":%s}`, jsonString(name), num(s.Median), num(s.P10), num(s.P90))
		}
		b.WriteByte('}')
	}
	if !first {
		b.WriteByte('}')
	}
	if b.Len() == 0 {
		return base
	}
	return strings.TrimSuffix(base, "}") + b.String() + "}"
}
