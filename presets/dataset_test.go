package presets

import (
	"strings"
	"testing"

	"infomorph-tui/tasks"
)

// laterTable lists the built-in presets after the baselines, in order: the
// multi-layer network, then the presets of other data (dataset field).
var laterTable = []struct {
	name, dataset   string
	inputs, readout int
}{
	{"mnist-trivariate-2layer", "", 784, 10},
	{"bars-unsupervised", "bars", 64, 3},
	{"logic-xor", "xor", 2, 2},
	{"logic-and", "and", 2, 2},
	{"logic-parity3", "parity3", 3, 2},
	{"cifar10-trivariate", "cifar10", 3072, 10},
}

// TestLaterPresets: the presets after the baselines come in a stable order,
// name their data, and their networks read its inputs into its classes.
func TestLaterPresets(t *testing.T) {
	all := Builtin()
	first := len(designTable) + len(baselineTable)
	if len(all) != first+len(laterTable) {
		t.Fatalf("%d built-in presets, want %d", len(all), first+len(laterTable))
	}
	for i, want := range laterTable {
		p := all[first+i]
		if p.Name != want.name || p.Dataset != want.dataset {
			t.Fatalf("preset %d is %q (dataset %q), want %q (%q)", first+i, p.Name, p.Dataset, want.name, want.dataset)
		}
		spec, err := p.NetSpec()
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if spec.InputDim != want.inputs || spec.Layers[len(spec.Layers)-1].Units != want.readout {
			t.Errorf("%s: %d inputs, readout %d; want %d, %d", p.Name, spec.InputDim, spec.Layers[len(spec.Layers)-1].Units, want.inputs, want.readout)
		}
	}
}

// TestCIFARGoal: cifar10-trivariate's hidden γ is the authors'
// opt_1_100_CIFAR (paper_trivariate/conf/goals/infomorphic_context_lateral).
func TestCIFARGoal(t *testing.T) {
	p, err := Find(Builtin(), "cifar10-trivariate")
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.9837820726191796, 0.6048455749515627, -0.21334943315606067, 0.24265712902806794,
		0.33962813939570347, -0.5790385828040313, 0.04999679463591504, 0.03361529158166076, 0.5973862257913375,
		-0.07824457437830484, 0.4762356584665217, -0.8475447215243984, -0.3991893069538312, 0.5563392672403792,
		0.2714717752741452, -0.46227689740518685, -0.06276458120619889, -0.26289699781803655, 0}
	g := p.Layers[0].Gamma
	if len(g) != len(want) {
		t.Fatalf("γ has %d entries", len(g))
	}
	for i := range want {
		if g[i] != want[i] {
			t.Errorf("γ[%d] = %v, want %v", i, g[i], want[i])
		}
	}
}

// TestDatasetField: an unknown dataset is refused by name, a memory preset
// may not name one, and NetSpecFor fits the readout to the data.
func TestDatasetField(t *testing.T) {
	bad := strings.Replace(good, `"task": "mnist"`, `"task": "mnist", "dataset": "imagenet"`, 1)
	if _, err := Parse([]byte(bad), "x.json"); err == nil || !strings.Contains(err.Error(), "dataset: unknown dataset \"imagenet\"") {
		t.Errorf("unknown dataset: %v", err)
	}
	mem := MemoryBuiltin()[0]
	mem.Dataset = "bars"
	if err := mem.Validate(); err == nil || !strings.HasPrefix(err.Error(), "dataset:") {
		t.Errorf("memory with a dataset: %v", err)
	}
	p, err := Find(Builtin(), "mnist-context")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := p.NetSpecFor(100, 4)
	if err != nil {
		t.Fatal(err)
	}
	if spec.InputDim != 100 || spec.Classes != 4 || spec.Layers[1].Units != 4 || spec.Layers[0].Units != 100 {
		t.Errorf("NetSpecFor(100, 4): %d inputs, %d classes, layers %d/%d", spec.InputDim, spec.Classes, spec.Layers[0].Units, spec.Layers[1].Units)
	}
	if _, err := p.NetSpec(); err != nil {
		t.Errorf("NetSpec: %v", err)
	}
	if d, c := tasks.SourceShape(""); d != 784 || c != 10 {
		t.Errorf("default shape %d, %d", d, c)
	}
}
