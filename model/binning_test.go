package model

import (
	"math"
	"slices"
	"testing"
)

// assign bins a single column and returns the bin indices.
func assign(bn Binning, col []float64) []int32 {
	out := make([]int32, len(col))
	bn.Assign(col, 1, 0, 1, out)
	return out
}

func TestFixedBins(t *testing.T) {
	bn := FixedBins()
	if bn.Adaptive || bn.Bins != 20 || bn.Lo != -20 || bn.Hi != 20 {
		t.Fatalf("FixedBins() = %+v, want 20 bins on [-20, 20]", bn)
	}
	// Bins are 2 wide: bin k covers [−20+2k, −18+2k).
	cases := []struct {
		v    float64
		want int32
	}{
		{-20, 0}, {-19.999, 0}, {-18.000001, 0}, {-18, 1}, {-16.5, 1},
		{-1e-9, 9}, {0, 10}, {1.999999, 10}, {2, 11},
		{17.9999, 18}, {18, 19}, {19.99999, 19},
		// Clamped outside [−20, 20], the upper edge included.
		{20, 19}, {20.5, 19}, {1e300, 19}, {math.Inf(1), 19},
		{-20.0001, 0}, {-1e300, 0}, {math.Inf(-1), 0},
		{math.NaN(), 0},
	}
	col := make([]float64, len(cases))
	for i, c := range cases {
		col[i] = c.v
	}
	got := assign(bn, col)
	for i, c := range cases {
		if got[i] != c.want {
			t.Errorf("fixed bin of %g = %d, want %d", c.v, got[i], c.want)
		}
	}
	// Every edge −20+2k opens bin k.
	for k := 0; k < 20; k++ {
		e := -20 + 2*float64(k)
		if b := assign(bn, []float64{e, e - 1e-9}); b[0] != int32(k) || (k > 0 && b[1] != int32(k-1)) {
			t.Errorf("edge %g: bins %v, want [%d %d]", e, b, k, k-1)
		}
	}
}

func TestAdaptiveBins(t *testing.T) {
	bn := AdaptiveBins()
	if !bn.Adaptive || bn.Bins != 20 || bn.Lo != -1 || bn.Hi != 1 {
		t.Fatalf("AdaptiveBins() = %+v, want adaptive 20 bins on [-1, 1]", bn)
	}
	// Max |v| = 2: v/2 is binned on [−1, 1] with width 0.1.
	got := assign(bn, []float64{0.5, -2, 1, 0, -0.05, 1.99})
	want := []int32{12, 0, 15, 10, 9, 19}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("adaptive bins = %v, want %v", got, want)
			break
		}
	}
	// The largest positive value maps to the last bin, whatever its scale.
	for _, m := range []float64{1e-300, 1e-7, 0.3, 1, 3, 7.77, 1e6, 1e300} {
		b := assign(bn, []float64{m, -m / 3, 0})
		if b[0] != 19 || b[2] != 10 {
			t.Errorf("max %g: bins %v, want max → 19, 0 → 10", m, b)
		}
		b = assign(bn, []float64{-m, m / 3})
		if b[0] != 0 {
			t.Errorf("max |v| %g negative: bins %v, want → 0", m, b)
		}
	}
	// Scale invariance: bins of v and of 1000·v agree.
	col := []float64{0.31, -0.77, 0.05, 0.9, -0.2}
	a := assign(bn, col)
	big := make([]float64, len(col))
	for i, v := range col {
		big[i] = 1000 * v
	}
	if b := assign(bn, big); !slices.Equal(a, b) {
		t.Errorf("bins not scale invariant: %v vs %v", a, b)
	}
	// An all-zero column sits in the middle bin.
	for _, b := range assign(bn, []float64{0, 0, 0}) {
		if b != 10 {
			t.Errorf("all-zero column: bin %d, want 10", b)
		}
	}
}

// TestAdaptivePerColumn: each neuron (column) is normalised by its own max,
// over the rows that are binned only.
func TestAdaptivePerColumn(t *testing.T) {
	const units = 3
	vals := []float64{ // rows × units
		1, 100, 0,
		-0.5, 50, 0,
		0.25, -100, 0,
		1000, 1000, 1000, // row beyond len(out): must not be read
	}
	want := [units][]int32{{19, 5, 12}, {19, 15, 0}, {10, 10, 10}}
	for j := 0; j < units; j++ {
		out := make([]int32, 3)
		AdaptiveBins().Assign(vals, units, j, 1, out)
		if !slices.Equal(out, want[j]) {
			t.Errorf("column %d: bins %v, want %v", j, out, want[j])
		}
	}
}

// TestCellComposition: Assign adds mult·bin, so sources compose a flat cell
// index (two sources: 20·b_r + b_c; three: 400·b_r + 20·b_c + b_l).
func TestCellComposition(t *testing.T) {
	bn := FixedBins()
	const units = 2
	r := []float64{-20, 0, 0, 19.5, 7, 7}
	c := []float64{0, 0, 19.5, -19, -3, -3}
	l := []float64{5, -5, 0, 0, 0, 20}
	// Column 1 is the neuron under test; column 0 holds decoys.
	put := func(col []float64) []float64 {
		v := make([]float64, len(col)*units)
		for b, x := range col {
			v[b*units] = -x
			v[b*units+1] = x
		}
		return v
	}
	br := []int32{0, 10, 10, 19, 13, 13}
	bc := []int32{10, 10, 19, 0, 8, 8}
	bl := []int32{12, 7, 10, 10, 10, 19}

	two := make([]int32, len(r))
	bn.Assign(put(r), units, 1, 20, two)
	bn.Assign(put(c), units, 1, 1, two)
	three := make([]int32, len(r))
	bn.Assign(put(r), units, 1, 400, three)
	bn.Assign(put(c), units, 1, 20, three)
	bn.Assign(put(l), units, 1, 1, three)
	for b := range r {
		if want := 20*br[b] + bc[b]; two[b] != want {
			t.Errorf("row %d: two-source cell %d, want %d", b, two[b], want)
		}
		if want := 400*br[b] + 20*bc[b] + bl[b]; three[b] != want {
			t.Errorf("row %d: three-source cell %d, want %d", b, three[b], want)
		}
	}
	// Distinct bin pairs give distinct cells.
	seen := map[int32]bool{}
	for _, v := range three {
		seen[v] = true
	}
	if len(seen) != len(three) {
		t.Errorf("cells collide: %v", three)
	}
}
