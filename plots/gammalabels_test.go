package plots

import (
	"testing"

	"infomorph-tui/runfile"
)

// γ markers say which entry changed and from what to what (issue 12, 4.11):
// one label per step, with the layer's name in networks of several layers.
func TestGammaChangeLabels(t *testing.T) {
	rec := fakeRecord(6, 4, 4)
	rec.Gamma = []runfile.GammaChange{
		{Step: 0, Layer: "hidden", Gamma: []float64{0, 0, 1, 0, 0}},
		{Step: 0, Layer: "readout", Gamma: []float64{-0.2, 0.1, 1, 0.1, 0}},
		{Step: 40, Layer: "hidden", Gamma: []float64{0, 0, 1, 0.5, 0}},
		{Step: 40, Layer: "readout", Gamma: []float64{-0.2, 0.1, 1, 0.1, 0.25}},
		{Step: 70, Layer: "hidden", Gamma: []float64{0.1, 0, 0.9, 0.5, 0}},
	}
	got := gammaChanges(rec)
	want := []gammaChange{
		{2, "hidden: γ{12} 0→0.5; readout: γ_res 0→0.25"},
		{3.5, "hidden: γ{1} 0→0.1, γ{1}{2} 1→0.9"},
	}
	if len(got) != len(want) {
		t.Fatalf("changes %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if _, err := Run(rec); err != nil {
		t.Fatal(err)
	}
}
