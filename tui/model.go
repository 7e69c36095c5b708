package tui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// loadStatus is where the current engine stands.
type loadStatus int

const (
	statusNone    loadStatus = iota // nothing loaded
	statusLoading                   // the factory is running
	statusReady
	statusFailed // the factory returned an error
)

// runState is what the lab knows about the current engine, from the worker.
// The root writes it; the panes that draw the run read its data and field
// through pointers, so it is reset in place, never replaced.
type runState struct {
	status   loadStatus
	preset   string
	err      error // why the factory failed (statusFailed)
	info     *engineInfo
	data     chartData
	running  bool
	halted   string
	field    field
	gammaLog []gammaRecord
	logVer   int

	wantSeq  int  // sequence number of the last run/pause/step command
	wantRun  bool // what that command asked for
	saved    bool // the current run was saved…
	savedSeq int  // …at this run sequence
	savedEp  int  // …and this many epochs
}

// unsaved reports finished epochs that no file holds yet.
func (r *runState) unsaved() int {
	s := r.data.snap
	if !r.data.has || s.Epoch == 0 || (r.info != nil && r.info.unsaveable != "") {
		return 0
	}
	if r.saved && r.savedSeq == r.data.runSeq {
		return max(s.Epoch-r.savedEp, 0)
	}
	return s.Epoch
}

// Model is the lab: a root that routes messages to its panes and to the
// training worker, and composes their views. Its panes and run state are
// pointers that copies share, so only the latest Model may be used (as Bubble
// Tea does).
type Model struct {
	c    *common
	opts Options

	// panes, by paneID, for the loops; the typed fields name the same panes
	// for what only one of them does (load a run's γ, watch a neuron…).
	panes   [paneCount]pane
	presets *presetPane
	goal    *goalPane
	acc     *accPane
	atoms   *atomPane
	insp    *inspector
	help    help.Model

	lay      layout
	focus    paneID
	showHelp bool
	dialog   *pendingAction // open "save first?" question, nil when none

	gen      int
	w        *worker
	run      *runState    // shared with the panes that draw it (its data and field)
	cmp      *compare     // the baseline, shared with the chart panes; outlives runs
	ask      *prompt      // an open one-line question (typed γ, a file name), nil when none
	bld      *builderForm // the open network builder (B), nil when none
	box      *textBox     // an open read-only text box (the γ JSON line), nil when none
	over     fullView     // a full view over the lab (fields gallery, confusion matrix)
	gal      *gallery     // the gallery's fields, from the worker
	galAsked int          // the epoch the gallery's fields were last asked for (-1: never)
	galPage  int          // the gallery's page (of galleryMax neurons)

	flash    flash
	quitting bool
	exitNote string // printed after the program ends (the file saved on the way out)
}

// New builds the lab. The engine for opts.Preset is created when the program
// starts (Init), on the worker goroutine.
func New(opts Options) Model {
	opts = opts.withDefaults()
	c := &common{st: newStyles(), keys: newKeyMap(), color: colourOn(opts.Color), now: opts.Now}
	run := &runState{}
	cmp := &compare{}
	if opts.Baseline != nil {
		cmp.set(fromOptions(*opts.Baseline))
	}
	goal := newGoalPane(c, &run.data, cmp)
	m := Model{
		c:       c,
		opts:    opts,
		presets: newPresetPane(c, opts.Presets),
		goal:    goal,
		acc:     newAccPane(c, &run.data, cmp),
		atoms:   newAtomPane(c, &run.data, cmp, goal),
		insp:    newInspector(c, &run.data, &run.field, goal),
		help:    newHelp(c.st),
		focus:   paneGoal,
		run:     run,
		cmp:     cmp,
	}
	m.panes = [paneCount]pane{panePresets: m.presets, paneGoal: m.goal, paneAcc: m.acc, paneAtoms: m.atoms, paneNeuron: m.insp}
	start := opts.Preset
	if start == "" {
		for _, p := range opts.Presets {
			if p.Available {
				start = p.Name
				break
			}
		}
	}
	m.presets.point(start)
	switch {
	case opts.Factory == nil:
		m.focus = panePresets
		m.flash = newFlash(flashErr, "no training engine was wired in (Options.Factory is nil)")
	case start == "":
		m.focus = panePresets
		m.flash = newFlash(flashErr, "no preset is available")
	default:
		if info, ok := m.presetInfo(start); ok && !info.Available {
			m.focus = panePresets
			m.flash = newFlash(flashErr, start+" is unavailable: "+info.Reason)
			break
		}
		m.prepareWorker(start)
		if opts.Opened != "" {
			m.flash = newFlash(flashInfo, "opening "+opts.Opened+"…")
		}
	}
	m.setFocus(m.focus)
	return m
}

func (m *Model) presetInfo(name string) (PresetInfo, bool) {
	for _, p := range m.opts.Presets {
		if p.Name == name {
			return p, true
		}
	}
	return PresetInfo{}, false
}

// prepareWorker replaces the current worker (stopping it) with a new, not yet
// started one for preset.
func (m *Model) prepareWorker(preset string) {
	if m.w != nil {
		m.w.stop()
	}
	m.gen++
	m.w = newWorker(m.gen, m.opts.Factory, preset, m.opts.Seed)
	if m.opts.Demo {
		m.w.pace = DemoPace
	}
	if m.opts.Context != nil {
		m.w.done = m.opts.Context.Done()
	}
	*m.run = runState{status: statusLoading, preset: preset} // in place: the panes hold its address
	m.presets.loaded = ""
	m.freezeLive("frozen: another run loaded")
}

// Init starts the worker of the initial preset.
func (m Model) Init() tea.Cmd {
	if m.w == nil {
		return nil
	}
	m.w.start()
	return m.w.box.listen()
}

// shutdown stops the worker; the program calls it when it ends.
func (m Model) shutdown() {
	if m.w != nil {
		m.w.stop()
	}
}

// Update routes a message to its handler; it never blocks on the worker.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.ColorProfileMsg:
		m.setProfile(msg.Profile)
	case workerMsg:
		return m.onWorker(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.MouseClickMsg:
		return m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		return m.onWheel(msg.Mouse())
	case gammaChangedMsg:
		return m.onGamma(msg)
	case watchMsg:
		m.watch(msg)
	case loadPresetMsg:
		return m.confirmThen(&pendingAction{kind: actLoad, preset: msg.name})
	case presetUnavailableMsg:
		return m, m.setFlash(flashErr, msg.info.Name+" is unavailable: "+msg.info.Reason)
	case savedMsg:
		return m.onSaved(msg)
	case typeGammaMsg:
		m.ask = &prompt{kind: askGamma, label: "γ" + msg.name + " =", layer: msg.layer, atom: msg.atom,
			text: []rune(trimGamma(msg.value))}
	case builderSavedMsg:
		return m.onBuilderSaved(msg)
	case baselineLoadedMsg:
		return m.onBaselineLoaded(msg)
	case tea.PasteMsg:
		if m.ask != nil {
			m.ask.text = append(m.ask.text, []rune(msg.Content)...)
		} else if m.bld != nil {
			m.bld.inputs[m.bld.focus], _ = m.bld.inputs[m.bld.focus].Update(msg)
		}
	case noticeMsg:
		return m, m.setFlash(msg.kind, msg.text)
	case flashExpiredMsg:
		m.expireFlash(msg)
	}
	return m, nil
}

// watch asks the worker for a neuron's receptive field.
func (m *Model) watch(evt tea.Msg) {
	if msg, ok := evt.(watchMsg); ok && m.w != nil && m.run.status == statusReady {
		m.w.send(command{kind: cmdWatch, layer: msg.layer, neuron: msg.neuron})
	}
}

// setProfile follows the terminal's colour profile unless --color forced it.
func (m *Model) setProfile(p colorprofile.Profile) {
	if m.opts.Color == "auto" && !noColorEnv() {
		m.c.color = p > colorprofile.ASCII
	}
}

// resize lays the panes out for a new terminal size.
func (m *Model) resize(w, h int) {
	m.c.width, m.c.height = w, h
	m.relayout()
}

// relayout places the panes for the current size and focus and tells each
// its size (hidden panes get their zero rect).
func (m *Model) relayout() {
	w, h := m.c.width, m.c.height
	m.lay = computeLayout(w, h, m.presets.wantRows(), m.focus)
	for id, r := range m.lay.rects() {
		m.panes[id].SetSize(r.w, r.h)
	}
	m.help.SetWidth(w)
}

func newHelp(st *styles) help.Model {
	h := help.New()
	h.Styles.ShortKey, h.Styles.FullKey = st.helpKey, st.helpKey
	h.Styles.ShortDesc, h.Styles.FullDesc = st.helpDesc, st.helpDesc
	h.Styles.ShortSeparator, h.Styles.FullSeparator = st.helpSep, st.helpSep
	h.Styles.Ellipsis = st.helpSep
	h.ShortSeparator = " · "
	return h
}
