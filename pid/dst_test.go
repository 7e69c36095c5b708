package pid

import (
	"math"
	"testing"
)

// panics runs f and returns what it panicked with (nil if it returned).
func panics(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// TestShortDestinationPanics: a destination too short for the result is a
// programmer error; it must panic with shortDst rather than be filled in
// part.
func TestShortDestinationPanics(t *testing.T) {
	e := NewEstimator([]int{2, 2}, 2)
	e.SetDense([]float64{0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0}) // XOR: 4 cells, 8 entries
	gamma := []float64{0, 0, 1, 0, 0}
	cells := []int32{0, 1, 2, 3, 3}
	theta := []float64{0.1, 0.9, 0.8, 0.2, 0.3}
	for _, c := range []struct {
		name string
		f    func()
	}{
		{"GradP", func() { e.GradP(gamma, make([]float64, 7)) }},
		{"GradP nil", func() { e.GradP(gamma, nil) }},
		{"CellGradTheta", func() { e.CellGradTheta(gamma, make([]float64, 3)) }},
		{"Atoms", func() { e.Atoms(make([]float64, 3)) }},
		{"GradTheta dTheta", func() {
			e.SetSamples(cells, theta)
			e.GradTheta(gamma, make([]float64, 4), nil)
		}},
		{"GradTheta atoms", func() {
			e.SetSamples(cells, theta)
			e.GradTheta(gamma, make([]float64, 5), make([]float64, 3))
		}},
	} {
		if got := panics(c.f); got != shortDst {
			t.Errorf("%s: panicked with %v, want %q", c.name, got, shortDst)
		}
	}

	// Exact and longer destinations work; GradP leaves the extra entries alone.
	e.SetDense([]float64{0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0})
	out := make([]float64, 9)
	out[8] = 42
	if g := e.GradP(gamma, out); math.Abs(g-(1-math.Log2(3))) > 1e-12 || out[8] != 42 {
		t.Errorf("GradP into a longer slice: G = %v, out %v", g, out)
	}
	atoms := make([]float64, 5)
	atoms[4] = 42
	e.Atoms(atoms)
	if math.Abs(atoms[2]-(1-math.Log2(3))) > 1e-12 || atoms[4] != 42 {
		t.Errorf("Atoms into a longer slice: %v", atoms)
	}
	if got := panics(func() { e.GradP([]float64{1}, out) }); got != badGamma {
		t.Errorf("short γ: panicked with %v, want %q", got, badGamma)
	}
}
