package tasks

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"infomorph-tui/model"
	"infomorph-tui/pid"
)

// MemoryRule says how an associative memory gets its weights.
type MemoryRule int

const (
	// Infomorphic: every neuron learns its recurrent weights by its PID goal.
	Infomorphic MemoryRule = iota
	// Hebbian: the classical Hopfield rule W = Σ ξξᵀ, zero diagonal, no training.
	Hebbian
)

func (r MemoryRule) String() string {
	if r == Hebbian {
		return "hebbian"
	}
	return "infomorphic"
}

// ParseMemoryRule maps "infomorphic" or "hebbian" to its rule.
func ParseMemoryRule(s string) (MemoryRule, error) {
	switch s {
	case "infomorphic":
		return Infomorphic, nil
	case "hebbian":
		return Hebbian, nil
	}
	return 0, fmt.Errorf("unknown rule %q (want infomorphic or hebbian)", s)
}

// Associative-memory protocol defaults (arXiv 2511.02584).
const (
	MemorySuccess    = 0.95 // recall score needed for a pattern set to count as stored
	MemoryEpochs     = 5000 // epoch budget per stored-pattern count
	MemoryLR         = 0.05
	MemoryEvalPoints = 50 // log-spaced recall tests over the epoch budget
	// MemoryEvalEvery is the lab's extra evaluation period (epochs).
	MemoryEvalEvery = 10
)

// MemoryConfig says what a MemoryRun stores and how.
type MemoryConfig struct {
	Preset string
	N      int     // neurons
	Alpha  float64 // stored patterns per neuron: M = round(α·N), at least 1
	Rule   MemoryRule
	Gamma  []float64 // goal: {1} unique R, {2} unique C, {1}{2}, {12}, h_res
	LR, WD float64   // Adam (infomorphic only)
	Epochs int       // epoch budget (the protocol's 5000)
	// CueNoise is the fraction of flipped bits in the cues of the noisy recall
	// test (Snapshot.TestAcc).
	CueNoise float64
	// EvalPoints is the number of log-spaced recall tests over Epochs used by
	// the capacity protocol (0: MemoryEvalPoints).
	EvalPoints int
	Seed       uint64
}

// Patterns returns the number of stored patterns M = round(α·N), at least 1.
func (c MemoryConfig) Patterns() int { return max(1, int(math.Round(c.Alpha*float64(c.N)))) }

// Validate checks the configuration.
func (c MemoryConfig) Validate() error {
	switch {
	case c.N < 2 || c.N > 4096:
		return fmt.Errorf("memory: %d neurons out of range 2..4096", c.N)
	case !(c.Alpha > 0 && c.Alpha <= 20):
		return fmt.Errorf("memory: α = %g out of range (0, 20]", c.Alpha)
	case len(c.Gamma) != 5:
		return fmt.Errorf("memory: γ has %d entries, want 5 (4 atoms + h_res)", len(c.Gamma))
	case c.Rule == Infomorphic && !(c.LR > 0 && c.LR < 10):
		return fmt.Errorf("memory: learning rate %g out of range (0, 10)", c.LR)
	case !(c.WD >= 0 && c.WD < 10):
		return fmt.Errorf("memory: weight decay %g out of range [0, 10)", c.WD)
	case c.Epochs < 1:
		return fmt.Errorf("memory: epoch budget %d must be positive", c.Epochs)
	case !(c.CueNoise >= 0 && c.CueNoise <= 1):
		return fmt.Errorf("memory: cue noise %g out of range [0, 1]", c.CueNoise)
	case c.EvalPoints < 0:
		return fmt.Errorf("memory: %d evaluation points", c.EvalPoints)
	}
	for _, g := range c.Gamma {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return fmt.Errorf("memory: γ must be finite")
		}
	}
	return nil
}

func (c MemoryConfig) evalPoints() int {
	if c.EvalPoints > 0 {
		return c.EvalPoints
	}
	return MemoryEvalPoints
}

// LogEpochs returns the distinct epochs round(10^(k·log10(max)/(n−1))),
// k = 0..n−1: n log-spaced points from 1 to max (fewer after rounding merges
// neighbours at the low end), ascending, max included.
func LogEpochs(maxEpoch, n int) []int {
	if maxEpoch < 1 {
		return nil
	}
	if n < 2 {
		return []int{maxEpoch}
	}
	out := []int{1}
	top := math.Log10(float64(maxEpoch))
	for k := 1; k < n; k++ {
		e := int(math.Round(math.Pow(10, top*float64(k)/float64(n-1))))
		e = min(max(e, 1), maxEpoch)
		if e != out[len(out)-1] {
			out = append(out, e)
		}
	}
	if out[len(out)-1] != maxEpoch {
		out = append(out, maxEpoch)
	}
	return out
}

// memoryStreams derives the pattern and weight-initialisation streams of a
// (seed, M) pair; MemoryRun and the capacity scan share them, so a lab run
// with seed s and α·N = M stores exactly the capacity trial's patterns.
func memoryStreams(seed uint64, m int) (patterns, weights *rand.Rand) {
	return rand.New(rand.NewPCG(seed, model.Mix(0x7a77, uint64(m)))),
		rand.New(rand.NewPCG(seed, model.Mix(0x1e17, uint64(m))))
}

// cueKey seeds the corrupted cues of a run's noisy recall test; fixed per
// seed so that the test uses the same cues at every evaluation.
func memoryCueKey(seed uint64) uint64 { return model.Mix(seed, 0xc0e5) }

// newMemoryNet builds the network and patterns of a (config, M, seed) trial.
func newMemoryNet(cfg MemoryConfig, m int, seed uint64) (*model.Memory, *model.Patterns, error) {
	pr, wr := memoryStreams(seed, m)
	pats := model.RandomPatterns(m, cfg.N, pr)
	net, err := model.NewMemory(cfg.N, cfg.Gamma, cfg.LR, cfg.WD, wr)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Rule == Hebbian {
		net.Hebbian(pats)
	}
	net.SkipAtoms = true
	return net, pats, nil
}

// MemoryRun is a steppable associative-memory session for the lab and the
// CLI: one Step is one epoch, i.e. one full-batch Adam step on all stored
// patterns (Hebbian networks are built at Reset and Step only re-measures).
// It has the method set of Run, so the lab hosts either. Not safe for
// concurrent use.
//
// Mapping onto the lab's accuracy fields, all in [−1, 1] (fractions):
//   - TrainAcc: recall score from clean cues — the protocol's score, the mean
//     over stored patterns of the overlap (s·ξ)/N after the dynamics started
//     at ξ; a set counts as stored when it is ≥ 0.95.
//   - TestAcc: the same from corrupted cues, CueNoise of the bits flipped
//     (the same cues at every evaluation).
//   - ValAcc: the fraction of patterns recalled perfectly from clean cues.
//
// Recall is evaluated at the capacity protocol's log-spaced test epochs
// (1, 2, …, 8, 10, 11, 14, 16, 19, 23, …, Epochs) and every MemoryEvalEvery
// epochs; History has one EpochStats per evaluation, whose SamplesPerSec is
// patterns × epochs per second of training since the previous evaluation
// (TrainSeconds that training time; 0 for Hebbian networks) and whose layer
// atoms are measured on the evaluated weights.
type MemoryRun struct {
	cfg     MemoryConfig
	gamma   []float64
	workers int

	net  *model.Memory
	pats *model.Patterns
	logs []int // log-spaced evaluation epochs

	epoch             int
	elapsed, trainDur time.Duration
	winEpochs         int // epochs trained since the last evaluation
	lastRate          float64
	acc               [3]float64
	solved            int // first evaluated epoch with a clean score ≥ 0.95; 0: not yet
	layer             LayerStats
	history           []EpochStats
	diverged          string
}

// NewMemoryRun validates the configuration and builds the run at epoch 0.
func NewMemoryRun(cfg MemoryConfig) (*MemoryRun, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Gamma = slices.Clone(cfg.Gamma)
	r := &MemoryRun{cfg: cfg, gamma: slices.Clone(cfg.Gamma)}
	if err := r.Reset(); err != nil {
		return nil, err
	}
	return r, nil
}

// Config returns the run's configuration (γ as the preset defined it).
func (r *MemoryRun) Config() MemoryConfig { return r.cfg }

// SetWorkers fixes the goroutines per step (0: one). Results do not depend on it.
func (r *MemoryRun) SetWorkers(n int) {
	r.workers = n
	r.net.Workers = n
}

// Reset goes back to epoch 0 with the same seed, keeping the current γ.
func (r *MemoryRun) Reset() error {
	cfg := r.cfg
	cfg.Gamma = r.gamma
	net, pats, err := newMemoryNet(cfg, cfg.Patterns(), cfg.Seed)
	if err != nil {
		return err
	}
	net.Workers = r.workers
	r.net, r.pats = net, pats
	r.logs = LogEpochs(max(cfg.Epochs, 1), cfg.evalPoints())
	r.epoch, r.elapsed, r.trainDur, r.winEpochs, r.lastRate = 0, 0, 0, 0, 0
	r.acc = [3]float64{math.NaN(), math.NaN(), math.NaN()}
	r.solved = 0
	r.history = nil
	r.diverged = ""
	r.layer = r.emptyLayer()
	return nil
}

// Network exposes the model, read-only by convention (for inspection and tests).
func (r *MemoryRun) Network() *model.Memory { return r.net }

// Epoch returns the number of completed epochs.
func (r *MemoryRun) Epoch() int { return r.epoch }

// Done reports whether the epoch budget is used up; Step keeps training past it.
func (r *MemoryRun) Done() bool { return r.epoch >= r.cfg.Epochs }

// Solved returns the first evaluated epoch whose clean recall score reached
// 0.95, or 0. The run also tests every MemoryEvalEvery epochs, so it can be
// earlier than the capacity trial's stop (StoreTrial tests log points only).
func (r *MemoryRun) Solved() int { return r.solved }

// Patterns returns the number of stored patterns M.
func (r *MemoryRun) Patterns() int { return r.pats.M }

// evalAt reports whether recall is tested after epoch e.
func (r *MemoryRun) evalAt(e int) bool {
	if e%MemoryEvalEvery == 0 {
		return true
	}
	_, ok := slices.BinarySearch(r.logs, e)
	return ok
}

// Step trains one epoch (Hebbian: none) and, at evaluation epochs, tests
// recall and measures the atoms. Once training diverged every call fails until Reset.
func (r *MemoryRun) Step() error {
	if r.diverged != "" {
		return errors.New(r.diverged)
	}
	start := time.Now()
	if r.cfg.Rule == Infomorphic {
		if err := r.net.Learn(r.pats); err != nil {
			r.diverged = fmt.Sprintf("epoch %d: %v", r.epoch+1, err)
			return errors.New(r.diverged)
		}
	}
	d := time.Since(start)
	r.trainDur += d
	r.elapsed += d
	r.epoch++
	r.winEpochs++
	if r.evalAt(r.epoch) {
		r.evaluate()
	}
	return nil
}

// StepEpoch is Step (an epoch is one step); it exists for symmetry with Run.
func (r *MemoryRun) StepEpoch() error { return r.Step() }

func (r *MemoryRun) evaluate() {
	start := time.Now()
	M := r.pats.M
	scores := make([]float64, M)
	r.acc[0] = r.net.RecallScore(r.pats, 0, 0, scores, nil)
	perfect := 0
	for _, s := range scores {
		if s == 1 {
			perfect++
		}
	}
	r.acc[1] = float64(perfect) / float64(M)
	r.acc[2] = r.net.RecallScore(r.pats, r.cfg.CueNoise, memoryCueKey(r.cfg.Seed), nil, nil)
	if r.solved == 0 && r.acc[0] >= MemorySuccess {
		r.solved = r.epoch
	}
	r.net.Measure(r.pats)
	r.layer = r.layerStats()
	r.elapsed += time.Since(start)
	if r.trainDur > 0 && r.cfg.Rule == Infomorphic {
		r.lastRate = float64(r.winEpochs*M) / r.trainDur.Seconds()
	}
	r.history = append(r.history, EpochStats{Epoch: r.epoch, TrainAcc: r.acc[0], ValAcc: r.acc[1], TestAcc: r.acc[2],
		SamplesPerSec: r.lastRate, TrainSeconds: r.trainDur.Seconds(), Layers: []LayerStats{r.layer}})
	r.trainDur, r.winEpochs = 0, 0
}

func memoryAtomNames() []string { return pid.GammaNames(2) }

func (r *MemoryRun) emptyLayer() LayerStats {
	return LayerStats{Name: "memory", AtomNames: memoryAtomNames(), Atoms: make([]float64, 5)}
}

// layerStats summarises the atoms of the last Measure: mean and per neuron.
func (r *MemoryRun) layerStats() LayerStats {
	st := r.emptyLayer()
	N := r.cfg.N
	st.Neurons = make([][]float64, N)
	st.MeanTheta = slices.Clone(r.net.MeanTheta)
	for j := 0; j < N; j++ {
		row := slices.Clone(r.net.NeuronAtoms[j*5 : j*5+5])
		st.Neurons[j] = row
		for k, v := range row {
			st.Atoms[k] += v / float64(N)
			st.HY += v / float64(N)
		}
	}
	st.Goal = GoalOf(r.gamma, st.Atoms)
	population(&st)
	return st
}

// Snapshot returns a copy of the run's progress. Layer statistics are those
// of the last evaluation.
func (r *MemoryRun) Snapshot() Snapshot {
	s := Snapshot{Preset: r.cfg.Preset, Seed: r.cfg.Seed, Epoch: r.epoch, Step: 0, StepsPerEpoch: 1,
		TotalSteps: r.epoch, TrainAcc: r.acc[0], ValAcc: r.acc[1], TestAcc: r.acc[2],
		SamplesPerSec: r.lastRate, Elapsed: r.elapsed, Diverged: r.diverged}
	if s.SamplesPerSec == 0 && r.trainDur > 0 && r.cfg.Rule == Infomorphic {
		s.SamplesPerSec = float64(r.winEpochs*r.pats.M) / r.trainDur.Seconds()
	}
	l := r.layer
	l.AtomNames = slices.Clone(l.AtomNames)
	l.Atoms = slices.Clone(l.Atoms)
	s.Layers = []LayerStats{l}
	s.History = slices.Clone(r.history)
	return s
}

// Layers returns the number of layers (one: "memory").
func (r *MemoryRun) Layers() int { return 1 }

// LayerName returns the layer's name and its atom names (then "h_res").
func (r *MemoryRun) LayerName(int) (string, []string) { return "memory", memoryAtomNames() }

// Units returns the number of neurons.
func (r *MemoryRun) Units(int) int { return r.cfg.N }

// Gamma returns a copy of the current γ.
func (r *MemoryRun) Gamma(int) []float64 { return slices.Clone(r.gamma) }

// PresetGamma returns γ as the preset defined it.
func (r *MemoryRun) PresetGamma(int) []float64 { return slices.Clone(r.cfg.Gamma) }

// SetGamma changes the goal from the next step on (Hebbian networks do not
// learn, so there it only changes the γ that Reset keeps).
func (r *MemoryRun) SetGamma(layer int, g []float64) error {
	if layer != 0 {
		return fmt.Errorf("no layer %d", layer)
	}
	if err := r.net.SetGamma(g); err != nil {
		return err
	}
	copy(r.gamma, g)
	return nil
}

// Grid returns the picture shape of N units: 10×10 for N = 100, otherwise
// cols = ⌈√N⌉ and enough rows; cells past N are padding.
func (r *MemoryRun) Grid() (rows, cols int) { return memoryGrid(r.cfg.N) }

func memoryGrid(n int) (rows, cols int) {
	cols = int(math.Ceil(math.Sqrt(float64(n))))
	return (n + cols - 1) / cols, cols
}

// ReceptiveField returns neuron j's recurrent weight row W_j· (its own entry
// 0) shaped as the Grid, padded with zeros.
func (r *MemoryRun) ReceptiveField(layer, neuron int) (w []float64, rows, cols int, ok bool) {
	N := r.cfg.N
	if layer != 0 || neuron < 0 || neuron >= N {
		return nil, 0, 0, false
	}
	rows, cols = r.Grid()
	w = make([]float64, rows*cols)
	copy(w, r.net.W[neuron*N:neuron*N+N])
	return w, rows, cols, true
}

// Pattern returns stored pattern k (entries ±1) shaped as the Grid, padded
// with zeros; nil if k is out of range.
func (r *MemoryRun) Pattern(k int) []int8 {
	if k < 0 || k >= r.pats.M {
		return nil
	}
	return memoryToGrid(r.pats.Row(k), r.cfg.N)
}

// Recalled returns the state the current network settles in when started at
// stored pattern k with clean cues (the recall test's final state), shaped as
// Pattern; nil if k is out of range.
func (r *MemoryRun) Recalled(k int) []int8 {
	if k < 0 || k >= r.pats.M {
		return nil
	}
	N := r.cfg.N
	s := slices.Clone(r.pats.Row(k))
	r.net.Recall(s, make([]float64, N), make([]float64, N))
	return memoryToGrid(s, N)
}

// RecalledFromCue returns the corrupted cue of stored pattern k used by the
// noisy recall test (CueNoise of the bits flipped) and the state the network
// settles in from it, both shaped as Pattern; nils if k is out of range.
func (r *MemoryRun) RecalledFromCue(k int) (cue, final []int8) {
	if k < 0 || k >= r.pats.M {
		return nil, nil
	}
	N := r.cfg.N
	c := model.Cue(r.pats.Row(k), r.cfg.CueNoise, memoryCueKey(r.cfg.Seed), k)
	s := slices.Clone(c)
	r.net.Recall(s, make([]float64, N), make([]float64, N))
	return memoryToGrid(c, N), memoryToGrid(s, N)
}

func memoryToGrid(x []float64, n int) []int8 {
	rows, cols := memoryGrid(n)
	out := make([]int8, rows*cols)
	for i, v := range x[:n] {
		if v > 0 {
			out[i] = 1
		} else {
			out[i] = -1
		}
	}
	return out
}
