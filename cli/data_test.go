package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/runfile"
)

// finalLine decodes the last JSON line of `run --json`.
func finalLine(t *testing.T, out string) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil || m["final"] != true {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	return m
}

// TestRunOwnIdx: a 10×10-pixel, 4-class idx folder trains end to end
// through `run --data` with an MNIST preset: the network reads 100 inputs
// into 4 readout units, the run file names the data and `show` says it,
// and the run continues with --resume.
func TestRunOwnIdx(t *testing.T) {
	dir := mnisttest.Generate(mnisttest.Grid10Spec()).TempDir(t)
	out := filepath.Join(t.TempDir(), "run.json")
	code, stdout, stderr := cli(t, "run", "--preset", "mnist-context", "--data", dir, "--epochs", "20", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if acc := finalLine(t, stdout)["test_acc"].(float64); acc < 0.5 {
		t.Errorf("test accuracy %v on 4 learnable classes (chance 0.25)", acc)
	}
	rec, err := runfile.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Dataset != "idx "+dir || len(rec.Epochs[19].Confusion) != 16 {
		t.Errorf("dataset %q, confusion of %d cells", rec.Dataset, len(rec.Epochs[19].Confusion))
	}
	if w := rec.State.Net.Layers[0].F.W; len(w) != 100*100 {
		t.Errorf("hidden layer has %d receptive weights, want 100 inputs × 100 units", len(w))
	}
	code, stdout, stderr = cli(t, "show", out)
	if code != 0 || !strings.Contains(stdout, "dataset   idx "+dir) {
		t.Errorf("show: exit %d, %s%s", code, stdout, stderr)
	}
	code, _, stderr = cli(t, "run", "--resume", out, "--data", dir, "--epochs", "1")
	if code != 0 {
		t.Errorf("resume: exit %d: %s", code, stderr)
	}
	code, stdout, stderr = cli(t, "run", "--resume", out, "--epochs", "1") // MNIST is not this run's data
	checkOneLine(t, "run", code, ExitUsage, stdout, stderr, "the run trained on idx "+dir+", this is mnist")
}

// TestRunBadData: broken data files are one line naming the file.
func TestRunBadData(t *testing.T) {
	cifar := t.TempDir()
	mnisttest.WriteCIFAR(t, cifar, 2)
	bad := mnisttest.WriteFile(t, cifar, "data_batch_2.bin", make([]byte, 5000))
	csv := t.TempDir()
	mnisttest.WriteFile(t, csv, "train.csv", []byte("1,2,0\n1,x,1\n"))
	mnisttest.WriteFile(t, csv, "test.csv", []byte("1,2,0\n"))
	for name, c := range map[string]struct{ dir, want string }{
		"cifar": {cifar, bad},
		"csv":   {csv, filepath.Join(csv, "train.csv") + ":2"},
		"empty": {t.TempDir(), "no data found"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := cli(t, "run", "--preset", "mnist-readout", "--data", c.dir, "--epochs", "1")
			checkOneLine(t, "run", code, ExitUsage, out, errs, c.want)
		})
	}
}

// TestRunCIFARAndCSV: the CIFAR preset trains on generated CIFAR-10 files
// in colour; an MNIST preset trains on a CSV folder (3 features, 3 classes).
func TestRunCIFARAndCSV(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	cifar := t.TempDir()
	mnisttest.WriteCIFAR(t, cifar, 30)
	code, out, errs := cli(t, "run", "--preset", "cifar10-trivariate", "--epochs", "1", "--json")
	checkOneLine(t, "run", code, ExitUsage, out, errs, "data_batch_1.bin")
	code, out, errs = cli(t, "run", "--preset", "cifar10-trivariate", "--data", cifar, "--epochs", "1", "--json")
	if code != 0 {
		t.Fatalf("cifar: exit %d: %s", code, errs)
	}
	finalLine(t, out)
	csv := t.TempDir()
	mnisttest.WriteFile(t, csv, "train.csv", []byte(mnisttest.CSVText(3000, 3, 3, true, 1)))
	mnisttest.WriteFile(t, csv, "test.csv", []byte(mnisttest.CSVText(300, 3, 3, true, 2)))
	code, out, errs = cli(t, "run", "--preset", "mnist-context", "--data", csv, "--epochs", "30", "--json")
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	if acc := finalLine(t, out)["test_acc"].(float64); acc < 0.5 {
		t.Errorf("csv test accuracy %v (chance 1/3)", acc)
	}
}

// TestRunBars: bars-unsupervised needs no files and, with seed 1 after 60
// epochs, has 14 of its 16 hidden neurons single-bar detectors (12 distinct
// bars): the figure the README states.
func TestRunBars(t *testing.T) {
	t.Setenv("INFOMORPH_DATA", t.TempDir()) // no MNIST needed
	out := filepath.Join(t.TempDir(), "bars.json")
	code, stdout, stderr := cli(t, "run", "--preset", "bars-unsupervised", "--epochs", "60", "--seed", "1", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	bars, ok := finalLine(t, stdout)["bars"].(map[string]any)
	if !ok || bars["detectors"] != 14.0 || bars["units"] != 16.0 || bars["fraction"] != 0.875 || bars["distinct_bars"] != 12.0 {
		t.Errorf("bars %v, want 14 of 16 detectors (0.875) of 12 distinct bars", bars)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), `"dataset": "bars"`) {
		t.Errorf("run file lacks the dataset: %v", err)
	}
}

// TestRunLogicPID: logic-and with seed 1 learns AND (100% after 40
// epochs), and the PID of its test predictions about the two inputs, which
// `run --json` reports as "logic", is AND's closed form (¾log2 3 − 1 unique
// each, 2.5 − 1.5·log2 3 shared, 1.5 − ¾log2 3 synergy) up to the sampling
// of the 1024 test examples and the few wrong predictions.
func TestRunLogicPID(t *testing.T) {
	t.Setenv("INFOMORPH_DATA", t.TempDir()) // no MNIST needed
	code, stdout, stderr := cli(t, "run", "--preset", "logic-and", "--epochs", "40", "--seed", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	final := finalLine(t, stdout)
	if acc := final["test_acc"].(float64); acc < 0.99 {
		t.Fatalf("test accuracy %v", acc)
	}
	logic, ok := final["logic"].(map[string]any)
	if !ok {
		t.Fatalf("no logic PID in %v", final)
	}
	l3 := math.Log2(3)
	for name, want := range map[string]float64{"{1}": 0.75*l3 - 1, "{2}": 0.75*l3 - 1, "{1}{2}": 2.5 - 1.5*l3, "{12}": 1.5 - 0.75*l3} {
		if got, _ := logic[name].(float64); math.Abs(got-want) > 0.03 {
			t.Errorf("%s = %.4f, AND's closed form %.4f", name, got, want)
		}
	}
}
