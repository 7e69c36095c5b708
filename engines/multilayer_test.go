package engines

import (
	"path/filepath"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
)

// TestTwoLayerLab: the lab engine of mnist-trivariate-2layer shows each of
// its three layers (the lab's γ sliders and atom charts are per layer),
// takes a γ for its second hidden layer, trains, and saves a run file that
// --open continues.
func TestTwoLayerLab(t *testing.T) {
	data := NewData(mnisttest.TinyDir(t))
	p, err := presets.Find(presets.Builtin(), "mnist-trivariate-2layer")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := For(p, 1, data)
	if err != nil {
		t.Fatal(err)
	}
	lab := eng.(*LabEngine)
	layers := lab.Layers()
	if len(layers) != 3 {
		t.Fatalf("%d layers", len(layers))
	}
	for i, want := range []struct {
		name         string
		atoms, units int
	}{{"hidden", 19, 100}, {"hidden2", 19, 100}, {"readout", 5, 10}} {
		if l := layers[i]; l.Name != want.name || len(l.AtomNames) != want.atoms || l.Units != want.units {
			t.Errorf("layer %d: %s, %d atom names, %d units; want %+v", i, l.Name, len(l.AtomNames), l.Units, want)
		}
	}
	g := lab.Gamma(1)
	g[0] = 1.5
	if err := lab.SetGamma(1, g); err != nil {
		t.Fatal(err)
	}
	if err := lab.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	snap := lab.Snapshot()
	if len(snap.Layers) != 3 {
		t.Fatalf("snapshot of %d layers", len(snap.Layers))
	}
	for i, l := range snap.Layers {
		if len(l.Atoms) != len(layers[i].AtomNames) || l.HY <= 0 {
			t.Errorf("layer %d: %d atoms, H(Y) %g", i, len(l.Atoms), l.HY)
		}
	}
	path := filepath.Join(t.TempDir(), "run.json")
	if err := lab.SaveRun(path); err != nil {
		t.Fatal(err)
	}
	rec, err := runfile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Resume(rec, data)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Gamma(1)[0]; got != 1.5 {
		t.Fatalf("resumed hidden2 γ[0] = %g", got)
	}
}
