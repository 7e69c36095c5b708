package plots

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"infomorph-tui/pid"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
	"infomorph-tui/tasks"
)

// testDPI keeps rendering fast (the race detector slows the rasteriser a lot).
const testDPI = 60

// decode renders a figure as PNG and decodes it. With PLOTS_OUT=DIR set it
// also saves the figure at full resolution there, to look at.
func decode(t *testing.T, f Figure) image.Image {
	t.Helper()
	if dir := os.Getenv("PLOTS_OUT"); dir != "" {
		if err := f.Save(filepath.Join(dir, strings.NewReplacer("/", "-", "+", "-").Replace(t.Name())+".png")); err != nil {
			t.Fatal(err)
		}
	}
	f.DPI = testDPI
	var buf bytes.Buffer
	if err := f.Write(&buf, "png"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// checkImage: the expected size in pixels, and not blank (many colours,
// among them the palette's first line colour or viridis).
func checkImage(t *testing.T, img image.Image, wIn, hIn float64) {
	t.Helper()
	b := img.Bounds()
	if b.Dx() != int(math.Round(wIn*testDPI)) || b.Dy() != int(math.Round(hIn*testDPI)) {
		t.Errorf("size %dx%d, want %.0fx%.0f", b.Dx(), b.Dy(), wIn*testDPI, hIn*testDPI)
	}
	colours := map[[3]uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}]++
		}
	}
	if len(colours) < 8 {
		t.Errorf("only %d distinct colours: blank?", len(colours))
	}
	white := colours[[3]uint32{255, 255, 255}]
	total := b.Dx() * b.Dy()
	if white > total*97/100 || white < total/3 {
		t.Errorf("%d of %d pixels white", white, total)
	}
}

// fakeRecord is a run of n epochs over the given layers' atom counts.
func fakeRecord(n int, atoms ...int) runfile.Record {
	rec := runfile.Record{Preset: "fake", Seed: 3, Gamma: []runfile.GammaChange{{Step: 0, Layer: "hidden", Gamma: []float64{1}}, {Step: 40, Layer: "hidden", Gamma: []float64{2}}},
		State: &tasks.Checkpoint{StepsPerEpoch: 20}}
	for e := 1; e <= n; e++ {
		st := tasks.EpochStats{Epoch: e, TrainAcc: 0.8 + 0.01*float64(e), ValAcc: 0.79 + 0.01*float64(e), TestAcc: 0.795 + 0.01*float64(e)}
		for li, na := range atoms {
			names := append(append([]string(nil), pid.AtomNames(map[int]int{4: 2, 18: 3}[na])...), "h_res")
			l := tasks.LayerStats{Name: []string{"hidden", "readout"}[li], AtomNames: names, Atoms: make([]float64, len(names)), HY: 0.8}
			for k := range l.Atoms {
				l.Atoms[k] = 0.8 * math.Sin(float64(k+1)*0.7+float64(e)*0.2) / float64(len(names))
			}
			st.Layers = append(st.Layers, l)
		}
		rec.Epochs = append(rec.Epochs, st)
	}
	return rec
}

func TestRunFigure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rec    runfile.Record
		panels int
	}{
		{"readout", fakeRecord(5, 4), 2},
		{"hidden+readout", fakeRecord(12, 4, 4), 3},
		{"trivariate", fakeRecord(3, 18, 4), 3},
		{"one epoch", fakeRecord(1, 4), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Run(tc.rec)
			if err != nil {
				t.Fatal(err)
			}
			checkImage(t, decode(t, f), 7, 3*float64(tc.panels))
		})
	}
	if _, err := Run(fakeRecord(0, 4)); err == nil || !strings.Contains(err.Error(), "no finished epoch") {
		t.Errorf("empty run: %v", err)
	}
	if got := (intTicks{}).Ticks(1, 100); len(got) > 9 || got[0].Value != 20 && got[0].Value != 10 {
		t.Errorf("epoch ticks %v", got)
	}
	for _, r := range [][2]float64{{87.4, 91.7}, {-3, 75}, {0.2, 0.21}, {5, 5}} {
		ts := (niceTicks{}).Ticks(r[0], r[1])
		if len(ts) == 0 || len(ts) > 11 {
			t.Errorf("ticks %v → %v", r, ts)
		}
		for _, tk := range ts {
			if strings.HasSuffix(tk.Label, ".00") {
				t.Errorf("tick label %q has needless decimals", tk.Label)
			}
		}
	}
}

// fakeSweep builds a sweep result with made-up accuracies.
func fakeSweep(t *testing.T, random int, vary ...string) sweep.Result {
	t.Helper()
	p, err := presets.Find(presets.Builtin(), "mnist-readout")
	if err != nil {
		t.Fatal(err)
	}
	var vs []sweep.Vary
	for _, v := range vary {
		x, err := sweep.ParseVary(v)
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, x)
	}
	s, err := sweep.NewSpec(p, "", vs, random, 5, 3, 1, 4)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := s.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	res := sweep.Result{Dir: "fake", Spec: s, Total: len(jobs)}
	for i, j := range jobs {
		acc := 0.9
		for _, g := range j.Point {
			acc -= 0.1 * g * g
		}
		acc += 0.003 * float64(j.Seed)
		r := sweep.Row{ID: j.ID, Seed: j.Seed, Gamma: j.Point, Epochs: 4, TrainAcc: acc, ValAcc: acc, TestAcc: acc,
			Layers: []sweep.LayerAtoms{{Name: "readout", AtomNames: s.GammaNames, Atoms: make([]float64, 5), HY: 0.5}}}
		if i == 4 {
			r.Diverged, r.TestAcc = "epoch 2, step 3: training diverged", math.NaN()
		}
		if i == 7 {
			continue // not finished
		}
		res.Rows = append(res.Rows, r)
	}
	return res
}

func TestSweepFigure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		res    sweep.Result
		w, h   float64
		panels int
	}{
		{"line", fakeSweep(t, 0, "{1}=-0.5:0.5:5"), 7, 4, 1},
		{"heatmap", fakeSweep(t, 0, "{1}=-0.5:0.5:4", "h_res=1:0:3"), 7, 5.2, 1},
		{"three axes", fakeSweep(t, 0, "{1}=-0.5:0.5:3", "{2}=0:1:2", "{12}=0:1:2"), 7, 3.4 * 3, 3},
		{"random", fakeSweep(t, 12, "{1}=-1:1", "{1}{2}=0:2"), 7, 3.4 * 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Sweep(tc.res)
			if err != nil {
				t.Fatal(err)
			}
			checkImage(t, decode(t, f), tc.w, tc.h)
		})
	}
	empty := fakeSweep(t, 0, "{1}=0:1:2")
	empty.Rows = nil
	if _, err := Sweep(empty); err == nil || !strings.Contains(err.Error(), "no finished runs") {
		t.Errorf("empty sweep: %v", err)
	}
}

func TestSave(t *testing.T) {
	f, err := Run(fakeRecord(3, 4))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	f.DPI = testDPI
	for _, name := range []string{"a.png", "b.svg", "c.pdf"} {
		path := filepath.Join(dir, name)
		if err := f.Save(path); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, _ := os.ReadFile(path)
		if len(data) < 1000 {
			t.Errorf("%s: %d bytes", name, len(data))
		}
	}
	if err := f.Save(filepath.Join(dir, "d.gif")); err == nil || !strings.Contains(err.Error(), ".png, .svg or .pdf") {
		t.Errorf("gif: %v", err)
	}
	if err := f.Save(filepath.Join(dir, "missing", "e.png")); err == nil {
		t.Error("saved into a missing folder")
	}
}
