package engines

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tui"
)

// The lab's `w` (LabEngine.SaveRun) writes a schema-2 run file with γ
// history and state; --open's engine (Resume) continues it exactly.
func TestLabEngineSaveAndResume(t *testing.T) {
	src := NewData(mnisttest.TinyDir(t))
	data, err := src.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := presets.Find(presets.Builtin(), "mnist-readout")
	if err != nil {
		t.Fatal(err)
	}
	run, err := NewRun(p, 3, data)
	if err != nil {
		t.Fatal(err)
	}
	var eng tui.Engine = NewLab(p, run)
	if err := run.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	g := eng.Gamma(0)
	g[4] = 0.5
	if err := eng.SetGamma(0, g); err != nil {
		t.Fatal(err)
	}
	if run.Snapshot().StepsPerEpoch < 2 {
		t.Fatalf("tiny data: %d steps per epoch, want ≥ 2", run.Snapshot().StepsPerEpoch)
	}
	if err := eng.Step(); err != nil { // save in the middle of an epoch
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "runs", "lab.json")
	if err := eng.(tui.RunSaver).SaveRun(path); err != nil {
		t.Fatal(err)
	}
	rec, err := runfile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Schema != 2 || rec.Preset != "mnist-readout" || rec.Seed != 3 || len(rec.Epochs) != 1 || rec.State == nil {
		t.Fatalf("run file: schema %d preset %s seed %d epochs %d state %v", rec.Schema, rec.Preset, rec.Seed, len(rec.Epochs), rec.State != nil)
	}
	steps := run.Snapshot().StepsPerEpoch
	if n := len(rec.Gamma); n != 2 || rec.Gamma[1].Step != steps || !reflect.DeepEqual(rec.Gamma[1].Gamma, g) {
		t.Errorf("γ history %+v, want the preset's then %v at step %d", rec.Gamma, g, steps)
	}

	opened := NewOpened(rec)
	if _, ok := opened.Take("mnist-context"); ok {
		t.Error("the record was handed out for another preset")
	}
	r2, ok := opened.Take("mnist-readout")
	if !ok {
		t.Fatal("the record was not handed out")
	}
	if _, again := opened.Take("mnist-readout"); again {
		t.Error("the record was handed out twice")
	}
	resumed, err := Resume(r2, src)
	if err != nil {
		t.Fatal(err)
	}
	if gh := resumed.GammaHistory(); len(gh) != 2 || gh[1].Step != steps || gh[1].Layer != 0 || !reflect.DeepEqual(gh[1].Gamma, g) {
		t.Errorf("resumed γ history %+v", gh)
	}
	if s := resumed.Snapshot(); len(s.History) != 1 || s.TotalSteps != steps+1 {
		t.Fatalf("resumed at %d epochs, %d steps; want 1, %d", len(s.History), s.TotalSteps, steps+1)
	}
	for _, e := range []tui.Engine{eng, resumed} {
		for range steps {
			if err := e.Step(); err != nil {
				t.Fatal(err)
			}
		}
	}
	a, b := eng.Snapshot().History, resumed.Snapshot().History
	for i := range a {
		a[i].SamplesPerSec, a[i].TrainSeconds = 0, 0
	}
	for i := range b {
		b[i].SamplesPerSec, b[i].TrainSeconds = 0, 0
	}
	if len(a) != 2 || !reflect.DeepEqual(a, b) {
		t.Errorf("continued run differs from the uninterrupted one:\n%+v\n%+v", a, b)
	}

	// a file that cannot be continued opens read-only, without data
	for _, tc := range []struct {
		name string
		edit func(*runfile.Record)
		why  string
	}{
		{"no state", func(r *runfile.Record) { r.State = nil }, "no training state"},
		{"diverged", func(r *runfile.Record) { r.Diverged = "NaN in readout weights" }, "diverged (NaN in readout weights)"},
	} {
		r := rec
		tc.edit(&r)
		e, err := Open(r, NewData(t.TempDir())) // no MNIST there
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		s := e.Snapshot()
		if !strings.HasPrefix(s.Diverged, "read-only: ") || !strings.Contains(s.Diverged, tc.why) ||
			len(s.History) != 1 || s.Epoch != 1 || s.TestAcc != rec.Epochs[0].TestAcc {
			t.Errorf("%s: snapshot diverged %q, %d epochs, epoch %d, test %v", tc.name, s.Diverged, len(s.History), s.Epoch, s.TestAcc)
		}
		if l := e.Layers(); len(l) != 1 || l[0].Name != "readout" || len(l[0].AtomNames) != 5 || l[0].Units != 10 {
			t.Errorf("%s: layers %+v", tc.name, l)
		}
		if !reflect.DeepEqual(e.Gamma(0), g) || e.Step() == nil || e.Reset() == nil || e.SetGamma(0, g) == nil {
			t.Errorf("%s: γ %v, or training was not refused", tc.name, e.Gamma(0))
		}
	}

	// Reset starts a new record; γ stays logged from step 0.
	if err := resumed.Reset(); err != nil {
		t.Fatal(err)
	}
	path2 := filepath.Join(t.TempDir(), "reset.json")
	if err := resumed.SaveRun(path2); err != nil {
		t.Fatal(err)
	}
	rec2, err := runfile.Load(path2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec2.Epochs) != 0 || len(rec2.Gamma) != 1 || rec2.Gamma[0].Step != 0 || !reflect.DeepEqual(rec2.Gamma[0].Gamma, g) {
		t.Errorf("after reset: %d epochs, γ %+v", len(rec2.Epochs), rec2.Gamma)
	}
}

// TestLayersSayWhenGammaIsUnused: the lab greys out the sliders of layers
// whose γ does nothing — every layer of a backprop preset, a fixed (lr 0)
// layer — and only those.
func TestLayersSayWhenGammaIsUnused(t *testing.T) {
	data, err := NewData(mnisttest.TinyDir(t)).Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		preset string
		want   []string // a word of each layer's reason, "" for none
	}{
		{"mnist-context", []string{"", ""}},
		{"mnist-backprop", []string{"backprop", "backprop"}},
		{"mnist-random-projection", []string{"lr 0", ""}},
	} {
		p, err := presets.Find(presets.Builtin(), tc.preset)
		if err != nil {
			t.Fatal(err)
		}
		run, err := NewRun(p, 1, data)
		if err != nil {
			t.Fatal(err)
		}
		ls := NewLab(p, run).Layers()
		if len(ls) != len(tc.want) {
			t.Fatalf("%s: %d layers, want %d", tc.preset, len(ls), len(tc.want))
		}
		for i, l := range ls {
			if got := l.GammaUnused; (tc.want[i] == "") != (got == "") || !strings.Contains(got, tc.want[i]) {
				t.Errorf("%s layer %s: GammaUnused %q, want one naming %q", tc.preset, l.Name, got, tc.want[i])
			}
		}
	}
}
