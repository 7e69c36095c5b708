package plots

import (
	"math"
	"testing"

	"infomorph-tui/presets"
	"infomorph-tui/sweep"
)

// fakeSensitivity builds a sensitivity result of mnist-trivariate with
// made-up accuracies: zeroing entry k costs k·0.1 pp; each removal in a
// cumulative analysis keeps the error near 5% until the 16th, then it jumps.
func fakeSensitivity(t *testing.T, mode string, cumulative bool) sweep.Result {
	t.Helper()
	p, err := presets.Find(presets.Builtin(), "mnist-trivariate")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sweep.NewSensitivitySpec(p, "", mode, cumulative, nil, 3, 1, 10)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	res := sweep.Result{Dir: "fake", Spec: s, Total: len(jobs)}
	for _, j := range jobs {
		k := float64(j.Index / s.Seeds)
		acc := 0.948 - 0.001*k + 0.002*float64(j.Seed)
		if cumulative {
			acc = 0.95 - 0.8/(1+math.Exp(-2*(k-16))) + 0.002*float64(j.Seed)
		}
		res.Rows = append(res.Rows, sweep.Row{ID: j.ID, Seed: j.Seed, Point: j.Label, Gamma: j.Point, Epochs: 10,
			TrainAcc: acc, ValAcc: acc, TestAcc: acc - 0.003})
	}
	return res
}

func TestSensitivityFigure(t *testing.T) {
	for _, tc := range []struct {
		name       string
		mode       string
		cumulative bool
		rows       int
	}{
		{"zero", sweep.ModeZero, false, 20},
		{"scale", sweep.ModeScale, false, 39},
		{"cumulative", sweep.ModeZero, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Sweep(fakeSensitivity(t, tc.mode, tc.cumulative))
			if err != nil {
				t.Fatal(err)
			}
			h := 4.4
			if !tc.cumulative {
				h = 1.3 + 14.0/72*float64(tc.rows)
			}
			checkImage(t, decode(t, f), 7, h)
		})
	}
}
