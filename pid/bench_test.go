package pid

import (
	"math/rand/v2"
	"testing"
)

// One neuron, one batch of 1024 samples, binned as the hidden layers do it:
// 20 fixed bins per compartment on [−20, 20], values clamped.

const (
	benchN    = 1024
	benchBins = 20
)

// bivariate hidden layer γ: redundancy only (mnist-context).
var benchGamma2 = []float64{0, 0, 1, 0, 0}

// opt_1_100_tpe (DESIGN.md §5), the trivariate hidden-layer γ.
var benchGamma3 = []float64{
	0.3307283306516516, 0.9780761799548087, -0.9935002057481923, 0.40173303106031233,
	0.2427806207519021, 0.6255375402143335, 0.47128370476190684, 0.02120506738070921,
	0.06053998481721795, -0.9469786302806626, -0.01985334149032275, -0.9676614963177035,
	-0.6924498112774857, 0.42701490050101726, 0.9736446648870112, 0.7369645864450716,
	-0.12183291675207343, -0.21512478790202927, 0.035001249394734923,
}

// fixedBin maps a compartment value to one of 20 equal bins on [−20, 20].
func fixedBin(x float64) int32 {
	b := int32((x + 20) / 40 * benchBins)
	return max(0, min(benchBins-1, b))
}

// benchBatch draws a batch: feed-forward r ~ N(0, sd²), context c one of 10
// values (a one-hot label through trained weights, themselves ~ N(0, sd²)),
// lateral l ~ N(0, sd²) for three sources; θ uniform in (0, 1). sd = 6
// spreads a neuron over ≈ 600 cells (trivariate); the 2000-neuron layers'
// neurons occupy ≈ 31 in training, close to the 27 that sd = 1.07 gives.
func benchBatch(n int, sd float64) (cells []int32, theta []float64) {
	rng := rand.New(rand.NewPCG(2021, 3))
	var ctx [10]float64
	for i := range ctx {
		ctx[i] = sd * rng.NormFloat64()
	}
	cells = make([]int32, benchN)
	theta = make([]float64, benchN)
	for b := range cells {
		r := sd * rng.NormFloat64()
		c := ctx[rng.IntN(10)]
		cell := fixedBin(r)*benchBins + fixedBin(c)
		if n == 3 {
			cell = cell*benchBins + fixedBin(sd*rng.NormFloat64())
		}
		cells[b] = cell
		theta[b] = rng.Float64()
		for theta[b] == 0 {
			theta[b] = rng.Float64()
		}
	}
	return cells, theta
}

func benchNeuron(b *testing.B, n int, gamma []float64, withAtoms bool) {
	benchNeuronSpread(b, n, 6, gamma, withAtoms)
}

// benchNeuronSpread is benchNeuron with compartments ~ N(0, sd²).
func benchNeuronSpread(b *testing.B, n int, sd float64, gamma []float64, withAtoms bool) {
	sizes := make([]int, n)
	for i := range sizes {
		sizes[i] = benchBins
	}
	cells, theta := benchBatch(n, sd)
	e := NewEstimator(sizes, 2)
	dTheta := make([]float64, benchN)
	var atoms []float64
	if withAtoms {
		atoms = make([]float64, len(e.Lattice().Nodes))
	}
	// Warm up: the estimator sizes its buffers on first use.
	e.SetSamples(cells, theta)
	e.GradTheta(gamma, dTheta, atoms)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e.SetSamples(cells, theta)
		e.GradTheta(gamma, dTheta, atoms)
	}
	b.ReportMetric(float64(e.Support()), "cells")
}

func BenchmarkNeuronBivariate(b *testing.B)       { benchNeuron(b, 2, benchGamma2, false) }
func BenchmarkNeuronBivariateAtoms(b *testing.B)  { benchNeuron(b, 2, benchGamma2, true) }
func BenchmarkNeuronTrivariate(b *testing.B)      { benchNeuron(b, 3, benchGamma3, false) }
func BenchmarkNeuronTrivariateAtoms(b *testing.B) { benchNeuron(b, 3, benchGamma3, true) }

// BenchmarkNeuronTrivariateSmall is a trivariate neuron with a training-size
// support (27 cells; ≈ 31 in training): its cost is the nodes' fixed work,
// not the support.
func BenchmarkNeuronTrivariateSmall(b *testing.B) { benchNeuronSpread(b, 3, 1.07, benchGamma3, false) }
