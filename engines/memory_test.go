package engines

import (
	"testing"

	"infomorph-tui/presets"
)

// TestMemoryEngine: every built-in memory preset runs as a lab engine.
func TestMemoryEngine(t *testing.T) {
	for _, p := range presets.MemoryBuiltin() {
		eng, err := NewMemory(p, 1)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		ls := eng.Layers()
		if len(ls) != 1 || ls[0].Name != "memory" || ls[0].Units != 100 || len(ls[0].AtomNames) != 5 {
			t.Errorf("%s: layers %+v", p.Name, ls)
		}
		for range 3 {
			if err := eng.Step(); err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
		}
		s := eng.Snapshot()
		if s.Epoch != 3 || len(s.History) != 3 || s.Preset != p.Name || len(eng.Gamma(0)) != 5 || len(eng.PresetGamma(0)) != 5 {
			t.Errorf("%s: snapshot %+v", p.Name, s)
		}
		if w, r, c, ok := eng.ReceptiveField(0, 5); !ok || r != 10 || c != 10 || len(w) != 100 {
			t.Errorf("%s: receptive field %d×%d %v", p.Name, r, c, ok)
		}
		if err := eng.Reset(); err != nil || eng.Snapshot().Epoch != 0 {
			t.Errorf("%s: reset %v", p.Name, err)
		}
	}
	if _, err := NewMemory(presets.Builtin()[0], 1); err == nil {
		t.Error("MNIST preset accepted")
	}
}
