package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"
)

// baselineLoadedMsg carries a run file read as the baseline (o, --baseline).
type baselineLoadedMsg struct {
	b    Baseline
	path string
	err  error
}

// loadBaselineCmd reads a run file off the UI goroutine.
func loadBaselineCmd(load func(string) (Baseline, error), path string) tea.Cmd {
	return func() tea.Msg {
		if load == nil {
			return baselineLoadedMsg{path: path, err: fmt.Errorf("this lab cannot read run files")}
		}
		b, err := load(path)
		return baselineLoadedMsg{b: b, path: path, err: err}
	}
}

// pin makes a copy of the run's finished epochs the baseline: a run to
// compare with after a reset or another preset.
func (m Model) pin() (tea.Model, tea.Cmd) {
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	h := m.run.data.snap.History
	if len(h) == 0 {
		return m, m.setFlash(flashErr, "nothing to pin yet: train an epoch first (e)")
	}
	m.dropLive()
	e := epochOf(h[len(h)-1], len(h)-1)
	m.cmp.set(&baseline{label: fmt.Sprintf("%s pinned at epoch %d", m.run.preset, e), preset: m.run.preset,
		hist: slices.Clone(h), gamma: m.gammaByName()})
	return m, m.setFlash(flashOK, fmt.Sprintf("pinned epoch %d as the baseline: reset (r) or change γ and train to compare", e))
}

// fork continues the run twice from here: the worker copies the engine into
// a baseline that keeps the current γ and trains both in step.
func (m Model) fork() (tea.Model, tea.Cmd) {
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	if m.run.halted != "" {
		return m, m.haltedFlash()
	}
	if !m.run.info.forker {
		return m, m.setFlash(flashErr, "this run cannot be forked; pin it instead (b)")
	}
	m.dropLive()
	s := m.run.data.snap
	at := fmt.Sprintf("epoch %d", s.Epoch)
	if s.Step > 0 {
		at += fmt.Sprintf(" step %d", s.Step)
	}
	seq := m.w.send(command{kind: cmdFork})
	m.cmp.set(&baseline{label: "fork at " + at, preset: m.run.preset, hist: slices.Clone(s.History),
		gamma: m.gammaByName(), live: true, seq: seq})
	return m, m.setFlash(flashOK, "forked at "+at+": the baseline keeps this γ and trains in step with the run — change γ and train")
}

// dropBaseline forgets the baseline (and stops training a fork).
func (m Model) dropBaseline() (tea.Model, tea.Cmd) {
	if m.cmp.base == nil {
		return m, m.setFlash(flashInfo, "no baseline: b pins the run, f forks it, o reads a run file")
	}
	m.dropLive()
	m.cmp.set(nil)
	return m, m.setFlash(flashInfo, "baseline dropped")
}

// dropLive stops the worker training a forked baseline; its curves stay.
func (m *Model) dropLive() {
	if b := m.cmp.base; b != nil && b.live {
		b.live = false
		if m.w != nil {
			m.w.send(command{kind: cmdUnfork})
		}
	}
}

// freezeLive marks a forked baseline as no longer trained (the worker
// dropped it: a reset, another preset).
func (m *Model) freezeLive(why string) tea.Cmd {
	if b := m.cmp.base; b != nil && b.live {
		b.live = false
		b.label += " (" + why + ")"
		m.cmp.ver++
	}
	return nil
}

// askBaselineFile opens the prompt for a run file to compare with.
func (m Model) askBaselineFile() (tea.Model, tea.Cmd) {
	if m.opts.LoadBaseline == nil {
		return m, m.setFlash(flashErr, "this lab cannot read run files")
	}
	p := &prompt{kind: askBaseline, label: "baseline run file:"}
	if latest := newestRun(m.opts.RunsDir); latest != "" {
		p.text = []rune(latest)
	} else {
		p.text = []rune(m.opts.RunsDir + string(filepath.Separator))
	}
	m.ask = p
	return m, nil
}

// onBaselineLoaded makes a run file read with o the baseline.
func (m Model) onBaselineLoaded(msg baselineLoadedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		return m, m.setFlash(flashErr, "✗ baseline not loaded: "+msg.err.Error())
	}
	if len(msg.b.History) == 0 {
		return m, m.setFlash(flashErr, "✗ "+msg.path+" has no finished epochs to compare with")
	}
	m.dropLive()
	b := fromOptions(msg.b)
	if b.label == "" {
		b.label = filepath.Base(msg.path)
	}
	m.cmp.set(b)
	return m, m.setFlash(flashOK, fmt.Sprintf("baseline: %s (%s, %d epochs)", b.label, b.preset, len(b.hist)))
}

// onBase takes the worker's news of the forked baseline.
func (m *Model) onBase(bs *baseState) tea.Cmd {
	b := m.cmp.base
	if b == nil || !b.live || bs.seq != b.seq {
		return nil // a baseline since dropped or replaced
	}
	if bs.hist != nil {
		b.hist = bs.hist
	}
	if bs.gamma != nil {
		b.gamma = bs.gamma
	}
	m.cmp.ver++
	if bs.halted != "" {
		b.live = false
		b.label += " (stopped)"
		return m.setFlash(flashErr, "✗ the baseline stopped training: "+bs.halted+" — its curves stay")
	}
	return nil
}

// gammaByName is the current γ of every layer, by layer name.
func (m *Model) gammaByName() map[string][]float64 {
	out := map[string][]float64{}
	for i, l := range m.goal.layers {
		out[l.Name] = clone(m.goal.gamma[i])
	}
	return out
}

// toggleFullY switches every chart between fitted y axes and the whole scale.
func (m Model) toggleFullY() (tea.Model, tea.Cmd) {
	m.c.fullY = !m.c.fullY
	if m.c.fullY {
		return m, m.setFlash(flashInfo, "y axes: whole scale (0–100%) · z fits them to the data")
	}
	return m, m.setFlash(flashInfo, "y axes fit the data · z shows the whole scale")
}

// newestRun is the most recently written run file in dir ("" if none), to
// offer when asking for a baseline.
func newestRun(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	best, bestT := "", time.Time{}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().After(bestT) {
			best, bestT = filepath.Join(dir, e.Name()), info.ModTime()
		}
	}
	return best
}
