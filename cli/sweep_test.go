package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
)

func TestSweepUsageErrors(t *testing.T) {
	base := []string{"sweep", "--preset", "mnist-readout", "--out", t.TempDir()}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no preset", []string{"sweep", "--vary", "{1}=0:1:3", "--out", "x"}, "--preset is required"},
		{"no out", []string{"sweep", "--preset", "mnist-readout", "--vary", "{1}=0:1:3"}, "--out DIR is required"},
		{"no vary", base, "--vary: give at least one"},
		{"vary syntax", append(base, "--vary", "{1}:0:1"), `want ATOM=a:b:n`},
		{"vary number", append(base, "--vary", "{1}=0:one:3"), `"one" is not a finite number`},
		{"vary count", append(base, "--vary", "{1}=0:1:1"), "n must be"},
		{"unknown atom", append(base, "--vary", "{3}=0:1:3"), `unknown atom "{3}" for layer readout`},
		{"atom twice", append(base, "--vary", "{1}=0:1:3", "--vary", "{1}=1:2:3"), "given twice"},
		{"range without random", append(base, "--vary", "{1}=0:1"), "needs --random"},
		{"grid with random", append(base, "--vary", "{1}=0:1:3", "--random", "4"), "with --random give a range"},
		{"bad shard", append(base, "--vary", "{1}=0:1:3", "--shard", "4/3"), `--shard "4/3"`},
		{"shard syntax", append(base, "--vary", "{1}=0:1:3", "--shard", "two"), "K/N"},
		{"bad layer", append(base, "--vary", "{1}=0:1:3", "--layer", "hidden"), `no layer "hidden"`},
		{"unknown preset", []string{"sweep", "--preset", "nope", "--vary", "{1}=0:1:3", "--out", "x"}, `unknown preset "nope"`},
		{"jobs", append(base, "--vary", "{1}=0:1:3", "--jobs", "0"), "--jobs"},
		{"seeds", append(base, "--vary", "{1}=0:1:3", "--seeds", "0"), "--seeds"},
		{"epochs", append(base, "--vary", "{1}=0:1:3", "--epochs", "0"), "--epochs"},
		{"extra", append(base, "--vary", "{1}=0:1:3", "extra"), `unexpected argument "extra"`},
		{"flag", append(base, "--colour"), "colour"},
		{"missing data", append(base, "--vary", "{1}=0:1:3", "--data", "/nonexistent"), "/nonexistent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := cli(t, tc.args...)
			checkOneLine(t, "sweep", code, ExitUsage, out, errs, tc.want)
		})
	}
}

// TestSweepCLI: a small sweep on tiny data is interrupted, resumed, shown,
// plotted, and one of its runs continued with run --resume.
func TestSweepCLI(t *testing.T) {
	data := tinyData(t)
	dir := filepath.Join(t.TempDir(), "sweep")
	args := []string{"sweep", "--preset", "mnist-readout", "--vary", "{1}{2}=0.5:1.5:2", "--vary", "h_res=0",
		"--seeds", "1", "--epochs", "2", "--jobs", "1", "--out", dir, "--data", data}

	// Interrupt once the first run is finished, as SIGINT would.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			files, _ := filepath.Glob(filepath.Join(dir, sweep.RunsDir, "g*-s1.json"))
			if len(files) > 0 {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	code, stdout, stderr := cliWith(t, ctx, strings.NewReader(""), args...)
	if code != ExitInterrupted || stdout != "" || !strings.Contains(stderr, "interrupted: 1 of 2 runs finished") ||
		!strings.Contains(stderr, "Run the same command again") {
		t.Fatalf("interrupted sweep: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = cli(t, args...)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "done: 2 runs (1 finished before, ") ||
		!strings.Contains(stderr, "1 trained") && !strings.Contains(stderr, "1 continued") ||
		!strings.Contains(stderr, "has 2 of 2 rows") {
		t.Fatalf("resumed sweep: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "γ{1}{2} 0.5…1.5 (2 values) × γ_res = 0 on layer readout") ||
		!strings.Contains(stderr, "[2/2] γ{1}{2}=1.5 γ_res=0 seed 1: test ") {
		t.Errorf("no progress line per finished run (stderr is not a terminal):\n%s", stderr)
	}
	f, _ := os.Open(filepath.Join(dir, sweep.ResultsFile))
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 3 || recs[0][2] != "gamma:{1}{2}" || recs[0][3] != "gamma:h_res" {
		t.Fatalf("results.csv: %v, %v", recs, err)
	}

	// The folder holds this sweep: another one is refused.
	other := append(append([]string(nil), args...), "--seeds", "2")
	code, stdout, stderr = cli(t, other...)
	checkOneLine(t, "sweep", code, ExitUsage, stdout, stderr, "holds another sweep (seeds 1 there, 2 here)")

	// show and plot the folder.
	code, stdout, stderr = cli(t, "show", dir)
	if code != 0 || !strings.Contains(stdout, "finished  2 of 2 runs") || !strings.Contains(stdout, "best      γ{1}{2}") {
		t.Errorf("show DIR: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = cli(t, "show", dir, "--json")
	var res struct {
		Total int
		Rows  []struct {
			ID      string  `json:"id"`
			TestAcc float64 `json:"test_acc"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &res); code != 0 || err != nil || res.Total != 2 || len(res.Rows) != 2 || res.Rows[0].TestAcc <= 0 {
		t.Errorf("show --json DIR: exit %d, %v\n%s", code, err, stdout)
	}
	png1 := filepath.Join(t.TempDir(), "sweep.png")
	if code, _, stderr := cli(t, "plot", dir, "-o", png1, "--dpi", "60"); code != 0 {
		t.Fatalf("plot DIR: %s", stderr)
	}
	checkPNG(t, png1)

	// One of its runs: show, plot, continue.
	runs, _ := filepath.Glob(filepath.Join(dir, sweep.RunsDir, "*.json"))
	if len(runs) != 2 {
		t.Fatalf("run files %v", runs)
	}
	code, stdout, _ = cli(t, "show", runs[0])
	if code != 0 || !strings.Contains(stdout, "preset    mnist-readout · seed 1") || !strings.Contains(stdout, "state     epoch 2, step 0 of 2") {
		t.Errorf("show RUN: exit %d\n%s", code, stdout)
	}
	png2 := filepath.Join(t.TempDir(), "run.png")
	if code, _, stderr := cli(t, "plot", "-o", png2, "--dpi=60", runs[0]); code != 0 {
		t.Fatalf("plot RUN: %s", stderr)
	}
	checkPNG(t, png2)
	cont := filepath.Join(t.TempDir(), "cont.json")
	code, _, stderr = cli(t, "run", "--resume", runs[0], "--epochs", "1", "--out", cont, "--data", data)
	if code != 0 || !strings.HasPrefix(stderr, "epoch   3") {
		t.Fatalf("run --resume: exit %d, %s", code, stderr)
	}
	rec, err := runfile.Load(cont)
	if err != nil || len(rec.Epochs) != 3 || rec.State.TotalSteps != 6 {
		t.Errorf("continued run: %d epochs, %v", len(rec.Epochs), err)
	}
}

func checkPNG(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	colours := map[uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	if b.Dx() != 7*60 || b.Dy() < 180 || len(colours) < 8 {
		t.Errorf("%s: %dx%d with %d colours", path, b.Dx(), b.Dy(), len(colours))
	}
}

// TestRunResume: training 1 epoch, saving, and continuing for 1 more gives
// exactly the 2-epoch run (through the CLI and the run file).
func TestRunResume(t *testing.T) {
	data := tinyData(t)
	dir := t.TempDir()
	whole, part := filepath.Join(dir, "whole.json"), filepath.Join(dir, "part.json")
	if code, _, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "2", "--seed", "4", "--data", data, "--out", whole); code != 0 {
		t.Fatal(stderr)
	}
	if code, _, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "1", "--seed", "4", "--data", data, "--out", part); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := cli(t, "run", "--resume", part, "--epochs", "1", "--data", data, "--json")
	if code != 0 || !strings.Contains(stdout, `"epoch":2`) || !strings.HasPrefix(stderr, "epoch   2") {
		t.Fatalf("resume: exit %d\n%s\n%s", code, stdout, stderr)
	}
	a, err := runfile.Load(whole)
	if err != nil {
		t.Fatal(err)
	}
	b, err := runfile.Load(part) // written back in place
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Epochs) != 2 {
		t.Fatalf("resumed file has %d epochs", len(b.Epochs))
	}
	for i := range a.Epochs {
		x, y := a.Epochs[i], b.Epochs[i]
		if x.TrainAcc != y.TrainAcc || x.ValAcc != y.ValAcc || x.TestAcc != y.TestAcc {
			t.Errorf("epoch %d accuracies differ: %+v vs %+v", i+1, x, y)
		}
		for k := range x.Layers[0].Atoms {
			if x.Layers[0].Atoms[k] != y.Layers[0].Atoms[k] {
				t.Errorf("epoch %d atom %d differs", i+1, k)
			}
		}
	}
	sa, _ := json.Marshal(a.State.Net)
	sb, _ := json.Marshal(b.State.Net)
	if string(sa) != string(sb) {
		t.Error("weights and optimiser state differ from the uninterrupted run")
	}

	// Errors.
	code, stdout, stderr = cli(t, "run", "--resume", part, "--preset", "mnist-readout")
	checkOneLine(t, "run", code, ExitUsage, stdout, stderr, "drop --preset and --seed")
	code, stdout, stderr = cli(t, "run", "--resume", filepath.Join(dir, "missing.json"))
	checkOneLine(t, "run", code, ExitUsage, stdout, stderr, "missing.json")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema": 2}`), 0o644)
	code, stdout, stderr = cli(t, "run", "--resume", bad)
	checkOneLine(t, "run", code, ExitUsage, stdout, stderr, `missing field "version"`)
	b.State = nil
	runfile.Save(bad, b)
	code, stdout, stderr = cli(t, "run", "--resume", bad, "--data", data)
	checkOneLine(t, "run", code, ExitUsage, stdout, stderr, "no training state")
}

func TestShowRun(t *testing.T) {
	data := tinyData(t)
	out := filepath.Join(t.TempDir(), "r.json")
	if code, _, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "1", "--data", data, "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, stderr := cli(t, "show", out)
	for _, want := range []string{"run file  " + out + " (schema 2, written by infomorph-tui", "γ history", "step 0       readout     {1} -0.2  {2} 0.1  {1}{2} 1  {12} 0.1  h_res 0",
		"epoch    train      val     test", "final (epoch 1)", "atoms · readout", "h_res"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show: no %q in\n%s", want, stdout)
		}
	}
	if code != 0 || stderr != "" {
		t.Errorf("show: exit %d, stderr %q", code, stderr)
	}
	code, stdout, _ = cli(t, "show", "--json", out)
	var s struct {
		Preset string
		Epochs []map[string]any
		Final  map[string]any
		State  *struct{ Epoch, TotalSteps int }
	}
	if err := json.Unmarshal([]byte(stdout), &s); code != 0 || err != nil || s.Preset != "mnist-readout" || len(s.Epochs) != 1 || s.Final["final"] != true || s.State == nil || s.State.Epoch != 1 {
		t.Errorf("show --json: exit %d, %v\n%s", code, err, stdout)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte("{"), 0o644)
	for _, tc := range []struct {
		cmd  string
		args []string
		want string
	}{
		{"show", []string{"show"}, "want one run file"},
		{"show", []string{"show", "a", "b"}, "want one run file"},
		{"show", []string{"show", bad}, "not a run file"},
		{"show", []string{"show", "/nonexistent.json"}, "/nonexistent.json"},
		{"show", []string{"show", t.TempDir()}, "not a sweep folder"},
		{"show", []string{"show", "--yaml", out}, "yaml"},
		{"plot", []string{"plot", out}, "-o OUT.png"},
		{"plot", []string{"plot", out, "-o", filepath.Join(t.TempDir(), "x.gif")}, ".png, .svg or .pdf"},
		{"plot", []string{"plot", bad, "-o", "x.png"}, "not a run file"},
		{"plot", []string{"plot", out, "-o", "x.png", "--dpi", "5"}, "--dpi"},
	} {
		code, stdout, stderr := cli(t, tc.args...)
		checkOneLine(t, tc.cmd, code, ExitUsage, stdout, stderr, tc.want)
	}
}
