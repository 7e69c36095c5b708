package model

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

const (
	synK   = 4
	synDim = 16
)

// synTask is a small synthetic classification task: each class has a
// prototype over synDim inputs; samples are the prototype plus noise.
type synTask struct {
	proto  [synK][synDim]float64
	noise  float64
	sparse bool
}

func newSynTask(seed uint64, noise float64, sparse bool) *synTask {
	rng := rand.New(rand.NewPCG(seed, 99))
	s := &synTask{noise: noise, sparse: sparse}
	for k := range s.proto {
		for i := range s.proto[k] {
			if sparse {
				// Each class lights up its own quarter of the inputs.
				if i/(synDim/synK) == k {
					s.proto[k][i] = 1
				}
				continue
			}
			if rng.IntN(2) == 0 {
				s.proto[k][i] = 1
			} else {
				s.proto[k][i] = -1
			}
		}
	}
	return s
}

// batch draws n samples: the image input and the labels.
func (s *synTask) batch(rng *rand.Rand, n int) (*Input, []uint8) {
	labels := make([]uint8, n)
	img := &Input{Rows: n, Dim: synDim}
	if s.sparse {
		img.Scale, img.Shift = 1/0.4, -0.25/0.4
		img.Ptr = make([]int32, n+1)
	} else {
		img.Dense = make([]float64, n*synDim)
	}
	for b := range labels {
		k := rng.IntN(synK)
		labels[b] = uint8(k)
		for i := 0; i < synDim; i++ {
			v := s.proto[k][i] + s.noise*rng.NormFloat64()
			if !s.sparse {
				img.Dense[b*synDim+i] = v
				continue
			}
			if v > 0.5 {
				img.Idx = append(img.Idx, int32(i))
				img.Val = append(img.Val, min(v, 2))
			}
		}
		if s.sparse {
			img.Ptr[b+1] = int32(len(img.Idx))
		}
	}
	return img, labels
}

func readoutSpec(layer int) LayerSpec {
	return LayerSpec{Name: "readout", Units: synK, F: srcOf(layer), C: Label,
		Act:   Activation{Kind: Graetz, K1: 1, K2: 2},
		Bins:  AdaptiveBins(),
		Gamma: []float64{-0.2, 0.1, 1, 0.1, 0}, LR: 3e-3, WD: 1.5e-4, IdentityContext: true}
}

func srcOf(layer int) Source {
	if layer == 0 {
		return Image
	}
	return Below
}

// accuracy evaluates with a zero context on a fixed test batch.
func accuracy(net *Network, img *Input, labels []uint8) float64 {
	var zero Input
	zero.OneHot(labels, synK, true)
	net.Forward(img, &zero, 12345)
	pred := make([]int, len(labels))
	net.Predict(pred)
	ok := 0
	for b, p := range pred {
		if p == int(labels[b]) {
			ok++
		}
	}
	return float64(ok) / float64(len(labels))
}

func hiddenSpec(units int) LayerSpec {
	return LayerSpec{Name: "hidden", Units: units, F: Image, C: Label,
		Act:   Activation{Kind: Graetz, K1: 0.9, K2: 2},
		Bins:  FixedBins(),
		Gamma: []float64{0, 0, 1, 0, 0}, LR: 2e-3, WD: 3.5e-4}
}

func lateralSpec(units int) LayerSpec {
	s := hiddenSpec(units)
	s.C = Lateral
	s.Gamma = []float64{1, 0, 0, 0, 0}
	return s
}

// opt_1_100_tpe of DESIGN.md §5.
var tpeGamma = []float64{0.3307283306516516, 0.9780761799548087, -0.9935002057481923, 0.40173303106031233,
	0.2427806207519021, 0.6255375402143335, 0.47128370476190684, 0.02120506738070921,
	0.06053998481721795, -0.9469786302806626, -0.01985334149032275, -0.9676614963177035,
	-0.6924498112774857, 0.42701490050101726, 0.9736446648870112, 0.7369645864450716,
	-0.12183291675207343, -0.21512478790202927, 0.035001249394734923}

func trivariateSpec(units int) LayerSpec {
	s := hiddenSpec(units)
	s.L = Lateral
	s.Act = Activation{Kind: ThreeSource, C1: 0.1, C2: 0.1}
	s.Gamma = append([]float64(nil), tpeGamma...)
	return s
}

func newNet(t *testing.T, seed uint64, layers ...LayerSpec) *Network {
	t.Helper()
	net, err := NewNetwork(NetSpec{InputDim: synDim, Classes: synK, Layers: layers}, seed)
	if err != nil {
		t.Fatal(err)
	}
	return net
}

// train runs steps batches of 256 drawn from task with the given data seed.
func train(t *testing.T, net *Network, task *synTask, seed uint64, steps int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 17))
	var lab Input
	for s := 0; s < steps; s++ {
		img, l := task.batch(rng, 256)
		lab.OneHot(l, synK, false)
		if err := net.Train(img, &lab, Mix(seed, uint64(s))); err != nil {
			t.Fatalf("step %d: %v", s+1, err)
		}
	}
}

// TestReadoutLearns: a readout-only network (the mnist-readout recipe) learns
// the synthetic task from chance to near-perfect accuracy, on dense inputs and
// on sparse inputs with an affine normalisation. Measured (seed 1): dense
// 0.35 → 0.98, sparse 0.29 → 0.99 after 300 steps.
func TestReadoutLearns(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sparse bool
		noise  float64
	}{{"dense", false, 1}, {"sparse", true, 0.5}} {
		t.Run(tc.name, func(t *testing.T) {
			task := newSynTask(1, tc.noise, tc.sparse)
			net := newNet(t, 1, readoutSpec(0))
			net.Workers = 2
			timg, tlab := task.batch(rand.New(rand.NewPCG(2, 2)), 2048)
			if a := accuracy(net, timg, tlab); a > 0.5 {
				t.Fatalf("untrained accuracy %.3f, want near chance (0.25)", a)
			}
			train(t, net, task, 1, 300)
			if a := accuracy(net, timg, tlab); a < 0.9 {
				t.Errorf("accuracy after 300 steps %.3f, want > 0.9", a)
			}
			r := net.Readout()
			checkIdentity(t, r.C)
			if r.F.optW.Steps() != 300 || r.C.optB.Steps() != 300 {
				t.Errorf("optimiser steps F %d, C bias %d; want 300", r.F.optW.Steps(), r.C.optB.Steps())
			}
		})
	}
}

// TestHiddenReadoutLearns: a hidden layer (Graetz k1 = 0.9, fixed bins) with a
// readout on its sampled outputs learns without any gradient crossing layers.
// Measured (seed 3): 0.21 → 0.85 after 300 steps.
func TestHiddenReadoutLearns(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	task := newSynTask(3, 1, false)
	net := newNet(t, 3, hiddenSpec(12), readoutSpec(1))
	timg, tlab := task.batch(rand.New(rand.NewPCG(2, 2)), 2048)
	train(t, net, task, 3, 300)
	if a := accuracy(net, timg, tlab); a < 0.6 {
		t.Errorf("accuracy after 300 steps %.3f, want > 0.6", a)
	}
	checkIdentity(t, net.Readout().C)
}

func checkIdentity(t *testing.T, c *Compartment) {
	t.Helper()
	for i := 0; i < c.In; i++ {
		for j := 0; j < c.Out; j++ {
			want := 0.0
			if i == j {
				want = 1
			}
			if c.W[i*c.Out+j] != want {
				t.Fatalf("identity context W[%d,%d] = %g after training", i, j, c.W[i*c.Out+j])
			}
		}
	}
}

func checkNoSelf(t *testing.T, c *Compartment) {
	t.Helper()
	off := 0
	for i := 0; i < c.In; i++ {
		for j := 0; j < c.Out; j++ {
			if i == j && c.W[i*c.Out+j] != 0 {
				t.Fatalf("lateral self-weight W[%d,%d] = %g after training", i, j, c.W[i*c.Out+j])
			}
			if i != j && c.W[i*c.Out+j] != 0 {
				off++
			}
		}
	}
	if off == 0 {
		t.Fatal("lateral weights are all zero")
	}
}

// TestWorkersBitIdentical: hidden+readout, recurrent (C = lateral) and
// trivariate (C = label, L = lateral) networks train and end with bitwise
// identical weights, θ and atoms for Workers = 1 and 2.
func TestWorkersBitIdentical(t *testing.T) {
	cases := []struct {
		name   string
		layers []LayerSpec
		sparse bool
	}{
		{"hidden-readout", []LayerSpec{hiddenSpec(9), readoutSpec(1)}, true},
		{"recurrent", []LayerSpec{lateralSpec(9), readoutSpec(1)}, false},
		{"trivariate", []LayerSpec{trivariateSpec(9), readoutSpec(1)}, false},
	}
	const steps = 6
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			task := newSynTask(4, 1, tc.sparse)
			var nets []*Network
			for _, w := range []int{1, 2} {
				net := newNet(t, 7, tc.layers...)
				net.Workers = w
				train(t, net, task, 7, steps)
				nets = append(nets, net)
			}
			a, b := nets[0], nets[1]
			for i := range a.Layers {
				la, lb := a.Layers[i], b.Layers[i]
				for k, cs := range [][2]*Compartment{{la.F, lb.F}, {la.C, lb.C}, {la.L, lb.L}} {
					if cs[0] == nil {
						continue
					}
					if !bitsEqual(cs[0].W, cs[1].W) || !bitsEqual(cs[0].B, cs[1].B) {
						t.Errorf("layer %d compartment %d: weights differ between 1 and 2 workers", i, k)
					}
				}
				if !bitsEqual(la.Theta(), lb.Theta()) || !bitsEqual(la.Out, lb.Out) {
					t.Errorf("layer %d: θ or outputs differ between 1 and 2 workers", i)
				}
				if !bitsEqual(la.NeuronAtoms, lb.NeuronAtoms) {
					t.Errorf("layer %d: atoms differ between 1 and 2 workers", i)
				}
				for _, v := range la.NeuronAtoms {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("layer %d: atom %g", i, v)
					}
				}
			}
			h := a.Layers[0]
			if h.Spec.C == Lateral {
				checkNoSelf(t, h.C)
			}
			if h.Spec.L == Lateral {
				checkNoSelf(t, h.L)
				if got := len(h.NeuronAtoms) / h.Spec.Units; got != 19 {
					t.Errorf("trivariate layer has %d atoms per neuron, want 18 + h_res", got)
				}
			}
			checkIdentity(t, a.Readout().C)
		})
	}
}

// TestAtomsAddUp: per neuron, the atoms plus h_res add up to H(Y) of the
// batch, the binary entropy of the mean θ.
func TestAtomsAddUp(t *testing.T) {
	task := newSynTask(5, 1, false)
	for _, layers := range [][]LayerSpec{{hiddenSpec(6), readoutSpec(1)}, {trivariateSpec(6), readoutSpec(1)}} {
		net := newNet(t, 5, layers...)
		train(t, net, task, 5, 2)
		for _, l := range net.Layers {
			na := len(l.NeuronAtoms) / l.Spec.Units
			for j := 0; j < l.Spec.Units; j++ {
				sum := 0.0
				for _, v := range l.NeuronAtoms[j*na : (j+1)*na] {
					sum += v
				}
				p := l.MeanTheta[j]
				hy := -p*math.Log2(p) - (1-p)*math.Log2(1-p)
				if math.Abs(sum-hy) > 1e-9 {
					t.Errorf("layer %s neuron %d: atoms + h_res = %.12f, H(Y) = %.12f", l.Spec.Name, j, sum, hy)
				}
			}
		}
	}
}

// TestDiverged: a NaN in a weight makes the learning step fail with ErrDiverged.
func TestDiverged(t *testing.T) {
	task := newSynTask(1, 1, false)
	for _, layer := range []int{0, 1} {
		net := newNet(t, 1, hiddenSpec(5), readoutSpec(1))
		train(t, net, task, 1, 2)
		net.Layers[layer].F.W[3] = math.NaN()
		img, l := task.batch(rand.New(rand.NewPCG(1, 1)), 64)
		var lab Input
		lab.OneHot(l, synK, false)
		err := net.Train(img, &lab, 1)
		if !errors.Is(err, ErrDiverged) {
			t.Fatalf("NaN weight in layer %d: Train error %v, want ErrDiverged", layer, err)
		}
		if name := net.Layers[layer].Spec.Name; !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name layer %s", err, name)
		}
	}
	net := newNet(t, 1, readoutSpec(0))
	net.Readout().C.B[0] = math.Inf(1)
	img, l := task.batch(rand.New(rand.NewPCG(1, 1)), 64)
	var lab Input
	lab.OneHot(l, synK, false)
	net.Forward(img, &lab, 1)
	if err := net.Readout().Learn(map[Source]*Input{Image: img, Label: &lab}, 1); !errors.Is(err, ErrDiverged) {
		t.Fatalf("Inf bias: Learn error %v, want ErrDiverged", err)
	}
}

// TestPredictInversion: a readout neuron with mean θ ≥ 0.5 is read inverted.
func TestPredictInversion(t *testing.T) {
	net := newNet(t, 1, LayerSpec{Name: "readout", Units: 3, F: Image, C: Label,
		Act: Activation{Kind: Graetz, K1: 1, K2: 2}, Bins: AdaptiveBins(), Gamma: make([]float64, 5), LR: 1e-3})
	r := net.Readout()
	r.reserve(4)
	copy(r.theta, []float64{
		0.9, 0.2, 0.1, // neuron 0 mean 0.7 ≥ 0.5: inverted, reads 0.1 0.2 0.9 0.6
		0.8, 0.3, 0.2,
		0.1, 0.4, 0.3,
		0.4, 0.1, 0.35,
	})
	pred := make([]int, 4)
	net.Predict(pred)
	want := []int{1, 1, 0, 0}
	for b := range want {
		if pred[b] != want[b] {
			t.Fatalf("Predict = %v, want %v", pred, want)
		}
	}
}

func TestNewNetworkErrors(t *testing.T) {
	bad := func(mod func(*LayerSpec)) []LayerSpec {
		s := readoutSpec(0)
		mod(&s)
		return []LayerSpec{s}
	}
	cases := map[string][]LayerSpec{
		"no layers":         nil,
		"short γ":           bad(func(s *LayerSpec) { s.Gamma = s.Gamma[:4] }),
		"trivariate γ of 5": bad(func(s *LayerSpec) { s.L = Lateral; s.Act = Activation{Kind: ThreeSource} }),
		"no context":        bad(func(s *LayerSpec) { s.C = None }),
		"zero units":        bad(func(s *LayerSpec) { s.Units = 0 }),
		"identity mismatch": bad(func(s *LayerSpec) { s.Units = 3 }),
		"act sources":       bad(func(s *LayerSpec) { s.Act = Activation{Kind: ThreeSource} }),
		"image in layer 1":  {hiddenSpec(4), hiddenSpec(4)},
		"below in layer 0":  bad(func(s *LayerSpec) { s.F = Below }),
	}
	for name, layers := range cases {
		if _, err := NewNetwork(NetSpec{InputDim: synDim, Classes: synK, Layers: layers}, 1); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	net := newNet(t, 1, readoutSpec(0))
	l := net.Readout()
	if err := l.SetGamma([]float64{1, 2, 3}); err == nil {
		t.Error("SetGamma with 3 entries: no error")
	}
	if err := l.SetGamma([]float64{1, 2, 3, math.NaN(), 0}); err == nil {
		t.Error("SetGamma with NaN: no error")
	}
	if err := l.SetGamma([]float64{1, 2, 3, 4, 5}); err != nil || l.Spec.Gamma[4] != 5 {
		t.Errorf("SetGamma: %v, γ = %v", err, l.Spec.Gamma)
	}
	for _, s := range []Source{None, Image, Label, Below, Lateral} {
		if got, err := ParseSource(s.String()); err != nil || got != s {
			t.Errorf("ParseSource(%q) = %v, %v", s.String(), got, err)
		}
	}
	if _, err := ParseSource("pixels"); err == nil {
		t.Error("ParseSource(pixels): no error")
	}
}

// TestWideThetaRebuilt: a wide layer keeps a training step's θ only
// neuron-major; Theta() rebuilds the row-major θ, bit for bit the one a
// layer that writes it gives, and training is unchanged.
func TestWideThetaRebuilt(t *testing.T) {
	defer func(v int) { rowThetaMaxUnits = v }(rowThetaMaxUnits)
	var nets []*Network
	for _, limit := range []int{8, 1 << 30} {
		rowThetaMaxUnits = limit
		net := newNet(t, 5, trivariateSpec(9), readoutSpec(1))
		train(t, net, newSynTask(4, 1, false), 5, 4)
		if stale := net.Layers[0].thetaStale; stale != (limit == 8) {
			t.Fatalf("limit %d: thetaStale %v", limit, stale)
		}
		nets = append(nets, net)
	}
	a, b := nets[0].Layers[0], nets[1].Layers[0]
	if !bitsEqual(a.F.W, b.F.W) || !bitsEqual(a.NeuronAtoms, b.NeuronAtoms) || !bitsEqual(a.Out, b.Out) {
		t.Fatal("training differs when θ is kept only neuron-major")
	}
	if !bitsEqual(a.Theta(), b.Theta()) || a.thetaStale {
		t.Fatal("Theta() of the wide layer differs from the row-major θ")
	}
}

// TestOnlyTransposedOutputs: when step 1's outputs are read only through
// the sparse lateral kernels (batches of whole 32-row blocks), they are not
// written row-major, and training is bit for bit the same as when they are;
// a feedback network, whose readout reads them between the steps, keeps
// writing them.
func TestOnlyTransposedOutputs(t *testing.T) {
	skipWithoutAVX2(t)
	defer func(v bool) { onlyTOff = v }(onlyTOff)
	img, lab := inferBatch(2, 96)
	for _, fb := range []bool{false, true} {
		var nets []*Network
		for _, off := range []bool{false, true} {
			onlyTOff = off
			net := inferNet(t, fb)
			net.Workers = 2
			for s := range 4 {
				if err := net.Train(img, lab, uint64(s)); err != nil {
					t.Fatal(err)
				}
			}
			if got, want := net.Layers[0].onlyT(96), !off && !fb; got != want {
				t.Fatalf("feedback %v, onlyTOff %v: onlyT %v", fb, off, got)
			}
			nets = append(nets, net)
		}
		for i := range nets[0].Layers {
			a, b := nets[0].Layers[i], nets[1].Layers[i]
			for k, cs := range [][2]*Compartment{{a.F, b.F}, {a.C, b.C}, {a.L, b.L}} {
				if cs[0] != nil && (!bitsEqual(cs[0].W, cs[1].W) || !bitsEqual(cs[0].B, cs[1].B)) {
					t.Fatalf("feedback %v, layer %d compartment %d: weights differ with outputs only transposed", fb, i, k)
				}
			}
			if !bitsEqual(a.NeuronAtoms, b.NeuronAtoms) || !bitsEqual(a.Out, b.Out) || !bitsEqual(a.Theta(), b.Theta()) {
				t.Fatalf("feedback %v, layer %d: atoms, outputs or θ differ with outputs only transposed", fb, i)
			}
		}
	}
}

// TestAllFinite: every NaN or infinity is found, wherever it sits (in the
// four-wide body or the tail), and finite values of any size pass.
func TestAllFinite(t *testing.T) {
	for n := range 11 {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Ldexp(float64(i+1), 1000*(i%2)) * float64(1-2*(i%3%2))
		}
		if !allFinite(x) {
			t.Fatalf("n %d: finite values reported non-finite", n)
		}
		for i := range x {
			for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
				old := x[i]
				x[i] = bad
				if allFinite(x) {
					t.Fatalf("n %d: %v at %d not found", n, bad, i)
				}
				x[i] = old
			}
		}
	}
}
