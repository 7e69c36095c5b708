package model

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"infomorph-tui/pid"
)

// Source says what feeds a compartment.
type Source int

const (
	None    Source = iota
	Image          // the task's input (e.g. MNIST pixels)
	Label          // one-hot label during training, zeros during evaluation
	Below          // the previous layer's outputs (±1 or 0/1, see Firing)
	Lateral        // this layer's own sampled outputs of the previous step
	// Feedback is the readout's sampled outputs of the network's first pass
	// (the authors' _with_feedback models): a context source of the first
	// layer, at its bias in step 1 (see Network.Forward).
	Feedback
)

var sourceNames = map[Source]string{None: "none", Image: "image", Label: "label", Below: "below", Lateral: "lateral", Feedback: "feedback"}

func (s Source) String() string { return sourceNames[s] }

// ParseSource maps a preset's source name to its value.
func ParseSource(s string) (Source, error) {
	for k, n := range sourceNames {
		if n == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown source %q (want none, image, label, below, lateral or feedback)", s)
}

// atBias reports whether a compartment fed by src sits at its bias in a
// recurrent layer's first step (its input is the network's own later output).
func atBias(src Source) bool { return src == Lateral || src == Feedback }

// Firing says how a layer turns θ into its outputs.
type Firing int

const (
	// Sample draws ±1 outputs, +1 with probability θ (infomorphic neurons).
	Sample Firing = iota
	// Sample01 draws 0/1 outputs, 1 with probability θ: the stochastic
	// binary units of the authors' backprop baseline.
	Sample01
	// Heaviside outputs 1 where A > 0 and 0 elsewhere, deterministically;
	// θ is that output (the authors' random projection). It has no local
	// gradient, so under local training a Heaviside layer must have lr 0.
	Heaviside
)

var firingNames = map[Firing]string{Sample: "sample", Sample01: "sample01", Heaviside: "heaviside"}

func (f Firing) String() string { return firingNames[f] }

// ParseFiring maps a preset's firing name to its value.
func ParseFiring(s string) (Firing, error) {
	for k, n := range firingNames {
		if n == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown firing %q (want sample, sample01 or heaviside)", s)
}

// LayerSpec describes one infomorphic layer. Compartment 1 (F) is receptive,
// 2 (C) contextual and 3 (L) lateral; the PID sources follow that order.
type LayerSpec struct {
	Name    string
	Units   int
	F, C, L Source
	Act     Activation
	Bins    Binning
	Gamma   []float64 // one per atom, then γ_res
	LR, WD  float64
	// IdentityContext fixes the context weights to the identity (the readout:
	// neuron j's context is label j); its context bias still learns.
	IdentityContext bool
	// Partners > 0 gives each neuron that many random lateral partners (a
	// sparse lateral compartment) instead of all other neurons.
	Partners int
	// Firing turns θ into outputs (zero value: ±1 samples).
	Firing Firing
	// Float32 runs the layer's weight products (the image and sparse
	// lateral compartments) and its three-source or Graetz activation in
	// float32 (activation_f32.go), and draws its samples by hashing
	// (sample_hash.go): a wide layer's step about a third cheaper, no
	// longer bit-identical to float64. Weights, PID and Adam stay float64.
	Float32 bool
}

// Sources is the number of PID sources (compartments) of the layer.
func (s LayerSpec) Sources() int {
	if s.L != None {
		return 3
	}
	return 2
}

// Recurrent reports whether the layer runs two steps (it has a lateral or
// feedback input).
func (s LayerSpec) Recurrent() bool { return s.C == Lateral || s.L == Lateral || s.C == Feedback }

// lateral reports whether the layer reads its own outputs.
func (s LayerSpec) lateral() bool { return s.C == Lateral || s.L == Lateral }

// Fixed reports whether the layer's parameters never change (lr 0).
func (s LayerSpec) Fixed() bool { return s.LR == 0 }

// ErrDiverged reports NaN or Inf in a layer's state.
var ErrDiverged = errors.New("training diverged (NaN/Inf)")

// Layer is a population of infomorphic neurons sharing a goal.
type Layer struct {
	Spec    LayerSpec
	F, C, L *Compartment

	rows int
	// Batch state, row-major rows×Units: compartments after the last step, θ.
	r, c, l, theta []float64
	// thetaStale says theta was not written by the last training step (a
	// wide layer's θ goes only neuron-major, to fireState.thetaT, for
	// Learn); Theta rebuilds it on demand.
	thetaStale bool
	// cTab, when set, stands for c: a one-hot context's distinct rows
	// (context_table.go); read c through cAt. cTabBuf keeps its buffers.
	cTab, cTabBuf *contextTable
	// dr, dc, dl hold ∂G/∂r, ∂G/∂c, ∂G/∂l after Learn (learn.go).
	// Out holds the sampled ±1 outputs of the last step.
	Out []float64
	// step1 holds the first step's outputs, the lateral input of step 2.
	step1 Input
	// firstOutRead: the network reads step 1's row-major outputs (a
	// feedback network's upper layers run between the two steps).
	firstOutRead bool
	dr, dc, dl   []float64

	nAtoms int
	// meanField (tests only) makes the layer output its θ (2θ−1 for ±1
	// outputs) instead of samples: a deterministic network whose exact
	// gradient is the surrogate gradient of backprop.go.
	meanField bool
	// infer (Network.Infer) skips what only Learn reads: the neuron-major θ
	// and PID cells of the last step.
	infer bool

	// SkipAtoms makes Learn compute only the goal gradient, not the atoms
	// (about a third of the cost for trivariate neurons); NeuronAtoms then
	// keeps the values of the last step that computed them.
	SkipAtoms   bool
	NeuronAtoms []float64 // Units×(nAtoms+1) of the last learning step, h_res last
	MeanTheta   []float64 // per neuron, last batch

	work []*worker
	fast fireState // scratch of fire (fire.go)
	bp   layerBP   // scratch of backprop (backprop.go)
}

type worker struct {
	est    *pid.Estimator
	cells  []int32
	th     []float64
	dTheta []float64
	atoms  []float64
	pcg    rand.PCG
	rng    *rand.Rand
}

// NewLayer builds a layer; dims gives the input dimension of each source.
func NewLayer(spec LayerSpec, dims map[Source]int, rng *rand.Rand) (*Layer, error) {
	if spec.Units < 1 {
		return nil, fmt.Errorf("layer %s: needs at least one unit", spec.Name)
	}
	if spec.F == None || spec.C == None {
		return nil, fmt.Errorf("layer %s: needs receptive and context sources", spec.Name)
	}
	if spec.Sources() != spec.Act.Sources() && spec.Act.Kind != Sum {
		return nil, fmt.Errorf("layer %s: activation %s reads %d sources, layer has %d", spec.Name, spec.Act.Kind, spec.Act.Sources(), spec.Sources())
	}
	if want := len(pid.GammaNames(spec.Sources())); len(spec.Gamma) != want {
		return nil, fmt.Errorf("layer %s: γ has %d entries, want %d", spec.Name, len(spec.Gamma), want)
	}
	if spec.Partners < 0 || spec.Partners > 0 && !spec.lateral() {
		return nil, fmt.Errorf("layer %s: %d lateral partners need a lateral source", spec.Name, spec.Partners)
	}
	l := &Layer{Spec: spec, nAtoms: len(pid.AtomNames(spec.Sources()))}
	l.Spec.Gamma = append([]float64(nil), spec.Gamma...)
	mk := func(src Source) (*Compartment, error) {
		if src == None {
			return nil, nil
		}
		in := spec.Units
		if src != Lateral {
			d, ok := dims[src]
			if !ok || d < 1 {
				return nil, fmt.Errorf("layer %s: source %s has no input", spec.Name, src)
			}
			in = d
		}
		var c *Compartment
		switch {
		case src == Lateral && spec.Partners > 0:
			var err error
			if c, err = NewSparseCompartment(in, spec.Units, spec.Partners, true, rng); err != nil {
				return nil, fmt.Errorf("layer %s: %v", spec.Name, err)
			}
		case src == Lateral:
			c = NewCompartment(in, spec.Units, rng)
			c.NoSelf()
		default:
			c = NewCompartment(in, spec.Units, rng)
		}
		c.SetOptim(spec.LR, spec.WD)
		// Float32: the receptive product of a wide layer and a sparse
		// lateral one (a one-hot context is read from a table anyway).
		c.F32 = spec.Float32 && (c.Sparse() || src == spec.F && c.Out >= packMinOut)
		return c, nil
	}
	var err error
	if l.F, err = mk(spec.F); err != nil {
		return nil, err
	}
	if l.C, err = mk(spec.C); err != nil {
		return nil, err
	}
	if l.L, err = mk(spec.L); err != nil {
		return nil, err
	}
	if spec.IdentityContext {
		if l.C.In != l.C.Out {
			return nil, fmt.Errorf("layer %s: identity context needs %d context inputs, has %d", spec.Name, spec.Units, l.C.In)
		}
		l.C.Identity()
	}
	l.NeuronAtoms = make([]float64, spec.Units*(l.nAtoms+1))
	l.MeanTheta = make([]float64, spec.Units)
	return l, nil
}

// SetGamma replaces the layer's goal; it takes effect at the next learning step.
func (l *Layer) SetGamma(g []float64) error {
	if len(g) != len(l.Spec.Gamma) {
		return fmt.Errorf("layer %s: γ has %d entries, want %d", l.Spec.Name, len(g), len(l.Spec.Gamma))
	}
	for _, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("layer %s: γ must be finite", l.Spec.Name)
		}
	}
	copy(l.Spec.Gamma, g)
	return nil
}

// Theta returns the firing probabilities of the last forward pass (rows×Units).
func (l *Layer) Theta() []float64 {
	U, rows := l.Spec.Units, l.rows
	if l.thetaStale {
		f := &l.fast
		for j := 0; j < U; j++ {
			if f.theta32 {
				for b, v := range f.thetaT32[j*f.cs : j*f.cs+rows] {
					l.theta[b*U+j] = float64(v)
				}
				continue
			}
			for b, v := range f.thetaT[j*f.cs : j*f.cs+rows] {
				l.theta[b*U+j] = v
			}
		}
		l.thetaStale = false
	}
	return l.theta[:rows*U]
}

// Output returns the sampled outputs of the last forward pass as an input.
func (l *Layer) Output() *Input {
	return &Input{Rows: l.rows, Dim: l.Spec.Units, Dense: l.Out[:l.rows*l.Spec.Units]}
}

func (l *Layer) reserve(rows int) {
	n := rows * l.Spec.Units
	l.rows = rows
	l.r = growF64(l.r, n)
	l.theta = growF64(l.theta, n)
	l.Out = growF64(l.Out, n)
	l.dr = growF64(l.dr, n)
	l.dc = growF64(l.dc, n)
	if l.Spec.L != None {
		l.l = growF64(l.l, n)
		l.dl = growF64(l.dl, n)
	}
}

func (l *Layer) workers(n, rows int) []*worker {
	for len(l.work) < n {
		w := &worker{}
		w.rng = rand.New(&w.pcg)
		bins := []int{l.Spec.Bins.Bins, l.Spec.Bins.Bins}
		if l.Spec.Sources() == 3 {
			bins = append(bins, l.Spec.Bins.Bins)
		}
		w.est = pid.NewEstimator(bins, 2)
		w.atoms = make([]float64, l.nAtoms)
		l.work = append(l.work, w)
	}
	for _, w := range l.work[:n] {
		w.cells = growInt32(w.cells, rows)
		w.th = growF64(w.th, rows)
		w.dTheta = growF64(w.dTheta, rows)
	}
	return l.work[:n]
}

// Forward runs the layer on a batch. in maps each non-lateral source to its
// input. Recurrent layers run two steps: lateral (and feedback) input 0, then
// the sampled outputs of step 1 (and in[Feedback]). key seeds the output
// sampling.
func (l *Layer) Forward(in map[Source]*Input, key uint64, workers int) {
	l.forwardFirst(in, key, workers)
	if l.Spec.Recurrent() {
		l.forwardSecond(in, key, workers)
	}
}

// forwardFirst is the first (for non-recurrent layers the only) step.
func (l *Layer) forwardFirst(in map[Source]*Input, key uint64, workers int) {
	rows := in[l.Spec.F].Rows
	l.reserve(rows)
	ws := l.workers(workers, rows)
	l.F.Forward(in[l.Spec.F], l.r, workers)
	l.contextForward(in, workers)
	if l.L != nil {
		l.compartment(l.L, l.Spec.L, in, l.l, workers)
	}
	l.fire(ws, key, 0)
}

// forwardSecond is a recurrent layer's second step: the lateral compartments
// read step 1's outputs, a feedback compartment reads in[Feedback].
func (l *Layer) forwardSecond(in map[Source]*Input, key uint64, workers int) {
	rows, U := l.rows, l.Spec.Units
	ws := l.workers(workers, rows)
	// Step 1's outputs become the lateral input; step 2 samples into the
	// other buffer (swapping instead of copying).
	l.step1.Rows, l.step1.Dim = rows, U
	l.step1.Dense = growF64(l.step1.Dense, rows*U)
	l.step1.Dense, l.Out = l.Out[:rows*U], l.step1.Dense
	l.step1.T, l.step1.T32 = nil, nil
	switch {
	case l.fast.t32:
		l.step1.T32 = l.fast.outT32[:TLen(rows, U)]
	case l.fast.wantT:
		l.step1.T = l.fast.outT[:TLen(rows, U)]
	}
	switch l.Spec.C {
	case Lateral:
		l.C.Forward(&l.step1, l.c, workers)
	case Feedback:
		l.C.Forward(in[Feedback], l.c, workers)
	}
	// (A one-hot context's table, if any, holds for both steps.)
	if l.Spec.L == Lateral {
		l.L.Forward(&l.step1, l.l, workers)
	}
	l.fire(ws, key, 1)
}

// compartment computes a compartment; a lateral or feedback one starts at
// its bias.
func (l *Layer) compartment(c *Compartment, src Source, in map[Source]*Input, out []float64, workers int) {
	if !atBias(src) {
		c.Forward(in[src], out, workers)
		return
	}
	// At its bias in step 1: fire reads c.B.
}

// Learn takes one local learning step on the last forward pass: per neuron,
// bin the compartments, estimate the pmf, get ∂G/∂θ_b from the PID engine,
// chain through θ = σ(A) and A(r, c, l) to every weight, and ascend with Adam.
//
// A fixed layer (lr 0) takes no step: Learn only measures its atoms (unless
// SkipAtoms) and mean θ.
func (l *Layer) Learn(in map[Source]*Input, workers int) error {
	ws := l.workers(workers, l.rows)
	if l.Spec.Fixed() {
		l.measureNeurons(ws)
		return l.check()
	}
	l.learnNeurons(ws) // learn.go
	dr := l.dr
	if l.packsDelta() {
		dr = nil // learnNeurons packed ∂G/∂r and did not keep it
	}
	l.F.Backward(in[l.Spec.F], dr, workers)
	if l.sumsContextGrad() {
		// learnNeurons summed the one-hot context's gradient (contextGrad).
		l.C.gBSummed = false
	} else {
		l.C.Backward(l.inputOf(l.Spec.C, in), l.dc, workers)
	}
	if l.L != nil {
		dl := l.dl
		if l.packsLateralDelta() {
			dl = nil // learnNeurons transposed ∂G/∂l and did not keep it
		}
		l.L.Backward(l.inputOf(l.Spec.L, in), dl, workers)
	}
	for _, c := range []*Compartment{l.F, l.C, l.L} {
		if c == nil {
			continue
		}
		c.update(workers) // Update, parameters split across workers
		if c.Fixed {
			c.Identity() // re-set every batch, as the reference does
		}
	}
	return l.check()
}

func (l *Layer) inputOf(src Source, in map[Source]*Input) *Input {
	if src == Lateral {
		return &l.step1
	}
	return in[src]
}

// check reports ErrDiverged if any parameter or firing probability is not finite.
func (l *Layer) check() error {
	ok := allFinite(l.NeuronAtoms)
	for _, c := range []*Compartment{l.F, l.C, l.L} {
		if c != nil {
			fw := c.finiteW() // always: it consumes the update's result
			ok = ok && fw && allFinite(c.B)
		}
	}
	if !ok {
		return fmt.Errorf("layer %s: %w", l.Spec.Name, ErrDiverged)
	}
	return nil
}

// allFinite reports whether no value of x is NaN or ±Inf: v − v is 0 for a
// finite v and NaN otherwise, and a NaN stays in a sum. Four independent
// sums, without branches, read a 2000-neuron layer's 1.6M weights every
// step several times faster than testing each value.
func allFinite(x []float64) bool {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		v := x[i : i+4 : i+4]
		s0 += v[0] - v[0]
		s1 += v[1] - v[1]
		s2 += v[2] - v[2]
		s3 += v[3] - v[3]
	}
	for _, v := range x[i:] {
		s0 += v - v
	}
	return s0+s1+s2+s3 == 0
}

// mix is splitmix64 of a combination, for deriving independent stream seeds.
func mix(a, b uint64) uint64 {
	z := a*0x9e3779b97f4a7c15 + b + 0x632be59bd9b4e019
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Mix derives a stream key from parts (seed, epoch, batch, …).
func Mix(parts ...uint64) uint64 {
	h := uint64(0x243f6a8885a308d3)
	for _, p := range parts {
		h = mix(h, p)
	}
	return h
}
