package tui

import (
	tea "charm.land/bubbletea/v2"
	"infomorph-tui/tasks"
)

// onWorker applies a worker post and listens for the next one.
func (m Model) onWorker(msg workerMsg) (tea.Model, tea.Cmd) {
	if m.w == nil || msg.gen != m.gen {
		return m, nil // a stopped worker's last words
	}
	var cmds []tea.Cmd
	if msg.failed != nil {
		m.run.status = statusFailed
		m.run.err = msg.failed
		m.setFocus(panePresets)
		cmds = append(cmds, m.setFlash(flashErr, "could not load "+m.run.preset+": "+msg.failed.Error()))
	}
	if info := msg.ready; info != nil {
		m.run.status = statusReady
		m.run.info = info
		m.presets.loaded = info.preset
		m.presets.point(info.preset)
		m.goal.load(info)
		names := make([][]string, len(info.layers))
		for i, l := range info.layers {
			names[i] = l.AtomNames
		}
		m.run.data.atomNames = names
		if len(info.layers) > 0 {
			m.watch(m.insp.setLayer(0, info.layers[0].Units))
		}
	}
	if st := msg.state; st != nil {
		cmds = append(cmds, m.applyState(st))
	}
	for _, fx := range msg.gammaFix {
		m.goal.setGamma(fx.Layer, fx.Gamma)
	}
	if n := len(msg.errs); n > 0 {
		cmds = append(cmds, m.setFlash(flashErr, msg.errs[n-1]))
	}
	if !msg.done {
		cmds = append(cmds, m.w.box.listen())
	}
	return m, tea.Batch(cmds...)
}

// applyState takes the worker's latest picture of the run.
func (m *Model) applyState(st *workerState) tea.Cmd {
	r := &m.run
	d := &r.data
	newRun := d.has && st.runSeq != d.runSeq
	d.snap, d.has, d.runSeq = st.snap, true, st.runSeq
	if st.ack >= r.wantSeq {
		r.running = st.running
	}
	if st.field.layer >= 0 {
		r.field = st.field
	}
	if newRun || len(st.gammaLog) != len(r.gammaLog) {
		r.gammaLog = st.gammaLog
		d.marks = markersFromLog(st.gammaLog)
		d.markVer++
	}
	was := r.halted
	r.halted = st.halted
	if st.halted != "" {
		r.running = false
		if was == "" {
			return m.setFlash(flashErr, "✗ training stopped: "+st.halted+" — press r to reset")
		}
	}
	return nil
}

// chartData is what the chart panes draw, shared by the root.
type chartData struct {
	snap      tasks.Snapshot
	has       bool
	runSeq    int
	marks     []marker
	markVer   int // bumps whenever marks change
	atomNames [][]string
}

// xOf converts a step count to the charts' x axis (epochs, fractional).
func (d *chartData) xOf(step int) float64 {
	if d.snap.StepsPerEpoch <= 0 {
		return 0
	}
	return float64(step) / float64(d.snap.StepsPerEpoch)
}

// Dash patterns (braille dots on, off) that tell the accuracy lines apart
// without colour: train dotted, val dashed, test solid.
var (
	dashTrain = []int{1, 2}
	dashVal   = []int{4, 2}
)
