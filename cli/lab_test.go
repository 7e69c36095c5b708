package cli

import (
	"infomorph-tui/engines"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"infomorph-tui/sweep"
)

func TestLabOpenErrors(t *testing.T) {
	code, _, stderr := cli(t, "--open", filepath.Join(t.TempDir(), "missing.json"))
	if code != 1 || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"schema": 2, "preset": 7}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, "--open", bad); code != 1 || !strings.Contains(stderr, "bad.json") {
		t.Errorf("malformed file: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "--open", bad, "--preset", "mnist-readout"); code != ExitUsage || !strings.Contains(stderr, "--open") {
		t.Errorf("--open with --preset: exit %d, stderr %q", code, stderr)
	}
}

// --baseline names a file that must be a readable run file; it is for the
// lab, not the sweep view.
func TestLabBaselineErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone.json")
	if code, _, stderr := cli(t, "--baseline", missing); code != ExitUsage || !strings.Contains(stderr, "gone.json") {
		t.Errorf("missing baseline: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "--sweep", t.TempDir(), "--baseline", missing); code != ExitUsage || !strings.Contains(stderr, "--baseline") {
		t.Errorf("--sweep with --baseline: exit %d, stderr %q", code, stderr)
	}
}

func TestSweepHeatmap(t *testing.T) {
	data := tinyData(t)
	dir := filepath.Join(t.TempDir(), "sweep")
	if code, _, stderr := cli(t, "sweep", "--preset", "mnist-readout", "--vary", "{1}{2}=0.5:1.5:2", "--vary", "h_res=0:0.5:2",
		"--seeds", "1", "--epochs", "1", "--jobs", "1", "--out", dir, "--data", data); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	res, err := sweep.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := engines.SweepHeatmap(res)
	if err != nil {
		t.Fatal(err)
	}
	// columns are the first varied entry, as plot draws them
	if h.XName != "γ{1}{2}" || !reflect.DeepEqual(h.XValues, []float64{0.5, 1.5}) || h.YName != "γ_res" ||
		!reflect.DeepEqual(h.YValues, []float64{0, 0.5}) || len(h.Metrics) != 8 || len(h.Metrics[0].Cells) != 4 {
		t.Fatalf("heatmap axes %s %v × %s %v, %d metrics", h.XName, h.XValues, h.YName, h.YValues, len(h.Metrics))
	}
	if h.StarBy != 1 || h.Metrics[1].Label != "final validation accuracy (%)" || len(h.Runs) != 4 || len(h.Runs[0]) != 1 {
		t.Errorf("star by %d (%s), runs %v", h.StarBy, h.Metrics[h.StarBy].Label, h.Runs)
	}
	cells := h.Metrics[0].Cells
	// row 0, column 1: {1}{2} = 1.5, h_res = 0, the grid's third point
	if g, err := res.Grid(sweep.TestAcc); err != nil || 100*g.Cells[2].Mean != cells[1].Mean {
		t.Errorf("cell (0, 1) %v is not the grid's point ({1}{2} 1.5, h_res 0): %v", cells[1].Mean, err)
	}
	top := 0.0
	for i, c := range cells {
		if c.N != 1 || !(c.Mean >= 0 && c.Mean <= 100) {
			t.Errorf("cell %d: %+v", i, c)
		}
		top = max(top, c.Mean)
	}
	if top < 2 {
		t.Errorf("best cell %v: want percent, not a fraction", top)
	}
	if row := res.Rows[0]; 100*row.TestAcc != cells[0].Mean {
		t.Errorf("first cell %v, first run's test accuracy %v", cells[0].Mean, row.TestAcc)
	}
	if !strings.Contains(h.About, "1 epoch · 1 seed per point · 4 of 4 runs") {
		t.Errorf("about: %q", h.About)
	}

	if code, _, stderr := cli(t, "--sweep", filepath.Join(t.TempDir(), "none")); code != 1 || stderr == "" {
		t.Errorf("missing sweep folder: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := cli(t, "--sweep", dir, "--open", "x.json"); code != ExitUsage || !strings.Contains(stderr, "--sweep") {
		t.Errorf("--sweep with --open: exit %d, stderr %q", code, stderr)
	}
}
