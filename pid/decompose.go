package pid

import (
	"errors"
	"fmt"
	"math"
)

// Dist is a dense joint pmf p(t, s1, …, sn), row-major with the target first:
// Shape = [nT, |S1|, …, |Sn|].
type Dist struct {
	Shape []int
	P     []float64
}

// Result is a full decomposition in bits.
type Result struct {
	Sources int
	Names   []string
	Atoms   []float64
	HRes    float64
	HT      float64
	// MI holds I(T;S_A) for every non-empty source subset A, keyed like
	// "I(T;S1)", "I(T;S1,S2)".
	MI map[string]float64
	// MINames lists MI's keys in a stable order (singles first).
	MINames []string
}

// SumTolerance is how far a pmf's total may stray from 1.
const SumTolerance = 1e-9

// Validate checks shape, entries and normalisation.
func (d Dist) Validate() error {
	if len(d.Shape) < 2 {
		return errors.New("pmf needs a target axis and at least one source axis")
	}
	if n := len(d.Shape) - 1; n > MaxSources {
		return fmt.Errorf("pmf has %d sources; at most %d are supported", n, MaxSources)
	}
	size := 1
	for i, s := range d.Shape {
		if s < 1 {
			return fmt.Errorf("axis %d is empty", i)
		}
		size *= s
	}
	if size != len(d.P) {
		return fmt.Errorf("pmf has %d entries, shape needs %d", len(d.P), size)
	}
	sum := 0.0
	for i, v := range d.P {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("entry %d is not a finite number", i)
		}
		if v < 0 {
			return fmt.Errorf("entry %d is negative (%g)", i, v)
		}
		sum += v
	}
	if math.Abs(sum-1) > SumTolerance {
		return fmt.Errorf("entries sum to %.12g, not 1 (±%g)", sum, SumTolerance)
	}
	return nil
}

// Decompose validates d and returns its I^sx decomposition.
func Decompose(d Dist) (Result, error) {
	if err := d.Validate(); err != nil {
		return Result{}, err
	}
	n := len(d.Shape) - 1
	e := NewEstimator(d.Shape[1:], d.Shape[0])
	e.SetDense(d.P)
	lat := e.Lattice()
	r := Result{Sources: n, Names: AtomNames(n), Atoms: make([]float64, len(lat.Nodes)), MI: map[string]float64{}}
	r.HRes = e.Atoms(r.Atoms)
	r.HT = e.Entropy()
	// MI of every subset: I^sx of the single-member antichain {A} is I(T;S_A).
	for size := 1; size <= n; size++ {
		for mask := 1; mask < 1<<n; mask++ {
			if popcount(mask) != size {
				continue
			}
			name := "I(T;"
			sep := ""
			for j := 0; j < n; j++ {
				if mask&(1<<j) != 0 {
					name += fmt.Sprintf("%sS%d", sep, j+1)
					sep = ","
				}
			}
			name += ")"
			r.MI[name] = e.singleNode(uint8(mask), true, 0)
			r.MINames = append(r.MINames, name)
		}
	}
	return r, nil
}

// Finite reports whether every atom, mutual information and H_res of r is a
// finite number; writers of formats that cannot carry NaN or ±Inf, such as
// JSON, check it first.
func (r Result) Finite() bool {
	for _, v := range r.Atoms {
		if !finite(v) {
			return false
		}
	}
	for _, v := range r.MI {
		if !finite(v) {
			return false
		}
	}
	return finite(r.HRes)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func popcount(x int) int {
	c := 0
	for ; x != 0; x &= x - 1 {
		c++
	}
	return c
}
