package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"infomorph-tui/tasks"
)

// fakeMemory is a fake memory engine: one 100-unit layer, 3 stored 10×10
// patterns (pattern 2 recalled with 2 bits off), evaluations at epochs 1, 2,
// 4, 8, … only.
type fakeMemory struct{ *fakeEngine }

var _ MemoryView = fakeMemory{}

func newFakeMemory(preset string, seed uint64) fakeMemory {
	f := newFake(preset, seed)
	f.stepsPerEpoch = 1
	f.layers = []LayerInfo{{Name: "memory", AtomNames: biNames, Units: 100, Sources: []string{"R", "C"}}}
	f.gamma, f.pgamma = f.gamma[:1], f.pgamma[:1]
	return fakeMemory{f}
}

func (f fakeMemory) Patterns() int          { return 3 }
func (f fakeMemory) WhyNotSaveable() string { return "memory runs are not saved as run files" }
func (f fakeMemory) Grid() (rows, cols int) { return 10, 10 }
func (f fakeMemory) ScoreLabels() [3]string {
	return [3]string{"recall (clean cues)", "perfect recalls", "recall (10% flipped)"}
}

func (f fakeMemory) Pattern(k int) []int8 {
	if k < 0 || k >= 3 {
		return nil
	}
	p := make([]int8, 100)
	for i := range p {
		p[i] = -1
		if (i*7+k*3)%5 < 2 {
			p[i] = 1
		}
	}
	return p
}

func (f fakeMemory) Recalled(k int) []int8 {
	p := f.Pattern(k)
	if k == 1 {
		p[0], p[99] = -p[0], -p[99]
	}
	return p
}

func (f fakeMemory) Snapshot() tasks.Snapshot {
	s := f.fakeEngine.Snapshot()
	s.Layers = s.Layers[:1]
	var h []tasks.EpochStats
	for _, e := range s.History {
		if e.Epoch&(e.Epoch-1) == 0 { // powers of two
			e.Layers = e.Layers[:1]
			h = append(h, e)
		}
	}
	s.History = h
	return s
}

var memoryPresets = append([]PresetInfo{{Name: "memory-fake", Description: "a fake Hopfield net", Available: true}}, testPresets...)

func memoryFactory(preset string, seed uint64) (Engine, error) {
	if preset == "memory-fake" {
		return newFakeMemory(preset, seed), nil
	}
	return fakeFactory(preset, seed)
}

func memoryHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, Options{Presets: memoryPresets, Factory: memoryFactory, Preset: "memory-fake", Color: "never"})
	h.size(140, 40)
	h.settle()
	for range 10 {
		h.keys("e")
		h.settle()
	}
	return h
}

func TestMemoryScoresAndPictures(t *testing.T) {
	h := memoryHarness(t)
	scr := h.screen()
	for _, want := range []string{"Recall", "recall (clean cues)", "perfect recalls", "recall (10% flipped)",
		"pattern 1/3", "stored", "recalled", "✓ recalled"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "train ") || strings.Contains(scr, "Accuracy") {
		t.Errorf("memory run still labelled train/Accuracy:\n%s", scr)
	}
	h.keys(".")
	h.settle()
	if scr := h.screen(); !strings.Contains(scr, "pattern 2/3") || !strings.Contains(scr, "✗ 2 bits off") {
		t.Errorf(". → want pattern 2/3 with 2 bits off:\n%s", scr)
	}
	h.keys(",", ",")
	h.settle()
	if h.m.insp.pat != 2 || h.m.insp.pic == nil || h.m.insp.pic.k != 2 {
		t.Errorf(", , from pattern 2 → pattern %d (picture %+v), want 3rd (wrap)", h.m.insp.pat+1, h.m.insp.pic)
	}
	// the x axis is the evaluated epoch, not the evaluation's index
	if d := h.m.run.data; len(d.snap.History) != 4 || epochX(d.snap.History[3], 3) != 8 {
		t.Errorf("history %d entries, last at x %v; want 4, x 8", len(d.snap.History), epochX(d.snap.History[len(d.snap.History)-1], 0))
	}
}

func TestMemoryKeysElsewhere(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context"})
	h.size(120, 40)
	h.settle()
	h.keys(".")
	if !strings.Contains(h.screen(), "no stored patterns") {
		t.Errorf(". on an MNIST run: want a hint, got\n%s", h.screen())
	}
	if h.m.run.data.memory() || h.m.insp.patterns != 0 {
		t.Error("an MNIST run counts as a memory run")
	}
	// loading a memory preset after an MNIST one switches the labels, and back
	h = newHarness(t, Options{Presets: memoryPresets, Factory: memoryFactory, Preset: "mnist-context"})
	h.size(120, 40)
	h.settle()
	h.send(loadPresetMsg{name: "memory-fake"})
	h.settle()
	if !h.m.run.data.memory() || h.m.insp.patterns != 3 {
		t.Fatalf("after loading memory-fake: memory %v, patterns %d", h.m.run.data.memory(), h.m.insp.patterns)
	}
	h.send(loadPresetMsg{name: "mnist-readout"})
	h.settle()
	if h.m.run.data.memory() || h.m.insp.patterns != 0 || h.m.insp.pic != nil {
		t.Error("after loading mnist-readout the lab still shows a memory run")
	}
}

func TestRenderPictureNoColour(t *testing.T) {
	v := []int8{1, -1, 1, -1, 1, 1, -1, -1} // 4×2: rows (1,-1) (1,-1) (1,1) (-1,-1)
	got := renderPicture(v, 4, 2, false)
	want := []string{"█ ", "▀▀"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("renderPicture = %q, want %q", got, want)
	}
}

func TestGoldenMemory(t *testing.T) {
	h := memoryHarness(t)
	h.keys(".")
	h.settle()
	golden.RequireEqual(t, h.screen())
}

// ReceptiveField is a neuron's 10×10 recurrent weight row, as in memory runs.
func (f fakeMemory) ReceptiveField(l, j int) ([]float64, int, int, bool) {
	if l != 0 {
		return nil, 0, 0, false
	}
	w := make([]float64, 100)
	for i := range w {
		w[i] = 0.1 * float64((i*j+3*i)%7-3) * (1 - 1/(1+f.progress()))
	}
	w[j%100] = 0
	return w, 10, 10, true
}
