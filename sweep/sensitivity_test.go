package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"infomorph-tui/pid"
)

// The variants of one-at-a-time analyses for 5 (bivariate) and 19
// (trivariate) γ entries, each mode, with exact values.
func TestSensitivityPoints(t *testing.T) {
	for _, sources := range []int{2, 3} {
		names := pid.GammaNames(sources)
		base := make([]float64, len(names))
		for i := range base {
			base[i] = 0.25*float64(i) - 1.3 // none is 0
		}
		for _, tc := range []struct {
			mode     string
			suffixes []string
			apply    []func(float64) float64
		}{
			{ModeZero, []string{" = 0"}, []func(float64) float64{func(float64) float64 { return 0 }}},
			{ModeScale, []string{" × 0.9", " × 1.1"}, []func(float64) float64{func(v float64) float64 { return v - 0.1*v }, func(v float64) float64 { return v + 0.1*v }}},
			{ModeShift, []string{" − 0.1", " + 0.1"}, []func(float64) float64{func(v float64) float64 { return v - 0.1 }, func(v float64) float64 { return v + 0.1 }}},
		} {
			pts, skipped, err := SensitivityPoints(names, base, tc.mode, false, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := 1 + len(names)*len(tc.suffixes)
			if len(pts) != want || len(skipped) != 0 {
				t.Fatalf("%d sources, %s: %d points (%d skipped), want %d", sources, tc.mode, len(pts), len(skipped), want)
			}
			if pts[0].Label != BaselineLabel || pts[0].Entry != "" || !slices.Equal(pts[0].Gamma, base) {
				t.Errorf("first point %+v is not the baseline", pts[0])
			}
			k := 1
			for i, n := range names {
				for c, suf := range tc.suffixes {
					p := pts[k]
					k++
					g := slices.Clone(base)
					g[i] = tc.apply[c](base[i])
					if p.Label != n+suf || p.Entry != n || !slices.Equal(p.Gamma, g) {
						t.Errorf("%s point %d: %+v, want %s%s with γ %v", tc.mode, k-1, p, n, suf, g)
					}
				}
			}
		}
	}
	// Entries already 0 would repeat the baseline: left out and named.
	names := pid.GammaNames(2)
	base := []float64{0, 0, 1, 0, 0} // mnist-context
	pts, skipped, err := SensitivityPoints(names, base, ModeZero, false, nil)
	if err != nil || len(pts) != 2 || pts[1].Label != "{1}{2} = 0" || !slices.Equal(skipped, []string{"{1} = 0", "{2} = 0", "{12} = 0", "h_res = 0"}) {
		t.Errorf("zero, γ with zeros: %+v, skipped %v, %v", pts, skipped, err)
	}
	pts, skipped, _ = SensitivityPoints(names, base, ModeScale, false, nil)
	if len(pts) != 3 || len(skipped) != 8 {
		t.Errorf("scale, γ with zeros: %d points, skipped %v", len(pts), skipped)
	}
	pts, skipped, _ = SensitivityPoints(names, base, ModeShift, false, nil)
	if len(pts) != 11 || len(skipped) != 0 {
		t.Errorf("shift, γ with zeros: %d points, skipped %v", len(pts), skipped)
	}
	for _, tc := range []struct {
		mode       string
		cumulative bool
		order      []string
		want       string
	}{
		{"drop", false, nil, "want zero, scale or shift"},
		{ModeScale, true, []string{"{1}"}, "mode zero"},
		{ModeZero, true, nil, "give --order"},
		{ModeZero, true, []string{"{1}", "{9}"}, "unknown γ entry"},
		{ModeZero, true, []string{"{1}", "{1}"}, "given twice"},
	} {
		if _, _, err := SensitivityPoints(names, base, tc.mode, tc.cumulative, tc.order); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s cumulative %v order %v: %v, want %q", tc.mode, tc.cumulative, tc.order, err, tc.want)
		}
	}
}

// The cumulative order is the authors' ordered_gammas (indices into the
// 19-entry γ: 4, 16, 10, 17, 5, 9, 8, 14, 18, 13, 12, 6, 15, 3, 7, 1, 0, 2,
// 11), written out by name here; each point removes one more entry.
func TestCumulativeOrder(t *testing.T) {
	names := pid.GammaNames(3)
	want := []string{"{1}{23}", "{23}", "{12}{13}{23}", "{123}", "{2}{13}", "{3}", "{2}", "{12}", "h_res",
		"{13}{23}", "{12}{23}", "{3}{12}", "{13}", "{2}{3}", "{1}", "{1}{2}", "{1}{2}{3}", "{1}{3}", "{12}{13}"}
	order := DefaultOrder(names)
	if !slices.Equal(order, want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	if DefaultOrder(pid.GammaNames(2)) != nil {
		t.Error("an order for bivariate layers")
	}
	paper := []string{"(F)(CL)", "(CL)", "(FC)(FL)(CL)", "(FCL)", "(C)(FL)", "(L)", "(C)", "(FC)", "res",
		"(FL)(CL)", "(FC)(CL)", "(L)(FC)", "(FL)", "(C)(L)", "(F)", "(F)(C)", "(F)(C)(L)", "(F)(L)", "(FC)(FL)"}
	for i, n := range want {
		if got := PaperName(n, 3); got != paper[i] {
			t.Errorf("PaperName(%s) = %s, want %s", n, got, paper[i])
		}
	}
	base := make([]float64, 19)
	for i := range base {
		base[i] = 1 + float64(i)
	}
	base[slices.Index(names, "{123}")] = 0 // already 0: the 4th removal changes nothing
	pts, skipped, err := SensitivityPoints(names, base, ModeZero, true, order)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 19 || !slices.Equal(skipped, []string{"−4 {123}"}) {
		t.Fatalf("%d points, skipped %v", len(pts), skipped)
	}
	g := slices.Clone(base)
	k := 1
	for r, n := range order {
		g[slices.Index(names, n)] = 0
		if n == "{123}" {
			continue
		}
		p := pts[k]
		k++
		if p.Entry != n || p.Removed != r+1 || !slices.Equal(p.Gamma, g) {
			t.Errorf("point %d: %+v, want %s removed %d, γ %v", k-1, p, n, r+1, g)
		}
	}
	if last := pts[len(pts)-1].Gamma; slices.ContainsFunc(last, func(v float64) bool { return v != 0 }) {
		t.Errorf("after the last removal γ is %v", last)
	}
}

// sensitivitySpec is mnist-readout's zero analysis: its h_res is already 0,
// so baseline + 4 variants, × 2 seeds × 2 epochs.
func sensitivitySpec(t *testing.T) Spec {
	t.Helper()
	s, err := NewSensitivitySpec(readoutPreset(t), "", ModeZero, false, nil, 2, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Named) != 5 || !slices.Equal(s.Sensitivity.Skipped, []string{"h_res = 0"}) {
		t.Fatalf("points %+v, skipped %v", s.Named, s.Sensitivity.Skipped)
	}
	return s
}

// A sensitivity folder: complete results, the same after an interruption
// and a resume, the same from three shards; the summary; other analyses
// and grid sweeps are refused in it.
func TestSensitivityFolder(t *testing.T) {
	spec := sensitivitySpec(t)
	ref := t.TempDir()
	rep, err := Run(context.Background(), Config{Spec: spec, Data: tinyData, Dir: ref, Jobs: 2, Version: "test"})
	if err != nil || rep.Trained != 10 || rep.Rows != 10 {
		t.Fatalf("report %+v, %v", rep, err)
	}
	want := readFile(t, filepath.Join(ref, ResultsFile))
	recs, err := csv.NewReader(bytes.NewReader(want)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := []string{"id", "seed", "point", "gamma:{1}", "gamma:{2}", "gamma:{1}{2}", "gamma:{12}", "gamma:h_res", "epochs"}
	if len(recs) != 11 || !slices.Equal(recs[0][:len(head)], head) {
		t.Fatalf("results.csv: %d lines, header %v", len(recs), recs[0])
	}
	if recs[1][2] != "baseline" || recs[3][2] != "{1} = 0" || recs[3][3] != "0" || recs[10][2] != "{12} = 0" {
		t.Errorf("rows %v", recs[1:])
	}

	// Interrupted after 4 runs and resumed: identical.
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := Config{Spec: spec, Data: tinyData, Dir: dir, Jobs: 2, Version: "test",
		Progress: func(p Progress) {
			if p.Done >= 4 {
				cancel()
			}
		}}
	if _, err := Run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted: %v", err)
	}
	cfg.Progress = nil
	rep2, err := Run(context.Background(), cfg)
	if err != nil || rep2.Skipped < 4 || rep2.Rows != 10 {
		t.Fatalf("resumed: %+v, %v", rep2, err)
	}
	if got := readFile(t, filepath.Join(dir, ResultsFile)); !bytes.Equal(got, want) {
		t.Errorf("resumed results differ:\n%s\n---\n%s", got, want)
	}
	// A hard kill leaves results.csv behind the run files: Load reads them.
	os.Remove(filepath.Join(dir, ResultsFile))
	res, err := Load(dir)
	if err != nil || len(res.Rows) != 10 {
		t.Fatalf("load without results.csv: %d rows, %v", len(res.Rows), err)
	}

	// Three shards into one folder.
	sh := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for k := 1; k <= 3; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[k-1] = Run(context.Background(), Config{Spec: spec, Data: tinyData, Dir: sh, Jobs: 1, Shard: k, Shards: 3, Version: "test"})
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			t.Fatalf("shard %d: %v", k+1, err)
		}
	}
	sortLines := func(b []byte) []string {
		l := strings.Split(strings.TrimSpace(string(b)), "\n")
		slices.Sort(l[1:])
		return l
	}
	if got := readFile(t, filepath.Join(sh, ResultsFile)); !slices.Equal(sortLines(got), sortLines(want)) {
		t.Errorf("sharded results differ:\n%s\n---\n%s", got, want)
	}

	// Summary: baseline first, then every variant with its drop.
	res, err = Load(ref)
	if err != nil {
		t.Fatal(err)
	}
	eff := res.Effects()
	if len(eff) != 5 || eff[0].Label != BaselineLabel || eff[0].Val.N != 2 || eff[0].Drop != 0 {
		t.Fatalf("effects %+v", eff)
	}
	for _, e := range eff {
		if e.ValMed != Median(e.ValRuns) || len(e.TestRuns) != 2 || e.Drop != eff[0].Val.Mean-e.Val.Mean {
			t.Errorf("effect %+v", e)
		}
	}
	var out bytes.Buffer
	res.WriteSummary(&out)
	for _, w := range []string{"sensitivity", "mode zero: baseline + 4 variants", "h_res = 0 (γ already 0", "{1}{2} = 0", "Δval pp"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("summary lacks %q:\n%s", w, out.String())
		}
	}
	if strings.Index(out.String(), "baseline  ") > strings.Index(out.String(), "{1} = 0") {
		t.Errorf("baseline not first:\n%s", out.String())
	}

	// Another analysis or a grid sweep in this folder is refused.
	other, err := NewSensitivitySpec(readoutPreset(t), "", ModeShift, false, nil, 2, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	other.Data = DataDesc(tinyData)
	if err := CheckDir(ref, other); !errors.As(err, new(BadInput)) || !strings.Contains(err.Error(), "holds another sweep") {
		t.Errorf("shift analysis in a zero folder: %v", err)
	}
	grid := gridSpec(t)
	grid.Data = DataDesc(tinyData)
	if err := CheckDir(ref, grid); !errors.As(err, new(BadInput)) {
		t.Errorf("grid sweep in a sensitivity folder: %v", err)
	}
	if _, err := Run(context.Background(), Config{Spec: grid, Data: tinyData, Dir: ref, Jobs: 1}); err == nil {
		t.Error("a grid sweep ran in a sensitivity folder")
	}
}
