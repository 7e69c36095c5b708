package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/runfile"
)

// TestSweepAndTuneOwnData: sweep and tune train on the preset's data (a
// generated task) and on a --data folder of another shape (10×10 pixels,
// 4 classes), as run does; a study continued without --preset finds its
// data from its own preset.
func TestSweepAndTuneOwnData(t *testing.T) {
	dir := mnisttest.Generate(mnisttest.Grid10Spec()).TempDir(t)
	sw := filepath.Join(t.TempDir(), "sweep")
	code, _, stderr := cli(t, "sweep", "--preset", "mnist-readout", "--data", dir, "--vary", "{1}=-0.2:0:2", "--epochs", "2", "--jobs", "1", "--out", sw)
	if code != 0 {
		t.Fatalf("sweep on a 10×10 4-class idx set: exit %d: %s", code, stderr)
	}
	runs, err := filepath.Glob(filepath.Join(sw, "runs", "*.json"))
	if err != nil || len(runs) != 2 {
		t.Fatalf("sweep runs %v (%v)", runs, err)
	}
	rec, err := runfile.Load(runs[0])
	if err != nil {
		t.Fatal(err)
	}
	if w := rec.State.Net.Layers[0].F.W; len(w) != 100*4 {
		t.Errorf("readout has %d receptive weights, want 100 inputs × 4 classes", len(w))
	}

	study := filepath.Join(t.TempDir(), "study")
	code, _, stderr = cli(t, "tune", "--preset", "logic-and", "--study", study, "--sampler", "random", "--trials", "2", "--epochs", "2", "--jobs", "1")
	if code != 0 {
		t.Fatalf("tune on the generated AND task: exit %d: %s", code, stderr)
	}
	code, _, stderr = cli(t, "tune", "--study", study, "--trials", "3", "--jobs", "1")
	if code != 0 {
		t.Fatalf("continuing the study: exit %d: %s", code, stderr)
	}
	csv, err := os.ReadFile(filepath.Join(study, "results.csv"))
	if err != nil || strings.Count(string(csv), "\n") != 4 {
		t.Errorf("results.csv: %v\n%s", err, csv)
	}
}
