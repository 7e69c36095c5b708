package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"infomorph-tui/internal/mnisttest"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// tinyData is a small MNIST-shaped data set: digit k is a bright bar at its
// own place in the grid. 1100 training images make two batches per epoch.
var tinyData = func() *tasks.Dataset {
	s := mnisttest.Generate(mnisttest.Spec{Seed: [2]uint64{3, 4}, NTrain: 1300, NTest: 100,
		Bars: mnisttest.Bars{Top: 3, Left: 2, RowStep: 12, ColStep: 5, PerRow: 5, Height: 8, Width: 3,
			DropOneIn: 4, Min: 90, Span: 166, Noise: 10}})
	m := &tasks.MNIST{TrainImages: s.TrainImages, TrainLabels: s.TrainLabels, TestImages: s.TestImages, TestLabels: s.TestLabels}
	return tasks.NewDatasetSplit(m, 200)
}()

func readoutPreset(t *testing.T) presets.Preset {
	t.Helper()
	p, err := presets.Find(presets.Builtin(), "mnist-readout")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustVary(t *testing.T, args ...string) []Vary {
	t.Helper()
	var out []Vary
	for _, a := range args {
		v, err := ParseVary(a)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// gridSpec is the acceptance sweep: 3×3 γ values × 2 seeds × 3 epochs.
func gridSpec(t *testing.T) Spec {
	t.Helper()
	s, err := NewSpec(readoutPreset(t), "", mustVary(t, "{1}=-0.4:0:3", "{1}{2}=0.5:1.5:3"), 0, 0, 2, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseVary(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Vary
	}{
		{"{1}=-0.4:0:3", Vary{"{1}", -0.4, 0, 3}},
		{"{1}{2}=0.5:1.5:5", Vary{"{1}{2}", 0.5, 1.5, 5}},
		{" h_res = 1:-1 ", Vary{"h_res", 1, -1, 0}},
		{"{12}=0.25", Vary{"{12}", 0.25, 0.25, 1}},
	} {
		got, err := ParseVary(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"{1}", "want ATOM=a:b:n"},
		{"=0:1:3", "want ATOM=a:b:n"},
		{"{1}=", "want ATOM=a:b:n"},
		{"{1}=0:1:2:3", "want ATOM=a:b:n"},
		{"{1}=x:1:3", `"x" is not a finite number`},
		{"{1}=0:NaN:3", "not a finite number"},
		{"{1}=0:1e999:3", "not a finite number"},
		{"{1}=0:1:1", "n must be"},
		{"{1}=0:1:2.5", "n must be"},
		{"{1}=0:1:-3", "n must be"},
		{"{1}=1:1:3", "a and b are equal"},
		{"{1}=1:1", "range is empty"},
	} {
		_, err := ParseVary(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v, want one line mentioning %q", tc.in, err, tc.want)
		}
	}
}

func TestNewSpec(t *testing.T) {
	p := readoutPreset(t)
	s := gridSpec(t)
	if s.Layer != "readout" || len(s.Axes) != 2 || s.Axes[0].Index != 0 || s.Axes[1].Index != 2 ||
		!slices.Equal(s.Axes[0].Values, []float64{-0.4, -0.2, 0}) || !slices.Equal(s.Axes[1].Values, []float64{0.5, 1, 1.5}) {
		t.Fatalf("spec %+v", s)
	}
	for _, tc := range []struct {
		layer  string
		vary   []string
		random int
		seeds  int
		epochs int
		want   string
	}{
		{"", []string{"{3}=0:1:3"}, 0, 1, 1, `unknown atom "{3}" for layer readout (γ entries: {1} {2} {1}{2} {12} h_res)`},
		{"", []string{"{1}=0:1:3", "{1}=0:2:3"}, 0, 1, 1, "given twice"},
		{"", []string{"{1}=0:1"}, 0, 1, 1, "needs --random"},
		{"", []string{"{1}=0:1:3"}, 5, 1, 1, "with --random give a range"},
		{"hidden", []string{"{1}=0:1:3"}, 0, 1, 1, `no layer "hidden" (layers: readout)`},
		{"", nil, 0, 1, 1, "at least one"},
		{"", []string{"{1}=0:1:3"}, 0, 0, 1, "--seeds"},
		{"", []string{"{1}=0:1:3"}, 0, 1, 0, "--epochs"},
		{"", []string{"{1}=0:1:1000", "{2}=0:1:1000", "{12}=0:1:1000"}, 0, 1, 1, "at most"},
	} {
		_, err := NewSpec(p, tc.layer, mustVary(t, tc.vary...), tc.random, 1, tc.seeds, 1, tc.epochs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.vary, err, tc.want)
		}
	}
}

func TestJobs(t *testing.T) {
	s := gridSpec(t)
	jobs, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 18 {
		t.Fatalf("%d jobs", len(jobs))
	}
	// Last axis fastest, seeds innermost.
	if j := jobs[3]; j.Seed != 2 || !slices.Equal(j.Point, []float64{-0.4, 1}) || !slices.Equal(j.Gamma, []float64{-0.4, 0.1, 1, 0.1, 0}) {
		t.Errorf("job 3: %+v", j)
	}
	again, _ := gridSpec(t).Jobs()
	ids := map[string]bool{}
	for i, j := range jobs {
		if j.ID != again[i].ID || ids[j.ID] || j.Index != i {
			t.Errorf("job %d: id %s not deterministic or unique", i, j.ID)
		}
		ids[j.ID] = true
	}
	// Shards partition the runs.
	seen := map[string]int{}
	for k := 1; k <= 4; k++ {
		for _, j := range Shard(jobs, k, 4) {
			seen[j.ID]++
		}
	}
	if len(seen) != 18 {
		t.Errorf("shards cover %d of 18 runs", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s in %d shards", id, n)
		}
	}
	for _, bad := range []string{"0/3", "4/3", "1", "a/b", "1/0", "-1/2", "1/3/4"} {
		if _, _, err := ParseShard(bad); err == nil || !strings.Contains(err.Error(), "--shard") {
			t.Errorf("--shard %s: error %v", bad, err)
		}
	}
	if k, n, err := ParseShard("2/8"); k != 2 || n != 8 || err != nil {
		t.Errorf("2/8: %d %d %v", k, n, err)
	}
	// Random points: seeded, within range, reproducible.
	r, err := NewSpec(readoutPreset(t), "readout", mustVary(t, "{1}=-1:1", "h_res=0.5"), 7, 42, 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	pts, pts2 := r.Points(), r.Points()
	if len(pts) != 7 || !slices.EqualFunc(pts, pts2, slices.Equal) {
		t.Fatalf("random points %v / %v", pts, pts2)
	}
	for _, p := range pts {
		if p[0] < -1 || p[0] > 1 || p[1] != 0.5 {
			t.Errorf("point %v out of range", p)
		}
	}
	// Repeated grid values are refused.
	d, err := NewSpec(readoutPreset(t), "", mustVary(t, "{1}=0:5e-324:3"), 0, 0, 1, 1, 1)
	if err == nil {
		_, err = d.Jobs()
	}
	if err == nil || !strings.Contains(err.Error(), "repeats") {
		t.Errorf("repeated points: %v", err)
	}
}

// reference runs the acceptance sweep once, uninterrupted, for the tests
// that compare against it.
var reference struct {
	once sync.Once
	dir  string
	rep  Report
	err  error
}

func referenceSweep(t *testing.T) string {
	t.Helper()
	reference.once.Do(func() {
		dir, err := os.MkdirTemp("", "sweep-ref")
		if err != nil {
			reference.err = err
			return
		}
		reference.dir = dir
		reference.rep, reference.err = Run(context.Background(), Config{Spec: gridSpec(t), Data: tinyData, Dir: dir, Jobs: 2, Version: "test"})
	})
	if reference.err != nil {
		t.Fatal(reference.err)
	}
	return reference.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if reference.dir != "" {
		os.RemoveAll(reference.dir)
	}
	os.Exit(code)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSweepAcceptance: the 3×3 × 2 seeds × 3 epochs sweep completes with 18
// rows in the right columns; the same sweep cancelled half-way and resumed
// does not recompute finished runs and ends with the identical results.csv.
func TestSweepAcceptance(t *testing.T) {
	ref := referenceSweep(t)
	if r := reference.rep; r.Runs != 18 || r.Trained != 18 || r.Rows != 18 || r.Total != 18 || r.Skipped != 0 {
		t.Errorf("report %+v", r)
	}
	data := readFile(t, filepath.Join(ref, ResultsFile))
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"id", "seed", "gamma:{1}", "gamma:{1}{2}", "epochs", "train_acc", "val_acc", "test_acc", "diverged",
		"readout:{1}", "readout:{2}", "readout:{1}{2}", "readout:{12}", "readout:h_res", "readout:h_y"}
	if len(recs) != 19 || !slices.Equal(recs[0], wantHeader) {
		t.Fatalf("results.csv has %d lines, header %v", len(recs), recs[0])
	}
	for _, r := range recs[1:] {
		if r[4] != "3" || r[8] != "" || r[7] == "" {
			t.Errorf("row %v", r)
		}
	}

	// Interrupt after 8 finished runs, then resume.
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var lines []Progress
	cfg := Config{Spec: gridSpec(t), Data: tinyData, Dir: dir, Jobs: 2, Version: "test",
		Progress: func(p Progress) {
			lines = append(lines, p)
			if p.Done >= 8 {
				cancel()
			}
		}}
	rep, err := Run(ctx, cfg)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sweep: %v", err)
	}
	finished, _ := finishedFiles(dir)
	if len(finished) < 8 || len(finished) >= 18 || rep.Rows != len(finished) {
		t.Fatalf("after the interruption %d runs finished, report %+v", len(finished), rep)
	}
	t.Logf("interrupted: %+v", rep)
	mtimes := map[string]time.Time{}
	for _, id := range finished {
		st, err := os.Stat(runPath(dir, id))
		if err != nil {
			t.Fatal(err)
		}
		mtimes[id] = st.ModTime()
	}
	parts, _ := filepath.Glob(filepath.Join(dir, RunsDir, "*"+partSuffix))
	if len(parts) != rep.Interrupted {
		t.Errorf("%d partial files, %d runs interrupted", len(parts), rep.Interrupted)
	}
	time.Sleep(20 * time.Millisecond) // so that a rewrite would show in the mtime
	cfg.Progress = nil
	rep2, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("resumed: %+v", rep2)
	if rep2.Skipped != len(finished) || rep2.Trained+rep2.Continued != 18-len(finished) || rep2.Continued != len(parts) || rep2.Rows != 18 {
		t.Errorf("resumed report %+v, %d finished before, %d partial", rep2, len(finished), len(parts))
	}
	for id, mt := range mtimes {
		st, _ := os.Stat(runPath(dir, id))
		if !st.ModTime().Equal(mt) {
			t.Errorf("finished run %s was rewritten", id)
		}
	}
	if parts, _ := filepath.Glob(filepath.Join(dir, RunsDir, "*"+partSuffix)); len(parts) != 0 {
		t.Errorf("partial files left: %v", parts)
	}
	if got := readFile(t, filepath.Join(dir, ResultsFile)); !bytes.Equal(got, data) {
		t.Errorf("interrupted and resumed sweep differs from the uninterrupted one:\n%s\n---\n%s", got, data)
	}
	// Progress: steps add up, the ETA exists once steps were made.
	last := lines[len(lines)-1]
	if last.StepsDone > last.Steps || last.Runs != 18 {
		t.Errorf("last progress %+v", last)
	}
	if _, ok := last.ETA(); !ok {
		t.Error("no ETA after steps")
	}
	// A third start has nothing to do.
	rep3, err := Run(context.Background(), cfg)
	if err != nil || rep3.Skipped != 18 || rep3.Trained+rep3.Continued != 0 {
		t.Errorf("third start: %+v, %v", rep3, err)
	}
}

// TestSweepShards: three shards run in parallel into one folder give the
// same results.csv as the whole sweep.
func TestSweepShards(t *testing.T) {
	ref := referenceSweep(t)
	dir := t.TempDir()
	var wg sync.WaitGroup
	reps := make([]Report, 3)
	errs := make([]error, 3)
	for k := 1; k <= 3; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[k-1], errs[k-1] = Run(context.Background(), Config{Spec: gridSpec(t), Data: tinyData, Dir: dir, Jobs: 1,
				Shard: k, Shards: 3, Version: "test"})
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			t.Fatalf("shard %d: %v", k+1, err)
		}
		if reps[k].Runs != 6 || reps[k].Trained != 6 {
			t.Errorf("shard %d report %+v", k+1, reps[k])
		}
	}
	want := readFile(t, filepath.Join(ref, ResultsFile))
	got := readFile(t, filepath.Join(dir, ResultsFile))
	sortLines := func(b []byte) []string {
		l := strings.Split(strings.TrimSpace(string(b)), "\n")
		slices.Sort(l[1:])
		return l
	}
	if !slices.Equal(sortLines(got), sortLines(want)) {
		t.Errorf("sharded results.csv differs:\n%s\n---\n%s", got, want)
	}
}

func TestLoadGrid(t *testing.T) {
	ref := referenceSweep(t)
	res, err := Load(ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 18 || res.Total != 18 || res.Spec.Epochs != 3 {
		t.Fatalf("loaded %d rows of %d", len(res.Rows), res.Total)
	}
	g, err := res.Grid(TestAcc)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != 9 {
		t.Fatalf("%d cells", len(g.Cells))
	}
	c := g.At(1, 2) // γ{1} = −0.2, γ{1}{2} = 1.5
	var vals []float64
	for _, r := range res.Rows {
		if r.Gamma[0] == -0.2 && r.Gamma[1] == 1.5 {
			vals = append(vals, r.TestAcc)
		}
	}
	if len(vals) != 2 || c.N != 2 || math.Abs(c.Mean-(vals[0]+vals[1])/2) > 1e-15 ||
		math.Abs(c.SD-math.Abs(vals[0]-vals[1])/math.Sqrt2) > 1e-12 {
		t.Errorf("cell %+v from %v", c, vals)
	}
	if b, ok := res.Best(TestAcc); !ok || b.Mean < 0.5 {
		t.Errorf("best %+v (tiny data should be easy)", b)
	}
	if v := AtomMetric("readout", "{1}{2}").Of(res.Rows[0]); math.IsNaN(v) || v != res.Rows[0].Layers[0].Atoms[2] {
		t.Errorf("atom metric %v", v)
	}
	var sum bytes.Buffer
	res.WriteSummary(&sum)
	if !strings.Contains(sum.String(), "18 of 18 runs") || strings.Count(sum.String(), "\n") < 12 {
		t.Errorf("summary:\n%s", sum.String())
	}
	// Without results.csv, Load reads the run files.
	dir := t.TempDir()
	copyDir(t, ref, dir)
	os.Remove(filepath.Join(dir, ResultsFile))
	res2, err := Load(dir)
	if err != nil || len(res2.Rows) != 18 {
		t.Fatalf("load from run files: %d rows, %v", len(res2.Rows), err)
	}
	for i := range res.Rows {
		if res.Rows[i].ID != res2.Rows[i].ID || res.Rows[i].TestAcc != res2.Rows[i].TestAcc {
			t.Errorf("row %d differs between CSV and run files", i)
		}
	}
}

// setField replaces field i of a CSV line without quotes.
func setField(line string, i int, v string) string {
	f := strings.Split(line, ",")
	f[i] = v
	return strings.Join(f, ",")
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMalformed: broken run files, CSVs and manifests give clear errors.
func TestMalformed(t *testing.T) {
	ref := referenceSweep(t)
	s := gridSpec(t)
	s.Data = DataDesc(tinyData)
	jobs, _ := s.Jobs()
	csvPath := filepath.Join(ref, ResultsFile)
	good := string(readFile(t, csvPath))
	lines := strings.Split(strings.TrimSpace(good), "\n")
	for _, tc := range []struct {
		name, csv, want string
	}{
		{"empty", "", "empty file"},
		{"other header", "id,seed,gamma:{2}\n", `header column 3 is "gamma:{2}", want "gamma:{1}"`},
		{"short header", strings.Join(strings.Split(lines[0], ",")[:5], ",") + "\n", "header column 6 is nothing"},
		{"short row", lines[0] + "\n" + lines[1][:strings.LastIndex(lines[1], ",")] + "\n", "line 2: 14 fields, want 15"},
		{"bad number", lines[0] + "\n" + strings.Replace(lines[1], ",3,", ",3,x", 1) + "\n", `column train_acc: "x`},
		{"bad seed", lines[0] + "\n" + strings.Replace(lines[1], jobs[0].ID+",1,", jobs[0].ID+",one,", 1) + "\n", "column seed"},
		{"unknown id", lines[0] + "\n" + strings.Replace(lines[1], jobs[0].ID, "gdeadbeef-s1", 1) + "\n", `id "gdeadbeef-s1" is not a run`},
		{"duplicate", lines[0] + "\n" + lines[1] + "\n" + lines[1] + "\n", "appears twice"},
		{"wrong point", lines[0] + "\n" + strings.Replace(lines[1], ",-0.4,", ",-0.3,", 1) + "\n", "do not match"},
		{"accuracy range", lines[0] + "\n" + setField(lines[1], 5, "1.5") + "\n", "outside [0, 1]"},
		{"missing accuracy", lines[0] + "\n" + setField(lines[1], 7, "") + "\n", "needs all epochs and accuracies"},
		{"quote", lines[0] + "\n\"abc\n", "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "results.csv")
			os.WriteFile(path, []byte(tc.csv), 0o644)
			_, err := ReadResults(path, s)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %v, want one naming the file and %q", err, tc.want)
			}
		})
	}
	if rows, err := ReadResults(csvPath, s); err != nil || len(rows) != 18 {
		t.Fatalf("good CSV: %d rows, %v", len(rows), err)
	}

	// A broken run file stops the sweep (and Load) with its name.
	dir := t.TempDir()
	copyDir(t, ref, dir)
	bad := runPath(dir, jobs[4].ID)
	os.WriteFile(bad, []byte(`{"schema": 2, "preset": `), 0o644)
	_, err := Run(context.Background(), Config{Spec: gridSpec(t), Data: tinyData, Dir: dir, Jobs: 1})
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "not a run file") {
		t.Errorf("sweep over a broken run file: %v", err)
	}
	os.Remove(filepath.Join(dir, ResultsFile))
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("load with a broken run file: %v", err)
	}
	// A run file of another run under this id.
	other := readFile(t, runPath(ref, jobs[5].ID))
	os.WriteFile(bad, other, 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "seed") {
		t.Errorf("load with a misplaced run file: %v", err)
	}
	// A stray file in runs/ is ignored (TestStrayFiles), not an error.
	os.WriteFile(bad, readFile(t, runPath(ref, jobs[4].ID)), 0o644)
	os.WriteFile(filepath.Join(dir, RunsDir, "stray.json"), other, 0o644)
	if res, err := Load(dir); err != nil || len(res.Ignored) != 1 {
		t.Errorf("load with a stray run file: %v ignored, %v", res.Ignored, err)
	}
	// Another sweep in the same folder.
	s2, _ := NewSpec(readoutPreset(t), "", mustVary(t, "{1}=-0.4:0:3", "{1}{2}=0.5:1.5:3"), 0, 0, 2, 1, 4)
	if _, err := Run(context.Background(), Config{Spec: s2, Data: tinyData, Dir: dir, Jobs: 1}); err == nil || !strings.Contains(err.Error(), "holds another sweep (epochs 3 there, 4 here)") {
		t.Errorf("other sweep: %v", err)
	}
	// Not a sweep folder; a broken manifest.
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a sweep folder") {
		t.Errorf("empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte(`{"schema": 1, "kind": "x"}`), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "kind") {
		t.Errorf("broken manifest: %v", err)
	}
}

// TestDivergedRun: a run that diverges is recorded as such, not retrained.
func TestDivergedRun(t *testing.T) {
	s, err := NewSpec(readoutPreset(t), "", mustVary(t, "{1}{2}=1.6e308:1.7e308:2"), 0, 0, 1, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep, err := Run(context.Background(), Config{Spec: s, Data: tinyData, Dir: dir, Jobs: 2, NoState: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Diverged != 2 || rep.Rows != 2 {
		t.Fatalf("report %+v", rep)
	}
	res, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if r.Diverged == "" || !math.IsNaN(r.TestAcc) {
			t.Errorf("row %+v", r)
		}
	}
	rec, err := runfile.Load(runPath(dir, res.Rows[0].ID))
	if err != nil || rec.Diverged == "" || rec.State != nil {
		t.Errorf("run file: diverged %q, state %v, %v", rec.Diverged, rec.State != nil, err)
	}
	rep2, err := Run(context.Background(), Config{Spec: s, Data: tinyData, Dir: dir, Jobs: 2})
	if err != nil || rep2.Skipped != 2 {
		t.Errorf("rerun %+v %v", rep2, err)
	}
}
