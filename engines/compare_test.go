package engines

import (
	"math"
	"path/filepath"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

func tinyLab(t *testing.T, preset string) *LabEngine {
	t.Helper()
	data, err := NewData(mnisttest.TinyDir(t)).Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := presets.Find(presets.Builtin(), preset)
	if err != nil {
		t.Fatal(err)
	}
	run, err := NewRun(p, 7, data)
	if err != nil {
		t.Fatal(err)
	}
	return NewLab(p, run)
}

// TestLabEngineFork: the lab's fork trains exactly as the original when γ
// is left alone, keeps its own γ and record when the original's changes,
// and reports evaluation progress like it.
func TestLabEngineFork(t *testing.T) {
	e := tinyLab(t, "mnist-readout")
	if err := e.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	var f tui.Engine
	f, err := e.Fork()
	if err != nil {
		t.Fatal(err)
	}
	twin, err := e.Fork()
	if err != nil {
		t.Fatal(err)
	}
	g := e.Gamma(0)
	g[3] += 1
	if err := e.SetGamma(0, g); err != nil {
		t.Fatal(err)
	}
	var done int
	f.(tui.Progresser).SetProgress(func(d, total int) { done = d })
	steps := e.Snapshot().StepsPerEpoch
	for _, x := range []tui.Engine{e, f, twin} {
		for range steps {
			if err := x.Step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if done == 0 {
		t.Error("the fork reported no evaluation progress")
	}
	a, b, c := e.Snapshot().History[1], f.Snapshot().History[1], twin.Snapshot().History[1]
	if b.TestAcc != c.TestAcc || b.Layers[0].Goal != c.Layers[0].Goal {
		t.Errorf("two forks with the same γ differ: %v/%v vs %v/%v", b.TestAcc, b.Layers[0].Goal, c.TestAcc, c.Layers[0].Goal)
	}
	if a.Layers[0].Goal == b.Layers[0].Goal {
		t.Error("raising γ{12} left G unchanged")
	}
	if math.Abs(f.Gamma(0)[3]-(g[3]-1)) > 1e-12 {
		t.Errorf("the fork took the original's γ: %v", f.Gamma(0))
	}
	if gh := f.(tui.GammaHistory).GammaHistory(); len(gh) != 1 {
		t.Errorf("the fork's γ history %+v, want its initial γ only", gh)
	}
}

// TestGammaLoggedPerBatch: γ changes between two batches are one run-file
// entry, at the step they took effect.
func TestGammaLoggedPerBatch(t *testing.T) {
	e := tinyLab(t, "mnist-readout")
	if err := e.Step(); err != nil {
		t.Fatal(err)
	}
	g := e.Gamma(0)
	for range 3 {
		g[0] += 0.01
		if err := e.SetGamma(0, g); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Step(); err != nil {
		t.Fatal(err)
	}
	gh := e.GammaHistory()
	if len(gh) != 2 || gh[1].Step != 1 || math.Abs(gh[1].Gamma[0]-g[0]) > 1e-12 {
		t.Errorf("γ history %+v, want the initial γ and one change at step 1", gh)
	}
}

// TestLoadBaseline: a saved run reads back as a baseline with its epochs,
// goals and last γ; a file without epochs is refused.
func TestLoadBaseline(t *testing.T) {
	e := tinyLab(t, "mnist-readout")
	if err := e.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "base.json")
	if err := e.SaveRun(path); err != nil {
		t.Fatal(err)
	}
	b, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	want := e.Snapshot().History[0]
	if b.Label != "base.json" || b.Preset != "mnist-readout" || len(b.History) != 1 ||
		b.History[0].TestAcc != want.TestAcc || b.History[0].Layers[0].Goal != want.Layers[0].Goal || len(b.Gamma["readout"]) != 5 {
		t.Errorf("baseline %+v", b)
	}
	// an older file without goals gets them from its γ
	rec, err := runfile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	rec.Epochs[0].Layers[0].Goal = 0
	got := withGoals(rec, rec.State.StepsPerEpoch)[0].Layers[0]
	if math.Abs(got.Goal-tasks.GoalOf(e.Gamma(0), got.Atoms)) > 1e-12 || got.Goal == 0 {
		t.Errorf("filled-in G %v", got.Goal)
	}
	empty := tinyLab(t, "mnist-readout")
	if err := empty.SaveRun(path); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadBaseline(path); err == nil {
		t.Error("a run without epochs was accepted as a baseline")
	}
}

// TestMemoryEngineSaysItCannotBeSaved: memory runs name their sources R and
// C and say why `w` does not write them.
func TestMemoryEngineSaysItCannotBeSaved(t *testing.T) {
	eng, err := NewMemory(presets.MemoryBuiltin()[0], 1)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := eng.(tui.Unsaveable)
	if !ok || u.WhyNotSaveable() == "" {
		t.Fatal("a memory engine does not say why it cannot be saved")
	}
	if s := eng.Layers()[0].Sources; len(s) != 2 || s[0] != "R" || s[1] != "C" {
		t.Errorf("sources %v", s)
	}
}
