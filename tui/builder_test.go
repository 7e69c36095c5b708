package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// fakeBuilder is a Builder over a made-up network of some hidden layers
// and a readout; it checks units as the preset files do (1..10000) and
// refuses the name of a built-in.
type fakeBuilder struct {
	mu    sync.Mutex
	used  []Form
	saved []Form
}

func (fb *fakeBuilder) shape(base, name string, hidden int, units []string) Form {
	f := Form{Base: base}
	add := func(group, key, label, value string) {
		f.Fields = append(f.Fields, FormField{Group: group, Key: key, Label: label, Value: value, Help: "help for " + key})
	}
	add("network", "name", "name", name)
	add("network", "description", "description", "a network built in a test, with a description longer than its field")
	add("network", "layers", "hidden layers", strconv.Itoa(hidden))
	for i := 0; i <= hidden; i++ {
		k := func(s string) string { return fmt.Sprintf("layers[%d].%s", i, s) }
		group := fmt.Sprintf("hidden%d · image, label, lateral", i+1)
		if i == hidden {
			group = "readout · below, label · 10 units"
		} else {
			u := "100"
			if i < len(units) {
				u = units[i]
			}
			add(group, k("units"), "units", u)
			add(group, k("partners"), "partners", "0")
			add(group, k("activation.c1"), "c1", "0.1")
			add(group, k("activation.c2"), "c2", "0.1")
		}
		add(group, k("binning"), "binning", "fixed")
		add(group, k("bins"), "bins", "20")
		add(group, k("lr"), "lr", "0.002")
		add(group, k("wd"), "wd", "0.00035")
	}
	return f
}

func value(f Form, key string) string {
	for _, fd := range f.Fields {
		if fd.Key == key {
			return fd.Value
		}
	}
	return ""
}

func (fb *fakeBuilder) Form(preset string) (Form, error) {
	if strings.HasPrefix(preset, "memory") {
		return Form{}, errors.New(preset + " is a memory preset: the builder edits layered networks")
	}
	return fb.shape(preset, preset+"-custom", 1, nil), nil
}

func (fb *fakeBuilder) check(f Form) error {
	if value(f, "name") == "mnist-context" {
		return errors.New(`name: "mnist-context" is a built-in preset; give the network another name`)
	}
	for _, fd := range f.Fields {
		if strings.HasSuffix(fd.Key, ".units") {
			n, err := strconv.Atoi(fd.Value)
			if err != nil {
				return fmt.Errorf("%s: %q is not a whole number", fd.Key, fd.Value)
			}
			if n < 1 || n > 10000 {
				return fmt.Errorf("%s: %d is out of range 1..10000", fd.Key, n)
			}
		}
	}
	return nil
}

func (fb *fakeBuilder) Reshape(f Form) (Form, error) {
	n, err := strconv.Atoi(value(f, "layers"))
	if err != nil || n < 0 || n > 8 {
		return f, fmt.Errorf("layers: %q hidden layers, want 0..8", value(f, "layers"))
	}
	var units []string
	for i := 0; ; i++ {
		u := value(f, fmt.Sprintf("layers[%d].units", i))
		if u == "" {
			break
		}
		units = append(units, u)
	}
	return fb.shape(f.Base, value(f, "name"), n, units), nil
}

func (fb *fakeBuilder) Use(f Form) (PresetInfo, error) {
	if err := fb.check(f); err != nil {
		return PresetInfo{}, err
	}
	fb.mu.Lock()
	defer fb.mu.Unlock()
	fb.used = append(fb.used, f)
	return PresetInfo{Name: value(f, "name"), Description: value(f, "description"), Available: true}, nil
}

func (fb *fakeBuilder) Save(f Form) (string, error) {
	if err := fb.check(f); err != nil {
		return "", err
	}
	fb.mu.Lock()
	defer fb.mu.Unlock()
	fb.saved = append(fb.saved, f)
	return "/home/u/.config/infomorph-tui/presets/" + value(f, "name") + ".json", nil
}

func builderLab(t *testing.T, colour string) (*harness, *fakeBuilder) {
	t.Helper()
	fb := &fakeBuilder{}
	h := newHarness(t, Options{Preset: "mnist-context", Builder: fb, Color: colour})
	h.size(120, 36)
	h.settle()
	return h, fb
}

func TestBuilderOpensOnSelectedPreset(t *testing.T) {
	h, _ := builderLab(t, "never")
	h.keys("B")
	b := h.m.bld
	if b == nil {
		t.Fatal("B did not open the builder")
	}
	if b.form.Base != "mnist-context" || b.key() != "name" || b.inputs[0].Value() != "mnist-context-custom" {
		t.Fatalf("builder on %q, focus %q, name %q", b.form.Base, b.key(), b.inputs[0].Value())
	}
	if !strings.Contains(h.screen(), "Network builder · from mnist-context") {
		t.Fatalf("no builder on screen:\n%s", h.screen())
	}
	h.keys("esc")
	if h.m.bld != nil || h.m.flash.text != "builder closed" {
		t.Fatalf("esc: builder %v, flash %q", h.m.bld != nil, h.m.flash.text)
	}
}

func TestBuilderOnMemoryPresetSaysWhy(t *testing.T) {
	fb := &fakeBuilder{}
	presets := append([]PresetInfo{{Name: "memory-mi", Description: "a memory net", Available: true}}, testPresets...)
	h := newHarness(t, Options{Preset: "memory-mi", Builder: fb, Presets: presets})
	h.size(120, 36)
	h.settle()
	h.keys("B")
	if h.m.bld != nil || !strings.Contains(h.m.flash.text, "memory preset") {
		t.Fatalf("builder opened %v, flash %q", h.m.bld != nil, h.m.flash.text)
	}
}

func TestBuilderWithoutBuilderFlashes(t *testing.T) {
	h := newHarness(t, Options{Preset: "mnist-context"})
	h.size(120, 36)
	h.settle()
	h.keys("B")
	if h.m.bld != nil || h.m.flash.kind != flashErr {
		t.Fatalf("builder opened %v, flash %q", h.m.bld != nil, h.m.flash.text)
	}
}

// TestBuilderEditAndStart: the acceptance path: hidden units 50, enter
// starts a run of the new preset, which joins the list.
func TestBuilderEditAndStart(t *testing.T) {
	h, fb := builderLab(t, "never")
	h.keys("B", "down", "down", "down")
	if k := h.m.bld.key(); k != "layers[0].units" {
		t.Fatalf("three fields down is %q", k)
	}
	h.keys("ctrl+u", "5", "0", "enter")
	h.settle()
	if h.m.bld != nil {
		t.Fatal("enter left the builder open")
	}
	if len(fb.used) != 1 || value(fb.used[0], "layers[0].units") != "50" {
		t.Fatalf("Use got %+v", fb.used)
	}
	if h.m.run.preset != "mnist-context-custom" || h.m.run.status != statusReady {
		t.Fatalf("run of %q, status %d", h.m.run.preset, h.m.run.status)
	}
	last := h.m.presets.items[len(h.m.presets.items)-1]
	if last.Name != "mnist-context-custom" || h.m.presets.current() != "mnist-context-custom" {
		t.Fatalf("list ends with %q, cursor on %q", last.Name, h.m.presets.current())
	}
	// a second start of the same name replaces the entry
	h.keys("B", "enter")
	h.settle()
	n := 0
	for _, p := range h.m.presets.items {
		if p.Name == "mnist-context-custom" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("mnist-context-custom listed %d times", n)
	}
}

// TestBuilderRefusesWithFieldNamedError: a bad value keeps the builder open,
// marks the field the error names and says why.
func TestBuilderRefusesWithFieldNamedError(t *testing.T) {
	h, fb := builderLab(t, "never")
	h.keys("B", "down", "down", "down", "ctrl+u", "0", "enter")
	b := h.m.bld
	if b == nil {
		t.Fatal("a refused network closed the builder")
	}
	if b.errKey != "layers[0].units" || !strings.HasPrefix(b.err, "layers[0].units: 0 is out of range") {
		t.Fatalf("refusal %q on %q", b.err, b.errKey)
	}
	if h.m.flash.kind != flashErr || len(fb.used) != 0 || h.m.run.preset != "mnist-context" {
		t.Fatalf("flash %q, used %d, run %q", h.m.flash.text, len(fb.used), h.m.run.preset)
	}
	if scr := h.screen(); !strings.Contains(scr, "✗ units") || !strings.Contains(scr, "✗ layers[0].units: 0 is out of range") {
		t.Fatalf("refusal not on screen:\n%s", scr)
	}
	// a built-in's name is refused on the name field
	h.keys("up", "up", "up", "ctrl+u")
	for _, r := range "mnist-context" {
		h.keys(string(r))
	}
	h.keys("down", "down", "down", "ctrl+u", "5", "enter")
	if h.m.bld == nil || h.m.bld.errKey != "name" {
		t.Fatalf("built-in name: builder %v", h.m.bld)
	}
}

func TestBuilderSave(t *testing.T) {
	h, fb := builderLab(t, "never")
	h.keys("B", "down", "down", "down", "ctrl+u", "5", "0", "ctrl+s")
	h.settle()
	if len(fb.saved) != 1 || value(fb.saved[0], "layers[0].units") != "50" {
		t.Fatalf("Save got %+v", fb.saved)
	}
	if !strings.HasPrefix(h.m.flash.text, "✓ saved preset mnist-context-custom to ") {
		t.Fatalf("flash %q", h.m.flash.text)
	}
	if h.m.bld == nil {
		t.Fatal("saving closed the builder")
	}
	if h.m.presets.items[len(h.m.presets.items)-1].Name != "mnist-context-custom" {
		t.Fatal("the saved preset is not listed")
	}
	if h.m.run.preset != "mnist-context" {
		t.Fatalf("saving started a run of %q", h.m.run.preset)
	}
	// a refused save says so and marks the field
	h.keys("ctrl+u", "x", "ctrl+s")
	h.settle()
	if !strings.HasPrefix(h.m.flash.text, "✗ not saved: layers[0].units:") || h.m.bld.errKey != "layers[0].units" {
		t.Fatalf("flash %q, errKey %q", h.m.flash.text, h.m.bld.errKey)
	}
}

// TestBuilderReshape: leaving the "hidden layers" field with a new count lays
// the form out again, keeping the edits and the direction of travel.
func TestBuilderReshape(t *testing.T) {
	h, _ := builderLab(t, "never")
	h.keys("B", "down", "down", "ctrl+u", "2", "down")
	b := h.m.bld
	if value(b.values(), "layers[2].lr") == "" || value(b.values(), "layers[1].units") != "100" {
		t.Fatalf("no second hidden layer after reshaping: %+v", b.values().Fields)
	}
	if b.key() != "layers[0].units" {
		t.Fatalf("focus after reshaping on %q", b.key())
	}
	h.keys("ctrl+u", "7", "up", "ctrl+u", "1", "down")
	if value(h.m.bld.values(), "layers[1].units") != "" || value(h.m.bld.values(), "layers[0].units") != "7" {
		t.Fatalf("back to one hidden layer: %+v", h.m.bld.values().Fields)
	}
	// a count the builder cannot read is refused with the reason; the focus
	// moves on
	h.keys("up", "ctrl+u", "x", "down")
	if h.m.bld.key() != "layers[0].units" || h.m.bld.errKey != "layers" {
		t.Fatalf("bad count: focus %q, error on %q", h.m.bld.key(), h.m.bld.errKey)
	}
}

// TestBuilderTabWrapsAndTypes: tab and shift+tab move (wrapping); typed
// characters and paste go to the focused field only.
func TestBuilderTabWrapsAndTypes(t *testing.T) {
	h, _ := builderLab(t, "never")
	h.keys("B", "shift+tab")
	b := h.m.bld
	if b.key() != "layers[1].wd" {
		t.Fatalf("shift+tab from the first field went to %q", b.key())
	}
	h.keys("tab")
	if b.key() != "name" {
		t.Fatalf("tab from the last field went to %q", b.key())
	}
	h.keys("x", "q", "e", "space")
	if got := b.inputs[0].Value(); got != "mnist-context-customxqe " {
		t.Fatalf("typing into the name gave %q", got)
	}
	if h.m.quitting || h.m.run.running {
		t.Fatal("keys typed into the builder reached the lab")
	}
}

// TestGoldenBuilder: the builder over the lab, wide (columns) and small
// (one column that scrolls to the focused field).
func TestGoldenBuilder(t *testing.T) {
	h, _ := builderLab(t, "never")
	h.keys("B", "down", "down", "ctrl+u", "2", "down")
	for _, sz := range [][2]int{{160, 48}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			h.size(sz[0], sz[1])
			scr := h.screen()
			assertOverlaySize(t, scr, sz[0], sz[1])
			golden.RequireEqual(t, scr)
		})
	}
	t.Run("80x24_scrolled_refused", func(t *testing.T) {
		h.size(80, 24)
		for range 8 { // to the second hidden layer's units
			h.keys("down")
		}
		h.keys("ctrl+u", "0", "enter")
		scr := h.screen()
		assertOverlaySize(t, scr, 80, 24)
		golden.RequireEqual(t, scr)
	})
}

// assertOverlaySize: a screen with a box over it has hh lines of at most w
// cells (the compositor drops trailing blanks).
func assertOverlaySize(t *testing.T, scr string, w, hh int) {
	t.Helper()
	lines := strings.Split(scr, "\n")
	if len(lines) != hh {
		t.Errorf("%d×%d: %d lines", w, hh, len(lines))
	}
	for i, l := range lines {
		if widthOf(l) > w {
			t.Errorf("%d×%d: line %d is %d wide", w, hh, i, widthOf(l))
		}
	}
}
