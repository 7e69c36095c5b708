package cli

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"infomorph-tui/pid"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// detailRecord is a made-up run of two epochs of mnist-readout with a
// confusion matrix and atom spreads (fixed numbers, for a golden file).
func detailRecord() runfile.Record {
	rec := runfile.Record{Schema: runfile.Schema, Version: "test", Preset: "mnist-readout", Seed: 4,
		Gamma: []runfile.GammaChange{{Layer: "readout", Gamma: []float64{-0.2, 0.1, 1, 0.1, 0}}}}
	names := pid.GammaNames(2)
	for e := 1; e <= 2; e++ {
		st := tasks.EpochStats{Epoch: e, TrainAcc: 0.9, ValAcc: 0.89, SamplesPerSec: 1000, Confusion: make([]int, 100)}
		diag := 0
		for i := range 10 {
			for j := range 10 {
				v := 0
				switch {
				case i == j:
					v = 90 + 2*e + i%3
					diag += v
				case j == (i+3)%10:
					v = 3 * i
				case j == (i+e)%10:
					v = 1
				}
				st.Confusion[i*10+j] = v
			}
		}
		n := 0
		for _, v := range st.Confusion {
			n += v
		}
		st.TestAcc = float64(diag) / float64(n)
		l := tasks.LayerStats{Name: "readout", AtomNames: names, HY: 0.5}
		for k := range names {
			m := 0.1 * math.Sin(float64(k+e))
			l.Atoms = append(l.Atoms, m)
			l.Spread = append(l.Spread, tasks.AtomSpread{P10: m - 0.05, Median: m + 0.01, P90: m + 0.07})
		}
		st.Layers = []tasks.LayerStats{l}
		rec.Epochs = append(rec.Epochs, st)
	}
	return rec
}

// TestShowDetailsGolden: show prints the final atoms with their median and
// 10–90% range over neurons and the latest epoch's confusion matrix with
// each class's recall (golden file; regenerate with -update).
func TestShowDetailsGolden(t *testing.T) {
	var b strings.Builder
	showText(&b, "r.json", detailRecord())
	golden.RequireEqual(t, []byte(b.String()))
}

// TestShowOldFile: a run file without details shows as before (no
// percentile columns, no matrix); --json has no detail fields.
func TestShowOldFile(t *testing.T) {
	rec := detailRecord()
	for i := range rec.Epochs {
		rec.Epochs[i].Confusion = nil
		rec.Epochs[i].Layers[0].Spread = nil
	}
	var b strings.Builder
	showText(&b, "r.json", rec)
	if out := b.String(); strings.Contains(out, "confusion") || strings.Contains(out, "median") || !strings.Contains(out, "atoms · readout, H(Y) = 0.500 bits\n") {
		t.Errorf("old file:\n%s", out)
	}
	out, err := showJSON("r.json", rec)
	if err != nil || strings.Contains(out, "confusion") || strings.Contains(out, "spread") {
		t.Errorf("old file --json: %v\n%s", err, out)
	}
}

// TestShowDetailsJSON: show --json of a real run carries every epoch's
// confusion counts and spreads, the same numbers as the file.
func TestShowDetailsJSON(t *testing.T) {
	data := tinyData(t)
	out := filepath.Join(t.TempDir(), "r.json")
	if code, _, stderr := cli(t, "run", "--preset", "mnist-readout", "--epochs", "2", "--data", data, "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	rec, err := runfile.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "show", "--json", out)
	if code != 0 {
		t.Fatal(stderr)
	}
	var s struct {
		Epochs []struct {
			Epoch     int
			TestAcc   float64 `json:"test_acc"`
			Confusion []int
			Spread    map[string]map[string]struct{ Median, P10, P90 float64 }
		}
		Final struct{ Confusion []int }
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || len(s.Epochs) != 2 {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for i, e := range s.Epochs {
		want := rec.Epochs[i]
		if len(e.Confusion) != 100 || len(want.Confusion) != 100 {
			t.Fatalf("epoch %d: %d counts in show, %d in the file", i+1, len(e.Confusion), len(want.Confusion))
		}
		for j := range e.Confusion {
			if e.Confusion[j] != want.Confusion[j] {
				t.Errorf("epoch %d: count %d is %d, file %d", i+1, j, e.Confusion[j], want.Confusion[j])
			}
		}
		l := want.Layers[0]
		for k, name := range l.AtomNames {
			got := e.Spread["readout"][name]
			if got.Median != l.Spread[k].Median || got.P10 != l.Spread[k].P10 || got.P90 != l.Spread[k].P90 {
				t.Errorf("epoch %d, %s: spread %+v, file %+v", i+1, name, got, l.Spread[k])
			}
		}
	}
	if len(s.Final.Confusion) != 100 {
		t.Errorf("final: %d counts", len(s.Final.Confusion))
	}
	code, stdout, _ = cli(t, "show", out)
	if code != 0 || !strings.Contains(stdout, "confusion · test set, epoch 2") || !strings.Contains(stdout, "median") {
		t.Errorf("show: exit %d\n%s", code, stdout)
	}
}
