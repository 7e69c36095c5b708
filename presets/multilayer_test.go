package presets

import (
	"slices"
	"strings"
	"testing"

	"infomorph-tui/model"
)

// TestTwoLayerPreset: mnist-trivariate-2layer stacks two trivariate hidden
// layers as the authors' multilayer model does: the second reads the first
// as its receptive input, both take the label as context and their own
// outputs laterally, both learn opt_1_100_tpe.
func TestTwoLayerPreset(t *testing.T) {
	p, err := Find(Builtin(), "mnist-trivariate-2layer")
	if err != nil {
		t.Fatal(err)
	}
	spec, err := p.NetSpec()
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Layers) != 3 {
		t.Fatalf("%d layers, want 3", len(spec.Layers))
	}
	tri, _ := Find(Builtin(), "mnist-trivariate")
	for i, wantF := range []model.Source{model.Image, model.Below} {
		l := spec.Layers[i]
		if l.F != wantF || l.C != model.Label || l.L != model.Lateral || l.Units != 100 || l.Act.Kind != model.ThreeSource {
			t.Errorf("layer %d: %+v", i, l)
		}
		if !slices.Equal(l.Gamma, tri.Layers[0].Gamma) {
			t.Errorf("layer %d does not learn mnist-trivariate's goal", i)
		}
	}
	if ro := spec.Layers[2]; ro.F != model.Below || ro.Units != 10 || !ro.IdentityContext {
		t.Errorf("readout %+v", ro)
	}
	if _, err := model.NewNetwork(spec, 1); err != nil {
		t.Fatal(err)
	}
}

// TestBinsField: a layer's bins set the bin count of its binning, keeping
// its range; absent is the paper's 20; out of range names the field.
func TestBinsField(t *testing.T) {
	p, _ := Find(Builtin(), "mnist-context")
	spec, _ := p.NetSpec()
	if spec.Layers[0].Bins != model.FixedBins() || spec.Layers[1].Bins != model.AdaptiveBins() {
		t.Fatalf("absent bins: %+v, %+v", spec.Layers[0].Bins, spec.Layers[1].Bins)
	}
	p.Layers = append([]Layer(nil), p.Layers...)
	p.Layers[0].Bins, p.Layers[1].Bins = 10, 32
	spec, err := p.NetSpec()
	if err != nil {
		t.Fatal(err)
	}
	if b := spec.Layers[0].Bins; b.Bins != 10 || b.Lo != -20 || b.Hi != 20 || b.Adaptive {
		t.Errorf("fixed with 10 bins: %+v", b)
	}
	if b := spec.Layers[1].Bins; b.Bins != 32 || !b.Adaptive {
		t.Errorf("adaptive with 32 bins: %+v", b)
	}
	for _, n := range []int{1, -3, MaxBins + 1} {
		p.Layers[1].Bins = n
		if err := p.Validate(); err == nil || !strings.HasPrefix(err.Error(), "layers[1].bins: ") {
			t.Errorf("bins %d: %v", n, err)
		}
	}
}
