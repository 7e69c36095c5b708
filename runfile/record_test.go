package runfile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/presets"
	"infomorph-tui/tasks"
)

// smallData is a tiny MNIST-shaped data set (a random-intensity bar per
// digit, one row of ten), one batch per epoch.
var smallData = func() *tasks.Dataset {
	s := mnisttest.Generate(mnisttest.Spec{Seed: [2]uint64{9, 9}, NTrain: 700, NTest: 100,
		Bars: mnisttest.Bars{Top: 3, Left: 2, ColStep: 2, PerRow: 10, Height: 7, Width: 1, Min: 100, Span: 150}})
	m := &tasks.MNIST{TrainImages: s.TrainImages, TrainLabels: s.TrainLabels, TestImages: s.TestImages, TestLabels: s.TestLabels}
	return tasks.NewDatasetSplit(m, 100)
}()

func readout(t *testing.T) presets.Preset {
	t.Helper()
	p, err := presets.Find(presets.Builtin(), "mnist-readout")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// trained returns a record of a 2-epoch run, state included.
func trained(t *testing.T) (Record, *tasks.Run) {
	t.Helper()
	p := readout(t)
	spec, _ := p.NetSpec()
	run, err := tasks.NewRun(tasks.Config{Preset: p.Name, Net: spec, Seed: 2}, smallData)
	if err != nil {
		t.Fatal(err)
	}
	rec := New("test", p, run)
	for e := 0; e < 2; e++ {
		if err := run.StepEpoch(); err != nil {
			t.Fatal(err)
		}
	}
	g := run.Gamma(0)
	g[4] = 0.5
	run.SetGamma(0, g)
	rec.NoteGamma(run, 0)
	rec.NoteGamma(run, 0) // unchanged: not logged twice
	rec.Update(run, true)
	return rec, run
}

func TestRoundTrip(t *testing.T) {
	rec, run := trained(t)
	if len(rec.Gamma) != 2 || rec.Gamma[1].Step != 2*run.StepsPerEpoch() || rec.Gamma[1].Gamma[4] != 0.5 {
		t.Fatalf("γ log %+v", rec.Gamma)
	}
	path := filepath.Join(t.TempDir(), "run.json")
	if err := Save(path, rec); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Schema != Schema || got.Preset != rec.Preset || got.Def == nil || got.Def.Name != "mnist-readout" || len(got.Epochs) != 2 ||
		got.State == nil || got.State.Epoch != 2 || len(got.State.History) != 2 || got.SavedAt == "" {
		t.Fatalf("loaded %+v", got)
	}
	sum, err := LoadSummary(path)
	if err != nil || sum.State != nil || len(sum.Epochs) != 2 {
		t.Errorf("summary: state %v, %d epochs, %v", sum.State != nil, len(sum.Epochs), err)
	}
	// Resume, train one more epoch each, compare.
	again, _, err := got.Resume(smallData)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	if err := run.StepEpoch(); err != nil {
		t.Fatal(err)
	}
	a, b := run.Snapshot().History[2], again.Snapshot().History[2]
	if a.TestAcc != b.TestAcc || a.TrainAcc != b.TrainAcc || !slices.Equal(a.Layers[0].Atoms, b.Layers[0].Atoms) {
		t.Errorf("continued epoch differs:\n%+v\n%+v", a, b)
	}
	if again.Gamma(0)[4] != 0.5 {
		t.Errorf("resumed γ %v", again.Gamma(0))
	}
	// Without state: results only.
	rec.Update(run, false)
	if rec.State != nil {
		t.Fatal("state kept")
	}
	if _, _, err := rec.Resume(smallData); err == nil || !strings.Contains(err.Error(), "no training state") {
		t.Errorf("resume without state: %v", err)
	}
}

// TestMalformed: every kind of broken file gives a clear, one-line error.
func TestMalformed(t *testing.T) {
	rec, _ := trained(t)
	good, err := Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(good, &m); err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]json.RawMessage)) string {
		c := map[string]json.RawMessage{}
		for k, v := range m {
			c[k] = v
		}
		f(c)
		data, _ := json.Marshal(c)
		return string(data)
	}
	set := func(key, val string) string {
		return edit(func(m map[string]json.RawMessage) { m[key] = json.RawMessage(val) })
	}
	drop := func(key string) string { return edit(func(m map[string]json.RawMessage) { delete(m, key) }) }
	epochs := string(m["epochs"])
	for _, tc := range []struct{ name, data, want string }{
		{"empty", "", "not a run file (invalid JSON"},
		{"truncated", string(good[:len(good)/2]), "not a run file (invalid JSON"},
		{"array", "[1, 2]", "not a run file"},
		{"no schema", drop("schema"), `no "schema" field`},
		{"lab format", set("schema", `"infomorph-tui/run"`), "schema \"infomorph-tui/run\" is not a version number"},
		{"old schema", set("schema", "1"), "run file schema 1, this build reads schema 2"},
		{"future schema", set("schema", "3"), "schema 3"},
		{"unknown field", set("colour", `"red"`), `unknown field "colour"`},
		{"missing preset", drop("preset"), `missing field "preset"`},
		{"missing version", drop("version"), `missing field "version"`},
		{"missing seed", drop("seed"), `missing field "seed"`},
		{"missing gamma", drop("gamma"), `missing field "gamma"`},
		{"missing epochs", drop("epochs"), `missing field "epochs"`},
		{"seed type", set("seed", `"one"`), `field "seed"`},
		{"empty preset", set("preset", `""`), `"preset": empty`},
		{"no gamma", set("gamma", `[]`), "no γ recorded"},
		{"gamma layer", set("gamma", `[{"step":0,"layer":"nope","gamma":[1,2,3,4,5]}]`), `no layer "nope"`},
		{"gamma length", set("gamma", `[{"step":0,"layer":"readout","gamma":[1,2]}]`), "2 values, layer readout has 5"},
		{"gamma order", set("gamma", `[{"step":5,"layer":"readout","gamma":[1,2,3,4,5]},{"step":1,"layer":"readout","gamma":[1,2,3,4,5]}]`), "before the previous change"},
		{"epoch numbers", set("epochs", strings.Replace(epochs, `"epoch": 2`, `"epoch": 5`, 1)), "epochs[1]: epoch 5, want 2"},
		{"accuracy", set("epochs", strings.Replace(epochs, `"test_acc": 0.`, `"test_acc": 3.`, 1)), "accuracies must be in [0, 1]"},
		{"atoms", set("epochs", strings.Replace(epochs, `"atom_names": [`, `"atom_names": ["x",`, 1)), "one finite value per atom name"},
		{"epoch field", set("epochs", strings.Replace(epochs, `"epoch":`, `"epoch_no":`, 1)), `unknown field "epoch_no"`},
		{"preset_def", edit(func(m map[string]json.RawMessage) {
			m["preset_def"] = json.RawMessage(strings.Replace(string(m["preset_def"]), `"adaptive"`, `"sideways"`, 1))
		}), `unknown binning "sideways"`},
		{"state epoch", set("epochs", epochs[:strings.LastIndex(epochs[:len(epochs)-1], "{")-1]+"]"), "state"},
		{"state field", edit(func(m map[string]json.RawMessage) {
			m["state"] = json.RawMessage(strings.Replace(string(m["state"]), `"net"`, `"network"`, 1))
		}), `field "state"`},
		{"params", edit(func(m map[string]json.RawMessage) {
			m["state"] = json.RawMessage(strings.Replace(string(m["state"]), `"w": "`, `"w": "!!`, 1))
		}), "parameters"},
		{"trailing", string(good) + "{}", "trailing data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.json")
			os.WriteFile(path, []byte(tc.data), 0o644)
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), path+": ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v\nwant one line starting with the path and mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := Parse(good); err != nil {
		t.Errorf("good file: %v", err)
	}
	if !bytes.Contains(good, []byte(`"schema": 2`)) {
		t.Error("schema not stamped")
	}
	// A state that does not fit the network is caught when resuming.
	rec2, err := Parse([]byte(strings.Replace(string(good), `"in": 784`, `"in": 783`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := rec2.Resume(smallData); err == nil || !strings.Contains(err.Error(), "shape 783×10") {
		t.Errorf("resume with a wrong shape: %v", err)
	}
}
