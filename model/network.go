package model

import (
	"fmt"
	"math/rand/v2"
	"runtime"
)

// NetSpec wires layers: the first layer reads the task's Image (and Label or
// Lateral), each later layer reads the one below; the last layer is the readout.
type NetSpec struct {
	InputDim, Classes int
	Layers            []LayerSpec
}

// Network is a stack of infomorphic layers, each learning its own goal.
type Network struct {
	Spec    NetSpec
	Layers  []*Layer
	Workers int // goroutines per step; results do not depend on it
}

// NewNetwork initialises every layer from the seed.
func NewNetwork(spec NetSpec, seed uint64) (*Network, error) {
	if len(spec.Layers) == 0 {
		return nil, fmt.Errorf("network has no layers")
	}
	rng := rand.New(rand.NewPCG(seed, 0x1a17))
	n := &Network{Spec: spec, Workers: runtime.GOMAXPROCS(0)}
	below := 0
	for i, ls := range spec.Layers {
		dims := map[Source]int{Label: spec.Classes}
		if i == 0 {
			dims[Image] = spec.InputDim
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

// Forward runs every layer on a batch; key seeds the output sampling.
func (n *Network) Forward(image, label *Input, key uint64) {
	in := map[Source]*Input{Image: image, Label: label}
	for i, l := range n.Layers {
		if i > 0 {
			in = map[Source]*Input{Below: n.Layers[i-1].Output(), Label: label}
		}
		l.Forward(in, Mix(key, uint64(i)), n.Workers)
	}
}

// Train runs a forward pass and one local learning step in every layer.
// Layers learn from the same forward pass; no gradient crosses a layer.
func (n *Network) Train(image, label *Input, key uint64) error {
	n.Forward(image, label, key)
	for i, l := range n.Layers {
		in := map[Source]*Input{Image: image, Label: label}
		if i > 0 {
			in = map[Source]*Input{Below: n.Layers[i-1].Output(), Label: label}
		}
		if err := l.Learn(in, n.Workers); err != nil {
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
	for b := 0; b < rows; b++ {
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
