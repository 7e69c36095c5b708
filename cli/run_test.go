package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"

	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

func TestRunUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no preset", []string{"run"}, "--preset is required"},
		{"no preset with flags", []string{"run", "--epochs", "2"}, "--preset"},
		{"unknown preset", []string{"run", "--preset", "mnist-nope"}, `unknown preset "mnist-nope"`},
		{"zero epochs", []string{"run", "--preset", "mnist-readout", "--epochs", "0"}, "--epochs"},
		{"negative epochs", []string{"run", "--preset", "mnist-readout", "--epochs", "-3"}, "--epochs"},
		{"text epochs", []string{"run", "--preset", "mnist-readout", "--epochs", "ten"}, "epochs"},
		{"huge epochs", []string{"run", "--preset", "mnist-readout", "--epochs", "1000000"}, "--epochs"},
		{"bad seed", []string{"run", "--preset", "mnist-readout", "--seed", "-1"}, "seed"},
		{"negative threads", []string{"run", "--preset", "mnist-readout", "--threads", "-1"}, "--threads"},
		{"unknown flag", []string{"run", "--preset", "mnist-readout", "--frobnicate"}, "frobnicate"},
		{"extra argument", []string{"run", "--preset", "mnist-readout", "extra"}, `unexpected argument "extra"`},
		{"missing data", []string{"run", "--preset", "mnist-readout", "--data", "/nonexistent"}, "/nonexistent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := cli(t, tc.args...)
			checkOneLine(t, "run", code, ExitUsage, out, errs, tc.want)
		})
	}
}

func TestRunGammaErrors(t *testing.T) {
	data := tinyData(t)
	for _, tc := range []struct {
		gamma, want string
	}{
		{"1,2", "--gamma has 2 values, this layer needs 5"},
		{"0,0,x,0,0", "--gamma value 3"},
		{"0,0,1,NaN,0", "--gamma value 4"},
		{"0,0,1,0,1e999", "--gamma value 5"},
	} {
		t.Run(tc.gamma, func(t *testing.T) {
			code, out, errs := cli(t, "run", "--preset", "mnist-readout", "--data", data, "--gamma", tc.gamma)
			checkOneLine(t, "run", code, ExitUsage, out, errs, tc.want)
		})
	}
	// A trivariate preset's first layer needs 19 values.
	code, out, errs := cli(t, "run", "--preset", "mnist-trivariate", "--data", data, "--gamma", "0,0,1,0,0")
	checkOneLine(t, "run", code, ExitUsage, out, errs, "this layer needs 19")
}

// epochLine is one line of `run --json`.
type epochLine struct {
	Final         bool                          `json:"final"`
	Epoch         int                           `json:"epoch"`
	TrainAcc      *float64                      `json:"train_acc"`
	ValAcc        *float64                      `json:"val_acc"`
	TestAcc       *float64                      `json:"test_acc"`
	SamplesPerSec *float64                      `json:"samples_per_sec"`
	Atoms         map[string]map[string]float64 `json:"atoms"`
}

// checkRunOutput validates the JSON lines, CSV and run file of a finished run
// and returns the JSON lines with the timing fields removed.
func checkRunOutput(t *testing.T, stdout, csvPath, outPath string, epochs int, layers []string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != epochs+1 {
		t.Fatalf("%d JSON lines, want %d epochs + final:\n%s", len(lines), epochs, stdout)
	}
	var stripped []string
	for i, line := range lines {
		var raw map[string]any
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		var e epochLine
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		final := i == epochs
		wantEpoch := i + 1
		if final {
			wantEpoch = epochs
		}
		if e.Final != final || e.Epoch != wantEpoch {
			t.Errorf("line %d: final %v epoch %d, want %v %d", i+1, e.Final, e.Epoch, final, wantEpoch)
		}
		for name, v := range map[string]*float64{"train_acc": e.TrainAcc, "val_acc": e.ValAcc, "test_acc": e.TestAcc} {
			if v == nil || *v < 0 || *v > 1 {
				t.Errorf("line %d: %s = %v, want a fraction", i+1, name, v)
			}
		}
		if e.SamplesPerSec == nil || !(*e.SamplesPerSec > 0) {
			t.Errorf("line %d: samples_per_sec %v", i+1, e.SamplesPerSec)
		}
		if len(e.Atoms) != len(layers) {
			t.Errorf("line %d: atoms for %d layers, want %v", i+1, len(e.Atoms), layers)
		}
		ro := e.Atoms["readout"]
		for _, k := range []string{"{1}", "{2}", "{1}{2}", "{12}", "h_res"} {
			if _, ok := ro[k]; !ok {
				t.Errorf("line %d: atoms.readout lacks %s: %v", i+1, k, ro)
			}
		}
		delete(raw, "samples_per_sec")
		delete(raw, "train_seconds")
		delete(raw, "final")
		b, _ := json.Marshal(raw)
		stripped = append(stripped, string(b))
	}
	if stripped[epochs] != stripped[epochs-1] {
		t.Errorf("final line differs from the last epoch:\n%s\n%s", stripped[epochs], stripped[epochs-1])
	}
	if csvPath != "" {
		data, err := os.ReadFile(csvPath)
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		if len(rows) != epochs+1 {
			t.Errorf("CSV has %d lines, want header + %d", len(rows), epochs)
		}
		head := strings.Split(rows[0], ",")
		if !strings.HasPrefix(rows[0], "epoch,train_acc,val_acc,test_acc,samples_per_sec") ||
			!strings.Contains(rows[0], "readout:{1}{2}") || !strings.Contains(rows[0], "readout:h_res") {
			t.Errorf("CSV header %q", rows[0])
		}
		for _, r := range rows[1:] {
			if n := len(strings.Split(r, ",")); n != len(head) {
				t.Errorf("CSV row has %d fields, header %d", n, len(head))
			}
		}
	}
	if outPath != "" {
		rec, err := runfile.Load(outPath)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Schema != runfile.Schema || len(rec.Epochs) != epochs || len(rec.Gamma) != len(layers) {
			t.Errorf("run file: schema %d, %d epochs, %d γ records", rec.Schema, len(rec.Epochs), len(rec.Gamma))
		}
		for i, g := range rec.Gamma {
			if g.Layer != layers[i] || g.Step != 0 {
				t.Errorf("run file γ record %d: %+v", i, g)
			}
		}
	}
	return stripped
}

// TestRunTinyData trains on the tiny data set through the CLI: outputs,
// run file, γ override and determinism across runs and thread counts.
func TestRunTinyData(t *testing.T) {
	data := tinyData(t)
	dir := t.TempDir()
	var results [][]string
	for i, threads := range []string{"1", "2", "2"} {
		csv := filepath.Join(dir, "r"+threads+".csv")
		out := filepath.Join(dir, "sub", "r.json")
		code, stdout, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "2", "--seed", "3",
			"--data", data, "--json", "--csv", csv, "--out", out, "--threads", threads)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if n := strings.Count(stderr, "\n"); n != 2 || !strings.HasPrefix(stderr, "epoch   1") {
			t.Errorf("progress on stderr: %q", stderr)
		}
		results = append(results, checkRunOutput(t, stdout, csv, out, 2, []string{"readout"}))
		if i == 0 {
			rec, _ := runfile.Load(out)
			if rec.Preset != "mnist-readout" || rec.Seed != 3 || !reflect.DeepEqual(rec.Gamma[0].Gamma, []float64{-0.2, 0.1, 1, 0.1, 0}) {
				t.Errorf("run file %s seed %d γ %v", rec.Preset, rec.Seed, rec.Gamma)
			}
		}
	}
	for i := 1; i < len(results); i++ {
		if !reflect.DeepEqual(results[0], results[i]) {
			t.Errorf("run %d differs from the first (threads 1):\n%v\n%v", i+1, results[0], results[i])
		}
	}

	// --gamma is applied and recorded; without --json nothing goes to stdout.
	out := filepath.Join(dir, "g.json")
	code, stdout, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "1", "--seed", "3",
		"--data", data, "--gamma", "0, 0, 1, 0, 0.5", "--out", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	rec, err := runfile.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.Gamma[0].Gamma, []float64{0, 0, 1, 0, 0.5}) {
		t.Errorf("recorded γ %v", rec.Gamma[0].Gamma)
	}
	var first epochLine
	if err := json.Unmarshal([]byte(results[0][0]), &first); err != nil {
		t.Fatal(err)
	}
	if rec.Epochs[0].Layers[0].Atoms[0] == first.Atoms["readout"]["{1}"] {
		t.Error("--gamma had no effect on the atoms")
	}
}

// raceEnabled reports whether the test binary was built with -race.
func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}

// TestRunRealMNIST trains mnist-readout for one epoch on the real data
// (about a second per run), twice, with one and two threads.
func TestRunRealMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if raceEnabled() {
		t.Skip("a real MNIST epoch is too slow under the race detector; TestRunTinyData covers the same paths")
	}
	if _, err := tasks.FindMNISTDir(""); err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	dir := t.TempDir()
	var results [][]string
	for _, threads := range []string{"1", "2"} {
		csv := filepath.Join(dir, "r"+threads+".csv")
		out := filepath.Join(dir, "r"+threads+".json")
		code, stdout, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "1", "--json",
			"--csv", csv, "--out", out, "--threads", threads)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		res := checkRunOutput(t, stdout, csv, out, 1, []string{"readout"})
		var e epochLine
		json.Unmarshal([]byte(strings.SplitN(stdout, "\n", 2)[0]), &e)
		t.Logf("--threads %s: test accuracy %.4f after one epoch", threads, *e.TestAcc)
		if *e.TestAcc < 0.8 {
			t.Errorf("test accuracy after one epoch %.3f, want > 0.8 (paper: ~0.9)", *e.TestAcc)
		}
		results = append(results, res)
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		t.Errorf("--threads 1 and 2 differ:\n%v\n%v", results[0], results[1])
	}
}

func TestPresetsCommand(t *testing.T) {
	code, stdout, stderr := cli(t, "presets")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	builtin := append(presets.Builtin(), presets.MemoryBuiltin()...)
	if len(lines) < len(builtin) {
		t.Fatalf("output:\n%s", stdout)
	}
	for i, p := range builtin {
		f := strings.Fields(lines[i])
		mark := ""
		if p.Name == presets.Default {
			mark = "*"
			f = f[1:]
		}
		if len(f) < 2 || f[0] != p.Name || !strings.Contains(lines[i], p.Description) {
			t.Errorf("line %d %q, want %s%s and its description", i, lines[i], mark, p.Name)
		}
		if (mark == "*") != strings.HasPrefix(lines[i], "*") {
			t.Errorf("line %d %q: default mark", i, lines[i])
		}
	}
	if !strings.Contains(stdout, "user presets: ") {
		t.Errorf("no user preset folder in output:\n%s", stdout)
	}

	code, stdout, stderr = cli(t, "presets", "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("--json: exit %d, stderr %q", code, stderr)
	}
	var list []struct {
		presets.Preset
		Source  string `json:"source"`
		Default bool   `json:"default"`
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatalf("--json output is not a JSON array: %v\n%s", err, stdout)
	}
	if len(list) != len(builtin) {
		t.Fatalf("%d presets, want %d", len(list), len(builtin))
	}
	for i, e := range list {
		p := builtin[i]
		if e.Name != p.Name || e.Source != "builtin" || e.Default != (p.Name == presets.Default) ||
			!reflect.DeepEqual(e.Layers, p.Layers) || e.Description != p.Description {
			t.Errorf("entry %d: %s source %q default %v", i, e.Name, e.Source, e.Default)
		}
	}

	for _, args := range [][]string{{"presets", "--yaml"}, {"presets", "extra"}} {
		code, stdout, stderr := cli(t, args...)
		if code != ExitUsage || stdout != "" || !strings.HasPrefix(stderr, "infomorph-tui presets: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// TestPresetsCommandUser: user presets are listed with their file, bad ones
// reported on stderr without failing.
func TestPresetsCommandUser(t *testing.T) {
	cfg := t.TempDir()
	dir := filepath.Join(cfg, "infomorph-tui", "presets")
	os.MkdirAll(dir, 0o755)
	p := presets.Builtin()[0]
	p.Name, p.Description = "my-preset", "mine"
	data, _ := json.Marshal(p)
	os.WriteFile(filepath.Join(dir, "mine.json"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"name": "bad"}`), 0o644)
	var out, errb bytes.Buffer
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if code := Main(context.Background(), []string{"presets"}, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), "my-preset") || !strings.Contains(out.String(), dir) {
		t.Errorf("output lacks the user preset or folder:\n%s", out.String())
	}
	if !strings.Contains(errb.String(), "bad.json") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("stderr %q, want one line about bad.json", errb.String())
	}
	// run finds user presets too.
	out.Reset()
	errb.Reset()
	code := Main(context.Background(), []string{"run", "--preset", "my-preset", "--data", "/nonexistent"}, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	checkOneLine(t, "run", code, ExitUsage, out.String(), errb.String(), "/nonexistent")
}
