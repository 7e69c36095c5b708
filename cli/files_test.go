package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/model"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// cliCfg is cli with the user presets of config folder cfg.
func cliCfg(t *testing.T, cfg string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// smallData writes an MNIST-format set of n training images.
func smallData(t *testing.T, n int) string {
	t.Helper()
	spec := mnisttest.TinySpec()
	spec.NTrain, spec.NTest = n, 100
	return mnisttest.Generate(spec).TempDir(t)
}

// tinyRunFile trains mnist-readout for one epoch on the tiny set into a run file.
func tinyRunFile(t *testing.T, data string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run.json")
	if code, _, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "1", "--seed", "2", "--data", data, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	return out
}

// noEscapes: output that came from a hostile file holds no control characters.
func noEscapes(t *testing.T, what, s string) {
	t.Helper()
	for _, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7f || r == 0x9b || r == '\u202e' {
			t.Errorf("%s carries %U: %q", what, r, s)
			return
		}
	}
}

// TestSmallDataSet: a valid MNIST-format set smaller than the protocol's
// 12 000 validation images trains (a fifth held out) instead of panicking in
// tasks.Split; a set of one image is refused with a clear error (item 7).
func TestSmallDataSet(t *testing.T) {
	data := smallData(t, 1000)
	code, stdout, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "1", "--data", data, "--json")
	if code != 0 || !strings.Contains(stdout, `"final":true`) {
		t.Fatalf("run on 1000 images: exit %d\n%s\n%s", code, stdout, stderr)
	}
	dir := filepath.Join(t.TempDir(), "sweep")
	code, _, stderr = cli(t, "sweep", "--preset", "mnist-readout", "--vary", "{1}=0:0.5:2", "--epochs", "1", "--jobs", "1", "--out", dir, "--data", data)
	if code != 0 {
		t.Fatalf("sweep on 1000 images: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "800 train / 200 validation") {
		t.Logf("sweep stderr: %s", stderr)
	}
	one := smallData(t, 1)
	code, stdout, stderr = cli(t, "run", "--preset", "mnist-readout", "--data", one)
	checkOneLine(t, "run", code, ExitUsage, stdout, stderr, "at least 2")
}

// TestRunDestination: --out and --csv that cannot be written are refused
// before any training, in one line (item 8).
func TestRunDestination(t *testing.T) {
	data := tinyData(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	cases := []struct{ name, path, want string }{
		{"folder", dir, "is a folder"},
		{"under a file", filepath.Join(file, "r.json"), "not a folder"},
	}
	if os.Geteuid() != 0 && runtime.GOOS != "windows" {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o500)
		cases = append(cases, struct{ name, path, want string }{"read-only folder", filepath.Join(ro, "r.json"), "permission denied"})
	}
	for _, flag := range []string{"--out", "--csv"} {
		for _, tc := range cases {
			t.Run(flag+" "+tc.name, func(t *testing.T) {
				start := time.Now()
				code, stdout, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "50", "--data", data, flag, tc.path)
				checkOneLine(t, "run", code, ExitUsage, stdout, stderr, tc.want)
				if !strings.Contains(stderr, flag) {
					t.Errorf("stderr %q does not name %s", stderr, flag)
				}
				if d := time.Since(start); d > 20*time.Second {
					t.Errorf("took %v: trained before checking?", d)
				}
			})
		}
	}
}

// TestResumeKeepsFile: --resume writes back through a symbolic link and
// keeps the file's mode (item 14).
func TestResumeKeepsFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("modes and symlinks")
	}
	data := tinyData(t)
	real := tinyRunFile(t, data)
	os.Chmod(real, 0o600)
	link := filepath.Join(t.TempDir(), "link.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, "run", "--resume", link, "--epochs", "1", "--data", data); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file (%v)", err)
	}
	fi, _ := os.Stat(real)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}
	if rec, err := runfile.Load(real); err != nil || len(rec.Epochs) != 2 {
		t.Errorf("the target has %d epochs, %v", len(rec.Epochs), err)
	}
}

// divergePreset writes a user preset whose readout γ overflows the goal.
func divergePreset(t *testing.T) string {
	t.Helper()
	cfg := t.TempDir()
	dir := filepath.Join(cfg, "infomorph-tui", "presets")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "diverge.json"), []byte(`{"name": "diverge", "description": "γ{1}{2} too large", "task": "mnist",
  "layers": [{"name": "readout", "units": 10, "f": "image", "c": "label", "identity_context": true,
    "activation": {"kind": "graetz", "k1": 1, "k2": 2}, "binning": "adaptive",
    "gamma": [-0.2, 0.1, 1.6e308, 0.1, 0], "lr": 3e-3, "wd": 1.5e-4}]}`), 0o644)
	return cfg
}

// TestRunDivergedOut: a fresh run that diverges still writes its --out file,
// marked diverged (item 14).
func TestRunDivergedOut(t *testing.T) {
	data := tinyData(t)
	cfg := divergePreset(t)
	out := filepath.Join(t.TempDir(), "d.json")
	code, _, stderr := cliCfg(t, cfg, "run", "--preset", "diverge", "--epochs", "2", "--data", data, "--out", out)
	if code != ExitFailure || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "diverged") || !strings.Contains(stderr, out) {
		t.Errorf("exit %d, stderr %q; want 1 and one line saying the run diverged and where it is saved", code, stderr)
	}
	rec, err := runfile.Load(out)
	if err != nil {
		t.Fatalf("no run file: %v", err)
	}
	if rec.Diverged == "" || rec.State != nil || rec.Preset != "diverge" {
		t.Errorf("run file: diverged %q, state %v, preset %s", rec.Diverged, rec.State != nil, rec.Preset)
	}
	code, stdout, stderr := cli(t, "show", out)
	if code != 0 || !strings.Contains(stdout, "diverged") {
		t.Errorf("show: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestSweepFiles: --vary with a range too wide is refused up front; a stray
// .json in runs/ is ignored with a note by sweep, show and plot (item 14).
func TestSweepFiles(t *testing.T) {
	code, stdout, stderr := cli(t, "sweep", "--preset", "mnist-readout", "--vary", "{1}=1e308:-1e308:3", "--out", t.TempDir())
	checkOneLine(t, "sweep", code, ExitUsage, stdout, stderr, "too wide")

	data := tinyData(t)
	dir := filepath.Join(t.TempDir(), "sweep")
	args := []string{"sweep", "--preset", "mnist-readout", "--vary", "{1}=0:0.5:2", "--epochs", "1", "--jobs", "1", "--out", dir, "--data", data}
	if code, _, stderr := cli(t, args...); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	stray := filepath.Join(dir, "runs", "notes.json")
	os.WriteFile(stray, []byte(`{"note": "try γ{1}{2} next"}`), 0o644)
	os.Remove(filepath.Join(dir, "results.csv"))
	for _, args := range [][]string{args, {"show", dir}, {"show", "--json", dir}, {"plot", dir, "-o", filepath.Join(t.TempDir(), "s.png")}} {
		code, _, stderr := cli(t, args...)
		if code != 0 || !strings.Contains(stderr, "ignored "+stray) {
			t.Errorf("%s: exit %d, stderr %q; want 0 and a note about %s", args[0], code, stderr, stray)
		}
	}
}

// hostile returns a copy of run file path with old replaced by new in its text.
func hostile(t *testing.T, path, old, new string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "hostile.json")
	os.WriteFile(out, bytes.ReplaceAll(data, []byte(old), []byte(new)), 0o644)
	return out
}

// TestHostileNames: names with control characters or terminal escapes are
// refused on load by every command, and nothing they hold reaches the
// terminal (item 11).
func TestHostileNames(t *testing.T) {
	data := tinyData(t)
	good := tinyRunFile(t, data)
	for _, f := range []struct{ name, path string }{
		{"layer", hostile(t, good, `"readout"`, `"read\u001b[2Jout"`)},
		{"preset", hostile(t, good, `"mnist-readout"`, `"mnist-\u001b]0;owned\u0007readout"`)},
		{"atom", hostile(t, good, `"{1}{2}"`, `"{1}\u009b31m{2}"`)},
		{"bidi", hostile(t, good, `"readout"`, `"read\u202eout"`)},
		{"unknown field", hostile(t, good, `"schema": 2,`, `"schema": 2, "\u001b[2J": 1,`)},
	} {
		for _, args := range [][]string{{"show", f.path}, {"show", "--json", f.path}, {"run", "--resume", f.path, "--data", data},
			{"plot", f.path, "-o", filepath.Join(t.TempDir(), "x.png")}} {
			name := f.name + " " + args[0]
			if strings.HasPrefix(args[1], "--") {
				name += " " + args[1]
			}
			t.Run(name, func(t *testing.T) {
				code, stdout, stderr := cli(t, args...)
				checkOneLine(t, args[0], code, ExitUsage, stdout, stderr, f.path)
				noEscapes(t, "stderr", stderr)
			})
		}
	}
}

// TestEpochJSON: run --json lines are valid JSON whatever the names hold,
// and unchanged for ordinary names.
func TestEpochJSON(t *testing.T) {
	st := tasks.EpochStats{Epoch: 1, TrainAcc: 0.5, ValAcc: 0.25, TestAcc: math.NaN(), SamplesPerSec: 1000, TrainSeconds: 2,
		Layers: []tasks.LayerStats{{Name: "readout", AtomNames: []string{"{1}", "h_res"}, Atoms: []float64{0.125, 1}, HY: 2}}}
	want := `{"epoch":1,"train_acc":0.5,"val_acc":0.25,"test_acc":null,"samples_per_sec":1000,"train_seconds":2,"atoms":{"readout":{"{1}":0.125,"h_res":1,"h_y":2}}}`
	if got := epochJSON(st, false); got != want {
		t.Errorf("epochJSON\n got %s\nwant %s", got, want)
	}
	st.Layers[0].Name = "a\x1b\"\\<&>\u202e\xff"
	st.Layers[0].AtomNames[0] = "\x00\x7f"
	for _, final := range []bool{false, true} {
		if got := epochJSON(st, final); !json.Valid([]byte(got)) {
			t.Errorf("invalid JSON: %s", got)
		}
	}
}

// TestResumeBadState: a run file with NaN in its training state, or a
// preset_def asking for a huge network, is refused before any training or
// allocation (items 10, 12).
func TestResumeBadState(t *testing.T) {
	data := tinyData(t)
	good := tinyRunFile(t, data)
	raw, _ := os.ReadFile(good)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	nan := func() string { // the first window's atom sums, all NaN
		w := m["state"].(map[string]any)["windows"].([]any)[0].(map[string]any)
		n := len(w["atoms"].(string)) / 4 * 3 / 8
		v := make([]float64, n)
		for i := range v {
			v[i] = math.NaN()
		}
		b, _ := json.Marshal(model.Params(v))
		return string(b)
	}()
	w := m["state"].(map[string]any)["windows"].([]any)[0].(map[string]any)
	atoms := w["atoms"].(string)
	nanFile := hostile(t, good, `"`+atoms+`"`, nan)
	huge := hostile(t, good, `"units": 10`, `"units": 50000`)
	for _, tc := range []struct{ path, want string }{{nanFile, "windows[0].atoms"}, {huge, "units"}} {
		start := time.Now()
		code, stdout, stderr := cli(t, "run", "--resume", tc.path, "--epochs", "3", "--data", data)
		checkOneLine(t, "run", code, ExitUsage, stdout, stderr, tc.want)
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("took %v", d)
		}
	}
}
