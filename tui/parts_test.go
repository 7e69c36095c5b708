package tui

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"infomorph-tui/tasks"
)

func TestAtomMeanings(t *testing.T) {
	meanings := func(names []string, layer, preset string, last bool) []string {
		var out []string
		for _, l := range labelAtoms(names, layer, preset, last) {
			out = append(out, l.meaning)
		}
		return out
	}
	got := meanings(biNames, "hidden", "mnist-context", false)
	want := []string{"unique F", "unique C", "shared F·C", "synergy", "unexplained"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("bivariate: %q", got)
	}
	for _, tc := range []struct {
		layer, preset string
		last          bool
		want          string
	}{
		{"hidden-lateral", "x", false, "unique L"},
		{"hidden", "mnist-lateral-opt", false, "unique L"},
		{"readout", "mnist-lateral", true, "unique C"},
		{"recurrent", "", true, "unique L"},
	} {
		if got := meanings(biNames, tc.layer, tc.preset, tc.last)[1]; got != tc.want {
			t.Errorf("%s/%s: {2} = %q, want %q", tc.layer, tc.preset, got, tc.want)
		}
	}
	tri := meanings(triNames, "hidden", "mnist-trivariate", false)
	for i, want := range map[int]string{0: "shared F·C·L", 2: "shared F·L", 4: "shared F·CL", 9: "unique L",
		10: "shared FC·FL·CL", 14: "synergy FC", 17: "synergy FCL", 18: "unexplained"} {
		if tri[i] != want {
			t.Errorf("%s = %q, want %q", triNames[i], tri[i], want)
		}
	}
}

func TestMarkersMergeAndUndo(t *testing.T) {
	log := []gammaRecord{
		{Step: 0, Layer: 0, Gamma: []float64{0, 0, 1}},
		{Step: 0, Layer: 1, Gamma: []float64{0, 0}},
		{Step: 5, Layer: 0, Gamma: []float64{0.01, 0, 1}},
		{Step: 5, Layer: 0, Gamma: []float64{0.02, 0, 1}},
		{Step: 5, Layer: 0, Gamma: []float64{0.02, 0, 0.5}},
		{Step: 9, Layer: 1, Gamma: []float64{0, 0.1}},
		{Step: 9, Layer: 1, Gamma: []float64{0, 0}}, // undone at the same step
	}
	got := markersFromLog(log)
	want := []marker{{5, 0, 0, 0, 0.02}, {5, 0, 2, 1, 0.5}}
	if len(got) != len(want) {
		t.Fatalf("markers %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("marker %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if l := markLabel([]vmark{got[1].vmark(0, [][]string{{"{1}", "{2}", "{1}{2}"}}, true)}); l != "γ{1}{2} 1.00→0.50" {
		t.Errorf("label %q", l)
	}
	if l := markLabel([]vmark{(marker{layer: 1, atom: 0, old: -0.2, new: 0}).vmark(0, [][]string{{"a"}, {"{1}"}}, true)}); l != "γ2:{1} -0.20→0.00" {
		t.Errorf("readout label %q", l)
	}
}

func TestDivergingBarsKeepNegativesHonest(t *testing.T) {
	bars := divergingBars([]float64{0.4, -0.1, 0, 0.001, -0.006}, 31)
	b := bars[0]
	if b.negW+b.posW+1 != 31 {
		t.Fatalf("widths %+v", b)
	}
	// one scale both sides: 0.5 span over 30 cells → 0.1 is 6 cells
	if b.negW != 6 || bars[1].neg != 6 || bars[0].pos != 24 {
		t.Errorf("scale: %+v %+v", bars[0], bars[1])
	}
	if bars[2].neg+bars[2].pos != 0 || bars[3].pos != 0 {
		t.Errorf("zero and tiny values: %+v %+v", bars[2], bars[3])
	}
	if bars[4].neg != 1 {
		t.Errorf("a -0.6%% atom must stay visible: %+v", bars[4])
	}
	st := newStyles()
	row := ansi.Strip(bars[1].render(st, "░", st.text))
	if row != "░░░░░░│"+strings.Repeat(" ", 24) {
		t.Errorf("negative bar %q", row)
	}
}

func TestStackedBarFillsExactly(t *testing.T) {
	st := newStyles()
	labels := labelAtoms(biNames, "hidden", "", false)
	for _, sh := range [][]float64{
		{0.22, 0.05, 0.41, -0.03, 0.35},
		{0.1, 0.1, 0.1, 0.1, 0.6},
		{0, 0, 0, 0, 1},
	} {
		s := ansi.Strip(stackedBar(st, sh, labels, 40))
		if w := ansi.StringWidth(s); w != 40 {
			t.Errorf("%v: width %d: %q", sh, w, s)
		}
		if strings.Count(s, "│") != 1 {
			t.Errorf("%v: one zero mark expected: %q", sh, s)
		}
	}
	s := ansi.Strip(stackedBar(st, []float64{0.22, 0.05, 0.41, -0.03, 0.35}, labels, 40))
	if !strings.HasPrefix(s, "░│") || !strings.Contains(s, "█") || !strings.Contains(s, "▒") || !strings.HasSuffix(strings.TrimRight(s, " "), "·") {
		t.Errorf("segments differ by glyph, negatives left of the mark: %q", s)
	}
}

func TestFieldRendering(t *testing.T) {
	w := make([]float64, 4*3) // 4 rows × 3 cols
	w[0], w[3] = -1, 1        // (0,0) strong negative above (1,0) strong positive
	lines := renderField(w, 4, 3, 1, true)
	if len(lines) != 2 || ansi.StringWidth(lines[0]) != 3 {
		t.Fatalf("half blocks: %q", lines)
	}
	if !strings.Contains(lines[0], "38;2;86;180;233") || !strings.Contains(lines[0], "48;2;230;159;0") {
		t.Errorf("negative above (fg sky) and positive below (bg orange): %q", lines[0])
	}
	plain := renderField(w, 4, 3, 1, false)
	if plain[0] != "   " || plain[1] != "   " { // −1 and +1 average to 0
		t.Errorf("ramp %q", plain)
	}
	w[3] = -1
	if got := renderField(w, 4, 3, 1, false)[0]; got != "#  " {
		t.Errorf("strong negative glyph: %q", got)
	}
	if g := rampGlyph(1); g != '@' {
		t.Errorf("strong positive glyph %q", g)
	}
}

func TestNiceAxes(t *testing.T) {
	for raw, want := range map[float64]float64{0.7: 1, 1.5: 2, 3: 5, 7: 10, 18: 20, 0.03: 0.05} {
		if got := niceStep(raw); math.Abs(got-want) > 1e-12 {
			t.Errorf("niceStep(%v) = %v, want %v", raw, got, want)
		}
	}
	st := newStyles()
	s := ansi.Strip(drawChart(chartSpec{w: 40, h: 12, minX: 0, maxX: 13, minY: -10, maxY: 80,
		xFmt:  func(v float64) string { return trimGamma(v)[:len(trimGamma(v))-3] },
		yFmt:  func(v float64) string { return sharePct(v / 100) },
		xStep: 1, yStep: 1, zero: true,
		series: []series{{xs: []float64{1, 2, 13}, ys: []float64{-5, 10, 70}, style: st.train}},
		marks:  []vmark{{x: 6, atom: "{1}", old: 0, new: 1}},
		axis:   st.axis, label: st.label, mark: st.marker}))
	for _, want := range []string{"┈", "┆", "γ{1} 0.00→1.00", "└┬"} {
		if !strings.Contains(s, want) {
			t.Errorf("chart lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "-0") {
		t.Errorf("negative zero label:\n%s", s)
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "runs")
	path := runPath(dir, "mnist/../context", fixedNow())
	if filepath.Dir(path) != dir || !strings.HasSuffix(path, "20251130-123456-mnist_.._context.json") {
		t.Errorf("path %q escapes or keeps separators", path)
	}
	if err := writeAtomic(path, []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomic(path, []byte(`{"a":2}`)); err != nil { // replaces
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != `{"a":2}` {
		t.Errorf("content %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftovers: %v", entries)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
}

func TestRunFileEncodesNaNAsNull(t *testing.T) {
	snap := tasks.Snapshot{Preset: "p", Seed: 3, TrainAcc: math.NaN(), ValAcc: math.Inf(1),
		Layers: []tasks.LayerStats{{Name: "h", Atoms: []float64{math.NaN(), 1}}}}
	f := buildRunFile(&engineInfo{preset: "p", seed: 3}, snap, nil, fixedNow())
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{`"train_acc":null`, `"val_acc":null`, `"atoms":[null,1]`, `"saved_at":"2025-11-30T12:34:56Z"`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s: %s", want, s)
		}
	}
}

func TestWorkerThrottlesPosts(t *testing.T) {
	fs := &fakes{}
	w := newWorker(1, fs.factory, "mnist-context", 1)
	w.start()
	defer w.stop()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if m, ok := w.box.take(); ok && m.ready != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no ready post")
		}
		time.Sleep(time.Millisecond)
	}
	w.send(command{kind: cmdRun})
	// count distinct posts the UI could see in 500 ms of full-speed training
	posts, steps := 0, 0
	start := time.Now()
	for time.Since(start) < 500*time.Millisecond {
		select {
		case <-w.box.notify:
			if m, ok := w.box.take(); ok && m.state != nil {
				posts++
				steps = m.state.snap.TotalSteps
			}
		case <-time.After(time.Millisecond):
		}
	}
	if posts > 12 || posts < 1 {
		t.Errorf("%d posts in 500 ms (want 1 to ~20/s)", posts)
	}
	// Steps are coalesced into posts: training does not wait for the UI.
	if steps <= posts {
		t.Errorf("%d steps in %d posts: the throttle should coalesce steps", steps, posts)
	}
}
