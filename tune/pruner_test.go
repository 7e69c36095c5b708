package tune

import (
	"math"
	"strings"
	"testing"
)

func TestParsePrune(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Pruner
	}{
		{"none", Pruner{}},
		{"off", Pruner{}},
		{"median", Pruner{Percentile: 50, Startup: 5, Warmup: 2}},
		{DefaultPrune, Pruner{Percentile: 50, Startup: 5, Warmup: 2}},
		{"median,startup=10,warmup=0", Pruner{Percentile: 50, Startup: 10, Warmup: 0}},
		{"percentile=25,warmup=4", Pruner{Percentile: 25, Startup: 5, Warmup: 4}},
	} {
		got, err := ParsePrune(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v, %v", tc.in, got, err)
		}
		if again, err := ParsePrune(got.String()); err != nil || again != got {
			t.Errorf("%q: String %q reads back as %+v, %v", tc.in, got.String(), again, err)
		}
	}
	for _, bad := range []string{"", "mean", "median,startup", "median,startup=-1", "median,warmup=x", "percentile=0",
		"percentile=101", "median,speed=3", "none,startup=1"} {
		if _, err := ParsePrune(bad); err == nil || !strings.Contains(err.Error(), "--prune") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Decide follows Optuna's MedianPruner: the trial's best value so far
// against the median of the complete trials' values at the same epoch,
// after warmup epochs and once startup trials are complete; never at the
// last epoch.
func TestPrunerDecide(t *testing.T) {
	p := Pruner{Percentile: 50, Startup: 3, Warmup: 1}
	complete := [][]float64{{0.5, 0.6, 0.7, 0.8}, {0.4, 0.5, 0.6, 0.7}, {0.6, 0.7, 0.8, 0.9}}
	for _, tc := range []struct {
		e     int
		own   []float64
		prune bool
		thr   float64
	}{
		{1, []float64{0.1}, false, math.NaN()},                // warmup
		{2, []float64{0.1, 0.55}, true, 0.6},                  // best 0.55 < median 0.6
		{2, []float64{0.65, 0.2}, false, 0.6},                 // best so far counts
		{3, []float64{0.1, 0.2, 0.7}, false, 0.7},             // not below
		{4, []float64{0.1, 0.1, 0.1, 0.1}, false, math.NaN()}, // the last epoch
		{3, []float64{0.1, 0.1, math.NaN()}, true, 0.7},       // NaN ignored
	} {
		d := p.Decide(tc.e, 4, tc.own, complete)
		if d.Prune != tc.prune || !(d.Threshold == tc.thr || math.IsNaN(d.Threshold) && math.IsNaN(tc.thr)) {
			t.Errorf("epoch %d %v: %+v", tc.e, tc.own, d)
		}
	}
	if d := p.Decide(2, 4, []float64{0, 0}, complete[:2]); d.Prune {
		t.Error("pruned before startup trials were complete")
	}
	if d := (Pruner{}).Decide(2, 4, []float64{0, 0}, complete); d.Prune {
		t.Error("pruning switched off pruned")
	}
	if d := (Pruner{Percentile: 25, Startup: 1}).Decide(2, 4, []float64{0, 0.52}, complete); !d.Prune || math.Abs(d.Threshold-0.55) > 1e-12 {
		t.Errorf("25th percentile: %+v", d)
	}
}
