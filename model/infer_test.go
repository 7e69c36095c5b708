package model

import (
	"math/rand/v2"
	"testing"

	"infomorph-tui/pid"
)

// inferNet is a small mnist-trivariate-2000-sparse: a trivariate hidden
// layer with sparse lateral partners (two steps, vector kernels at ≥ 32
// rows) and a readout.
func inferNet(t *testing.T, fb bool) *Network { return inferNetUnits(t, fb, 70) }

// inferNetUnits is inferNet with units hidden neurons.
func inferNetUnits(t *testing.T, fb bool, units int) *Network {
	t.Helper()
	return inferNetPrecision(t, fb, units, false)
}

// inferNetPrecision is inferNetUnits with the hidden layer in float32 when f32.
func inferNetPrecision(t *testing.T, fb bool, units int, f32 bool) *Network {
	t.Helper()
	hidden := LayerSpec{Name: "hidden", Units: units, F: Image, C: Label, L: Lateral, Partners: 9,
		Act: Activation{Kind: ThreeSource, C1: 0.3, C2: 0.2}, Bins: FixedBins(), LR: 1e-3, Float32: f32}
	if fb {
		hidden.C = Feedback
	}
	hidden.Gamma = make([]float64, len(pid.GammaNames(3)))
	hidden.Gamma[0] = 1
	readout := LayerSpec{Name: "readout", Units: 10, F: Below, C: Label, IdentityContext: true,
		Act: Activation{Kind: Graetz, K1: 1, K2: 2}, Bins: AdaptiveBins(),
		Gamma: []float64{-0.2, 0.1, 1, 0.1, 0}, LR: 1e-3}
	n, err := NewNetwork(NetSpec{InputDim: 50, Classes: 10, Layers: []LayerSpec{hidden, readout}}, 4)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// inferBatch draws rows sparse inputs for inferNet and their one-hot labels.
func inferBatch(seed uint64, rows int) (img, lab *Input) {
	rng := rand.New(rand.NewPCG(8, seed))
	img = randInput(rng, rows, 50, true, 1, 0)
	labels := make([]uint8, rows)
	for i := range labels {
		labels[i] = uint8(rng.IntN(10))
	}
	lab = &Input{}
	lab.OneHot(labels, 10, false)
	return img, lab
}

// TestInferMatchesForward: Infer gives the same θ and outputs as Forward,
// bit for bit, and training after an Infer is unaffected by it.
func TestInferMatchesForward(t *testing.T) {
	for _, fb := range []bool{false, true} {
		img, lab := inferBatch(1, 100)
		a, b := inferNet(t, fb), inferNet(t, fb)
		for _, w := range []int{1, 2} {
			a.Workers, b.Workers = w, w
			a.Forward(img, lab, 77)
			b.Infer(img, lab, 77)
			for i := range a.Layers {
				if !bitsEqual(a.Layers[i].Theta(), b.Layers[i].Theta()) || !bitsEqual(a.Layers[i].Out, b.Layers[i].Out) {
					t.Fatalf("feedback %v, %d workers, layer %d: Infer differs from Forward", fb, w, i)
				}
			}
			if err := a.Train(img, lab, 78); err != nil {
				t.Fatal(err)
			}
			if err := b.Train(img, lab, 78); err != nil {
				t.Fatal(err)
			}
			for i := range a.Layers {
				if !bitsEqual(a.Layers[i].F.W, b.Layers[i].F.W) || !bitsEqual(a.Layers[i].NeuronAtoms, b.Layers[i].NeuronAtoms) {
					t.Fatalf("feedback %v, %d workers, layer %d: training after Infer differs", fb, w, i)
				}
			}
		}
	}
}
