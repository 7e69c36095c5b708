package cli

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestBaselinePresets: the issue-13 baselines are listed by `presets` and
// train for an epoch through `run --json` on the tiny data set, with finite
// atoms for both layers (backprop and fixed layers report measured atoms).
func TestBaselinePresets(t *testing.T) {
	names := []string{"mnist-backprop", "mnist-random-projection", "mnist-trivariate-feedback",
		"mnist-backprop-2000", "mnist-random-projection-2000", "mnist-trivariate-feedback-2000"}
	code, stdout, stderr := cli(t, "presets")
	if code != 0 {
		t.Fatalf("presets: exit %d, %s", code, stderr)
	}
	for _, n := range names {
		if !strings.Contains(stdout, "  "+n+" ") {
			t.Errorf("presets does not list %s", n)
		}
	}
	if testing.Short() {
		return
	}
	data := tinyData(t)
	for _, n := range names[:3] {
		t.Run(n, func(t *testing.T) {
			code, stdout, stderr := cli(t, "run", "--preset", n, "--data", data, "--epochs", "1", "--json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			var e epochLine
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &e); err != nil || !e.Final {
				t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
			}
			if e.TestAcc == nil || !(*e.TestAcc > 0.1) {
				t.Errorf("test accuracy %v, want above chance", e.TestAcc)
			}
			for _, layer := range []string{"hidden", "readout"} {
				atoms := e.Atoms[layer]
				if len(atoms) == 0 {
					t.Errorf("no atoms for layer %s", layer)
				}
				for k, v := range atoms {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Errorf("layer %s atom %s = %g", layer, k, v)
					}
				}
			}
		})
	}
}
