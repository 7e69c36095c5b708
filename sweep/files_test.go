package sweep

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestVaryOverflow: a range whose width overflows (b − a = ±Inf) is refused
// when parsed, not after training as a JSON NaN error (item 14).
func TestVaryOverflow(t *testing.T) {
	for _, in := range []string{"{1}=1e308:-1e308:3", "{1}=-1.7e308:1.7e308:2", "{1}=-1.7e308:1.7e308"} {
		if _, err := ParseVary(in); err == nil || !strings.Contains(err.Error(), "too wide") {
			t.Errorf("%q: %v, want a range too wide", in, err)
		}
	}
	if v, err := ParseVary("{1}=1e308:-0.5e308:5"); err != nil {
		t.Errorf("a wide but finite range: %v", err)
	} else {
		s, err := NewSpec(readoutPreset(t), "", []Vary{v}, 0, 0, 1, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range s.Axes[0].Values {
			if x != x || x > 1e308 || x < -1e308 {
				t.Errorf("grid value %v", x)
			}
		}
	}
}

// TestStrayFiles: a file in runs/ that is no run of the sweep (notes, a run
// of another sweep) is ignored with a note, by the sweep and by Load.
func TestStrayFiles(t *testing.T) {
	ref := referenceSweep(t)
	dir := t.TempDir()
	copyDir(t, ref, dir)
	jobs, _ := gridSpec(t).Jobs()
	stray := filepath.Join(dir, RunsDir, "stray.json")
	os.WriteFile(stray, readFile(t, runPath(ref, jobs[5].ID)), 0o644)
	notes := filepath.Join(dir, RunsDir, "notes.json")
	os.WriteFile(notes, []byte(`{"todo": "look at γ{1}"}`), 0o644)
	os.Remove(filepath.Join(dir, ResultsFile))

	var logs []string
	rep, err := Run(context.Background(), Config{Spec: gridSpec(t), Data: tinyData, Dir: dir, Jobs: 1,
		Log: func(msg string) { logs = append(logs, msg) }})
	if err != nil || rep.Rows != 18 || rep.Skipped != 18 {
		t.Fatalf("sweep with stray files: %+v, %v", rep, err)
	}
	joined := strings.Join(logs, "\n")
	for _, p := range []string{notes, stray} {
		if !strings.Contains(joined, p) {
			t.Errorf("no note about %s in %q", p, logs)
		}
	}
	res, err := Load(dir)
	if err != nil || len(res.Rows) != 18 {
		t.Fatalf("load: %d rows, %v", len(res.Rows), err)
	}
	if len(res.Ignored) != 2 || res.Ignored[0] != notes || res.Ignored[1] != stray {
		t.Errorf("ignored %v, want %s and %s", res.Ignored, notes, stray)
	}
	// With results.csv complete, Load does not mistake the strays for runs
	// it has to collect.
	if res2, err := Load(dir); err != nil || len(res2.Rows) != 18 || len(res2.Ignored) != 2 {
		t.Errorf("second load: %d rows, %v ignored, %v", len(res2.Rows), res2.Ignored, err)
	}
}

// TestManifestNames: names in sweep.json that reach output are checked.
func TestManifestNames(t *testing.T) {
	dir, s := errorsSpec(t)
	path := filepath.Join(dir, ManifestFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(good, &m); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"gamma name", func(m map[string]any) { m["gamma_names"].([]any)[1] = "{2}\x1b[2J" }, "gamma_names"},
		{"layer", func(m map[string]any) { m["layer"] = "read\x1bout" }, "layer"},
		{"data", func(m map[string]any) { m["data"] = "mnist\x1b]0;x\x07" }, "data"},
		{"axis atom", func(m map[string]any) { m["axes"].([]any)[0].(map[string]any)["atom"] = "{1}\x1b" }, "axis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := map[string]any{}
			json.Unmarshal(good, &c)
			tc.edit(c)
			data, _ := json.Marshal(c)
			os.WriteFile(path, data, 0o644)
			_, err := ReadSpec(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			}
			for _, r := range err.Error() {
				if !unicode.IsPrint(r) {
					t.Errorf("error carries %U", r)
					break
				}
			}
		})
	}
	_ = s
}
