package tui

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"infomorph-tui/tasks"
)

// fakeEngine is a deterministic stand-in for *tasks.Run: rising accuracies,
// 5 or 19 atoms (one negative), a 28×28 receptive field per neuron. Nothing
// depends on the wall clock.
type fakeEngine struct {
	preset        string
	seed          uint64
	layers        []LayerInfo
	gamma, pgamma [][]float64
	stepsPerEpoch int
	step, epoch   int
	total         atomic.Int64 // read by tests while the worker trains
	hist          []tasks.EpochStats
	acc           [3]float64
	divergeAt     int           // Step fails at this total step (0: never)
	panicAt       int           // Step panics at this total step (0: never)
	delay         time.Duration // simulated work per Step
	gate          chan struct{} // if set, Step blocks until it can receive (a batch held in flight)
	halted        string
	resets        int
	onEval        func(done, total int) // set by the lab (Progresser)
	evalGate      chan struct{}         // if set, the epoch-end evaluation waits on it after its first tenth
	forks         int
}

// Fork copies the engine's state (Forker): the copy trains exactly as the
// original would, without the original's gates.
func (f *fakeEngine) Fork() (Engine, error) {
	c := &fakeEngine{preset: f.preset, seed: f.seed, layers: f.layers, stepsPerEpoch: f.stepsPerEpoch,
		step: f.step, epoch: f.epoch, acc: f.acc, delay: f.delay, halted: f.halted,
		hist: append([]tasks.EpochStats(nil), f.hist...)}
	c.gamma = [][]float64{clone(f.gamma[0]), clone(f.gamma[1])}
	c.pgamma = f.pgamma
	c.total.Store(f.total.Load())
	f.forks++
	return c, nil
}

// SetProgress takes the lab's evaluation progress callback (Progresser).
func (f *fakeEngine) SetProgress(fn func(done, total int)) { f.onEval = fn }

// evaluate reports an epoch-end evaluation of 70000 images in tenths.
func (f *fakeEngine) evaluate() {
	if f.onEval == nil {
		return
	}
	for k := 1; k <= 10; k++ {
		f.onEval(k*7000, 70000)
		if k == 1 && f.evalGate != nil {
			<-f.evalGate
		}
	}
}

var biNames = []string{"{1}", "{2}", "{1}{2}", "{12}", "h_res"}

var triNames = []string{"{1}{2}{3}", "{1}{2}", "{1}{3}", "{2}{3}", "{1}{23}", "{2}{13}", "{3}{12}",
	"{1}", "{2}", "{3}", "{12}{13}{23}", "{12}{13}", "{12}{23}", "{13}{23}", "{12}", "{13}", "{23}", "{123}", "h_res"}

// base shares of H(Y) at convergence; {12} (bivariate) and {12}{13}{23}
// (trivariate) are negative.
var biBase = []float64{0.22, 0.05, 0.41, -0.03}
var triBase = []float64{0.10, 0.15, 0.05, 0.02, 0.03, 0.01, 0.02, 0.12, 0.03, 0.04, -0.04, 0.01, 0.02, 0.005, 0.06, 0.02, 0.01, 0.05}

func newFake(preset string, seed uint64) *fakeEngine {
	f := &fakeEngine{preset: preset, seed: seed, stepsPerEpoch: 4}
	f.acc = [3]float64{math.NaN(), math.NaN(), math.NaN()}
	hidden := biNames
	hg := []float64{0, 0, 1, 0, 0}
	if preset == "mnist-trivariate" {
		hidden = triNames
		hg = []float64{0.33, 0.98, -0.99, 0.40, 0.24, 0.63, 0.47, 0.02, 0.06, -0.95, -0.02, -0.97, -0.69, 0.43, 0.97, 0.74, -0.12, -0.22, 0.04}
	}
	name := "hidden"
	if preset == "mnist-lateral" {
		name = "hidden-lateral"
	}
	f.layers = []LayerInfo{
		{Name: name, AtomNames: hidden, Units: 100},
		{Name: "readout", AtomNames: biNames, Units: 10},
	}
	f.pgamma = [][]float64{hg, {-0.2, 0.1, 1, 0.1, 0}}
	f.gamma = [][]float64{clone(hg), clone(f.pgamma[1])}
	return f
}

func fakeFactory(preset string, seed uint64) (Engine, error) {
	if preset == "broken" {
		return nil, errors.New("cannot open data")
	}
	return newFake(preset, seed), nil
}

func (f *fakeEngine) progress() float64 {
	return float64(f.total.Load()) / float64(f.stepsPerEpoch)
}

func (f *fakeEngine) Step() error {
	if f.halted != "" {
		return errors.New(f.halted)
	}
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	if f.gate != nil {
		<-f.gate
	}
	if f.panicAt > 0 && int(f.total.Load())+1 >= f.panicAt {
		f.panicAt = 0
		panic("index out of range [7] with length 7")
	}
	if f.divergeAt > 0 && int(f.total.Load())+1 >= f.divergeAt {
		f.halted = "NaN in hidden weights"
		return errors.New(f.halted)
	}
	f.total.Add(1)
	f.step++
	if f.step == f.stepsPerEpoch {
		f.evaluate()
		f.step = 0
		f.epoch++
		e := float64(f.epoch)
		tr := 0.955 - 0.25*math.Exp(-e/2.5)
		dv := 0.004 * float64(f.seed-1) * math.Sin(e+float64(f.seed)) // seed 1 (the goldens') unchanged; others differ
		f.acc = [3]float64{tr + dv, tr - 0.011 + 0.002*math.Sin(e) + dv, tr - 0.008 + 0.002*math.Cos(e) + dv}
		f.hist = append(f.hist, tasks.EpochStats{
			Epoch: f.epoch, TrainAcc: f.acc[0], TrainAccKind: tasks.TrainRunning, ValAcc: f.acc[1], TestAcc: f.acc[2],
			SamplesPerSec: 41234, TrainSeconds: 0.1, Layers: f.layerStats(false), Confusion: fakeConfusion(f.acc[2]),
		})
	}
	return nil
}

// atoms of layer l at the current progress, neuron j (-1: the mean), bits.
func (f *fakeEngine) atoms(l, j int) ([]float64, float64) {
	base := biBase
	if len(f.layers[l].AtomNames) == 19 {
		base = triBase
	}
	p := f.progress()
	grow := 1 - math.Exp(-(p+0.5)/3) + 0.02*float64(f.seed-1)*math.Sin(float64(f.seed)) // other seeds differ
	hy := 0.98 - 0.01*float64(l)
	out := make([]float64, len(base)+1)
	sum := 0.0
	for k, b := range base {
		v := b*grow + 0.01*f.gamma[l][k]
		if j >= 0 {
			v += 0.03 * math.Sin(float64(j*7+k*3))
		}
		out[k] = v * hy
		sum += out[k]
	}
	out[len(base)] = hy - sum
	return out, hy
}

func (f *fakeEngine) layerStats(neurons bool) []tasks.LayerStats {
	out := make([]tasks.LayerStats, len(f.layers))
	for l, li := range f.layers {
		a, hy := f.atoms(l, -1)
		ls := tasks.LayerStats{Name: li.Name, AtomNames: li.AtomNames, Atoms: a, HY: hy, Goal: tasks.GoalOf(f.gamma[l], a)}
		if neurons {
			info := make([]float64, li.Units)
			for j := range li.Units {
				na, _ := f.atoms(l, j)
				silent := l == 0 && j%25 == 0 // as in mnist-context, where neuron 1 falls silent
				if silent {
					clear(na)
					na[len(na)-1] = 1
				}
				ls.Neurons = append(ls.Neurons, na)
				ls.MeanTheta = append(ls.MeanTheta, 0.5+0.1*math.Sin(float64(j)))
				ls.IsSilent = append(ls.IsSilent, silent)
				ls.ByInfo = append(ls.ByInfo, j)
				for _, v := range na[:len(na)-1] {
					info[j] += v
				}
				if silent {
					ls.Silent++
				}
			}
			sort.SliceStable(ls.ByInfo, func(a, b int) bool { return info[ls.ByInfo[a]] > info[ls.ByInfo[b]] })
			ls.Spread = fakeSpread(ls.Neurons)
		}
		out[l] = ls
	}
	return out
}

func (f *fakeEngine) Snapshot() tasks.Snapshot {
	total := int(f.total.Load())
	return tasks.Snapshot{
		Preset: f.preset, Seed: f.seed,
		Epoch: f.epoch, Step: f.step, StepsPerEpoch: f.stepsPerEpoch, TotalSteps: total,
		TrainAcc: f.acc[0], ValAcc: f.acc[1], TestAcc: f.acc[2],
		SamplesPerSec: 41234,
		Elapsed:       time.Duration(total) * 25 * time.Millisecond,
		Layers:        f.layerStats(true),
		History:       append([]tasks.EpochStats(nil), f.hist...),
		Diverged:      f.halted,
	}
}

func (f *fakeEngine) Layers() []LayerInfo         { return f.layers }
func (f *fakeEngine) Gamma(l int) []float64       { return clone(f.gamma[l]) }
func (f *fakeEngine) PresetGamma(l int) []float64 { return clone(f.pgamma[l]) }

func (f *fakeEngine) SetGamma(l int, g []float64) error {
	if l < 0 || l >= len(f.gamma) || len(g) != len(f.gamma[l]) {
		return fmt.Errorf("γ for layer %d needs %d values", l, len(f.gamma[l]))
	}
	for _, v := range g {
		if math.IsNaN(v) || math.Abs(v) > 2 {
			return fmt.Errorf("γ %v out of range", v)
		}
	}
	f.gamma[l] = clone(g)
	return nil
}

func (f *fakeEngine) Reset() error {
	f.step, f.epoch, f.hist, f.halted = 0, 0, nil, ""
	f.total.Store(0)
	f.acc = [3]float64{math.NaN(), math.NaN(), math.NaN()}
	f.resets++
	return nil
}

func (f *fakeEngine) ReceptiveField(l, j int) ([]float64, int, int, bool) {
	if l != 0 {
		return nil, 0, 0, false
	}
	const n = 28
	w := make([]float64, n*n)
	p := 1 - math.Exp(-(f.progress()+1)/4)
	cx, cy := 8+float64(j*5%12), 8+float64(j*3%12)
	for r := range n {
		for c := range n {
			dx, dy := float64(c)-cx, float64(r)-cy
			d2 := dx*dx + dy*dy
			pos := math.Exp(-d2 / 18)
			neg := 0.6 * math.Exp(-((dx-6)*(dx-6)+(dy+4)*(dy+4))/30)
			w[r*n+c] = p * (0.4*pos - 0.3*neg + 0.02*math.Sin(float64(r*c+j)))
		}
	}
	return w, n, n, true
}

// fakeSpread is each atom's 10th, 50th and 90th percentile over the neurons
// (nearest rank; the real run's come from tasks).
func fakeSpread(neurons [][]float64) []tasks.AtomSpread {
	out := make([]tasks.AtomSpread, len(neurons[0]))
	col := make([]float64, len(neurons))
	for k := range out {
		for j, row := range neurons {
			col[j] = row[k]
		}
		slices.Sort(col)
		q := func(f float64) float64 { return col[int(f*float64(len(col)-1))] }
		out[k] = tasks.AtomSpread{P10: q(0.1), Median: q(0.5), P90: q(0.9)}
	}
	return out
}

// fakeConfusion is a 10×10 confusion matrix of 100 test images per digit:
// the accuracy on the diagonal, the rest split between two neighbours.
func fakeConfusion(acc float64) []int {
	c := make([]int, 100)
	for i := range 10 {
		ok := int(math.Round(100 * acc))
		c[i*10+i] = ok
		c[i*10+(i+1)%10] = (100 - ok) * 2 / 3
		c[i*10+(i+3)%10] = 100 - ok - (100-ok)*2/3
	}
	return c
}
