package tui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"infomorph-tui/tasks"
)

// fakeSaver is a fake engine that writes its own run files, recording on which
// goroutine-owned state it was called (the worker's: it reads the engine).
type fakeSaver struct {
	*fakeEngine
	calls *atomic.Int32
	fail  error
}

func (f fakeSaver) SaveRun(path string) error {
	f.calls.Add(1)
	if f.fail != nil {
		return f.fail
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	s := f.Snapshot() // engine state: safe only on the worker goroutine
	return os.WriteFile(path, fmt.Appendf(nil, "schema 2 · %s · epoch %d · γ %v\n", s.Preset, s.Epoch, f.Gamma(0)), 0o644)
}

func saverHarness(t *testing.T, fail error) (*harness, *atomic.Int32) {
	t.Helper()
	calls := &atomic.Int32{}
	factory := func(preset string, seed uint64) (Engine, error) {
		e, err := fakeFactory(preset, seed)
		if err != nil {
			return nil, err
		}
		return fakeSaver{fakeEngine: e.(*fakeEngine), calls: calls, fail: fail}, nil
	}
	h := newHarness(t, Options{Preset: "mnist-context", Factory: factory})
	h.size(120, 40)
	h.settle()
	return h, calls
}

func TestSaveUsesRunSaver(t *testing.T) {
	h, calls := saverHarness(t, nil)
	h.keys("e")
	h.settle()
	h.keys("right")
	h.settle()
	h.keys("w")
	h.settle()
	path := filepath.Join(h.m.opts.RunsDir, "20251130-123456-mnist-context.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 || !strings.HasPrefix(string(data), "schema 2 · mnist-context · epoch 1 · γ [0.01 ") {
		t.Errorf("SaveRun calls %d, file %q", calls.Load(), data)
	}
	if !strings.Contains(h.m.flash.text, "saved "+path) {
		t.Errorf("flash %q", h.m.flash.text)
	}
	if h.m.run.unsaved() != 0 {
		t.Errorf("%d unsaved epochs after saving", h.m.run.unsaved())
	}
	h.keys("e")
	h.settle()
	if h.m.run.unsaved() != 1 {
		t.Errorf("%d unsaved epochs after one more, want 1", h.m.run.unsaved())
	}
	h.keys("q", "y") // save first, then quit
	h.settle()
	if !h.quit.Load() || calls.Load() != 2 {
		t.Errorf("q y: quit %v, SaveRun calls %d", h.quit.Load(), calls.Load())
	}
}

func TestSaveRunSaverError(t *testing.T) {
	h, calls := saverHarness(t, errors.New("disk full"))
	h.keys("e")
	h.settle()
	h.keys("q", "y")
	h.settle()
	if h.quit.Load() {
		t.Fatal("a failed save must not quit")
	}
	if calls.Load() != 1 || !strings.Contains(h.m.flash.text, "disk full") || h.m.run.unsaved() != 1 {
		t.Errorf("calls %d, flash %q, unsaved %d", calls.Load(), h.m.flash.text, h.m.run.unsaved())
	}
	files, _ := os.ReadDir(h.m.opts.RunsDir)
	if len(files) != 0 {
		t.Errorf("the lab's own writer ran too: %v", files)
	}
}

// Options.Opened: the first engine continues a saved run; the status says so
// and its epochs count as saved.
func TestOpenedRun(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context", Opened: "runs/old.json"}, func(f *fakeEngine) {
		for range 3 * f.stepsPerEpoch { // the saved run's epochs
			if err := f.Step(); err != nil {
				panic(err)
			}
		}
	})
	if !strings.Contains(h.m.flash.text, "opening runs/old.json") {
		t.Errorf("before loading: flash %q", h.m.flash.text)
	}
	h.size(120, 40)
	h.settle()
	if want := "opened runs/old.json · 3 epochs"; !strings.Contains(h.m.flash.text, want) || !strings.Contains(h.screen(), want) {
		t.Errorf("flash %q, want %q on screen", h.m.flash.text, want)
	}
	if n := len(h.m.run.data.snap.History); n != 3 || h.m.run.unsaved() != 0 {
		t.Errorf("history %d epochs, %d unsaved; want 3, 0", n, h.m.run.unsaved())
	}
	h.keys("e")
	h.settle()
	if h.m.run.data.snap.Epoch != 4 || h.m.run.unsaved() != 1 {
		t.Errorf("after e: epoch %d, unsaved %d; want 4, 1", h.m.run.data.snap.Epoch, h.m.run.unsaved())
	}
	h.keys("q", "n")
	h.settle()
	if !h.quit.Load() {
		t.Error("q n does not quit")
	}
}

// fakeHistory continues a run whose γ changed before the lab took over.
type fakeHistory struct{ *fakeEngine }

func (f fakeHistory) GammaHistory() []GammaChange {
	g := clone(f.pgamma[0])
	g[0] = 0.5
	return []GammaChange{{Step: 0, Layer: 0, Gamma: clone(f.pgamma[0])}, {Step: 4, Layer: 0, Gamma: g}, {Step: 9, Layer: 7, Gamma: g}}
}

func TestGammaHistoryIsMarked(t *testing.T) {
	factory := func(preset string, seed uint64) (Engine, error) {
		e, err := fakeFactory(preset, seed)
		if err != nil {
			return nil, err
		}
		return fakeHistory{e.(*fakeEngine)}, nil
	}
	h := newHarness(t, Options{Preset: "mnist-context", Factory: factory})
	h.size(120, 40)
	h.settle()
	mk := h.m.run.data.marks
	if len(mk) != 1 || mk[0].step != 4 || mk[0].layer != 0 || mk[0].atom != 0 || mk[0].old != 0 || mk[0].new != 0.5 {
		t.Errorf("markers %+v, want γ{1} 0→0.5 at step 4", mk)
	}
	// layer 1 has no history: its current γ starts its log; unknown layers are skipped
	var layers []int
	for _, r := range h.m.run.gammaLog {
		layers = append(layers, r.Layer)
	}
	if fmt.Sprint(layers) != "[0 0 1]" {
		t.Errorf("γ log layers %v, want [0 0 1]", layers)
	}
}

// fakeReadOnly is a saved run that cannot be continued.
type fakeReadOnly struct{ *fakeEngine }

const readOnlyWhy = "read-only: saved without its training state"

func (f fakeReadOnly) Snapshot() tasks.Snapshot {
	s := f.fakeEngine.Snapshot()
	s.Diverged = readOnlyWhy
	return s
}

func (f fakeReadOnly) Step() error { return errors.New(readOnlyWhy) }

func TestOpenedReadOnly(t *testing.T) {
	factory := func(preset string, seed uint64) (Engine, error) {
		e, err := fakeFactory(preset, seed)
		if err != nil {
			return nil, err
		}
		return fakeReadOnly{e.(*fakeEngine)}, nil
	}
	h := newHarness(t, Options{Preset: "mnist-context", Factory: factory, Opened: "old.json"})
	h.size(120, 40)
	h.settle()
	scr := h.screen()
	if !strings.Contains(scr, "■ read-only") || strings.Contains(scr, "diverged") ||
		!strings.Contains(h.m.flash.text, "opened old.json · 0 epochs · "+readOnlyWhy) {
		t.Errorf("flash %q, screen:\n%s", h.m.flash.text, scr)
	}
	for _, k := range []string{"space", "s", "e"} {
		h.keys(k)
		if h.m.flash.text != readOnlyWhy || h.m.flash.kind != flashInfo || h.m.run.running {
			t.Errorf("%s: flash %q (kind %d), running %v", k, h.m.flash.text, h.m.flash.kind, h.m.run.running)
		}
	}
}
