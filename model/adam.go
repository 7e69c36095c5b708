package model

import "math"

// Adam is torch.optim.Adam with L2 weight decay for gradient ascent on a goal:
// the reference minimises −G, so the step uses g = −∂G/∂w + WD·w and decay
// always pulls weights toward zero.
type Adam struct {
	LR, WD       float64
	Beta1, Beta2 float64
	Eps          float64
	t            int
	m, v         []float64
}

// NewAdam returns Adam with β = (0.9, 0.999), ε = 1e-8 for n parameters.
func NewAdam(lr, wd float64, n int) *Adam {
	return &Adam{LR: lr, WD: wd, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, m: make([]float64, n), v: make([]float64, n)}
}

// Ascend updates w in place from the goal gradient dG (same length). Entries
// with mask[i] == 0 are left untouched (mask may be nil).
func (a *Adam) Ascend(w, dG, mask []float64) {
	step, sq := a.next()
	a.update(w, dG, a.m[:len(w)], a.v[:len(w)], mask, step, sq)
}

// next counts a step and returns its bias-corrected step size lr/(1−β1^t)
// and 1/√(1−β2^t).
func (a *Adam) next() (step, sq float64) {
	a.t++
	bc1 := 1 - math.Pow(a.Beta1, float64(a.t))
	bc2 := 1 - math.Pow(a.Beta2, float64(a.t))
	return a.LR / bc1, 1 / math.Sqrt(bc2)
}

// update is one step's elementwise update of the parameters w with moments
// m, v (a worker's share of them, in ascend).
func (a *Adam) update(w, dG, am, av, mask []float64, step, sq float64) {
	i := 0
	if mask == nil {
		i = adamKernel(a, w, dG, am, av, step, sq)
	}
	for ; i < len(w); i++ {
		if mask != nil && mask[i] == 0 {
			continue
		}
		g := -dG[i] + a.WD*w[i]
		m := a.Beta1*am[i] + (1-a.Beta1)*g
		v := a.Beta2*av[i] + (1-a.Beta2)*g*g
		am[i], av[i] = m, v
		w[i] -= step * m / (math.Sqrt(v)*sq + a.Eps)
	}
}

// Steps returns how many updates have been applied.
func (a *Adam) Steps() int { return a.t }
