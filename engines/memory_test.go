package engines

import (
	"slices"
	"testing"

	"infomorph-tui/presets"
	"infomorph-tui/tui"
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

// TestMemoryEngineFork: f works on memory presets — two forks with equal γ
// train bit for bit alike, one with another γ does not.
func TestMemoryEngineFork(t *testing.T) {
	p := presets.MemoryBuiltin()[0]
	eng, err := NewMemory(p, 2)
	if err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := eng.Step(); err != nil {
			t.Fatal(err)
		}
	}
	f, ok := eng.(tui.Forker)
	if !ok {
		t.Fatal("memory engines do not fork")
	}
	a, err := f.Fork()
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Fork()
	if err != nil {
		t.Fatal(err)
	}
	g := eng.Gamma(0)
	g[3] += 0.5
	if err := eng.SetGamma(0, g); err != nil {
		t.Fatal(err)
	}
	for range 6 {
		for _, e := range []tui.Engine{eng, a, b} {
			if err := e.Step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	wa := a.(MemoryEngine).Network().W
	if !slices.Equal(wa, b.(MemoryEngine).Network().W) {
		t.Error("two forks with equal γ differ")
	}
	if slices.Equal(wa, eng.(MemoryEngine).Network().W) {
		t.Error("the run with a changed γ trained exactly like its fork")
	}
	if sa, se := a.Snapshot(), eng.Snapshot(); sa.Epoch != 10 || len(sa.History) != len(se.History) {
		t.Errorf("fork at epoch %d with %d evaluations, the run %d with %d", sa.Epoch, len(sa.History), se.Epoch, len(se.History))
	}
}
