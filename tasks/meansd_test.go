package tasks

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestMeanSDIsGonum: MeanSD is gonum's stat.MeanStdDev bit for bit (its
// summation order and corrected two-pass variance), except that one value
// has an s.d. of 0.
func TestMeanSDIsGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for k := 0; k < 2000; k++ {
		xs := make([]float64, 2+k%11)
		for i := range xs {
			xs[i] = 0.9 + 0.05*rng.Float64()
		}
		m, sd := MeanSD(xs)
		wm, wsd := stat.MeanStdDev(xs, nil)
		if m != wm || sd != wsd {
			t.Fatalf("%v: MeanSD = %v ± %v, gonum %v ± %v", xs, m, sd, wm, wsd)
		}
	}
	if m, sd := MeanSD([]float64{0.25}); m != 0.25 || sd != 0 {
		t.Errorf("one value: %v ± %v", m, sd)
	}
	if m, sd := MeanSD(nil); !math.IsNaN(m) || !math.IsNaN(sd) {
		t.Errorf("no values: %v ± %v", m, sd)
	}
	if m, sd := MeanSD([]float64{0.1, 0.1, 0.1}); math.Abs(m-0.1) > 1e-16 || !(sd >= 0 && sd < 1e-16) {
		t.Errorf("equal values: %v ± %v", m, sd)
	}
}
