package tasks

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat"

	"infomorph-tui/model"
)

// CapacityTrial is one stored-pattern count M of a capacity scan.
type CapacityTrial struct {
	M       int     `json:"m"`
	Epochs  int     `json:"epochs"` // epochs trained: up to the first successful test, or the budget
	Score   float64 `json:"score"`  // clean recall score of the last test
	Success bool    `json:"success"`
}

// CapacityResult is one seed's capacity scan.
//
// Scanning M upward, AlphaC is the last successful M before the first
// failure that follows a success, over N: the storage transition.
// AlphaCStrict is the literal rule, where the first failure of all ends the
// scan. They differ when the smallest M fail, which the infomorphic rule
// always does at M = 1: with a single pattern every neuron's pmf has one
// cell, its goal is identically 0 and no weight ever moves (see the
// memory-capacity notes in CapacityScan).
type CapacityResult struct {
	Seed         uint64          `json:"seed"`
	AlphaC       float64         `json:"alpha_c"`
	AlphaCStrict float64         `json:"alpha_c_strict"`
	FirstSuccess int             `json:"first_success"` // smallest M stored (0: none)
	Trials       []CapacityTrial `json:"trials"`
	// Capped is set when the scan reached MaxM without ending: AlphaC is then
	// only a lower bound.
	Capped  bool    `json:"capped,omitempty"`
	Seconds float64 `json:"seconds"`
	Err     string  `json:"error,omitempty"`
}

// CapacityOptions sets the M grid of a scan: M = Start, Start+Stride, …
// while M ≤ MaxM; a scan with LeadFailures failures and no success yet stops
// with α_c = 0. Zero values take 1, 5, 3·N and 4.
type CapacityOptions struct {
	Start, Stride, MaxM int
	LeadFailures        int
}

func (o CapacityOptions) withDefaults(n int) CapacityOptions {
	if o.Start < 1 {
		o.Start = 1
	}
	if o.Stride < 1 {
		o.Stride = 5
	}
	if o.MaxM < 1 {
		o.MaxM = 3 * n // beyond Gardner's bound (α = 2) for random patterns
	}
	if o.LeadFailures < 1 {
		o.LeadFailures = 4
	}
	return o
}

// StoreTrial runs the protocol for M patterns of a seed: build the network
// and patterns, then (infomorphic) train one full-batch step per epoch up to
// the epoch budget, testing recall from clean cues at log-spaced epochs and
// stopping at the first test scoring ≥ 0.95. A Hebbian network is tested
// once, untrained (Epochs 0). The network runs single-threaded. The returned
// network and patterns are those at the stop.
func StoreTrial(cfg MemoryConfig, m int, seed uint64) (CapacityTrial, *model.Memory, *model.Patterns, error) {
	tr := CapacityTrial{M: m}
	net, pats, err := newMemoryNet(cfg, m, seed)
	if err != nil {
		return tr, nil, nil, err
	}
	net.Workers = 1
	if cfg.Rule == Hebbian {
		tr.Score = net.RecallScore(pats, 0, 0, nil, nil)
		tr.Success = tr.Score >= MemorySuccess
		return tr, net, pats, nil
	}
	tests := LogEpochs(cfg.Epochs, cfg.evalPoints())
	next := 0
	for e := 1; e <= cfg.Epochs; e++ {
		if err := net.Learn(pats); err != nil {
			return tr, net, pats, fmt.Errorf("M = %d, epoch %d: %w", m, e, err)
		}
		tr.Epochs = e
		if next < len(tests) && tests[next] == e {
			next++
			tr.Score = net.RecallScore(pats, 0, 0, nil, nil)
			if tr.Score >= MemorySuccess {
				tr.Success = true
				break
			}
		}
	}
	return tr, net, pats, nil
}

// CapacityScan measures one seed's capacity: M = 1, 6, 11, … upward, each
// M a fresh network and pattern set trained by StoreTrial, until the first
// failure after a success (see CapacityResult for both readings of α_c).
//
// Why small M fail for the infomorphic rule: the context starts at
// |C| ≈ 1e-3, all inside the two central bins of width 2/3, so at first C
// carries only its sign. A neuron whose ξ_i is constant over the patterns
// (probability 2^(1−M)) has a constant R, and one whose initial contexts
// share a sign has a constant C bin; either way its redundancy is 0 in a
// whole neighbourhood of θ, its gradient vanishes and its weights stay at
// their ±1e-4 start, so sign(W·ξ) is a coin flip for it. At M = 1 that is
// every neuron; at M = 6 a few percent, enough to miss 0.95 on some seeds.
func CapacityScan(cfg MemoryConfig, opt CapacityOptions, seed uint64) CapacityResult {
	opt = opt.withDefaults(cfg.N)
	start := time.Now()
	res := CapacityResult{Seed: seed, Capped: true}
	failed, lead := false, 0
	for m := opt.Start; m <= opt.MaxM; m += opt.Stride {
		tr, _, _, err := StoreTrial(cfg, m, seed)
		res.Trials = append(res.Trials, tr)
		if err != nil {
			res.Err = err.Error()
			res.Capped = false
			break
		}
		if tr.Success {
			if res.FirstSuccess == 0 {
				res.FirstSuccess = m
			}
			res.AlphaC = float64(m) / float64(cfg.N)
			if !failed {
				res.AlphaCStrict = res.AlphaC
			}
			continue
		}
		failed = true
		if res.FirstSuccess > 0 {
			res.Capped = false
			break
		}
		if lead++; lead >= opt.LeadFailures {
			res.Capped = false
			break
		}
	}
	res.Seconds = time.Since(start).Seconds()
	return res
}

// Capacity scans every seed, jobs seeds at a time (each single-threaded, so
// every seed's result is deterministic and its time comparable). progress,
// if set, is called once per finished seed, never concurrently. Results
// come back in the order of seeds.
func Capacity(cfg MemoryConfig, opt CapacityOptions, seeds []uint64, jobs int, progress func(CapacityResult)) ([]CapacityResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	out := make([]CapacityResult, len(seeds))
	var mu sync.Mutex
	capacityJobs(len(seeds), jobs, func(i int) {
		r := CapacityScan(cfg, opt, seeds[i])
		mu.Lock()
		defer mu.Unlock()
		out[i] = r
		if progress != nil {
			progress(r)
		}
	})
	return out, nil
}

// capacityJobs runs fn(0..n−1) on up to jobs goroutines, handing out indices
// in order.
func capacityJobs(n, jobs int, fn func(i int)) {
	jobs = min(max(jobs, 1), n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// MeanSD returns the mean and the sample standard deviation (n − 1) of xs,
// by gonum's stat.MeanStdDev: NaN and NaN for no values, and an s.d. of 0
// for one value (where gonum gives NaN). It is the one mean ± s.d. of the
// module (capacity, sweeps, plots).
func MeanSD(xs []float64) (mean, sd float64) {
	switch len(xs) {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		return xs[0], 0
	}
	mean, sd = stat.MeanStdDev(xs, nil)
	if math.IsNaN(sd) && !math.IsNaN(mean) && !math.IsInf(mean, 0) {
		sd = 0 // a variance rounded below 0 for (nearly) equal values
	}
	return mean, sd
}

// NoiseFlips is the default grid of flipped-bit fractions: 0, 0.05, …, 0.5.
func NoiseFlips() []float64 {
	out := make([]float64, 11)
	for i := range out {
		out[i] = float64(i) / 20
	}
	return out
}

// NoiseSeed is one seed's recall scores against cue corruption for one rule.
type NoiseSeed struct {
	Seed   uint64    `json:"seed"`
	Epochs int       `json:"epochs"` // epochs trained (0 for Hebbian)
	Scores []float64 `json:"scores"` // per flip fraction
	Err    string    `json:"error,omitempty"`
}

// NoiseCurve is recall against the fraction of flipped cue bits for one
// rule: per fraction, the mean score over seeds and how many seeds reached
// the success criterion (score ≥ 0.95).
type NoiseCurve struct {
	Rule    string      `json:"rule"`
	Flips   []float64   `json:"flips"`
	Mean    []float64   `json:"mean_score"`
	Success []int       `json:"success"`
	Seeds   []NoiseSeed `json:"seeds"`
}

// NoiseSweep measures recall from corrupted cues at M = round(α·N) stored
// patterns: for each seed it trains the infomorphic network for the full
// epoch budget (no early stop; Hebbian: built), then starts the dynamics from
// every pattern with each fraction of its bits flipped (the flipped sets are
// nested: a larger fraction flips a superset). It returns one curve for
// cfg.Rule and one for the other rule at the same α and seeds. progress, if
// set, is called per finished (rule, seed), never concurrently.
func NoiseSweep(cfg MemoryConfig, seeds []uint64, flips []float64, jobs int, progress func(rule MemoryRule, s NoiseSeed)) ([]NoiseCurve, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	other := Hebbian
	if cfg.Rule == Hebbian {
		other = Infomorphic
	}
	rules := []MemoryRule{cfg.Rule, other}
	curves := make([]NoiseCurve, len(rules))
	for i, r := range rules {
		curves[i] = NoiseCurve{Rule: r.String(), Flips: slices.Clone(flips), Mean: make([]float64, len(flips)),
			Success: make([]int, len(flips)), Seeds: make([]NoiseSeed, len(seeds))}
	}
	var mu sync.Mutex
	capacityJobs(len(rules)*len(seeds), jobs, func(job int) {
		ri, si := job/len(seeds), job%len(seeds)
		c := cfg
		c.Rule = rules[ri]
		ns := noiseSeedRun(c, seeds[si], flips)
		mu.Lock()
		defer mu.Unlock()
		curves[ri].Seeds[si] = ns
		if progress != nil {
			progress(c.Rule, ns)
		}
	})
	for ci := range curves {
		c := &curves[ci]
		for fi := range flips {
			n := 0
			for _, s := range c.Seeds {
				if s.Err != "" {
					continue
				}
				n++
				c.Mean[fi] += s.Scores[fi]
				if s.Scores[fi] >= MemorySuccess {
					c.Success[fi]++
				}
			}
			if n > 0 {
				c.Mean[fi] /= float64(n)
			} else {
				c.Mean[fi] = math.NaN()
			}
		}
	}
	return curves, nil
}

func noiseSeedRun(cfg MemoryConfig, seed uint64, flips []float64) NoiseSeed {
	ns := NoiseSeed{Seed: seed, Scores: make([]float64, len(flips))}
	net, pats, err := newMemoryNet(cfg, cfg.Patterns(), seed)
	if err != nil {
		ns.Err = err.Error()
		return ns
	}
	net.Workers = 1
	if cfg.Rule == Infomorphic {
		for e := 1; e <= cfg.Epochs; e++ {
			if err := net.Learn(pats); err != nil {
				ns.Err = fmt.Sprintf("epoch %d: %v", e, err)
				return ns
			}
			ns.Epochs = e
		}
	}
	for i, f := range flips {
		ns.Scores[i] = net.RecallScore(pats, f, memoryCueKey(seed), nil, nil)
	}
	return ns
}
