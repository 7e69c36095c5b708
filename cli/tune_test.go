package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"infomorph-tui/presets"
	"infomorph-tui/tune"
)

func TestTuneUsageErrors(t *testing.T) {
	dir := t.TempDir()
	base := []string{"tune", "--preset", "mnist-readout", "--study", dir}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no study", []string{"tune", "--preset", "mnist-readout"}, "--study DIR is required"},
		{"no preset, no study", []string{"tune", "--study", t.TempDir()}, "--preset is required to start a study"},
		{"flag without preset", []string{"tune", "--study", dir, "--epochs", "3"}, "--epochs defines a new study and needs --preset"},
		{"sampler", append(base, "--sampler", "grid"), `unknown sampler "grid"`},
		{"vary grid", append(base, "--vary", "{1}=0:1:3"), "a grid a:b:n is for sweep"},
		{"vary syntax", append(base, "--vary", "{1}:0:1"), "tune takes ATOM=a:b or ATOM=v"},
		{"vary atom", append(base, "--vary", "{3}=0:1"), `unknown atom "{3}" for layer readout`},
		{"all fixed", append(base, "--vary", "{1}=0", "--vary", "{2}=0", "--vary", "{1}{2}=1", "--vary", "{12}=0", "--vary", "h_res=0"), "every γ entry is fixed"},
		{"prune", append(base, "--prune", "mean"), `--prune "mean": unknown pruner`},
		{"prune setting", append(base, "--prune", "median,warmup=x"), `needs a whole number`},
		{"layer", append(base, "--layer", "hidden"), `no layer "hidden"`},
		{"jobs", append(base, "--jobs", "0"), "--jobs"},
		{"trials", append(base, "--trials", "0"), "--trials"},
		{"seeds", append(base, "--seeds", "0"), "--seeds"},
		{"epochs", append(base, "--epochs", "0"), "--epochs"},
		{"population", append(base, "--population", "1"), "--population"},
		{"unknown preset", []string{"tune", "--preset", "nope", "--study", dir}, `unknown preset "nope"`},
		{"extra", append(base, "extra"), `unexpected argument "extra"`},
		{"name without best", append(base, "--name", "x"), "--name goes with --best"},
		{"best of nothing", []string{"tune", "--study", t.TempDir(), "--best"}, "not a study folder"},
		{"best with flags", []string{"tune", "--study", dir, "--best", "--epochs", "3"}, "--best takes only --study and --name"},
		{"missing data", append(base, "--data", "/nonexistent"), "/nonexistent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := cli(t, tc.args...)
			checkOneLine(t, "tune", code, ExitUsage, out, errs, tc.want)
		})
	}
}

// TestTuneCLI: a small study on tiny data is interrupted, continued, asked
// for its best γ, saved as a preset, and guarded against other studies and
// sweeps.
func TestTuneCLI(t *testing.T) {
	data := tinyData(t)
	dir := filepath.Join(t.TempDir(), "study")
	args := []string{"tune", "--preset", "mnist-readout", "--study", dir, "--trials", "4", "--epochs", "2",
		"--jobs", "1", "--sampler", "random", "--data", data, "--prune", "none"}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { // interrupt once trial 1 is on its way, as SIGINT would
		for ctx.Err() == nil {
			if _, err := os.Stat(filepath.Join(dir, tune.TrialsDir, "000001.json")); err == nil {
				time.Sleep(20 * time.Millisecond)
				cancel()
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	code, stdout, stderr := cliWith(t, ctx, strings.NewReader(""), args...)
	if code != ExitInterrupted || stdout != "" || !strings.Contains(stderr, "Run the same command again to continue") ||
		!strings.Contains(stderr, "test accuracy is recorded, never used to choose") {
		t.Fatalf("interrupted: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Continue with --study alone.
	code, stdout, stderr = cli(t, "tune", "--study", dir, "--data", data, "--jobs", "2")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "study: 4 trials — 4 complete") ||
		!strings.Contains(stderr, "best: trial ") || !strings.Contains(stderr, "not used to choose") {
		t.Fatalf("continued: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "trial    3/4") || !strings.Contains(stderr, "[random]") {
		t.Errorf("no line per trial:\n%s", stderr)
	}
	f, _ := os.Open(filepath.Join(dir, tune.ResultsFile))
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 5 || recs[0][3] != "val_acc" || recs[0][9] != "gamma:{1}" {
		t.Fatalf("results.csv: %v, %v", recs, err)
	}
	runs, _ := filepath.Glob(filepath.Join(dir, tune.RunsDir, "t*-s1.json"))
	if len(runs) != 4 {
		t.Errorf("run files %v", runs)
	}

	// show DIR summarises it.
	code, stdout, _ = cli(t, "show", dir)
	if code != 0 || !strings.Contains(stdout, "trials    4 of 4: 4 complete") || !strings.Contains(stdout, "never used to choose") {
		t.Errorf("show DIR: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = cli(t, "show", "--json", dir)
	var shown struct {
		Trials []struct {
			Number int
			State  string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &shown); code != 0 || err != nil || len(shown.Trials) != 4 || shown.Trials[3].State != "complete" {
		t.Errorf("show --json DIR: exit %d, %v\n%s", code, err, stdout)
	}

	// plot DIR draws the study.
	png := filepath.Join(t.TempDir(), "study.png")
	if code, _, stderr := cli(t, "plot", dir, "-o", png, "--dpi", "60"); code != 0 {
		t.Fatalf("plot DIR: %s", stderr)
	}
	checkPNG(t, png)

	// Another study in the same folder is refused; so is a sweep.
	code, stdout, stderr = cli(t, append(args, "--epochs", "3")...)
	checkOneLine(t, "tune", code, ExitUsage, stdout, stderr, "holds another study (epochs 2 there, 3 here)")
	code, stdout, stderr = cli(t, "sweep", "--preset", "mnist-readout", "--vary", "{1}=0:1:2", "--out", dir, "--data", data)
	checkOneLine(t, "sweep", code, ExitUsage, stdout, stderr, "holds a tune study")

	// --best: a preset JSON line and a --gamma list.
	code, stdout, stderr = cli(t, "tune", "--study", dir, "--best", "--name", "readout-best")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[1], "--gamma ") || !strings.Contains(stderr, "recorded only") {
		t.Fatalf("--best: exit %d\n%s\n%s", code, stdout, stderr)
	}
	p, err := presets.Parse([]byte(lines[0]), "stdout")
	if err != nil || p.Name != "readout-best" || tune.GammaList(p.Layers[0].Gamma) != strings.TrimPrefix(lines[1], "--gamma ") {
		t.Fatalf("--best preset: %v %+v", err, p)
	}
	// It trains: run --gamma takes the list.
	if code, _, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "1", "--data", data, "--gamma", strings.TrimPrefix(lines[1], "--gamma ")); code != 0 {
		t.Fatalf("run --gamma from --best: %s", stderr)
	}

	// presets --save NAME --from DIR writes a user preset.
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	var out, errb bytes.Buffer
	s := Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}
	if code := Main(context.Background(), []string{"presets", "--save", "my-readout", "--from", dir}, s); code != 0 {
		t.Fatalf("presets --save: %d %s", code, errb.String())
	}
	saved := filepath.Join(cfg, "infomorph-tui", "presets", "my-readout.json")
	raw, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	var q presets.Preset
	if err := json.Unmarshal(raw, &q); err != nil || q.Name != "my-readout" || !slices.Equal(q.Layers[0].Gamma, p.Layers[0].Gamma) {
		t.Fatalf("saved preset: %v %+v", err, q)
	}
	out.Reset()
	errb.Reset()
	if code := Main(context.Background(), []string{"presets"}, s); code != 0 || !strings.Contains(out.String(), "my-readout") {
		t.Errorf("presets does not list the saved preset:\n%s%s", out.String(), errb.String())
	}
	errb.Reset()
	if code := Main(context.Background(), []string{"presets", "--save", "my-readout", "--from", dir}, s); code != ExitUsage || !strings.Contains(errb.String(), "--force replaces it") {
		t.Errorf("saving over a user preset: exit %d %s", code, errb.String())
	}
	errb.Reset()
	if code := Main(context.Background(), []string{"presets", "--save", "mnist-context", "--from", dir}, s); code != ExitUsage || !strings.Contains(errb.String(), "built-in preset") {
		t.Errorf("saving over a built-in: exit %d %s", code, errb.String())
	}
	errb.Reset()
	if code := Main(context.Background(), []string{"presets", "--save", "x"}, s); code != ExitUsage || !strings.Contains(errb.String(), "needs --from") {
		t.Errorf("--save without --from: exit %d %s", code, errb.String())
	}
}
