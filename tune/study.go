package tune

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"

	"infomorph-tui/internal/atomicfile"
	"infomorph-tui/tasks"
)

// Study is a handle on a study folder. Several handles — in one process or
// in many, on one machine or on many sharing the folder — form one study:
// each claims trial numbers and leases exclusively, reads every finished
// trial before proposing, and never duplicates or loses a trial.
type Study struct {
	Dir  string
	Spec Spec
	// LeaseTimeout is how long another host's lease lives without a
	// heartbeat (DefaultLeaseTimeout if 0 at Create/Open).
	LeaseTimeout time.Duration
	// Poll is how often a waiting process looks for finished trials.
	Poll time.Duration

	host    string
	pid     int
	started time.Time

	mu      sync.Mutex
	seq     int
	results map[int]ResultFile   // finished trials read so far (they never change)
	props   map[int]ProposalFile // proposals read so far (they never change)
}

// Create opens study s in dir, creating the folder and its study.json, or
// checking that the folder holds this very study (BadInput if it holds
// another study or a sweep).
func Create(dir string, s Spec) (*Study, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := writeManifest(dir, s); err != nil {
		return nil, err
	}
	return newStudy(dir, s), nil
}

// Open opens the study in dir as its study.json describes it.
func Open(dir string) (*Study, error) {
	s, err := ReadSpec(dir)
	if err != nil {
		return nil, err
	}
	return newStudy(dir, s), nil
}

func newStudy(dir string, s Spec) *Study {
	host, _ := os.Hostname()
	return &Study{Dir: dir, Spec: s, LeaseTimeout: DefaultLeaseTimeout, Poll: time.Second, host: host, pid: os.Getpid(),
		started: time.Now(), results: map[int]ResultFile{}, props: map[int]ProposalFile{}}
}

// Trial is one trial of a study as the folder shows it now.
type Trial struct {
	Number   int
	State    State
	Proposal ProposalFile
	Result   *ResultFile // set when finished
}

// Gamma is the trial's full γ of the tuned layer.
func (t Trial) Gamma() []float64 { return t.Proposal.Gamma }

// Value is the trial's objective (NaN until finished, or failed).
func (t Trial) Value() float64 {
	if t.Result == nil {
		return math.NaN()
	}
	return float64(t.Result.Value)
}

// Trials reads every proposed trial, in number order.
func (s *Study) Trials() ([]Trial, error) {
	l, err := list(s.Dir)
	if err != nil {
		return nil, err
	}
	return s.trials(l)
}

func (s *Study) trials(l listing) ([]Trial, error) {
	var out []Trial
	for _, n := range l.numbers() {
		p, err := s.proposal(n)
		if err != nil {
			return nil, err
		}
		t := Trial{Number: n, Proposal: p, State: Waiting}
		if l.results[n] {
			r, err := s.result(n)
			if err != nil {
				return nil, err
			}
			t.Result, t.State = &r, r.State
		} else if _, live := s.leaseState(n, l.leases[n]); live {
			t.State = Running
		}
		out = append(out, t)
	}
	return out, nil
}

func (s *Study) proposal(n int) (ProposalFile, error) {
	s.mu.Lock()
	p, ok := s.props[n]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := readProposal(s.Dir, n, s.Spec)
	if err != nil {
		return p, err
	}
	s.mu.Lock()
	s.props[n] = p
	s.mu.Unlock()
	return p, nil
}

func (s *Study) result(n int) (ResultFile, error) {
	s.mu.Lock()
	r, ok := s.results[n]
	s.mu.Unlock()
	if ok {
		return r, nil
	}
	r, err := readResult(s.Dir, n, s.Spec)
	if err != nil {
		return r, err
	}
	s.mu.Lock()
	s.results[n] = r
	s.mu.Unlock()
	return r, nil
}

// observations turns the finished trials into the sampler's history.
func observations(trials []Trial) []Observation {
	var hist []Observation
	for _, t := range trials {
		if t.Result == nil {
			continue
		}
		hist = append(hist, Observation{Number: t.Number, X: t.Proposal.X, Value: float64(t.Result.Value),
			State: t.Result.State, Steps: t.Result.Epochs})
	}
	return hist
}

// Config says how a process takes part in a study.
type Config struct {
	Objective Objective
	// Jobs is how many trials this process trains at once (one goroutine each).
	Jobs int
	// Trials is the study's size this process works towards (0: Spec.Trials):
	// it proposes trials until that many exist, and trains every trial that
	// nobody trains.
	Trials int
	// Event, if set, is told about trials starting and ending; never
	// concurrently.
	Event func(Event)
	// Log, if set, receives notes.
	Log func(string)
}

// EventKind says what an Event reports.
type EventKind int

const (
	Started     EventKind = iota // a trial starts (or continues)
	EpochDone                    // a trial finished an epoch
	Finished                     // a trial finished (complete, pruned or failed)
	Interrupted                  // a trial was saved to be continued
	Lost                         // another process took a trial over
)

// Event reports progress.
type Event struct {
	Kind      EventKind
	Trial     Trial
	Continued bool // the trial continues saved state or another process's work
	Epoch     int  // epochs done (EpochDone)
	Value     float64
	// Best is the best complete trial known when the event was sent (nil if none).
	Best *Trial
}

// Report sums up what a process did.
type Report struct {
	Complete, Pruned, Failed int // trials this process finished
	Continued                int // of those, continued from saved state
	Interrupted              int // trials saved for later when ctx ended
	// EpochsSaved is the epochs (runs × epochs) pruning spared this process.
	EpochsSaved int
	Proposed    int // trials this process proposed
	Finished    int // finished trials in the study at the end
	Rows        int // rows of results.csv
}

// Run takes part in the study until it has cfg.Trials trials and every one
// this process can train is finished, or ctx ends: then the trials in
// progress are saved to be continued, results.csv is written, and ctx's
// error is returned.
func (s *Study) Run(ctx context.Context, cfg Config) (Report, error) {
	var rep Report
	if cfg.Objective == nil {
		return rep, errors.New("tune: no objective")
	}
	budget := cfg.Trials
	if budget == 0 {
		budget = s.Spec.Trials
	}
	smp, err := s.Spec.sampler()
	if err != nil {
		return rep, err
	}
	var emitMu sync.Mutex
	emit := func(e Event) {
		if cfg.Event == nil {
			return
		}
		emitMu.Lock()
		defer emitMu.Unlock()
		cfg.Event(e)
	}
	var repMu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	inner, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < max(cfg.Jobs, 1); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.work(inner, cfg, smp, budget, emit, func(f func(*Report)) { repMu.Lock(); f(&rep); repMu.Unlock() }); err != nil {
				repMu.Lock()
				if firstErr == nil && !errors.Is(err, context.Canceled) {
					firstErr = err
				}
				repMu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	rows, werr := WriteResults(s.Dir)
	rep.Rows = rows
	if trials, err := s.Trials(); err == nil {
		for _, t := range trials {
			if t.State.Finished() {
				rep.Finished++
			}
		}
	}
	switch {
	case firstErr != nil:
		return rep, firstErr
	case werr != nil:
		return rep, werr
	}
	return rep, ctx.Err()
}

// work is one job's loop: continue a trial nobody trains, else propose the
// next one, until the budget is reached.
func (s *Study) work(ctx context.Context, cfg Config, smp Sampler, budget int, emit func(Event), report func(func(*Report))) error {
	for ctx.Err() == nil {
		l, err := list(s.Dir)
		if err != nil {
			return err
		}
		trials, err := s.trials(l)
		if err != nil {
			return err
		}
		// Continue a trial that nobody trains (interrupted or orphaned).
		took := false
		for _, t := range trials {
			if t.State != Waiting {
				continue
			}
			h, err := s.acquire(t.Number, l.leases[t.Number])
			if err != nil {
				return err
			}
			if h == nil {
				continue
			}
			took = true
			if err := s.train(ctx, cfg, t, h, emit, report); err != nil {
				return err
			}
			break
		}
		if took {
			continue
		}
		n := l.maxNumber() + 1
		if n >= budget {
			return nil
		}
		var running []int
		for _, t := range trials {
			if !t.State.Finished() {
				running = append(running, t.Number)
			}
		}
		hist := observations(trials)
		var prop Proposal
		if s.Spec.Enqueue && n == 0 {
			x, _ := s.Spec.Space.Unit(s.Spec.Base)
			prop = Proposal{X: x, How: "the preset's γ"}
		} else if prop, err = smp.Propose(n, hist, running); err != nil {
			return err
		}
		if prop.Wait {
			select {
			case <-ctx.Done():
			case <-time.After(s.Poll):
			}
			continue
		}
		seen := make([]int, len(hist))
		for i, o := range hist {
			seen[i] = o.Number
		}
		g := s.Spec.Space.Gamma(prop.X)
		if s.Spec.Enqueue && n == 0 {
			g = append([]float64(nil), s.Spec.Base...) // exactly the preset's
		}
		p := ProposalFile{Number: n, Gamma: g, X: prop.X, How: prop.How, Seen: seen,
			ProposedAt: now(), ProposedBy: fmt.Sprintf("%s:%d", s.host, s.pid)}
		data, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return err
		}
		ok, err := createExclusive(proposalPath(s.Dir, n), append(data, '\n'))
		if err != nil {
			return err
		}
		if !ok {
			continue // another process took the number: look again
		}
		report(func(r *Report) { r.Proposed++ })
		s.writeSamplerState(n, p, len(hist))
		h, err := s.acquire(n, nil)
		if err != nil {
			return err
		}
		if h == nil {
			continue // another process started it first
		}
		if err := s.train(ctx, cfg, Trial{Number: n, State: Running, Proposal: p}, h, emit, report); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// train trains trial t under lease h to its end (complete, pruned or
// failed), or until ctx ends (saving its runs to continue later).
func (s *Study) train(ctx context.Context, cfg Config, t Trial, h *heldLease, emit func(Event), report func(func(*Report))) error {
	defer h.release()
	sp := s.Spec
	seeds := sp.SeedList()
	runs := make([]Run, len(seeds))
	hist := make([][]EpochResult, len(seeds))
	continued := false
	for i, seed := range seeds {
		r, err := cfg.Objective.Open(t.Number, t.Proposal.Gamma, seed)
		if err != nil {
			return fmt.Errorf("trial %d, seed %d: %w", t.Number, seed, err)
		}
		runs[i], hist[i] = r, r.History()
		continued = continued || len(hist[i]) > 0
	}
	t.State = Running
	emit(Event{Kind: Started, Trial: t, Continued: continued})
	start := time.Now()
	done := sp.Epochs
	for _, hh := range hist {
		done = min(done, len(hh))
	}
	curve := meanVal(hist, done)
	state := Complete
	var note *PruneNote
	suspend := func() error {
		for _, r := range runs {
			if err := r.Suspend(); err != nil {
				return err
			}
		}
		report(func(r *Report) { r.Interrupted++ })
		emit(Event{Kind: Interrupted, Trial: t})
		return nil
	}
	for e := done + 1; e <= sp.Epochs; e++ {
		diverged := false
		for i, r := range runs {
			if len(hist[i]) >= e {
				diverged = diverged || hist[i][e-1].Diverged != ""
				continue
			}
			res, err := r.Epoch(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return suspend()
				}
				return fmt.Errorf("trial %d, seed %d: %w", t.Number, seeds[i], err)
			}
			hist[i] = append(hist[i], res)
			diverged = diverged || res.Diverged != ""
		}
		curve = meanVal(hist, e)
		if diverged {
			state = Failed
			break
		}
		if !h.held() {
			emit(Event{Kind: Lost, Trial: t})
			return nil
		}
		emit(Event{Kind: EpochDone, Trial: t, Epoch: e, Value: curve[e-1]})
		complete, err := s.completeCurves()
		if err != nil {
			return err
		}
		if d := sp.Prune.Decide(e, sp.Epochs, curve, complete); d.Prune {
			state = Pruned
			note = &PruneNote{Epoch: e, Best: d.Best, Threshold: d.Threshold, Compared: d.Compared}
			break
		}
	}
	if ctx.Err() != nil && state == Complete && len(curve) < sp.Epochs {
		return suspend()
	}
	if !h.held() {
		emit(Event{Kind: Lost, Trial: t})
		return nil
	}
	res := ResultFile{Number: t.Number, State: state, Epochs: len(curve), Curve: nums(curve), Prune: note,
		Seconds: time.Since(start).Seconds(), FinishedAt: now(), FinishedBy: fmt.Sprintf("%s:%d", s.host, s.pid)}
	var vals, tests, trains []float64
	for i, r := range runs {
		file, err := r.Finish()
		if err != nil {
			return fmt.Errorf("trial %d, seed %d: %w", t.Number, seeds[i], err)
		}
		sr := SeedResult{Seed: seeds[i], Run: file}
		for _, ep := range hist[i] {
			sr.Train = append(sr.Train, Float(ep.Train))
			sr.Val = append(sr.Val, Float(ep.Val))
			sr.Test = append(sr.Test, Float(ep.Test))
			if ep.Diverged != "" {
				sr.Diverged = ep.Diverged
			}
		}
		if k := len(curve) - 1; k >= 0 && k < len(hist[i]) {
			vals = append(vals, hist[i][k].Val)
			tests = append(tests, hist[i][k].Test)
			trains = append(trains, hist[i][k].Train)
		}
		res.Seeds = append(res.Seeds, sr)
	}
	var v, vsd, te, tsd, tr float64
	v, vsd = tasks.MeanSD(vals)
	te, tsd = tasks.MeanSD(tests)
	tr, _ = tasks.MeanSD(trains)
	res.Value, res.ValueSD, res.Test, res.TestSD, res.Train = Float(v), Float(vsd), Float(te), Float(tsd), Float(tr)
	if state == Failed {
		res.Value, res.ValueSD, res.Test, res.TestSD, res.Train = Float(math.NaN()), Float(math.NaN()), Float(math.NaN()), Float(math.NaN()), Float(math.NaN())
	}
	if err := writeResult(s.Dir, res); err != nil {
		return err
	}
	s.mu.Lock()
	s.results[t.Number] = res
	s.mu.Unlock()
	report(func(r *Report) {
		switch state {
		case Complete:
			r.Complete++
		case Pruned:
			r.Pruned++
			r.EpochsSaved += (sp.Epochs - len(curve)) * len(seeds)
		case Failed:
			r.Failed++
		}
		if continued {
			r.Continued++
		}
	})
	t.State, t.Result = state, &res
	ev := Event{Kind: Finished, Trial: t, Continued: continued, Value: float64(res.Value)}
	if trials, err := s.Trials(); err == nil {
		if b, ok := BestOf(trials); ok {
			ev.Best = &b
		}
	}
	emit(ev)
	if _, err := WriteResults(s.Dir); err != nil && cfg.Log != nil {
		cfg.Log(fmt.Sprintf("results.csv: %v", err))
	}
	return nil
}

// meanVal is the mean over runs of the validation accuracy after each of
// the first e epochs.
func meanVal(hist [][]EpochResult, e int) []float64 {
	out := make([]float64, e)
	for k := range out {
		sum, n := 0.0, 0
		for _, h := range hist {
			if k < len(h) {
				sum += h[k].Val
				n++
			}
		}
		out[k] = sum / float64(max(n, 1))
	}
	return out
}

// completeCurves reads the per-epoch values of every complete trial.
func (s *Study) completeCurves() ([][]float64, error) {
	trials, err := s.Trials()
	if err != nil {
		return nil, err
	}
	var out [][]float64
	for _, t := range trials {
		if t.State == Complete {
			out = append(out, floats(t.Result.Curve))
		}
	}
	return out, nil
}

// BestOf is the complete trial with the highest objective (the lower
// number on ties); ok is false when no trial is complete.
func BestOf(trials []Trial) (Trial, bool) {
	var best Trial
	ok := false
	for _, t := range trials {
		if t.State != Complete || math.IsNaN(t.Value()) {
			continue
		}
		if !ok || t.Value() > best.Value() {
			best, ok = t, true
		}
	}
	return best, ok
}

// samplerState is sampler.json: how the sampler stands, for people and
// tools. The sampler itself needs no file: its state is rebuilt from the
// finished trials (the ground truth), so it cannot disagree with them.
type samplerState struct {
	Sampler      string `json:"sampler"`
	Seed         uint64 `json:"seed"`
	LastProposed int    `json:"last_proposed"`
	How          string `json:"how"`
	Seen         int    `json:"finished_seen"`
	Startup      int    `json:"startup,omitempty"`
	Candidates   int    `json:"candidates,omitempty"`
	Population   int    `json:"population,omitempty"`
	Generation   *int   `json:"generation,omitempty"`
	UpdatedAt    string `json:"updated_at"`
}

func (s *Study) writeSamplerState(n int, p ProposalFile, seen int) {
	st := samplerState{Sampler: s.Spec.Sampler, Seed: s.Spec.SamplerSeed, LastProposed: n, How: p.How, Seen: seen,
		Startup: s.Spec.Startup, Candidates: s.Spec.Candidates, Population: s.Spec.Population, UpdatedAt: now()}
	if s.Spec.Sampler == CMAES && n >= s.Spec.offset() {
		g := (n - s.Spec.offset()) / s.Spec.Population
		st.Generation = &g
	}
	data, err := json.MarshalIndent(st, "", "  ")
	if err == nil {
		atomicfile.Write(filepath.Join(s.Dir, SamplerFile), append(data, '\n'), 0o644)
	}
}

// Done reports whether trial n's result is present (for tests and tools).
func (s *Study) Done(n int) bool {
	_, err := os.Stat(resultPath(s.Dir, n))
	return err == nil
}
