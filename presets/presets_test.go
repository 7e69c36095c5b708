package presets

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"infomorph-tui/model"
)

var (
	readoutGamma = []float64{-0.2, 0.1, 1, 0.1, 0}
	tpeGamma     = []float64{0.3307283306516516, 0.9780761799548087, -0.9935002057481923, 0.40173303106031233,
		0.2427806207519021, 0.6255375402143335, 0.47128370476190684, 0.02120506738070921,
		0.06053998481721795, -0.9469786302806626, -0.01985334149032275, -0.9676614963177035,
		-0.6924498112774857, 0.42701490050101726, 0.9736446648870112, 0.7369645864450716,
		-0.12183291675207343, -0.21512478790202927, 0.035001249394734923}
	fourAtom = func() []float64 {
		g := make([]float64, 19) // {1}{2}{3}, {1}{2}, {1}{3}, …, {12}{13} is the 12th atom
		g[0], g[1], g[2], g[11] = 0.33, 1, -1, -1
		return g
	}()
)

// designTable is DESIGN.md §5: name, hidden γ (nil: readout only), hidden
// second source, lateral third source.
var designTable = []struct {
	name   string
	hidden []float64
	c      model.Source
	three  bool
}{
	{"mnist-readout", nil, model.Label, false},
	{"mnist-context", []float64{0, 0, 1, 0, 0}, model.Label, false},
	{"mnist-context-opt", []float64{0.0379, 0.3185, 0.7755, 0.1536, 0.0076}, model.Label, false},
	{"mnist-lateral", []float64{1, 0, 0, 0, 0}, model.Lateral, false},
	{"mnist-lateral-opt", []float64{0.8051, -0.4079, 0.5380, 0.5634, -0.0097}, model.Lateral, false},
	{"mnist-trivariate", tpeGamma, model.Label, true},
	{"mnist-trivariate-4atom", fourAtom, model.Label, true},
	{"mnist-context-2000", []float64{0, 0, 1, 0, 0}, model.Label, false},
	{"mnist-trivariate-2000-sparse", tpeGamma, model.Label, true},
}

func TestBuiltin(t *testing.T) {
	all := Builtin()
	if len(all) != len(designTable)+len(baselineTable)+len(laterTable) {
		t.Fatalf("%d built-in presets, want %d (DESIGN's, the baselines, then laterTable)", len(all), len(designTable)+len(baselineTable)+len(laterTable))
	}
	for i, want := range designTable {
		p := all[i]
		if p.Name != want.name {
			t.Fatalf("preset %d is %q, want %q (DESIGN order)", i, p.Name, want.name)
		}
		t.Run(p.Name, func(t *testing.T) {
			if p.Source != "builtin" || p.Task != "mnist" || p.Description == "" {
				t.Errorf("source %q, task %q, description %q", p.Source, p.Task, p.Description)
			}
			spec, err := p.NetSpec()
			if err != nil {
				t.Fatal(err)
			}
			if spec.InputDim != 784 || spec.Classes != 10 {
				t.Errorf("NetSpec dims %d → %d, want 784 → 10", spec.InputDim, spec.Classes)
			}
			nl := 2
			if want.hidden == nil {
				nl = 1
			}
			if len(spec.Layers) != nl {
				t.Fatalf("%d layers, want %d", len(spec.Layers), nl)
			}
			ro := spec.Layers[nl-1]
			if ro.Units != 10 || ro.C != model.Label || !ro.IdentityContext || !ro.Bins.Adaptive ||
				ro.Act != (model.Activation{Kind: model.Graetz, K1: 1, K2: 2}) || ro.LR != 3e-3 || ro.WD != 1.5e-4 {
				t.Errorf("readout spec %+v", ro)
			}
			if !reflect.DeepEqual(ro.Gamma, readoutGamma) {
				t.Errorf("readout γ %v, want %v", ro.Gamma, readoutGamma)
			}
			if nl == 1 {
				if ro.F != model.Image {
					t.Errorf("readout-only preset reads %s, want image", ro.F)
				}
			} else {
				h := spec.Layers[0]
				if ro.F != model.Below {
					t.Errorf("readout reads %s, want below", ro.F)
				}
				units, partners := 100, 0
				if strings.Contains(want.name, "-2000") {
					units = 2000
				}
				if strings.HasSuffix(want.name, "-sparse") {
					partners = 100
				}
				if h.Units != units || h.Partners != partners || h.F != model.Image || h.C != want.c || h.Bins != model.FixedBins() ||
					h.LR != 2e-3 || h.WD != 3.5e-4 || h.IdentityContext {
					t.Errorf("hidden spec %+v", h)
				}
				if !reflect.DeepEqual(h.Gamma, want.hidden) {
					t.Errorf("hidden γ %v, want %v", h.Gamma, want.hidden)
				}
				wantLen := 5
				if want.three {
					wantLen = 19
					if h.L != model.Lateral || h.Act != (model.Activation{Kind: model.ThreeSource, C1: 0.1, C2: 0.1}) {
						t.Errorf("trivariate hidden: L %s, act %+v", h.L, h.Act)
					}
				} else if h.L != model.None || h.Act != (model.Activation{Kind: model.Graetz, K1: 0.9, K2: 2}) {
					t.Errorf("bivariate hidden: L %s, act %+v", h.L, h.Act)
				}
				if len(h.Gamma) != wantLen {
					t.Errorf("hidden γ has %d entries, want %d", len(h.Gamma), wantLen)
				}
				if h.Recurrent() != (want.c == model.Lateral || want.three) {
					t.Errorf("hidden recurrent = %v", h.Recurrent())
				}
			}
			if _, err := model.NewNetwork(spec, 1); err != nil {
				t.Errorf("NewNetwork: %v", err)
			}
		})
	}
	if _, err := Find(all, Default); err != nil {
		t.Errorf("default preset: %v", err)
	}
}

// good is a valid user preset used as the base of the error cases.
const good = `{
  "name": "my-readout",
  "description": "test",
  "task": "mnist",
  "layers": [
    {"name": "readout", "units": 10, "f": "image", "c": "label", "identity_context": true,
      "activation": {"kind": "graetz", "k1": 1, "k2": 2}, "binning": "adaptive",
      "gamma": [-0.2, 0.1, 1, 0.1, 0], "lr": 3e-3, "wd": 1.5e-4}
  ]
}`

func TestParseGood(t *testing.T) {
	p, err := Parse([]byte(good), "good.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "my-readout" || p.Source != "good.json" || len(p.Layers) != 1 {
		t.Errorf("parsed %+v", p)
	}
}

func TestParseErrors(t *testing.T) {
	two := strings.Replace(good, `"layers": [`, `"layers": [
    {"name": "hidden", "units": 20, "f": "image", "c": "label",
      "activation": {"kind": "graetz", "k1": 0.9, "k2": 2}, "binning": "fixed",
      "gamma": [0, 0, 1, 0, 0], "lr": 2e-3, "wd": 3.5e-4},`, 1)
	two = strings.Replace(two, `"units": 10, "f": "image"`, `"units": 10, "f": "below"`, 1)
	if _, err := Parse([]byte(two), "two.json"); err != nil {
		t.Fatalf("two-layer base: %v", err)
	}
	cases := []struct {
		name, json string
		field      string // must appear in the message
	}{
		{"unknown field", strings.Replace(good, `"task"`, `"colour": "red", "task"`, 1), `unknown field "colour"`},
		{"unknown layer field", strings.Replace(good, `"units": 10`, `"units": 10, "bias": 1`, 1), `unknown field "bias"`},
		{"short gamma", strings.Replace(good, `[-0.2, 0.1, 1, 0.1, 0]`, `[-0.2, 0.1, 1, 0.1]`, 1), "layers[0].gamma"},
		{"long gamma", strings.Replace(good, `[-0.2, 0.1, 1, 0.1, 0]`, `[-0.2, 0.1, 1, 0.1, 0, 0]`, 1), "layers[0].gamma"},
		{"hidden gamma", strings.Replace(two, `[0, 0, 1, 0, 0]`, `[0, 0, 1]`, 1), "layers[0].gamma"},
		{"unknown activation", strings.Replace(good, `"graetz"`, `"relu"`, 1), "layers[0].activation.kind"},
		{"unknown binning", strings.Replace(good, `"adaptive"`, `"quantile"`, 1), "layers[0].binning"},
		{"bad f", strings.Replace(good, `"f": "image"`, `"f": "pixels"`, 1), "layers[0].f"},
		{"lateral f", strings.Replace(good, `"f": "image"`, `"f": "lateral"`, 1), "layers[0].f"},
		{"below f in first", strings.Replace(good, `"f": "image"`, `"f": "below"`, 1), "layers[0].f"},
		{"image f in second", strings.Replace(two, `"f": "below"`, `"f": "image"`, 1), "layers[1].f"},
		{"bad c", strings.Replace(good, `"c": "label"`, `"c": "image"`, 1), "layers[0].c"},
		{"bad l", strings.Replace(good, `"c": "label",`, `"c": "label", "l": "label",`, 1), "layers[0].l"},
		{"missing name", strings.Replace(good, `"name": "my-readout"`, `"name": ""`, 1), "name:"},
		{"name with space", strings.Replace(good, `"name": "my-readout"`, `"name": "my readout"`, 1), "name:"},
		{"missing layer name", strings.Replace(good, `"name": "readout"`, `"name": ""`, 1), "layers[0].name"},
		{"trailing data", good + ` {}`, "trailing data"},
		{"non-mnist task", strings.Replace(good, `"task": "mnist"`, `"task": "cifar"`, 1), "task:"},
		{"no layers", good[:strings.Index(good, `"layers"`)] + `"layers": []}`, "layers:"},
		{"readout units", strings.Replace(good, `"units": 10`, `"units": 7`, 1), "layers[0].units"},
		{"zero lr", strings.Replace(good, `"lr": 3e-3`, `"lr": 0`, 1), "layers[0].lr"},
		{"negative wd", strings.Replace(good, `"wd": 1.5e-4`, `"wd": -1`, 1), "layers[0].wd"},
		{"three sources, bivariate act", strings.Replace(two, `"c": "label",
      "activation": {"kind": "graetz", "k1": 0.9`, `"c": "label", "l": "lateral",
      "activation": {"kind": "graetz", "k1": 0.9`, 1), "layers[0].activation.kind"},
		{"identity without label", strings.Replace(two, `"f": "below", "c": "label"`, `"f": "below", "c": "lateral"`, 1), "layers[1].identity_context"},
		{"not json", `{"name": `, "bad.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.json == good || tc.json == two {
				t.Fatal("test case did not change the base preset")
			}
			_, err := Parse([]byte(tc.json), "bad.json")
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "bad.json: ") || !strings.Contains(msg, tc.field) {
				t.Errorf("error %q does not name the file and %q", msg, tc.field)
			}
		})
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadUser(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a-good.json"), good)
	writeFile(t, filepath.Join(dir, "b-bad.json"), strings.Replace(good, `"adaptive"`, `"odd"`, 1))
	writeFile(t, filepath.Join(dir, "notes.txt"), "not a preset")
	ps, errs := LoadUser(dir)
	if len(ps) != 1 || ps[0].Name != "my-readout" || ps[0].Source != filepath.Join(dir, "a-good.json") {
		t.Errorf("LoadUser presets %+v", ps)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), filepath.Join(dir, "b-bad.json")) ||
		!strings.Contains(errs[0].Error(), "layers[0].binning") {
		t.Errorf("LoadUser errors %v, want one naming b-bad.json and its field", errs)
	}
	if ps, errs := LoadUser(filepath.Join(dir, "missing")); ps != nil || errs != nil {
		t.Errorf("missing dir: %v, %v", ps, errs)
	}
	if ps, errs := LoadUser(""); ps != nil || errs != nil {
		t.Errorf("empty dir: %v, %v", ps, errs)
	}
}

func TestAllWithUserPresets(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	dir := filepath.Join(cfg, "infomorph-tui", "presets")
	if got := UserDir(); got != dir {
		t.Fatalf("UserDir() = %q, want %q", got, dir)
	}
	all, errs := All()
	if len(all) != len(designTable)+len(baselineTable)+len(laterTable) || len(errs) != 0 {
		t.Fatalf("no user dir: %d presets, errors %v", len(all), errs)
	}
	writeFile(t, filepath.Join(dir, "mine.json"), good)
	writeFile(t, filepath.Join(dir, "clash.json"), strings.Replace(good, `"my-readout"`, `"mnist-readout"`, 1))
	writeFile(t, filepath.Join(dir, "twin.json"), good)
	writeFile(t, filepath.Join(dir, "broken.json"), `{"name": "x", "task": "mnist", "layers": []}`)
	all, errs = All()
	if n := len(designTable) + len(baselineTable) + len(laterTable); len(all) != n+1 || all[n].Name != "my-readout" {
		names := []string{}
		for _, p := range all {
			names = append(names, p.Name)
		}
		t.Fatalf("All() = %v, want the built-ins then my-readout", names)
	}
	for i, want := range designTable {
		if all[i].Name != want.name {
			t.Errorf("All()[%d] = %s, want %s", i, all[i].Name, want.name)
		}
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	joined := strings.Join(msgs, "\n")
	if len(errs) != 3 {
		t.Errorf("want 3 errors (broken, clash with a built-in, twin), got:\n%s", joined)
	}
	for _, want := range []string{"broken.json: layers:", "clash.json: name:", `"mnist-readout" is already taken`, "twin.json: name:"} {
		if !strings.Contains(joined, want) {
			t.Errorf("errors lack %q:\n%s", want, joined)
		}
	}
	p, err := Find(all, "my-readout")
	if err != nil || p.Source != filepath.Join(dir, "mine.json") {
		t.Errorf("Find(my-readout) = %v from %q", err, p.Source)
	}
	if _, err := Find(all, "nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "mnist-context") {
		t.Errorf("Find(nope) error %v, want the name and the available presets", err)
	}
}

// TestPresetJSONRoundTrip: a preset marshals back to JSON that parses to the same preset.
func TestPresetJSONRoundTrip(t *testing.T) {
	for _, p := range Builtin() {
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := Parse(data, "builtin")
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Errorf("%s does not round-trip", p.Name)
		}
	}
}
