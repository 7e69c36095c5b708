package tune

import (
	"math"
	"math/rand/v2"
	"slices"
)

// tpe is a multivariate Tree-structured Parzen Estimator, with the settings
// of Optuna's TPESampler(multivariate=True) that the authors used: the
// best γ(n) = min(⌈0.1·n⌉, 25) finished trials form the "good" group, the
// rest the "bad" one; each group is a mixture of product truncated
// Gaussians (one kernel per trial, over all entries jointly, plus a wide
// prior kernel), with Scott-like bandwidths 0.2·n^(−1/(d+4)), the "magic
// clip" on the smallest bandwidth, and Optuna's recency weights for groups
// of more than 25 trials; a proposal is the candidate drawn from the good
// mixture that maximises log l(x) − log g(x).
type tpe struct {
	dims, startup, candidates, offset int
	seed                              uint64
}

func newTPE(c SamplerConfig) *tpe {
	t := &tpe{dims: c.Dims, startup: c.Startup, candidates: c.Candidates, offset: c.Offset, seed: c.Seed}
	if t.candidates < 1 {
		t.candidates = DefaultCandidates
	}
	return t
}

// DefaultCandidates is the authors' n_ei_candidates.
const DefaultCandidates = 100

func (t *tpe) Propose(n int, hist []Observation, _ []int) (Proposal, error) {
	usable := 0
	for _, o := range hist {
		if o.State != Failed && len(o.X) == t.dims {
			usable++
		}
	}
	if n < t.offset+t.startup || usable < 2 {
		return Proposal{X: uniform(trialRNG(t.seed, n, 1), t.dims), How: "random (startup)"}, nil
	}
	below, above := tpeSplit(hist, t.dims)
	l := newParzen(below, t.dims)
	g := newParzen(above, t.dims)
	rng := trialRNG(t.seed, n, 2)
	var best []float64
	bestScore := math.Inf(-1)
	x := make([]float64, t.dims)
	for c := 0; c < t.candidates; c++ {
		l.sample(rng, x)
		if s := l.logPDF(x) - g.logPDF(x); s > bestScore || best == nil {
			bestScore = s
			best = slices.Clone(x)
		}
	}
	return Proposal{X: best, How: TPE}, nil
}

// tpeSplit divides the finished trials into the good group (the best
// min(⌈0.1·n⌉, 25): complete trials by value, then pruned ones by epochs
// reached and value) and the rest; failed trials are always bad. Both
// groups come back in trial order.
func tpeSplit(hist []Observation, dims int) (below, above []Observation) {
	var obs []Observation
	for _, o := range hist {
		if len(o.X) == dims {
			obs = append(obs, o)
		}
	}
	rank := func(o Observation) int {
		switch o.State {
		case Complete:
			return 0
		case Pruned:
			return 1
		}
		return 2
	}
	sorted := slices.Clone(obs)
	slices.SortStableFunc(sorted, func(a, b Observation) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if a.State == Pruned && a.Steps != b.Steps {
			return b.Steps - a.Steps
		}
		va, vb := a.Value, b.Value
		if math.IsNaN(va) {
			va = math.Inf(-1)
		}
		if math.IsNaN(vb) {
			vb = math.Inf(-1)
		}
		switch {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return a.Number - b.Number
	})
	nBelow := min(int(math.Ceil(0.1*float64(len(sorted)))), 25)
	good := map[int]bool{}
	for _, o := range sorted[:nBelow] {
		if o.State != Failed {
			good[o.Number] = true
		}
	}
	for _, o := range obs {
		if good[o.Number] {
			below = append(below, o)
		} else {
			above = append(above, o)
		}
	}
	byNumber := func(a, b Observation) int { return a.Number - b.Number }
	slices.SortFunc(below, byNumber)
	slices.SortFunc(above, byNumber)
	return below, above
}

// parzen is a mixture of product truncated Gaussians on the unit cube.
type parzen struct {
	mus    [][]float64 // kernel centres; the last is the prior's
	sigmas [][]float64
	logZ   [][]float64 // log(σ·√(2π)·mass in [0, 1]) of each kernel and entry
	logW   []float64   // log mixture weights
	cumW   []float64   // cumulative weights, for sampling
}

func newParzen(obs []Observation, dims int) *parzen {
	m := len(obs)
	p := &parzen{}
	w := recencyWeights(m)
	w = append(w, 1) // the prior kernel
	sigma := 0.2 * math.Pow(math.Max(float64(m), 1), -1/float64(dims+4))
	minSigma := 1 / math.Min(100, 1+float64(m+1))
	sigma = min(max(sigma, minSigma), 1)
	for _, o := range obs {
		p.mus = append(p.mus, o.X)
		p.sigmas = append(p.sigmas, constant(dims, sigma))
	}
	p.mus = append(p.mus, constant(dims, 0.5))
	p.sigmas = append(p.sigmas, constant(dims, 1))
	for k := range p.mus {
		z := make([]float64, dims)
		for j := range z {
			mu, sg := p.mus[k][j], p.sigmas[k][j]
			z[j] = math.Log(sg*math.Sqrt(2*math.Pi)) + math.Log(normCDF((1-mu)/sg)-normCDF(-mu/sg))
		}
		p.logZ = append(p.logZ, z)
	}
	total := 0.0
	for _, v := range w {
		total += v
	}
	acc := 0.0
	for _, v := range w {
		p.logW = append(p.logW, math.Log(v/total))
		acc += v / total
		p.cumW = append(p.cumW, acc)
	}
	return p
}

// recencyWeights are Optuna's default weights: equal up to 25 trials, else
// a ramp from 1/n to 1 over all but the latest 25, which weigh 1.
func recencyWeights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	if n < 25 {
		return w
	}
	ramp := n - 25
	for i := 0; i < ramp; i++ {
		lo := 1 / float64(n)
		if ramp == 1 {
			w[i] = lo
		} else {
			w[i] = lo + (1-lo)*float64(i)/float64(ramp-1)
		}
	}
	return w
}

func constant(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

// sample draws one point into x.
func (p *parzen) sample(rng *rand.Rand, x []float64) {
	u := rng.Float64()
	k := 0
	for k < len(p.cumW)-1 && u >= p.cumW[k] {
		k++
	}
	for j := range x {
		x[j] = truncNormal(rng, p.mus[k][j], p.sigmas[k][j])
	}
}

// logPDF is the mixture's log density at x.
func (p *parzen) logPDF(x []float64) float64 {
	terms := make([]float64, len(p.mus))
	hi := math.Inf(-1)
	for k := range p.mus {
		s := p.logW[k]
		mu, sg, lz := p.mus[k], p.sigmas[k], p.logZ[k]
		for j, v := range x {
			z := (v - mu[j]) / sg[j]
			s -= 0.5*z*z + lz[j]
		}
		terms[k] = s
		hi = math.Max(hi, s)
	}
	if math.IsInf(hi, -1) {
		return hi
	}
	sum := 0.0
	for _, s := range terms {
		sum += math.Exp(s - hi)
	}
	return hi + math.Log(sum)
}

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// truncNormal draws from N(mu, sigma²) restricted to [0, 1] (mu in [0, 1])
// by inverting the CDF.
func truncNormal(rng *rand.Rand, mu, sigma float64) float64 {
	a, b := normCDF(-mu/sigma), normCDF((1-mu)/sigma)
	u := a + (b-a)*rng.Float64()
	u = min(max(u, 1e-300), 1-1e-16)
	x := mu + sigma*math.Sqrt2*math.Erfinv(2*u-1)
	return min(max(x, 0), 1)
}
