package sweep

import (
	"math"
	"math/rand/v2"
	"testing"

	"infomorph-tui/tasks"
)

// TestStatIsMeanSD: a point's mean ± s.d. is the module's one MeanSD.
func TestStatIsMeanSD(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for k := 0; k < 500; k++ {
		v := make([]float64, 1+k%9)
		for i := range v {
			v[i] = 0.8 + 0.1*rng.Float64()
		}
		got := stat(v)
		m, sd := tasks.MeanSD(v)
		if got.Mean != m || got.SD != sd || got.N != len(v) {
			t.Fatalf("%v: stat %+v, MeanSD %v ± %v", v, got, m, sd)
		}
	}
	if s := stat(nil); !math.IsNaN(s.Mean) || s.SD != 0 || s.N != 0 {
		t.Errorf("no values: %+v", s)
	}
}
