package tui

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"infomorph-tui/tasks"
)

// postEvery is the worker's throttle: while training it posts at most one
// state per interval (~20 per second).
const postEvery = 50 * time.Millisecond

type cmdKind int

const (
	cmdRun      cmdKind = iota // keep stepping until paused
	cmdPause                   // stop after the current batch
	cmdStep                    // train one batch, then pause
	cmdEpoch                   // train to the end of the current epoch, then pause
	cmdSetGamma                // replace a layer's γ
	cmdReset                   // back to epoch 0
	cmdWatch                   // choose the neuron whose receptive field is posted
	cmdPattern                 // choose the stored pattern whose picture is posted (memory engines)
	cmdSave                    // write the run file (RunSaver engines)
	cmdFork                    // copy the engine into a baseline trained in step (Forker engines)
	cmdUnfork                  // stop training the baseline
	cmdGallery                 // fetch the receptive fields of many neurons at once
	cmdHold                    // suspend training, keeping what is left to train (a question is open)
	cmdRelease                 // continue after cmdHold
	cmdSeeds                   // train other seeds of the setting beside the run (neuron: how many runs in all)
)

// command is one request from the UI to the worker.
type command struct {
	seq           int // assigned by send; posts acknowledge the last one applied
	kind          cmdKind
	layer, neuron int
	gamma         []float64
	neurons       []int          // cmdGallery: which
	path          string         // cmdSave: where
	then          *pendingAction // cmdSave: the UI's follow-up, handed back untouched
}

// worker owns an Engine on its own goroutine. The UI talks to it only through
// its command queue (never blocking) and its mailbox.
type worker struct {
	gen     int
	preset  string
	seed    uint64
	factory Factory
	box     *mailbox

	mu      sync.Mutex
	seq     int
	queue   []command
	stopped bool
	busy    bool          // loading, handling commands or training
	wake    chan struct{} // capacity 1

	pace time.Duration   // > 0: one batch per tick of this clock, every batch posted (Options.Demo)
	done <-chan struct{} // closed: stop (Options.Context); nil: never
}

func newWorker(gen int, f Factory, preset string, seed uint64) *worker {
	return &worker{
		gen: gen, preset: preset, seed: seed, factory: f,
		box:  newMailbox(gen),
		busy: true,
		wake: make(chan struct{}, 1),
	}
}

// start launches the worker goroutine, and one that stops it when done closes.
func (w *worker) start() {
	go w.loop()
	if w.done != nil {
		go func() {
			select {
			case <-w.done:
				w.stop()
			case <-w.box.closed:
			}
		}()
	}
}

// send queues a command and returns its sequence number; it never blocks.
func (w *worker) send(c command) int {
	w.mu.Lock()
	w.seq++
	c.seq = w.seq
	if !w.stopped {
		w.queue = append(w.queue, c)
		w.busy = true
	}
	w.mu.Unlock()
	w.poke()
	return c.seq
}

// stop asks the worker to exit after its current batch; it does not wait.
func (w *worker) stop() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.poke()
}

// idle reports whether the worker has nothing to do: loaded, queue empty, not
// training. Tests use it to wait for a settled state.
func (w *worker) idle() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.busy && len(w.queue) == 0
}

func (w *worker) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// next returns the queued commands. With block set it waits for at least one
// (or for stop); it reports stop when the worker should exit.
func (w *worker) next(block bool) ([]command, bool) {
	for {
		w.mu.Lock()
		if w.stopped {
			w.busy = false // a stopped worker has nothing left to do
			w.mu.Unlock()
			return nil, true
		}
		if len(w.queue) > 0 || !block {
			q := w.queue
			w.queue = nil
			w.mu.Unlock()
			return q, false
		}
		w.busy = false
		w.mu.Unlock()
		<-w.wake
	}
}

// session is the worker goroutine's private state.
type session struct {
	eng    Engine
	layers []LayerInfo
	ack    int  // sequence number of the last command applied
	budget int  // batches left to train; -1 = until paused
	held   bool // training suspended while the UI asks a question; budget kept
	steps  int  // batches trained since the start of this run
	runSeq int
	halted string // why training stopped for good (divergence, fatal error); "" while healthy
	log    []gammaRecord
	logVer int // bumps whenever log changes (entries are replaced, not only added)
	watch  field
	mem    MemoryView // the engine, when it is a memory engine
	pat    int        // pattern whose picture is posted
	picSeq int
	saver  RunSaver // the engine, when it writes its own run files
	saved  []savedMsg
	errs   []string
	fix    []gammaRecord
	dirty  bool
	last   tasks.Snapshot // of the last post, for when the engine fails

	// the forked baseline, trained batch for batch with eng (nil: none)
	base      Engine
	baseSeq   int        // the fork command's sequence number
	baseEpoch int        // its finished epochs at the last post (-1: never posted)
	baseOut   *baseState // news to post whatever the epoch (a failed fork or step)
	progress  func(base bool) func(done, total int)
	gal       *gallery // fields fetched for the gallery, to post

	// other seeds of the setting, trained beside the run (seedrun.go)
	newEngine  func(seed uint64) (Engine, error) // a fresh engine of the preset
	seeds      []*seedRun
	seedSeq    int        // the seeds command's sequence number
	seedOut    *seedState // news to post whatever the epochs (started, stopped, failed)
	seedBehind int        // the lag last posted
	seedHalted string     // the failure last posted
	seedFresh  bool       // post the histories even if no epoch finished
}

func (w *worker) loop() {
	defer close(w.box.closed)
	var eng Engine
	err := guard(func() error {
		var err error
		eng, err = w.factory(w.preset, w.seed)
		return err
	})
	if err == nil && eng == nil {
		err = fmt.Errorf("factory returned no engine")
	}
	if err != nil {
		w.box.put(func(m *workerMsg) { m.failed = err })
		w.mu.Lock()
		w.busy = false
		w.mu.Unlock()
		return
	}
	s := &session{eng: eng, watch: field{layer: -1}, progress: w.progressFn,
		newEngine: func(seed uint64) (Engine, error) { return w.factory(w.preset, seed) }}
	info := &engineInfo{preset: w.preset, seed: w.seed}
	err = guard(func() error {
		s.layers = eng.Layers()
		snap := eng.Snapshot()
		s.steps = snap.TotalSteps
		s.halted = snap.Diverged
		s.logHistory()
		info.epoch, info.halted = snap.Epoch, snap.Diverged
		info.layers = s.layers
		if mv, ok := eng.(MemoryView); ok {
			s.mem = mv
			info.memory = &memoryInfo{patterns: mv.Patterns(), labels: mv.ScoreLabels()}
		}
		if rs, ok := eng.(RunSaver); ok {
			s.saver = rs
			info.saver = true
		}
		if _, ok := eng.(Forker); ok {
			info.forker = true
		}
		if u, ok := eng.(Unsaveable); ok {
			info.unsaveable = u.WhyNotSaveable()
		}
		if p, ok := eng.(Progresser); ok {
			p.SetProgress(w.progressFn(false))
		}
		for l := range s.layers {
			info.gamma = append(info.gamma, clone(eng.Gamma(l)))
			info.presetGamma = append(info.presetGamma, clone(eng.PresetGamma(l)))
		}
		return nil
	})
	if err != nil {
		w.box.put(func(m *workerMsg) { m.failed = err })
		w.mu.Lock()
		w.busy = false
		w.mu.Unlock()
		return
	}
	w.box.put(func(m *workerMsg) { m.ready = info })
	w.post(s)

	last := time.Now()
	var tick time.Time // paced: when the next batch is due
	for {
		cmds, stop := w.next((s.budget == 0 && s.lagging() == nil) || s.held)
		if stop {
			return
		}
		// an engine that panics halts the run instead of taking the lab down
		if err := guard(func() error {
			for _, c := range cmds {
				s.apply(c)
			}
			switch lag := s.lagging(); {
			case s.held:
			case lag != nil: // seeds catch up with the run before it trains on
				s.stepSeed(lag)
			case s.budget != 0 && w.due(&tick):
				s.step()
			}
			if s.dirty && ((s.budget == 0 && s.lagging() == nil) || s.held || w.pace > 0 || time.Since(last) >= postEvery) {
				w.post(s)
				last = time.Now()
			}
			return nil
		}); err != nil {
			s.budget, s.halted, s.dirty = 0, err.Error(), true
			if guard(func() error { w.post(s); return nil }) != nil {
				st := &workerState{snap: s.last, runSeq: s.runSeq, ack: s.ack, halted: s.halted,
					field: field{layer: -1}, gammaLog: append([]gammaRecord(nil), s.log...)}
				w.box.put(func(m *workerMsg) { m.state = st })
			}
		}
	}
}

// due reports whether the next batch may train now. Unpaced it always may;
// paced, it waits for the batch's tick (advancing *tick by one pace, or to now
// when training fell behind) and reports false when a command or a stop
// arrives first, so those apply before the batch.
func (w *worker) due(tick *time.Time) bool {
	if w.pace <= 0 {
		return true
	}
	if d := time.Until(*tick); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-w.wake:
			return false
		}
	}
	now := time.Now()
	*tick = tick.Add(w.pace)
	if tick.Before(now) {
		*tick = now.Add(w.pace)
	}
	return true
}

// post publishes the session's state to the mailbox.
func (w *worker) post(s *session) {
	s.last = s.eng.Snapshot()
	st := &workerState{
		snap:     s.last,
		running:  s.budget != 0 && !s.held,
		runSeq:   s.runSeq,
		ack:      s.ack,
		halted:   s.halted,
		field:    field{layer: -1},
		gammaLog: append([]gammaRecord(nil), s.log...),
		logVer:   s.logVer,
	}
	if st.snap.Diverged != "" && s.halted == "" {
		s.halted = st.snap.Diverged
		s.budget = 0
		st.running = false
		st.halted = s.halted
	}
	if s.watch.layer >= 0 {
		f := s.watch
		wts, r, c, ok, projected := s.fieldOf(f.layer, f.neuron)
		f.w, f.rows, f.cols, f.ok, f.projected = clone(wts), r, c, ok, projected
		st.field = f
		s.watch.seq++
	}
	if s.mem != nil {
		st.picture = s.picture()
	}
	bs := s.baseNews()
	sd := s.seedNews()
	gal := s.gal
	s.gal = nil
	errs, fix, saved := s.errs, s.fix, s.saved
	s.errs, s.fix, s.saved, s.dirty = nil, nil, nil, false
	w.box.put(func(m *workerMsg) {
		m.state = st
		m.eval = nil // an evaluation in progress has ended with the batch
		if bs != nil {
			m.base = bs
		}
		if sd != nil {
			if sd.hists == nil && m.seeds != nil && m.seeds.seq == sd.seq { // keep the histories not yet taken
				sd.hists = m.seeds.hists
			}
			m.seeds = sd
		}
		if gal != nil {
			m.gallery = gal
		}
		m.saved = append(m.saved, saved...)
		m.errs = append(m.errs, errs...)
		m.gammaFix = append(m.gammaFix, fix...)
	})
}

func (s *session) apply(c command) {
	s.dirty = true
	s.ack = c.seq
	switch c.kind {
	case cmdRun, cmdStep, cmdEpoch, cmdReset:
		s.held = false // a new training order ends any hold
	}
	switch c.kind {
	case cmdRun:
		if !s.refuseWhenDiverged() {
			s.budget = -1
		}
	case cmdPause:
		s.budget, s.held = 0, false
	case cmdStep:
		if !s.refuseWhenDiverged() {
			s.budget = 1
		}
	case cmdEpoch:
		// to the end of this epoch; pressed again while that runs, one more
		if !s.refuseWhenDiverged() {
			snap := s.eng.Snapshot()
			if spe := max(snap.StepsPerEpoch, 1); s.budget > 0 {
				rem := spe - (snap.Step+s.budget)%spe // to the next epoch boundary after the pending batches
				s.budget += rem
			} else {
				s.budget = max(snap.StepsPerEpoch-snap.Step, 1)
			}
		}
	case cmdSetGamma:
		s.setGamma(c.layer, c.gamma)
	case cmdReset:
		s.budget = 0
		s.base = nil // the UI keeps its curves, frozen
		if err := s.eng.Reset(); err != nil {
			s.errs = append(s.errs, "reset failed: "+err.Error())
			return
		}
		snap := s.eng.Snapshot()
		s.steps = snap.TotalSteps
		s.halted = snap.Diverged
		s.runSeq++
		s.log = nil
		s.logVer++
		s.logInitial()
		s.resetSeeds()
	case cmdWatch:
		s.watch.layer, s.watch.neuron = c.layer, c.neuron
	case cmdPattern:
		s.pat = c.neuron
	case cmdSave:
		s.save(c)
	case cmdFork:
		s.fork(c.seq)
	case cmdUnfork:
		s.base = nil
	case cmdGallery:
		s.gallery(c)
	case cmdHold:
		s.held = true
	case cmdRelease:
		s.held = false
	case cmdSeeds:
		s.startSeeds(c.neuron, c.seq)
	}
}

// fieldOf is a neuron's receptive field or, where its layer does not read
// the image and the engine is a FieldProjector, its field carried down
// through the layers below (projected).
func (s *session) fieldOf(layer, neuron int) (w []float64, rows, cols int, ok, projected bool) {
	w, rows, cols, ok = s.eng.ReceptiveField(layer, neuron)
	if fp, can := s.eng.(FieldProjector); !ok && can {
		w, rows, cols, ok = fp.ProjectedField(layer, neuron)
		projected = ok
	}
	return w, rows, cols, ok, projected
}

// gallery fetches the fields of the asked neurons for the next post.
func (s *session) gallery(c command) {
	g := &gallery{layer: c.layer, neurons: clone2(c.neurons), epoch: s.eng.Snapshot().Epoch}
	for _, j := range c.neurons {
		w, r, cols, ok, projected := s.fieldOf(c.layer, j)
		g.projected = g.projected || projected
		if !ok {
			g.fields = append(g.fields, nil)
			continue
		}
		g.rows, g.cols = r, cols
		g.fields = append(g.fields, clone(w))
	}
	if g.rows == 0 {
		g.fields = nil
	}
	s.gal = g
}

func clone2(v []int) []int { return append([]int(nil), v...) }

// fork copies the engine into the baseline.
func (s *session) fork(seq int) {
	s.base = nil
	f, ok := s.eng.(Forker)
	if !ok {
		s.baseOut = &baseState{seq: seq, halted: "this engine cannot fork"}
		return
	}
	b, err := f.Fork()
	if err == nil && b == nil {
		err = fmt.Errorf("the fork returned no engine")
	}
	if err != nil {
		s.baseOut = &baseState{seq: seq, halted: "fork failed: " + err.Error()}
		return
	}
	if p, ok := b.(Progresser); ok {
		p.SetProgress(s.progress(true))
	}
	s.base, s.baseSeq, s.baseEpoch = b, seq, -1
}

// baseNews is the baseline's state to post: on a failure, and whenever it
// finished an epoch since the last post (the charts draw finished epochs).
func (s *session) baseNews() *baseState {
	if bs := s.baseOut; bs != nil {
		s.baseOut = nil
		return bs
	}
	if s.base == nil {
		return nil
	}
	if e := engineEpoch(s.base); e == s.baseEpoch {
		return nil
	}
	snap := s.base.Snapshot()
	s.baseEpoch = snap.Epoch
	bs := &baseState{seq: s.baseSeq, hist: snap.History, gamma: map[string][]float64{}}
	for l, li := range s.layers {
		bs.gamma[li.Name] = clone(s.base.Gamma(l))
	}
	return bs
}

// engineEpoch is an engine's finished epochs, cheaply when it can say so
// without a snapshot.
func engineEpoch(e Engine) int {
	if ep, ok := e.(interface{ Epoch() int }); ok {
		return ep.Epoch()
	}
	return e.Snapshot().Epoch
}

// progressFn is the evaluation progress callback of the engine (or of the
// baseline): it posts at most one progress note per postEvery, and the last.
func (w *worker) progressFn(base bool) func(done, total int) {
	var start, last time.Time
	prev := 0
	return func(done, total int) {
		now := time.Now()
		if done <= prev || start.IsZero() { // a new evaluation
			start = now
		}
		prev = done
		if now.Sub(last) < postEvery && done < total {
			return
		}
		last = now
		ev := &evalState{done: done, total: total, base: base, since: now.Sub(start)}
		w.box.put(func(m *workerMsg) { m.eval = ev })
	}
}

// save writes the run file with the engine's RunSaver.
func (s *session) save(c command) {
	snap := s.eng.Snapshot()
	res := savedMsg{path: c.path, runSeq: s.runSeq, epoch: snap.Epoch, then: c.then}
	switch {
	case s.saver == nil:
		res.err = fmt.Errorf("save %s: this engine cannot write run files", c.path)
	default:
		if err := s.saver.SaveRun(c.path); err != nil {
			res.err = fmt.Errorf("save %s: %w", c.path, err)
		}
	}
	s.saved = append(s.saved, res)
}

// picture fetches the chosen stored pattern and the state recalled from it.
func (s *session) picture() *picture {
	rows, cols := s.mem.Grid()
	s.picSeq++
	p := &picture{k: s.pat, rows: rows, cols: cols, seq: s.picSeq}
	if pat := s.mem.Pattern(s.pat); len(pat) >= rows*cols {
		p.pattern = append([]int8(nil), pat...)
		if rec := s.mem.Recalled(s.pat); len(rec) >= rows*cols {
			p.recalled = append([]int8(nil), rec...)
		}
	}
	return p
}

func (s *session) refuseWhenDiverged() bool {
	if s.halted != "" {
		s.errs = append(s.errs, "training stopped ("+s.halted+"): press r to reset")
	}
	return s.halted != ""
}

func (s *session) setGamma(layer int, g []float64) {
	if layer < 0 || layer >= len(s.layers) {
		s.errs = append(s.errs, fmt.Sprintf("γ: no layer %d", layer))
		return
	}
	if err := s.eng.SetGamma(layer, clone(g)); err != nil {
		s.errs = append(s.errs, "γ rejected: "+err.Error())
		s.fix = append(s.fix, gammaRecord{Step: s.steps, Layer: layer, Name: s.layers[layer].Name, Gamma: clone(s.eng.Gamma(layer))})
		return
	}
	rec := gammaRecord{Step: s.steps, Layer: layer, Name: s.layers[layer].Name, Gamma: clone(s.eng.Gamma(layer))}
	// changes between two batches take effect together: one entry per
	// applied batch (the layer's first entry, its initial γ, stays)
	for i := len(s.log) - 1; i >= 0; i-- {
		if s.log[i].Layer != layer {
			continue
		}
		if s.log[i].Step == s.steps && s.firstOf(i) {
			break
		}
		if s.log[i].Step == s.steps {
			s.log[i] = rec
			if p := s.prevOf(i); p >= 0 && slices.Equal(s.log[p].Gamma, rec.Gamma) {
				s.log = slices.Delete(s.log, i, i+1) // undone before it took effect
			}
			s.logVer++
			return
		}
		break
	}
	s.log = append(s.log, rec)
	s.logVer++
}

// prevOf is the index of the entry before i of i's layer, or -1.
func (s *session) prevOf(i int) int {
	for j := i - 1; j >= 0; j-- {
		if s.log[j].Layer == s.log[i].Layer {
			return j
		}
	}
	return -1
}

// firstOf reports whether log entry i is its layer's first (its initial γ).
func (s *session) firstOf(i int) bool {
	for j := range i {
		if s.log[j].Layer == s.log[i].Layer {
			return false
		}
	}
	return true
}

// logHistory starts the γ log with the engine's own history (a resumed run's),
// if it has one, else with the current γ.
func (s *session) logHistory() {
	gh, ok := s.eng.(GammaHistory)
	if !ok {
		s.logInitial()
		return
	}
	seen := make([]bool, len(s.layers))
	for _, c := range gh.GammaHistory() {
		if c.Layer < 0 || c.Layer >= len(s.layers) {
			continue
		}
		seen[c.Layer] = true
		s.log = append(s.log, gammaRecord{Step: c.Step, Layer: c.Layer, Name: s.layers[c.Layer].Name, Gamma: clone(c.Gamma)})
	}
	for l, li := range s.layers { // the current γ wherever the history says nothing
		if !seen[l] {
			s.log = append(s.log, gammaRecord{Step: s.steps, Layer: l, Name: li.Name, Gamma: clone(s.eng.Gamma(l))})
		}
	}
}

func (s *session) logInitial() {
	for l, li := range s.layers {
		s.log = append(s.log, gammaRecord{Step: s.steps, Layer: l, Name: li.Name, Gamma: clone(s.eng.Gamma(l))})
	}
}

// step trains one batch and accounts for it.
func (s *session) step() {
	s.dirty = true
	if s.budget > 0 {
		s.budget--
	}
	if err := s.eng.Step(); err != nil {
		s.budget = 0
		s.halted = err.Error()
		return
	}
	s.steps++
	for _, sr := range s.seeds { // the seeds in step train this batch too, one after another
		if sr.halted == "" && sr.steps == s.steps-1 {
			s.stepSeed(sr)
		}
	}
	if s.base == nil {
		return
	}
	if err := guard(s.base.Step); err != nil { // the baseline failing stops only the baseline
		s.baseOut = &baseState{seq: s.baseSeq, hist: s.base.Snapshot().History, halted: err.Error()}
		s.base = nil
	}
}

func clone(v []float64) []float64 {
	if v == nil {
		return nil
	}
	return append([]float64(nil), v...)
}

// guard runs fn, turning a panic into an error.
func guard(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine panic: %v", r)
		}
	}()
	return fn()
}
