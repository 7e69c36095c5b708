package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"infomorph-tui/sweep"
)

func TestSensitivityUsageErrors(t *testing.T) {
	base := []string{"sensitivity", "--preset", "mnist-readout", "--out", t.TempDir()}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no preset", []string{"sensitivity", "--out", "x"}, "--preset is required"},
		{"no out", []string{"sensitivity", "--preset", "mnist-readout"}, "--out DIR is required"},
		{"bad mode", append(base, "--mode", "drop"), "want zero, scale or shift"},
		{"cumulative scale", append(base, "--mode", "scale", "--cumulative"), "mode zero"},
		{"bivariate order", append(base, "--cumulative"), "give --order"},
		{"order without cumulative", append(base, "--order", "{1}"), "--order is for --cumulative"},
		{"bad order", append(base, "--cumulative", "--order", "{1},{7}"), "unknown γ entry"},
		{"bad shard", append(base, "--shard", "3/2"), "--shard"},
		{"bad layer", append(base, "--layer", "hidden"), "no layer"},
		{"args", append(base, "extra"), "unexpected"},
	} {
		code, _, stderr := cli(t, tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", tc.name, code, stderr, tc.want)
		}
	}
}

// TestSensitivityCLI: interrupted and continued, then show and plot; a
// cumulative analysis with --order into another folder.
func TestSensitivityCLI(t *testing.T) {
	data := tinyData(t)
	dir := filepath.Join(t.TempDir(), "sens")
	args := []string{"sensitivity", "--preset", "mnist-readout", "--seeds", "1", "--epochs", "1", "--jobs", "1", "--out", dir, "--data", data}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			if files, _ := filepath.Glob(filepath.Join(dir, sweep.RunsDir, "g*-s1.json")); len(files) > 0 {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	code, _, stderr := cliWith(t, ctx, strings.NewReader(""), args...)
	if code != ExitInterrupted || !strings.Contains(stderr, "of 5 runs finished") {
		t.Fatalf("interrupted: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = cli(t, args...)
	if code != 0 || !strings.Contains(stderr, "has 5 of 5 rows") || !strings.Contains(stderr, "sensitivity mnist-readout: sensitivity, mode zero: baseline + 4 variants") {
		t.Fatalf("continued: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr := cli(t, "show", dir)
	if code != 0 || !strings.Contains(stdout, "baseline") || !strings.Contains(stdout, "{1}{2} = 0") || !strings.Contains(stdout, "left out    h_res = 0") {
		t.Errorf("show: exit %d, stderr %q:\n%s", code, stderr, stdout)
	}
	png := filepath.Join(t.TempDir(), "sens.png")
	if code, _, stderr := cli(t, "plot", dir, "-o", png, "--dpi", "60"); code != 0 {
		t.Fatalf("plot: exit %d, %s", code, stderr)
	}
	checkPNG(t, png)
	// The same folder with another mode is refused.
	if code, _, stderr := cli(t, append(args, "--mode", "shift")...); code != ExitUsage || !strings.Contains(stderr, "holds another sweep") {
		t.Errorf("other mode in the folder: exit %d, %s", code, stderr)
	}

	cum := filepath.Join(t.TempDir(), "cum")
	code, _, stderr = cli(t, "sensitivity", "--preset", "mnist-readout", "--cumulative", "--order", "{1}{2}, {1}", "--epochs", "1", "--jobs", "2",
		"--out", cum, "--data", data)
	if code != 0 || !strings.Contains(stderr, "cumulative removal of 2 γ entries") {
		t.Fatalf("cumulative: exit %d, %s", code, stderr)
	}
	code, stdout, _ = cli(t, "show", cum)
	if code != 0 || !strings.Contains(stdout, "−1 {1}{2}") || !strings.Contains(stdout, "−2 {1}") || !strings.Contains(stdout, "removal order") {
		t.Errorf("show cumulative:\n%s", stdout)
	}
	png = filepath.Join(t.TempDir(), "cum.png")
	if code, _, stderr := cli(t, "plot", cum, "-o", png, "--dpi", "60"); code != 0 {
		t.Fatalf("plot cumulative: exit %d, %s", code, stderr)
	}
	checkPNG(t, png)
	if _, err := os.Stat(filepath.Join(cum, sweep.ResultsFile)); err != nil {
		t.Error(err)
	}
}
