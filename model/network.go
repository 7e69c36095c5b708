package model

import (
	"fmt"
	"math/rand/v2"
	"runtime"
)

// NetSpec wires layers: the first layer reads the task's Image (and Label,
// Lateral or Feedback), each later layer reads the one below; the last layer
// is the readout. Training says how the network learns.
type NetSpec struct {
	InputDim, Classes int
	Layers            []LayerSpec
	Training          Training
}

// Training selects how a network learns.
type Training int

const (
	// Local: every layer ascends its own PID goal; no gradient crosses a layer.
	Local Training = iota
	// Backprop: end to end, as the authors' GlobalBackpropModel: the
	// cross-entropy of softmax(θ) of the readout against the label, its
	// gradient carried down through the layers' sampled outputs by the
	// surrogate dOut/dA = σ'(A) (backprop.go). γ is not used; atoms are
	// still measured.
	Backprop
)

var trainingNames = map[Training]string{Local: "local", Backprop: "backprop"}

func (t Training) String() string { return trainingNames[t] }

// ParseTraining maps a preset's training name to its value.
func ParseTraining(s string) (Training, error) {
	for k, n := range trainingNames {
		if n == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("unknown training %q (want local or backprop)", s)
}

// Check reports wiring that no layer can judge alone: feedback only into
// the first layer of a network with a readout above it, never under
// backprop; Heaviside firing never in the readout, and under local training
// only in a fixed layer (lr 0); under backprop one readout unit per class.
func (s NetSpec) Check() error {
	if len(s.Layers) == 0 {
		return fmt.Errorf("network has no layers")
	}
	if _, ok := trainingNames[s.Training]; !ok {
		return fmt.Errorf("unknown training %d", s.Training)
	}
	last := len(s.Layers) - 1
	for i, l := range s.Layers {
		if _, ok := firingNames[l.Firing]; !ok {
			return fmt.Errorf("layer %s: unknown firing %d", l.Name, l.Firing)
		}
		if l.F == Feedback || l.L == Feedback {
			return fmt.Errorf("layer %s: feedback can only feed the context", l.Name)
		}
		if l.C == Feedback {
			switch {
			case i != 0 || last == 0:
				return fmt.Errorf("layer %s: only the first layer of a network with a readout above it reads feedback", l.Name)
			case s.Training == Backprop:
				return fmt.Errorf("layer %s: feedback is not trained by backprop", l.Name)
			}
		}
		if l.Firing == Heaviside {
			switch {
			case i == last:
				return fmt.Errorf("layer %s: the readout cannot fire heaviside (its θ is the output)", l.Name)
			case s.Training == Local && !l.Fixed():
				return fmt.Errorf("layer %s: heaviside firing has no local gradient; set lr 0", l.Name)
			}
		}
	}
	if s.Training == Backprop && s.Layers[last].Units != s.Classes {
		return fmt.Errorf("layer %s: backprop needs one readout unit per class (%d)", s.Layers[last].Name, s.Classes)
	}
	return nil
}

// Network is a stack of infomorphic layers, each learning its own goal (or,
// under Backprop, all learning the readout's cross-entropy).
type Network struct {
	Spec    NetSpec
	Layers  []*Layer
	Workers int // goroutines per step; results do not depend on it

	fb Input   // the readout's first-pass outputs, for a feedback context
	bp bpState // backprop.go
}

// NewNetwork initialises every layer from the seed.
func NewNetwork(spec NetSpec, seed uint64) (*Network, error) {
	if err := spec.Check(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x1a17))
	n := &Network{Spec: spec, Workers: runtime.GOMAXPROCS(0)}
	below := 0
	for i, ls := range spec.Layers {
		dims := map[Source]int{Label: spec.Classes}
		if i == 0 {
			dims[Image] = spec.InputDim
			dims[Feedback] = spec.Layers[len(spec.Layers)-1].Units
		} else {
			dims[Below] = below
		}
		if i > 0 && ls.F == Image {
			return nil, fmt.Errorf("layer %s: only the first layer reads the image", ls.Name)
		}
		l, err := NewLayer(ls, dims, rng)
		if err != nil {
			return nil, err
		}
		n.Layers = append(n.Layers, l)
		below = ls.Units
	}
	return n, nil
}

// Readout is the last layer, whose θ are the network's outputs.
func (n *Network) Readout() *Layer { return n.Layers[len(n.Layers)-1] }

// feedback reports whether the first layer's context is the readout's output.
func (n *Network) feedback() bool { return n.Spec.Layers[0].C == Feedback }

// inputs maps the sources of layer i to their inputs of the current batch.
func (n *Network) inputs(i int, image, label *Input) map[Source]*Input {
	if i > 0 {
		return map[Source]*Input{Below: n.Layers[i-1].Output(), Label: label}
	}
	in := map[Source]*Input{Image: image, Label: label}
	if n.feedback() {
		in[Feedback] = &n.fb
	}
	return in
}

// Forward runs every layer on a batch; key seeds the output sampling.
//
// With a feedback context (the authors' _with_feedback models) the network
// runs twice: the first layer's step 1 (context and lateral at their biases),
// the layers above on its outputs, whose sampled readout outputs become the
// first layer's context; then its step 2 (lateral = its step-1 outputs) and
// the layers above again. Learning uses the second pass only.
func (n *Network) Forward(image, label *Input, key uint64) {
	if n.feedback() {
		n.forwardFeedback(image, label, key)
		return
	}
	for i, l := range n.Layers {
		l.Forward(n.inputs(i, image, label), Mix(key, uint64(i)), n.Workers)
	}
}

func (n *Network) forwardFeedback(image, label *Input, key uint64) {
	first := n.Layers[0]
	first.firstOutRead = true
	in := n.inputs(0, image, label)
	first.forwardFirst(in, Mix(key, 0), n.Workers)
	for i := 1; i < len(n.Layers); i++ {
		n.Layers[i].Forward(n.inputs(i, image, label), Mix(key, uint64(i), 1), n.Workers)
	}
	ro := n.Readout()
	n.fb.Rows, n.fb.Dim = ro.rows, ro.Spec.Units
	n.fb.Dense = append(n.fb.Dense[:0], ro.Out[:ro.rows*ro.Spec.Units]...)
	first.forwardSecond(in, Mix(key, 0), n.Workers)
	for i := 1; i < len(n.Layers); i++ {
		n.Layers[i].Forward(n.inputs(i, image, label), Mix(key, uint64(i)), n.Workers)
	}
}

// Infer is Forward for evaluation: the same outputs and θ, bit for bit, but
// without the copies that only a following learning step reads (Train and
// Learn must not follow it without a new Forward).
func (n *Network) Infer(image, label *Input, key uint64) {
	for _, l := range n.Layers {
		l.infer = true
	}
	n.Forward(image, label, key)
	for _, l := range n.Layers {
		l.infer = false
	}
}

// Train runs a forward pass and one learning step. Under Local training
// every layer takes a step on its own goal, all from the same forward pass;
// no gradient crosses a layer. Under Backprop see trainBackprop.
func (n *Network) Train(image, label *Input, key uint64) error {
	if n.Spec.Training == Backprop {
		return n.trainBackprop(image, label, key)
	}
	n.Forward(image, label, key)
	for i, l := range n.Layers {
		if err := l.Learn(n.inputs(i, image, label), n.Workers); err != nil {
			return err
		}
	}
	return nil
}

// Predict writes the predicted class of each row of the last forward pass.
// A readout neuron whose mean θ over the batch is ≥ 0.5 codes its class by
// not firing, so it is read inverted (θ → 1−θ) before the argmax.
func (n *Network) Predict(pred []int) {
	r := n.Readout()
	U, rows := r.Spec.Units, r.rows
	th := r.Theta()
	invert := make([]bool, U)
	for j := 0; j < U; j++ {
		s := 0.0
		for b := 0; b < rows; b++ {
			s += th[b*U+j]
		}
		invert[j] = s/float64(rows) >= 0.5
	}
	n.PredictInverted(invert, pred[:rows])
}

// PredictInverted is Predict with the readout's polarity given (invert[j]:
// neuron j codes its class by not firing), for callers that measure it
// otherwise: the argmax of each row's θ, inverted neurons read as 1−θ.
func (n *Network) PredictInverted(invert []bool, pred []int) {
	r := n.Readout()
	U := r.Spec.Units
	th := r.Theta()
	for b := range pred {
		best, arg := -1.0, 0
		for j := 0; j < U; j++ {
			v := th[b*U+j]
			if invert[j] {
				v = 1 - v
			}
			if v > best {
				best, arg = v, j
			}
		}
		pred[b] = arg
	}
}
