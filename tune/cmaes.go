package tune

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/c-bata/goptuna/cmaes"
	"gonum.org/v1/gonum/mat"
)

// cmaes proposes points with CMA-ES: goptuna's ask-and-tell optimizer
// (github.com/c-bata/goptuna/cmaes, a port of the cmaes library behind
// Optuna's CmaEsSampler, which the authors used) on the unit cube, starting
// at its centre with step size 1/6 (Optuna's default: a sixth of the range)
// and resampling points that fall outside.
//
// Trial numbers map to fixed slots: trial Offset + g·λ + i is member i of
// generation g (λ the population). Generation g is drawn from the
// distribution that generations 0 … g−1 shaped, so its trials are proposed
// once all earlier generations have finished (until then Propose says
// Wait). The optimizer's state is rebuilt by replaying the finished trials
// through a seeded optimizer, so it needs no file of its own and every
// process of a study computes the same points, whatever the timing.
// Failed trials count as the worst value; pruned ones by the value they had
// when stopped. When the optimizer reports convergence it restarts at the
// best point so far with a fresh seed.
type cmaesSampler struct {
	dims, pop, offset int
	seed              uint64
	sigma0            float64

	// The replay so far (a cache: it is rebuilt whenever the finished
	// trials do not extend what it was told).
	mu      sync.Mutex
	opt     *cmaes.Optimizer
	gen     int         // the generation whose points xs holds
	xs      [][]float64 // its points, as asked (not clipped)
	told    [][]float64 // the values told for generations 0 … gen−1
	restart int
	best    float64
	bestX   []float64
}

func newCMAES(c SamplerConfig) *cmaesSampler {
	m := &cmaesSampler{dims: c.Dims, pop: c.Population, offset: c.Offset, seed: c.Seed, sigma0: c.Sigma0}
	if m.pop < 2 {
		m.pop = DefaultPopulation(c.Dims)
	}
	if m.sigma0 <= 0 {
		m.sigma0 = 1.0 / 6
	}
	return m
}

// DefaultPopulation is CMA-ES's usual generation size 4 + ⌊3 ln d⌋.
func DefaultPopulation(dims int) int { return 4 + int(math.Floor(3*math.Log(float64(dims)))) }

func (c *cmaesSampler) Propose(n int, hist []Observation, _ []int) (Proposal, error) {
	k := n - c.offset
	if k < 0 {
		return Proposal{}, fmt.Errorf("cmaes: trial %d comes before the sampler's first (%d)", n, c.offset)
	}
	g, i := k/c.pop, k%c.pop
	values := map[int]float64{}
	for _, o := range hist {
		values[o.Number] = o.Value
		if o.State == Failed || math.IsNaN(o.Value) {
			values[o.Number] = math.Inf(-1)
		}
	}
	for m := c.offset; m < c.offset+g*c.pop; m++ {
		if _, ok := values[m]; !ok {
			return Proposal{Wait: true, How: fmt.Sprintf("cmaes g%d waits for trial %d", g, m)}, nil
		}
	}
	x, err := c.replay(g, i, values)
	if err != nil {
		return Proposal{}, err
	}
	return Proposal{X: x, How: fmt.Sprintf("cmaes g%d #%d", g, i)}, nil
}

// optimizer starts a seeded optimizer at mean.
func (c *cmaesSampler) optimizer(mean []float64, restart int) (*cmaes.Optimizer, error) {
	bounds := mat.NewDense(c.dims, 2, nil)
	for j := 0; j < c.dims; j++ {
		bounds.Set(j, 1, 1)
	}
	seed := int64((c.seed*0x9e3779b97f4a7c15 + uint64(restart)) >> 1)
	return cmaes.NewOptimizer(slices.Clone(mean), c.sigma0, cmaes.OptimizerOptionSeed(seed),
		cmaes.OptimizerOptionBounds(bounds), cmaes.OptimizerOptionPopulationSize(c.pop))
}

// replay tells the optimizer generations 0 … g−1 with the recorded values
// (minimising their negatives) and returns member i of generation g.
func (c *cmaesSampler) replay(g, i int, values map[int]float64) ([]float64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.opt == nil || c.gen > g || !c.extends(values) {
		if err := c.reset(); err != nil {
			return nil, err
		}
	}
	for c.gen < g {
		if err := c.advance(values); err != nil {
			c.opt = nil
			return nil, err
		}
	}
	return clip(c.xs[i]), nil
}

// extends reports whether values agree with what the replay was told.
func (c *cmaesSampler) extends(values map[int]float64) bool {
	for gen, fs := range c.told {
		for m, v := range fs {
			w, ok := values[c.offset+gen*c.pop+m]
			if !ok || !(w == v || math.IsNaN(w) && math.IsNaN(v)) {
				return false
			}
		}
	}
	return true
}

// reset starts the replay over: a fresh optimizer at the centre, its
// generation 0 asked.
func (c *cmaesSampler) reset() error {
	c.gen, c.told, c.restart, c.best, c.bestX = 0, nil, 0, math.Inf(-1), nil
	opt, err := c.optimizer(constant(c.dims, 0.5), 0)
	if err != nil {
		return err
	}
	c.opt = opt
	return c.ask()
}

// ask draws the current generation's points.
func (c *cmaesSampler) ask() error {
	c.xs = make([][]float64, c.pop)
	for m := range c.xs {
		x, err := c.opt.Ask()
		if err != nil {
			return err
		}
		c.xs[m] = slices.Clone(x)
	}
	return nil
}

// advance tells the current generation's values and asks the next one.
func (c *cmaesSampler) advance(values map[int]float64) error {
	sols := make([]*cmaes.Solution, c.pop)
	told := make([]float64, c.pop)
	for m, x := range c.xs {
		v := values[c.offset+c.gen*c.pop+m]
		told[m] = v
		if v > c.best || c.bestX == nil {
			c.best, c.bestX = v, slices.Clone(x)
		}
		f := -v
		if math.IsInf(v, -1) {
			f = math.MaxFloat64
		}
		sols[m] = &cmaes.Solution{Params: slices.Clone(x), Value: f}
	}
	if err := c.opt.Tell(sols); err != nil {
		return err
	}
	c.told = append(c.told, told)
	c.gen++
	if c.opt.ShouldStop() {
		c.restart++
		opt, err := c.optimizer(clip(c.bestX), c.restart)
		if err != nil {
			return err
		}
		c.opt = opt
	}
	return c.ask()
}

func clip(x []float64) []float64 {
	y := slices.Clone(x)
	for j, v := range y {
		y[j] = min(max(v, 0), 1)
	}
	return y
}
