package engines

import (
	"errors"
	"strings"
	"testing"

	"infomorph-tui/presets"
)

// Without MNIST, MNIST presets are listed disabled with the reason; memory
// presets stay available.
func TestCatalog(t *testing.T) {
	all := append(presets.Builtin(), presets.MemoryBuiltin()...)
	infos := Catalog(all, errors.New("MNIST not found"))
	if len(infos) != len(all) {
		t.Fatalf("%d infos for %d presets", len(infos), len(all))
	}
	for i, info := range infos {
		p := all[i]
		if info.Name != p.Name || info.Description != p.Description {
			t.Errorf("%d: %+v for %s", i, info, p.Name)
		}
		if info.Available != p.IsMemory() {
			t.Errorf("%s: available %v, memory %v", p.Name, info.Available, p.IsMemory())
		}
		if !info.Available && info.Reason != "MNIST not found" {
			t.Errorf("%s: reason %q", p.Name, info.Reason)
		}
	}
	for _, info := range Catalog(all, nil) {
		if !info.Available || info.Reason != "" {
			t.Errorf("with data: %+v", info)
		}
	}
}

// The factory builds memory engines without data and names missing data
// and unknown presets.
func TestFactory(t *testing.T) {
	all := append(presets.Builtin(), presets.MemoryBuiltin()...)
	f := Factory(all, NewData(t.TempDir())) // no MNIST there
	if e, err := f("memory-hebbian", 1); err != nil || len(e.Layers()) != 1 {
		t.Errorf("memory preset: %v", err)
	}
	if _, err := f("mnist-readout", 1); err == nil || !strings.Contains(err.Error(), "--data") {
		t.Errorf("MNIST preset without data: %v", err)
	}
	if _, err := f("no-such-preset", 1); err == nil || !strings.Contains(err.Error(), "no-such-preset") {
		t.Errorf("unknown preset: %v", err)
	}
}
