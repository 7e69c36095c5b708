package engines

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tui"
)

// The lab trains an MNIST preset on a 10×10-pixel, 4-class idx folder
// (--data): the engine reads 100 inputs into 4 readout units, draws 10×10
// receptive fields, saves a run file naming the data, and reopens it.
func TestLabOwnIdx(t *testing.T) {
	dir := mnisttest.Generate(mnisttest.Grid10Spec()).TempDir(t)
	all := presets.Builtin()
	data := NewData(dir)
	e, err := Factory(all, data)("mnist-context", 1)
	if err != nil {
		t.Fatal(err)
	}
	if ls := e.Layers(); ls[1].Units != 4 {
		t.Fatalf("readout of %d units for 4 classes", ls[1].Units)
	}
	for range 40 {
		if err := e.Step(); err != nil {
			t.Fatal(err)
		}
	}
	s := e.Snapshot()
	if s.Epoch != 20 || !(s.TestAcc > 0.5) {
		t.Errorf("epoch %d, test accuracy %v (chance 0.25)", s.Epoch, s.TestAcc)
	}
	w, rows, cols, ok := e.ReceptiveField(0, 7)
	if !ok || rows != 10 || cols != 10 || len(w) != 100 {
		t.Errorf("field %d×%d of %d weights (ok %v)", rows, cols, len(w), ok)
	}
	path := filepath.Join(t.TempDir(), "lab.json")
	if err := e.(tui.RunSaver).SaveRun(path); err != nil {
		t.Fatal(err)
	}
	rec, err := runfile.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Dataset != "idx "+dir {
		t.Errorf("run file dataset %q", rec.Dataset)
	}
	if _, err := Open(rec, data); err != nil {
		t.Errorf("reopen: %v", err)
	}
	rec.State = nil // shown read-only: its readout still has one unit per class
	ro, err := NewRecord(rec, errors.New("no state"))
	if err != nil {
		t.Fatal(err)
	}
	if ls := ro.Layers(); ls[1].Units != 4 {
		t.Errorf("read-only readout of %d units", ls[1].Units)
	}
}

// Generated presets need no files: with MNIST missing they stay available,
// CIFAR-10's preset is disabled naming the files to place, and the bars
// engine draws 8×8 fields.
func TestCatalogForSources(t *testing.T) {
	t.Setenv("INFOMORPH_DATA", t.TempDir()) // no MNIST
	t.Setenv("XDG_DATA_HOME", t.TempDir())  // no CIFAR-10
	all := append(presets.Builtin(), presets.MemoryBuiltin()...)
	data := NewData("")
	for _, info := range CatalogFor(all, data) {
		p, _ := presets.Find(all, info.Name)
		switch ds := p.Dataset; {
		case p.IsMemory() || ds == "bars" || ds == "xor" || ds == "and" || ds == "parity3":
			if !info.Available {
				t.Errorf("%s: disabled (%s)", info.Name, info.Reason)
			}
		case ds == "cifar10":
			if info.Available || !strings.Contains(info.Reason, "data_batch_1.bin") || !strings.Contains(info.Reason, "cifar-10-batches-bin") {
				t.Errorf("%s: available %v, reason %q", info.Name, info.Available, info.Reason)
			}
		default:
			if info.Available || !strings.Contains(info.Reason, "INFOMORPH_DATA") {
				t.Errorf("%s: available %v, reason %q", info.Name, info.Available, info.Reason)
			}
		}
	}
	e, err := Factory(all, data)("bars-unsupervised", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Step(); err != nil {
		t.Fatal(err)
	}
	if _, rows, cols, ok := e.ReceptiveField(0, 0); !ok || rows != 8 || cols != 8 {
		t.Errorf("bars field %d×%d (ok %v)", rows, cols, ok)
	}
}
