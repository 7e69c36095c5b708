package serve

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// fakeEngine is a small deterministic stand-in for *tasks.Run (one readout
// layer of 10 neurons, 4 batches per epoch, rising accuracy). Steps can be
// slowed down to simulate work and record how many run at once.
type fakeEngine struct {
	preset        string
	seed          uint64
	gamma, pgamma []float64
	step, epoch   int
	total         int
	hist          []tasks.EpochStats
	acc           [3]float64
	delay         time.Duration
	workers       int
	meter         *concurrency
}

var fakeAtoms = []string{"{1}", "{2}", "{1}{2}", "{12}", "h_res"}

// concurrency records the most steps ever in flight at once.
type concurrency struct {
	now, peak atomic.Int64
}

func (c *concurrency) enter() {
	n := c.now.Add(1)
	for {
		p := c.peak.Load()
		if n <= p || c.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (c *concurrency) leave() { c.now.Add(-1) }

// fakeLab builds fake engines; every engine it made is kept.
type fakeLab struct {
	delay time.Duration
	meter concurrency
	mu    sync.Mutex
	made  []*fakeEngine
}

func (l *fakeLab) factory(preset string, seed uint64) (tui.Engine, error) {
	if preset == "broken" {
		return nil, errors.New("cannot open data")
	}
	g := []float64{-0.2, 0.1, 1, 0.1, 0}
	e := &fakeEngine{preset: preset, seed: seed, gamma: append([]float64(nil), g...), pgamma: g,
		delay: l.delay, meter: &l.meter}
	e.acc = [3]float64{math.NaN(), math.NaN(), math.NaN()}
	l.mu.Lock()
	l.made = append(l.made, e)
	l.mu.Unlock()
	return e, nil
}

var fakePresets = []tui.PresetInfo{
	{Name: "mnist-readout", Description: "10 bivariate readout neurons on raw pixels", Available: true},
	{Name: "mnist-context", Description: "100 hidden bivariate neurons with label context + readout", Available: true},
	{Name: "broken", Description: "a preset whose factory fails", Available: true},
}

const fakeStepsPerEpoch = 4

func (f *fakeEngine) SetWorkers(n int) { f.workers = n }

func (f *fakeEngine) Step() error {
	f.meter.enter()
	defer f.meter.leave()
	if f.delay > 0 {
		time.Sleep(f.delay)
	}
	f.total++
	f.step++
	if f.step == fakeStepsPerEpoch {
		f.step = 0
		f.epoch++
		a := 0.95 - 0.3*math.Exp(-float64(f.epoch)/2)
		f.acc = [3]float64{a, a - 0.01, a - 0.005}
		f.hist = append(f.hist, tasks.EpochStats{Epoch: f.epoch, TrainAcc: a, ValAcc: a - 0.01, TestAcc: a - 0.005,
			SamplesPerSec: 1e5, TrainSeconds: 0.1, Layers: f.layers()})
	}
	return nil
}

func (f *fakeEngine) layers() []tasks.LayerStats {
	p := float64(f.total) / fakeStepsPerEpoch
	g := 1 - math.Exp(-(p+0.5)/3)
	atoms := []float64{0.2 * g, 0.05 * g, 0.4 * g, -0.03 * g}
	sum := 0.0
	for _, a := range atoms {
		sum += a
	}
	return []tasks.LayerStats{{Name: "readout", AtomNames: fakeAtoms, Atoms: append(atoms, 0.95-sum), HY: 0.95}}
}

func (f *fakeEngine) Snapshot() tasks.Snapshot {
	return tasks.Snapshot{
		Preset: f.preset, Seed: f.seed, Epoch: f.epoch, Step: f.step, StepsPerEpoch: fakeStepsPerEpoch,
		TotalSteps: f.total, TrainAcc: f.acc[0], ValAcc: f.acc[1], TestAcc: f.acc[2], SamplesPerSec: 1e5,
		Elapsed: time.Duration(f.total) * 10 * time.Millisecond, Layers: f.layers(),
		History: append([]tasks.EpochStats(nil), f.hist...),
	}
}

func (f *fakeEngine) Layers() []tui.LayerInfo {
	return []tui.LayerInfo{{Name: "readout", AtomNames: fakeAtoms, Units: 10}}
}

func (f *fakeEngine) Gamma(int) []float64       { return append([]float64(nil), f.gamma...) }
func (f *fakeEngine) PresetGamma(int) []float64 { return append([]float64(nil), f.pgamma...) }

func (f *fakeEngine) SetGamma(l int, g []float64) error {
	if l != 0 || len(g) != len(f.gamma) {
		return fmt.Errorf("γ for layer %d needs %d values", l, len(f.gamma))
	}
	copy(f.gamma, g)
	return nil
}

func (f *fakeEngine) Reset() error {
	f.step, f.epoch, f.total, f.hist = 0, 0, 0, nil
	f.acc = [3]float64{math.NaN(), math.NaN(), math.NaN()}
	return nil
}

func (f *fakeEngine) ReceptiveField(int, int) ([]float64, int, int, bool) { return nil, 0, 0, false }
