package tune

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Sampler names.
const (
	TPE    = "tpe"
	CMAES  = "cmaes"
	Random = "random"
)

// Samplers lists the sampler names.
var Samplers = []string{TPE, CMAES, Random}

// Observation is a finished trial as a sampler sees it: its point in the
// unit cube of the searched entries and its objective value (maximised).
type Observation struct {
	Number int
	X      []float64
	// Value is the objective: the final value of a complete trial, the last
	// reported value of a pruned one, NaN for a failed one.
	Value float64
	State State
	// Steps is how many epochs the trial reported (pruned trials: fewer).
	Steps int
}

// Proposal is a sampler's answer for one trial number.
type Proposal struct {
	X    []float64 // the point in the unit cube
	How  string    // e.g. "random", "tpe", "cmaes g3 #5"
	Wait bool      // no point yet: wait for running trials to finish (X is nil)
}

// Sampler proposes the point of a trial. Propose must be a pure function of
// its arguments (and the sampler's settings), so that any process of a
// study proposes the same point from the same finished trials, and a
// resumed study repeats itself.
type Sampler interface {
	// Propose gives trial n's point from the finished trials hist (sorted by
	// number; trials numbered ≥ n may be among them when several processes
	// share the study). running lists the numbers of proposed trials that
	// are not finished.
	Propose(n int, hist []Observation, running []int) (Proposal, error)
}

// SamplerConfig configures NewSampler.
type SamplerConfig struct {
	Name string
	Dims int
	Seed uint64
	// Offset is the number of trials placed before the sampler's own
	// (enqueued trials, e.g. the preset's γ); the sampler ignores them.
	Offset int
	// Startup is how many random trials TPE draws before modelling.
	Startup int
	// Candidates is how many points TPE scores per proposal.
	Candidates int
	// Population is CMA-ES's generation size (0: 4 + ⌊3 ln d⌋).
	Population int
	// Sigma0 is CMA-ES's initial step size in the unit cube (0: 1/6 of the
	// range, as Optuna's CmaEsSampler).
	Sigma0 float64
}

// NewSampler builds the named sampler.
func NewSampler(c SamplerConfig) (Sampler, error) {
	if c.Dims < 1 {
		return nil, fmt.Errorf("sampler: no entries to search")
	}
	switch c.Name {
	case Random:
		return randomSampler{dims: c.Dims, seed: c.Seed}, nil
	case TPE:
		return newTPE(c), nil
	case CMAES:
		return newCMAES(c), nil
	}
	return nil, fmt.Errorf("unknown sampler %q (want %s, %s or %s)", c.Name, TPE, CMAES, Random)
}

// trialRNG is trial n's random stream: it depends only on the seed, the
// trial and the purpose, never on timing or on the global source.
func trialRNG(seed uint64, n int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(n)<<8|purpose))
}

// randomSampler draws every point uniformly from the unit cube.
type randomSampler struct {
	dims int
	seed uint64
}

func (r randomSampler) Propose(n int, _ []Observation, _ []int) (Proposal, error) {
	return Proposal{X: uniform(trialRNG(r.seed, n, 1), r.dims), How: Random}, nil
}

func uniform(rng *rand.Rand, dims int) []float64 {
	x := make([]float64, dims)
	for i := range x {
		x[i] = rng.Float64()
	}
	return x
}

// own drops the observations numbered below offset (enqueued trials) and
// returns a copy sorted by number.
func own(hist []Observation, offset int) []Observation {
	out := slices.DeleteFunc(slices.Clone(hist), func(o Observation) bool { return o.Number < offset })
	slices.SortFunc(out, func(a, b Observation) int { return a.Number - b.Number })
	return out
}
