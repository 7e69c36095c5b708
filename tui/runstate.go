package tui

import (
	"fmt"
	"strings"
	"time"

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
		m.run.data.scores = [3]string{}
		m.insp.setMemory(info.memory)
		if info.memory != nil {
			m.run.data.scores = info.memory.labels
		}
		if len(info.layers) > 0 {
			m.watch(m.insp.setLayer(0, info.layers[0].Units))
		}
		if m.opts.Opened != "" && msg.gen == 1 { // the run file's engine: its epochs are saved
			m.run.saved, m.run.savedSeq, m.run.savedEp = true, 0, info.epoch
			text := fmt.Sprintf("opened %s · %d epoch%s — space or e continues training", m.opts.Opened, info.epoch, plural(info.epoch))
			if readOnly(info.halted) {
				text = fmt.Sprintf("opened %s · %d epoch%s · %s", m.opts.Opened, info.epoch, plural(info.epoch), info.halted)
			}
			cmds = append(cmds, m.setFlash(flashOK, text))
		}
	}
	if st := msg.state; st != nil {
		cmds = append(cmds, m.applyState(st))
		m.run.data.eval = nil
		m.watch(m.insp.autoPick())
	}
	if msg.eval != nil {
		m.run.data.eval = msg.eval
	}
	if msg.base != nil {
		cmds = append(cmds, m.onBase(msg.base))
	}
	if msg.seeds != nil {
		cmds = append(cmds, m.onSeeds(msg.seeds))
	}
	if msg.gallery != nil {
		m.gal = msg.gallery
	}
	if m.over == overGallery && m.run.data.snap.Epoch != m.galAsked {
		m.askGallery() // a new epoch: new fields
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
	for _, sv := range msg.saved { // last: a follow-up may replace the worker
		sv.gen = msg.gen
		next, cmd := m.onSaved(sv)
		m = next.(Model)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// applyState takes the worker's latest picture of the run.
func (m *Model) applyState(st *workerState) tea.Cmd {
	r := m.run
	d := &r.data
	newRun := d.has && st.runSeq != d.runSeq
	d.snap, d.has, d.runSeq = st.snap, true, st.runSeq
	if st.ack >= r.wantSeq {
		r.running = st.running
	}
	if st.field.layer >= 0 {
		r.field = st.field
	}
	if st.picture != nil {
		m.insp.pic = st.picture
	}
	if newRun || st.logVer != r.logVer || len(st.gammaLog) != len(r.gammaLog) {
		r.gammaLog, r.logVer = st.gammaLog, st.logVer
		d.marks = markersFromLog(st.gammaLog)
		d.markVer++
	}
	was := r.halted
	r.halted = st.halted
	if st.halted != "" {
		r.running = false
		if was == "" && !readOnly(st.halted) {
			return m.setFlash(flashErr, "✗ training stopped: "+st.halted+" — press r to reset")
		}
	}
	return nil
}

// evalState is the evaluation at an epoch's end while it runs (Progresser
// engines): images done of total, and how long it has taken so far.
type evalState struct {
	done, total int
	base        bool // the baseline's evaluation
	since       time.Duration
}

func (e *evalState) text() string {
	who := "evaluating…"
	if e.base {
		who = "evaluating baseline…"
	}
	return fmt.Sprintf("%s %d/%d", who, e.done, e.total)
}

// chartData is what the chart panes draw, shared by the root.
type chartData struct {
	eval      *evalState // nil unless an evaluation is running
	snap      tasks.Snapshot
	has       bool
	runSeq    int
	marks     []marker
	markVer   int // bumps whenever marks change
	atomNames [][]string
	scores    [3]string // names of TrainAcc, ValAcc, TestAcc; "" = train, val, test
	seeds     *seedData // other seeds trained beside the run (K); nil: none
	seedVer   int       // bumps whenever seeds change
}

// scoreLabels names the three scores of the snapshot; the train figure as
// the last epoch measured it ("train (running)" for the running accuracy of
// the training batches, which reads below validation early on).
func (d *chartData) scoreLabels() [3]string {
	if d.scores == [3]string{} {
		train := "train"
		if h := d.snap.History; len(h) > 0 {
			train = h[len(h)-1].TrainName()
		}
		return [3]string{train, "val", "test"}
	}
	return d.scores
}

// memory reports a memory run (its scores are recall measures).
func (d *chartData) memory() bool { return d.scores != [3]string{} }

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

// readOnly reports a run that can be looked at but not trained: an engine
// whose Snapshot().Diverged (or Step error) starts with "read-only".
func readOnly(halted string) bool { return strings.HasPrefix(halted, "read-only") }
