package tui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// Defects found in the trial of issue 12 (§4), one test each.

// 4.1: at 150–175 columns the "✓ saved" message shows: the key help gives way.
func TestSavedMessageShowsAtEveryWidth(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("e")
	h.settle()
	h.keys("w")
	h.settle()
	for w := 136; w <= 176; w++ {
		h.size(w, 48)
		if last := lastLine(h.screen()); !strings.Contains(last, "✓ saved") {
			t.Errorf("%d columns: footer %q", w, last)
		}
	}
}

func lastLine(s string) string {
	l := strings.Split(s, "\n")
	return l[len(l)-1]
}

// 4.2: w on a run that cannot be written as a run file says why and writes
// nothing; quitting does not ask to save it.
func TestUnsaveableRunSaysWhy(t *testing.T) {
	h := memoryHarness(t)
	h.keys("e")
	h.settle()
	h.keys("w")
	h.settle()
	if !strings.Contains(h.m.flash.text, "not saved: memory runs are not saved as run files") {
		t.Errorf("flash %q", h.m.flash.text)
	}
	if files, _ := os.ReadDir(h.m.opts.RunsDir); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
	h.keys("q")
	if h.m.dialog != nil || !h.m.quitting {
		t.Error("quit asked to save a run that cannot be saved")
	}
}

// 4.3: the help at 80×24 keeps its last column.
func TestHelpFitsAt80x24(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.size(80, 24)
	h.keys("?")
	scr := h.screen()
	for _, want := range []string{"preset γ", "load preset", "first", "last", "type γ"} {
		if !strings.Contains(scr, want) {
			t.Errorf("help lacks %q:\n%s", want, scr)
		}
	}
}

// 4.4: a long epoch-end evaluation shows its progress and moves the clock;
// pausing meanwhile says it waits for the evaluation.
func TestEvaluationProgress(t *testing.T) {
	gate := make(chan struct{})
	h := newHarness(t, Options{Preset: "mnist-context"}, func(f *fakeEngine) { f.evalGate = gate })
	h.size(120, 40)
	h.settle()
	h.keys("e")
	h.waitFor("the evaluation", func(m Model) bool { return m.run.data.eval != nil })
	time.Sleep(2 * postEvery)
	if hd := firstLine(h.screen()); !strings.Contains(hd, "evaluating… 7000/70000") {
		t.Errorf("header %q", hd)
	}
	h.keys("space") // pause while it evaluates
	if !strings.Contains(h.m.flash.text, "pausing after the evaluation") || !strings.Contains(firstLine(h.screen()), "pausing after evaluating") {
		t.Errorf("flash %q, header %q", h.m.flash.text, firstLine(h.screen()))
	}
	close(gate)
	h.settle()
	if h.m.run.data.eval != nil || h.m.run.data.snap.Epoch != 1 || strings.Contains(h.screen(), "evaluating") {
		t.Errorf("after the evaluation: %+v, epoch %d", h.m.run.data.eval, h.m.run.data.snap.Epoch)
	}
}

// 4.5: a memory network's atoms are named after its own sources (R, C).
func TestMemorySourceNames(t *testing.T) {
	h := memoryHarness(t)
	scr := h.screen()
	if !strings.Contains(scr, "unique R") || !strings.Contains(scr, "shared R·C") || strings.Contains(scr, "unique F") {
		t.Errorf("memory atoms not named by their sources:\n%s", scr)
	}
}

// 4.6: w before any training says there is nothing to save.
func TestSaveAtEpochZero(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("w")
	h.settle()
	if !strings.Contains(h.m.flash.text, "nothing to save yet") {
		t.Errorf("flash %q", h.m.flash.text)
	}
	if files, _ := os.ReadDir(h.m.opts.RunsDir); len(files) != 0 {
		t.Errorf("files written: %v", files)
	}
}

// 4.7: after quit → save the file's path is kept to be printed on the
// restored terminal.
func TestQuitSaveNotesPath(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("e")
	h.settle()
	h.keys("q", "y")
	// the save runs off the UI goroutine: wait for its quit, not for a quiet spell
	h.waitFor("the save, then quit", func(Model) bool { return h.quit.Load() })
	if !h.quit.Load() || !strings.Contains(h.m.exitNote, "saved "+h.m.opts.RunsDir) {
		t.Errorf("quit %v, exit note %q", h.quit.Load(), h.m.exitNote)
	}
}

// 4.8: n/N where the inspector is hidden bring it up.
func TestNeuronKeyShowsInspector(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.size(80, 24)
	before := h.m.insp.neuron
	h.keys("n")
	if scr := h.screen(); !strings.Contains(scr, fmt.Sprintf("Neuron %d/100", (before+1)%100+1)) {
		t.Errorf("n at 80×24 changed the neuron out of sight:\n%s", scr)
	}
}

// 4.10: training holds while the quit question is open and resumes when it
// is cancelled.
func TestQuitQuestionHoldsTraining(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context"}, func(f *fakeEngine) { f.delay = time.Millisecond })
	h.size(120, 40)
	h.settle()
	h.keys("space")
	h.waitFor("an epoch", func(m Model) bool { return m.run.data.snap.Epoch >= 1 })
	h.keys("q")
	if h.m.dialog == nil {
		t.Fatal("no question")
	}
	h.settle() // settles only if the worker stopped training
	steps := h.fakes.last.Load().total.Load()
	time.Sleep(20 * time.Millisecond)
	if now := h.fakes.last.Load().total.Load(); now != steps {
		t.Errorf("trained %d batches behind the question", now-steps)
	}
	h.keys("esc")
	h.waitFor("training again", func(m Model) bool { return m.run.running && m.run.data.snap.TotalSteps > int(steps) })
	h.keys("space")
	h.settle()
}

// Neurons as a population (§3): the inspector opens on the most informative
// neuron, says when one is silent instead of stretching its colour scale,
// steps through the neurons in another order, and names readout digits.
func TestInspectorPopulation(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	by := h.m.run.data.snap.Layers[0].ByInfo
	if h.m.insp.neuron != by[0] || by[0] == 0 {
		t.Fatalf("opened on neuron %d, the most informative is %d", h.m.insp.neuron, by[0])
	}
	h.keys("tab", "tab", "g") // the inspector, its first neuron by index: silent in the fake
	h.settle()
	scr := h.screen()
	if h.m.insp.neuron != 0 || !strings.Contains(scr, "Neuron 1/100 · hidden · silent") || !strings.Contains(scr, "silent: its output tells") {
		t.Errorf("silent neuron 1:\n%s", scr)
	}
	h.keys("i")
	if h.m.insp.neuron != by[0] {
		t.Errorf("i → neuron %d, want %d", h.m.insp.neuron, by[0])
	}
	h.keys("m") // by information: n steps down the ranking
	h.keys("n")
	if h.m.insp.neuron != by[1] || !strings.Contains(h.screen(), "m by information") {
		t.Errorf("n by information → %d, want %d", h.m.insp.neuron, by[1])
	}
	h.keys("]") // the readout: neurons are digits
	h.keys("i")
	if !strings.Contains(h.screen(), fmt.Sprintf("· readout · digit %d", h.m.insp.neuron)) {
		t.Errorf("readout neuron without its digit:\n%s", h.screen())
	}
}

// d shows each atom's spread over the neurons; the atoms pane counts the
// silent neurons.
func TestAtomSpreadAndSilentCount(t *testing.T) {
	h := trained(t, "mnist-context", "never")
	scr := h.screen()
	if !strings.Contains(scr, "share of H(Y) · 4 silent") {
		t.Errorf("no silent count:\n%s", scr)
	}
	h.keys("d")
	scr = h.screen()
	if !strings.Contains(scr, "median, 10–90% of neurons (bit)") || !strings.Contains(scr, "──●──") {
		t.Errorf("no spread view:\n%s", scr)
	}
}

// F tiles the layer's receptive fields (most informative first, refreshed
// each epoch); C shows the readout's confusion matrix; a key closes them.
func TestGalleryAndConfusion(t *testing.T) {
	h := trained(t, "mnist-context", "never")
	h.keys("F")
	h.settle()
	g := h.m.gal
	if g == nil || len(g.fields) != 100 || g.rows != 28 || g.neurons[0] != h.m.run.data.snap.Layers[0].ByInfo[0] {
		t.Fatalf("gallery %+v", g)
	}
	scr := h.screen()
	if !strings.Contains(scr, "Receptive fields · hidden") || !strings.Contains(scr, "100 of 100 neurons") {
		t.Errorf("gallery view:\n%s", scr)
	}
	h.keys("e")      // closes the gallery (any key)
	h.keys("F", "e") // e goes to the gallery: closes it again
	h.keys("F")
	h.settle()
	h.keys("esc", "C")
	scr = h.screen()
	if h.m.over != overConfusion || !strings.Contains(scr, "Confusion") {
		t.Errorf("confusion view:\n%s", scr)
	}
}

// The help fits an 80×24 terminal with every key, memory runs' extra key
// included.
func TestHelpFitsHeight(t *testing.T) {
	for _, h := range []*harness{loaded(t, "mnist-context", nil), memoryHarness(t)} {
		h.size(80, 24)
		h.keys("?")
		box := h.m.helpView()
		if n := strings.Count(box, "\n") + 1; n > 24 {
			t.Errorf("help is %d rows high", n)
		}
		for _, want := range []string{"all fields", "last", "quit"} {
			if !strings.Contains(h.screen(), want) {
				t.Errorf("help lacks %q:\n%s", want, h.screen())
			}
		}
	}
}
