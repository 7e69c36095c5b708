package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyMemory is a user preset small enough for a CLI test: 20 neurons, a
// 150-epoch budget.
const tinyMemory = `{"name": "tiny-memory", "description": "test", "task": "memory",
  "memory": {"neurons": 20, "alpha": 0.5, "rule": "infomorphic", "gamma": [0, 0, 1, 0, 0],
    "lr": 0.05, "epochs": 150, "cue_noise": 0.1}}`

// capacityCLI runs dispatch with a user preset dir holding tinyMemory.
func capacityCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	dir := filepath.Join(cfg, "infomorph-tui", "presets")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tiny.json"), []byte(tinyMemory), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code = Main(context.Background(), append([]string{"capacity"}, args...), Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestCapacityUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no preset", nil, "--preset is required"},
		{"unknown flag", []string{"--preset", "memory-hebbian", "--bogus"}, "bogus"},
		{"unknown preset", []string{"--preset", "memory-nope"}, `unknown preset "memory-nope"`},
		{"mnist preset", []string{"--preset", "mnist-context"}, "not a memory preset"},
		{"zero seeds", []string{"--preset", "memory-hebbian", "--seeds", "0"}, "--seeds"},
		{"text seeds", []string{"--preset", "memory-hebbian", "--seeds", "many"}, "seeds"},
		{"zero jobs", []string{"--preset", "memory-hebbian", "--jobs", "0"}, "--jobs"},
		{"zero epochs", []string{"--preset", "memory-hebbian", "--epochs", "0"}, "--epochs"},
		{"zero stride", []string{"--preset", "memory-hebbian", "--stride", "0"}, "--stride"},
		{"alpha without sweep", []string{"--preset", "memory-hebbian", "--alpha", "0.2"}, "--alpha"},
		{"bad alpha", []string{"--preset", "memory-hebbian", "--noise-sweep", "--alpha", "-1"}, "--alpha"},
		{"stride with sweep", []string{"--preset", "memory-hebbian", "--noise-sweep", "--stride", "2"}, "--stride"},
		{"extra argument", []string{"--preset", "memory-hebbian", "now"}, `unexpected argument "now"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := capacityCLI(t, tc.args...)
			if code != ExitUsage || stdout != "" {
				t.Errorf("exit %d, stdout %q", code, stdout)
			}
			if !strings.HasPrefix(stderr, "infomorph-tui capacity: ") || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q, want one line naming %q", stderr, tc.want)
			}
		})
	}
}

func TestCapacityHelp(t *testing.T) {
	code, stdout, _ := capacityCLI(t, "--help")
	if code != 0 || !strings.Contains(stdout, "usage: infomorph-tui capacity") {
		t.Errorf("--help: exit %d, %q", code, stdout)
	}
}

func TestCapacityHebbianJSON(t *testing.T) {
	code, stdout, stderr := capacityCLI(t, "--preset", "memory-hebbian", "--seeds", "3", "--jobs", "2", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Preset string    `json:"preset"`
		Seeds  []uint64  `json:"seeds"`
		AlphaC []float64 `json:"alpha_c"`
		Mean   float64   `json:"mean"`
		SD     *float64  `json:"sd"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("stdout %q: %v", stdout, err)
	}
	if rep.Preset != "memory-hebbian" || len(rep.Seeds) != 3 || rep.Seeds[0] != 1 || len(rep.AlphaC) != 3 || rep.SD == nil {
		t.Errorf("report %+v", rep)
	}
	if rep.Mean < 0.05 || rep.Mean > 0.3 {
		t.Errorf("Hebbian mean α_c %g", rep.Mean)
	}
	for _, s := range []string{"seed 1: α_c", "seed 3: α_c", "[3/3]", "mean α_c"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("progress lacks %q:\n%s", s, stderr)
		}
	}
}

func TestCapacityInfomorphicTable(t *testing.T) {
	code, stdout, stderr := capacityCLI(t, "--preset", "tiny-memory", "--seeds", "2", "--jobs", "2", "--stride", "4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, s := range []string{"tiny-memory · infomorphic · N = 20 · 2 seeds", "seed  α_c", "mean α_c = ", "strict rule"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("table lacks %q:\n%s", s, stdout)
		}
	}
	if !strings.Contains(stderr, "M = 1, 5, 9, …") {
		t.Errorf("progress header:\n%s", stderr)
	}
}

func TestCapacityNoiseSweepJSON(t *testing.T) {
	code, stdout, stderr := capacityCLI(t, "--preset", "tiny-memory", "--noise-sweep", "--seeds", "2", "--epochs", "40", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep noiseReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Patterns != 10 || rep.Epochs != 40 || len(rep.Flips) != 11 || len(rep.Curves) != 2 ||
		rep.Curves[0].Rule != "infomorphic" || rep.Curves[1].Rule != "hebbian" || len(rep.Curves[0].Seeds) != 2 {
		t.Errorf("report %+v", rep)
	}
	code, stdout, _ = capacityCLI(t, "--preset", "memory-hebbian", "--noise-sweep", "--seeds", "1", "--alpha", "0.05", "--epochs", "30")
	if code != 0 || !strings.Contains(stdout, "α = 0.05 (M = 5)") || !strings.Contains(stdout, "hebbian score") {
		t.Errorf("table (exit %d):\n%s", code, stdout)
	}
}
