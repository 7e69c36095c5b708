package presets

import (
	"reflect"
	"strings"
	"testing"

	"infomorph-tui/model"
)

// baselineTable is issue 13's baselines, after DESIGN's presets: name,
// hidden units, lateral partners, training, the hidden layer's context and
// firing, and whether the hidden layer is fixed.
var baselineTable = []struct {
	name     string
	units    int
	partners int
	training model.Training
	c        model.Source
	firing   model.Firing
	fixed    bool
}{
	{"mnist-backprop", 100, 0, model.Backprop, model.Label, model.Sample01, false},
	{"mnist-random-projection", 100, 0, model.Local, model.Label, model.Heaviside, true},
	{"mnist-trivariate-feedback", 100, 0, model.Local, model.Feedback, model.Sample, false},
	{"mnist-backprop-2000", 2000, 0, model.Backprop, model.Label, model.Sample01, false},
	{"mnist-random-projection-2000", 2000, 0, model.Local, model.Label, model.Heaviside, true},
	{"mnist-trivariate-feedback-2000", 2000, 100, model.Local, model.Feedback, model.Sample, false},
}

// TestBaselines: the baseline presets follow DESIGN's in a stable order and
// build the authors' networks (paper_trivariate/conf/models/global_backprop,
// infomorphic_random_projection, infomorphic_context_lateral_with_feedback).
func TestBaselines(t *testing.T) {
	all := Builtin()
	if len(all) != len(designTable)+len(baselineTable)+len(laterTable) {
		t.Fatalf("%d built-in presets, want %d", len(all), len(designTable)+len(baselineTable)+len(laterTable))
	}
	for i, want := range baselineTable {
		p := all[len(designTable)+i]
		if p.Name != want.name {
			t.Fatalf("preset %d is %q, want %q", len(designTable)+i, p.Name, want.name)
		}
		t.Run(p.Name, func(t *testing.T) {
			if !strings.Contains(p.Description, "paper ") {
				t.Errorf("description %q does not give the paper's number", p.Description)
			}
			spec, err := p.NetSpec()
			if err != nil {
				t.Fatal(err)
			}
			if spec.Training != want.training || len(spec.Layers) != 2 {
				t.Fatalf("training %s, %d layers", spec.Training, len(spec.Layers))
			}
			h, ro := spec.Layers[0], spec.Layers[1]
			if h.Units != want.units || h.Partners != want.partners || h.C != want.c || h.Firing != want.firing ||
				h.Fixed() != want.fixed || h.F != model.Image {
				t.Errorf("hidden spec %+v", h)
			}
			if ro.F != model.Below || ro.C != model.Label || !ro.IdentityContext || ro.Firing != model.Sample ||
				ro.Act != (model.Activation{Kind: model.Graetz, K1: 1, K2: 2}) || !ro.Bins.Adaptive {
				t.Errorf("readout spec %+v", ro)
			}
			switch want.training {
			case model.Backprop:
				// global_backprop.yaml: one Adam, lr 1e-3, no weight decay;
				// the three-source hidden layer with c1 = c2 = 0.1.
				for _, l := range spec.Layers {
					if l.LR != 1e-3 || l.WD != 0 {
						t.Errorf("layer %s: lr %g wd %g, want 1e-3, 0", l.Name, l.LR, l.WD)
					}
				}
				if h.L != model.Lateral || h.Act != (model.Activation{Kind: model.ThreeSource, C1: 0.1, C2: 0.1}) {
					t.Errorf("backprop hidden: L %s, act %+v", h.L, h.Act)
				}
			default:
				if !reflect.DeepEqual(ro.Gamma, readoutGamma) || ro.LR != 3e-3 || ro.WD != 1.5e-4 {
					t.Errorf("infomorphic readout %+v", ro)
				}
			}
			if want.fixed {
				// infomorphic_random_projection.yaml: lr 0, wd 0, γ 0, Graetz
				// k1 = 0.9 with a Heaviside output, adaptive bins.
				if h.WD != 0 || !reflect.DeepEqual(h.Gamma, []float64{0, 0, 0, 0, 0}) || !h.Bins.Adaptive ||
					h.Act != (model.Activation{Kind: model.Graetz, K1: 0.9, K2: 2}) {
					t.Errorf("random projection hidden %+v", h)
				}
			}
			if want.c == model.Feedback && (!reflect.DeepEqual(h.Gamma, tpeGamma) || h.L != model.Lateral) {
				t.Errorf("feedback hidden: γ %v, L %s", h.Gamma, h.L)
			}
			if want.units <= 100 {
				if _, err := model.NewNetwork(spec, 1); err != nil {
					t.Errorf("NewNetwork: %v", err)
				}
			}
		})
	}
}

// TestBaselineFieldErrors: the fields the baselines brought are validated
// and their errors name the field.
func TestBaselineFieldErrors(t *testing.T) {
	hidden := `{
  "name": "x", "description": "test", "task": "mnist",
  "layers": [
    {"name": "hidden", "units": 8, "f": "image", "c": "label", "firing": "heaviside",
      "activation": {"kind": "graetz", "k1": 0.9, "k2": 2}, "binning": "fixed",
      "gamma": [0, 0, 0, 0, 0], "lr": 0, "wd": 0},
    {"name": "readout", "units": 10, "f": "below", "c": "label", "identity_context": true,
      "activation": {"kind": "graetz", "k1": 1, "k2": 2}, "binning": "adaptive",
      "gamma": [-0.2, 0.1, 1, 0.1, 0], "lr": 3e-3, "wd": 1.5e-4}
  ]
}`
	backprop, err := builtin.ReadFile("builtin/mnist-backprop.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse([]byte(hidden), "ok.json"); err != nil {
		t.Fatalf("a fixed Heaviside hidden layer: %v", err)
	}
	for _, tc := range []struct{ name, json, want string }{
		{"training", strings.Replace(hidden, `"task": "mnist",`, `"task": "mnist", "training": "hebb",`, 1), "training:"},
		{"firing", strings.Replace(hidden, `"heaviside"`, `"spike"`, 1), "layers[0].firing"},
		{"heaviside learning", strings.Replace(hidden, `"lr": 0, "wd": 0`, `"lr": 1e-3, "wd": 0`, 1), "lr 0"},
		{"negative lr", strings.Replace(hidden, `"lr": 0, "wd": 0`, `"lr": -1, "wd": 0`, 1), "layers[0].lr"},
		{"fixed readout", strings.Replace(hidden, `"lr": 3e-3`, `"lr": 0`, 1), "layers[1].lr"},
		{"feedback under backprop", strings.Replace(string(backprop), `"c": "label", "l": "lateral"`, `"c": "feedback", "l": "lateral"`, 1), "layers: layer hidden: feedback"},
		{"feedback in layer 1", strings.Replace(hidden, `"f": "below", "c": "label", "identity_context": true,`, `"f": "below", "c": "feedback",`, 1), "feedback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json), "x.json")
			if tc.want == "" {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}
