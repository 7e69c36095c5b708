package presets

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"infomorph-tui/tasks"
)

func TestMemoryBuiltin(t *testing.T) {
	want := []struct {
		name  string
		alpha float64
		rule  tasks.MemoryRule
		gamma []float64
	}{
		{"memory-redundancy", 0.5, tasks.Infomorphic, []float64{0, 0, 1, 0, 0}},
		{"memory-mi", 0.5, tasks.Infomorphic, []float64{1, 0, 1, 0, 0}},
		{"memory-optimized", 0.5, tasks.Infomorphic, []float64{0.48, -0.16, 0.25, 0.04, -0.63}},
		{"memory-hebbian", 0.1, tasks.Hebbian, []float64{0, 0, 1, 0, 0}},
	}
	all := MemoryBuiltin()
	if len(all) != len(want) {
		t.Fatalf("%d memory presets, want %d", len(all), len(want))
	}
	for i, w := range want {
		p := all[i]
		if p.Name != w.name || !p.IsMemory() || p.Source != "builtin" || p.Description == "" || len(p.Layers) != 0 {
			t.Fatalf("preset %d: %+v, want %s", i, p, w.name)
		}
		cfg, err := p.MemoryConfig(7)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Preset != w.name || cfg.N != 100 || cfg.Alpha != w.alpha || cfg.Rule != w.rule || cfg.LR != 0.05 ||
			cfg.Epochs != 5000 || cfg.CueNoise != 0.1 || cfg.Seed != 7 || !reflect.DeepEqual(cfg.Gamma, w.gamma) {
			t.Errorf("%s: config %+v", w.name, cfg)
		}
		if _, err := p.NetSpec(); err == nil || !strings.Contains(err.Error(), "task:") {
			t.Errorf("%s: NetSpec error %v, want one naming the task", w.name, err)
		}
		data, _ := json.Marshal(p)
		q, err := Parse(data, "builtin")
		if err != nil || !reflect.DeepEqual(p, q) {
			t.Errorf("%s does not round-trip: %v", w.name, err)
		}
		if _, err := tasks.NewMemoryRun(cfg); err != nil {
			t.Errorf("%s: NewMemoryRun: %v", w.name, err)
		}
	}
	for _, p := range Builtin() {
		if _, err := p.MemoryConfig(1); err == nil {
			t.Errorf("%s: MNIST preset gave a memory config", p.Name)
		}
	}
}

func TestEverything(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	nb := len(Builtin())
	if all, _ := All(); len(all) != nb {
		t.Fatalf("All() has %d presets, want the %d MNIST built-ins", len(all), nb)
	}
	dir := filepath.Join(cfg, "infomorph-tui", "presets")
	writeFile(t, filepath.Join(dir, "mem.json"), goodMemory)
	writeFile(t, filepath.Join(dir, "clash.json"), strings.Replace(goodMemory, `"my-memory"`, `"memory-hebbian"`, 1))
	all, errs := Everything()
	var names, want []string
	for _, p := range all {
		names = append(names, p.Name)
	}
	for _, p := range Builtin() {
		want = append(want, p.Name)
	}
	want = append(want, "memory-redundancy", "memory-mi", "memory-optimized", "memory-hebbian", "my-memory")
	if !reflect.DeepEqual(names, want) {
		t.Errorf("Everything() = %v, want %v", names, want)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"memory-hebbian" is already taken`) {
		t.Errorf("errors %v", errs)
	}
	// All() knows no memory built-ins, so the clash is a user preset there.
	if all, _ := All(); len(all) != nb+2 {
		t.Errorf("All() with user presets has %d, want %d + my-memory + clash", len(all), nb)
	}
}

const goodMemory = `{
  "name": "my-memory",
  "description": "test",
  "task": "memory",
  "memory": {"neurons": 64, "alpha": 1.2, "rule": "infomorphic",
    "gamma": [0, 0, 1, 0, 0], "lr": 0.05, "epochs": 300, "cue_noise": 0.2}
}`

func TestParseMemory(t *testing.T) {
	p, err := Parse([]byte(goodMemory), "mem.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := p.MemoryConfig(3)
	if err != nil || cfg.N != 64 || cfg.Alpha != 1.2 || cfg.Epochs != 300 || cfg.CueNoise != 0.2 || cfg.Patterns() != 77 {
		t.Errorf("config %+v, %v", cfg, err)
	}
	hebb := `{"name": "h", "task": "memory", "memory": {"neurons": 50, "alpha": 0.1, "rule": "hebbian", "epochs": 10}}`
	p, err = Parse([]byte(hebb), "h.json")
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := p.MemoryConfig(1); err != nil || cfg.LR != tasks.MemoryLR || !reflect.DeepEqual(cfg.Gamma, []float64{0, 0, 1, 0, 0}) || cfg.CueNoise != 0 {
		t.Errorf("hebbian defaults %+v, %v", cfg, err)
	}
	mem := func(old, new string) string { return strings.Replace(goodMemory, old, new, 1) }
	cases := []struct{ name, json, field string }{
		{"missing block", `{"name": "x", "task": "memory"}`, "memory:"},
		{"layers", mem(`"task": "memory",`, `"task": "memory", "layers": [{"name": "a"}],`), "layers:"},
		{"memory block on mnist", mem(`"task": "memory"`, `"task": "mnist"`), "memory:"},
		{"rule", mem(`"infomorphic"`, `"oja"`), "memory.rule"},
		{"neurons", mem(`"neurons": 64`, `"neurons": 1`), "memory.neurons"},
		{"alpha zero", mem(`"alpha": 1.2`, `"alpha": 0`), "memory.alpha"},
		{"alpha big", mem(`"alpha": 1.2`, `"alpha": 50`), "memory.alpha"},
		{"epochs", mem(`"epochs": 300`, `"epochs": 0`), "memory.epochs"},
		{"cue noise", mem(`"cue_noise": 0.2`, `"cue_noise": 0.7`), "memory.cue_noise"},
		{"short gamma", mem(`[0, 0, 1, 0, 0]`, `[0, 0, 1]`), "memory.gamma"},
		{"missing gamma", mem(`"gamma": [0, 0, 1, 0, 0], `, ``), "memory.gamma"},
		{"lr", mem(`"lr": 0.05`, `"lr": 0`), "memory.lr"},
		{"hebbian gamma", strings.Replace(hebb, `"epochs": 10`, `"epochs": 10, "gamma": [1]`, 1), "memory.gamma"},
		{"unknown field", mem(`"alpha"`, `"beta": 1, "alpha"`), `unknown field "beta"`},
		{"task", mem(`"task": "memory"`, `"task": "memories"`), "task:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.json), "bad.json")
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "bad.json: ") || !strings.Contains(msg, tc.field) {
				t.Errorf("error %q does not name the file and %q", msg, tc.field)
			}
		})
	}
}
