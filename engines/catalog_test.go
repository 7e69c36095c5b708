package engines

import (
	"errors"
	"strings"
	"testing"

	"infomorph-tui/presets"
)

// Without MNIST, MNIST presets are listed disabled with the reason; memory
// presets and generated tasks stay available; without CIFAR-10's files its
// preset is disabled naming them.
func TestCatalog(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
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
		mnist := !p.IsMemory() && (p.Dataset == "" || p.Dataset == "mnist")
		cifar := p.Dataset == "cifar10" || p.Dataset == "cifar10-grey"
		if info.Available != (!mnist && !cifar) {
			t.Errorf("%s: available %v, memory %v, dataset %q", p.Name, info.Available, p.IsMemory(), p.Dataset)
		}
		if mnist && info.Reason != "MNIST not found" || cifar && !strings.Contains(info.Reason, "data_batch_1.bin") {
			t.Errorf("%s: reason %q", p.Name, info.Reason)
		}
	}
	for _, info := range Catalog(all, nil) {
		p, _ := presets.Find(all, info.Name)
		if cifar := p.Dataset == "cifar10"; info.Available == cifar || (info.Reason != "") != cifar {
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
