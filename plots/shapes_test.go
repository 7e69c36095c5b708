package plots

import (
	"testing"

	"infomorph-tui/pid"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// TestRunMixedShapes: a record whose epochs differ in their layers or atom
// counts (runfile refuses such files, but a Record can be built in code) is
// drawn without a panic: each epoch's values are looked up by name.
func TestRunMixedShapes(t *testing.T) {
	names := pid.GammaNames(2)
	layer := func(name string, n int) tasks.LayerStats {
		l := tasks.LayerStats{Name: name, AtomNames: names[:n], HY: 1}
		for k := 0; k < n; k++ {
			l.Atoms = append(l.Atoms, 0.1*float64(k+1))
		}
		return l
	}
	for _, epochs := range [][]tasks.EpochStats{
		{{Epoch: 1, TestAcc: 0.5, Layers: []tasks.LayerStats{layer("readout", 1)}},
			{Epoch: 2, TestAcc: 0.6, Layers: []tasks.LayerStats{layer("readout", 5)}}},
		{{Epoch: 1, TestAcc: 0.5, Layers: []tasks.LayerStats{layer("readout", 5)}},
			{Epoch: 2, TestAcc: 0.6, Layers: []tasks.LayerStats{layer("readout", 2)}}},
		{{Epoch: 1, TestAcc: 0.5, Layers: []tasks.LayerStats{layer("hidden", 5), layer("readout", 5)}},
			{Epoch: 2, TestAcc: 0.6, Layers: []tasks.LayerStats{layer("readout", 5)}}},
		{{Epoch: 1, TestAcc: 0.5, Layers: []tasks.LayerStats{{Name: "readout", AtomNames: names, Atoms: []float64{1}, HY: 1}}},
			{Epoch: 2, TestAcc: 0.6, Layers: []tasks.LayerStats{layer("readout", 5)}}},
	} {
		rec := runfile.Record{Preset: "mnist-readout", Seed: 1, Epochs: epochs}
		if _, err := Run(rec); err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}
