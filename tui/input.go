package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// onKey handles global keys and routes the rest to the focused pane only.
func (m Model) onKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	keys := m.c.keys
	switch {
	case m.dialog != nil:
		return m.dialogKey(k)
	case m.ask != nil:
		return m.promptKey(k)
	case m.bld != nil:
		return m.builderKey(k)
	case m.over == overGallery && m.galleryKey(k):
		return m, nil
	case m.box != nil || m.over != overNone:
		m.box, m.over = nil, overNone
		if !key.Matches(k, keys.Quit) {
			return m, nil
		}
	}
	if m.showHelp {
		if key.Matches(k, keys.Help, keys.Close) {
			m.showHelp = false
			return m, nil
		}
		if !key.Matches(k, keys.Quit) {
			return m, nil
		}
		m.showHelp = false
	}
	switch {
	case key.Matches(k, keys.Quit):
		return m.confirmThen(&pendingAction{kind: actQuit})
	case key.Matches(k, keys.Help):
		m.showHelp = true
		return m, nil
	case key.Matches(k, keys.Next):
		m.cycleFocus(1)
		return m, nil
	case key.Matches(k, keys.Prev):
		m.cycleFocus(-1)
		return m, nil
	case key.Matches(k, keys.Run):
		return m.toggleRun()
	case key.Matches(k, keys.Step):
		return m.train(cmdStep)
	case key.Matches(k, keys.Epoch):
		return m.train(cmdEpoch)
	case key.Matches(k, keys.Reset):
		return m.confirmThen(&pendingAction{kind: actReset})
	case key.Matches(k, keys.Save):
		return m.save(nil)
	case key.Matches(k, keys.Layer):
		return m.emit(m.switchLayer(1))
	case key.Matches(k, keys.LayerPrev):
		return m.emit(m.switchLayer(-1))
	case key.Matches(k, keys.Neuron):
		return m.moveNeuron(1)
	case key.Matches(k, keys.NeuronPrev):
		return m.moveNeuron(-1)
	case key.Matches(k, keys.Informative):
		return m.showNeuron(m.insp.mostInformative())
	case key.Matches(k, keys.Order):
		return m.showNeuron(m.insp.cycleOrder())
	case key.Matches(k, keys.Gallery):
		return m.openGallery()
	case key.Matches(k, keys.Build):
		return m.openBuilder()
	case key.Matches(k, keys.Confusion):
		if ok, cmd := m.ready(); !ok {
			return m, cmd
		}
		m.over = overConfusion
		return m, nil
	case key.Matches(k, keys.Pin):
		return m.pin()
	case key.Matches(k, keys.Fork):
		return m.fork()
	case key.Matches(k, keys.OpenBase):
		return m.askBaselineFile()
	case key.Matches(k, keys.DropBase):
		return m.dropBaseline()
	case key.Matches(k, keys.Seeds):
		return m.askSeeds()
	case key.Matches(k, keys.FullY):
		return m.toggleFullY()
	case key.Matches(k, keys.Spread):
		m.c.spread = !m.c.spread
		if m.c.spread {
			return m, m.setFlash(flashInfo, "atoms: each atom's median and 10–90% over the neurons · d shows the means")
		}
		return m, m.setFlash(flashInfo, "atoms: means over the neurons (share of H(Y)) · d shows their spread")
	case key.Matches(k, keys.JSON):
		if len(m.goal.layers) == 0 {
			return m.ready2()
		}
		m.box = m.gammaJSON()
		return m, nil
	case k.String() == "=" && m.focus != paneGoal:
		return m.emit(m.goal.Update(k)) // typed γ for the selected slider from anywhere
	case key.Matches(k, keys.Pattern):
		return m.stepPattern(1)
	case key.Matches(k, keys.PatternPrev):
		return m.stepPattern(-1)
	}
	return m.emit(m.focused().Update(k))
}

// emit handles a pane's event at once, in order (never as a command: those
// run concurrently and could reorder γ changes).
func (m Model) emit(evt tea.Msg) (tea.Model, tea.Cmd) {
	if evt == nil {
		return m, nil
	}
	return m.Update(evt)
}

// ready reports whether an engine is loaded, flashing why not otherwise.
func (m *Model) ready() (bool, tea.Cmd) {
	switch m.run.status {
	case statusReady:
		return true, nil
	case statusLoading:
		return false, m.setFlash(flashInfo, "still loading "+m.run.preset+"…")
	case statusFailed: // the load's own flash may have expired: say why again
		return false, m.setFlash(flashErr, "no run: "+m.run.preset+" failed to load: "+m.run.err.Error()+" (r retries, or pick a preset)")
	}
	return false, m.setFlash(flashErr, "no run loaded: pick a preset and press enter")
}

func (m Model) toggleRun() (tea.Model, tea.Cmd) {
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	if m.run.halted != "" {
		return m, m.haltedFlash()
	}
	want := !m.run.running
	kind := cmdPause
	if want {
		kind = cmdRun
	}
	m.run.wantSeq = m.w.send(command{kind: kind})
	m.run.running = want                 // shown at once; the worker's next post confirms
	if !want && m.run.data.eval != nil { // the header counts the images
		return m, m.setFlash(flashInfo, "pausing after the evaluation")
	}
	return m, nil
}

// ready2 is ready for keys that need a loaded run, as a key result.
func (m Model) ready2() (tea.Model, tea.Cmd) {
	_, cmd := m.ready()
	return m, cmd
}

// moveNeuron steps the inspected neuron; where the layout hides the
// inspector (compact terminals) it brings it up, so the change is seen.
func (m Model) moveNeuron(d int) (tea.Model, tea.Cmd) {
	return m.showNeuron(m.insp.move(d))
}

// showNeuron brings up the inspector where the layout hides it and watches
// the neuron evt names.
func (m Model) showNeuron(evt tea.Msg) (tea.Model, tea.Cmd) {
	if !m.lay.neuron.shown() && m.insp.units > 0 {
		m.setFocus(paneNeuron)
	}
	return m.emit(evt)
}

// train sends a step or epoch command.
func (m Model) train(kind cmdKind) (tea.Model, tea.Cmd) {
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	if m.run.halted != "" {
		return m, m.haltedFlash()
	}
	m.run.wantSeq = m.w.send(command{kind: kind})
	m.run.running = kind == cmdEpoch
	return m, nil
}

// switchLayer selects the next/previous layer for sliders, atoms and neuron.
func (m *Model) switchLayer(d int) tea.Msg {
	if len(m.goal.layers) < 2 {
		return nil
	}
	m.goal.setLayer(m.goal.layer + d)
	l := m.goal.layer
	return m.insp.setLayer(l, m.goal.layers[l].Units)
}

// onGamma forwards a slider move to the worker (applies at the next step).
func (m Model) onGamma(msg gammaChangedMsg) (tea.Model, tea.Cmd) {
	if m.run.status == statusReady {
		m.w.send(command{kind: cmdSetGamma, layer: msg.layer, gamma: msg.gamma})
	}
	return m, nil
}

// save writes the current run; then runs after a successful save.
func (m Model) save(then *pendingAction) (tea.Model, tea.Cmd) {
	if !m.run.data.has || m.run.info == nil || m.run.data.snap.TotalSteps == 0 {
		return m, m.setFlash(flashErr, "nothing to save yet: train first (s, e or space)")
	}
	if why := m.run.info.unsaveable; why != "" {
		return m, m.setFlash(flashErr, "✗ not saved: "+why)
	}
	now := m.c.now()
	if m.run.info.saver && m.run.status == statusReady && m.w != nil {
		path := runPath(m.opts.RunsDir, m.run.preset, now)
		m.w.send(command{kind: cmdSave, path: path, then: then})
		return m, m.setFlash(flashInfo, "saving…")
	}
	f := buildRunFile(m.run.info, m.run.data.snap, m.run.gammaLog, now)
	cmd := saveCmd(m.opts.RunsDir, f, now, m.gen, m.run.data.runSeq, m.run.data.snap.Epoch, then)
	return m, tea.Batch(m.setFlash(flashInfo, "saving…"), cmd)
}

func (m Model) onSaved(msg savedMsg) (tea.Model, tea.Cmd) {
	if msg.err != nil {
		return m, m.setFlash(flashErr, "✗ "+msg.err.Error())
	}
	if msg.gen == m.gen {
		m.run.saved, m.run.savedSeq, m.run.savedEp = true, msg.runSeq, msg.epoch
	}
	flash := m.setFlash(flashOK, "✓ saved "+msg.path)
	if msg.then != nil && msg.then.kind == actQuit {
		m.exitNote = "infomorph-tui: saved " + msg.path // said again on the restored terminal
	}
	if msg.then != nil {
		next, cmd := m.perform(msg.then)
		return next, tea.Batch(flash, cmd)
	}
	return m, flash
}

// stepPattern shows the next/previous stored pattern of a memory run.
func (m Model) stepPattern(d int) (tea.Model, tea.Cmd) {
	if ok, cmd := m.ready(); !ok {
		return m, cmd
	}
	k, ok := m.insp.movePattern(d)
	if !ok {
		return m, m.setFlash(flashInfo, "no stored patterns: , and . step through them in memory runs")
	}
	m.w.send(command{kind: cmdPattern, neuron: k})
	return m, nil
}

// haltedFlash says why training is refused.
func (m *Model) haltedFlash() tea.Cmd {
	if readOnly(m.run.halted) {
		return m.setFlash(flashInfo, m.run.halted)
	}
	return m.setFlash(flashErr, "training stopped ("+m.run.halted+"): press r to reset")
}
