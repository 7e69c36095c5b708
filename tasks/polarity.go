package tasks

import "infomorph-tui/model"

// A readout neuron's goal (shared information between its output and its
// label context) is the same whether it codes its class by firing or by not
// firing, so predictions must first find each neuron's polarity. The
// protocol's rule (model.Network.Predict) reads a neuron inverted when its
// mean θ over the batch is ≥ ½: right when every class is a minority of the
// batch (MNIST's ten), but with two classes it is undefined for balanced
// ones (XOR, parity: the mean θ is ½ either way, so the polarity flips from
// batch to batch, and accuracy can fall far below chance) and wrong for a
// majority class (AND's "false", ¾ of the data: its neuron, firing
// correctly, is read inverted). With two classes the polarity is therefore
// measured against known labels instead: on the training batch itself while
// training (its labels are the batch's context anyway), and before an
// evaluation on training examples evaluated as the test set is (zero
// context): a neuron is read inverted when its mean θ on its own class is
// below its mean θ on the other.

// polarityByLabels reports whether the data set's readout polarity is
// measured against labels (two classes) rather than by the batch-mean rule.
func (r *Run) polarityByLabels() bool { return r.data.Classes == 2 }

// polarityRows is how many training examples an evaluation's polarity is
// measured on.
const polarityRows = BatchSize

// invertedByLabels returns, per readout neuron, whether its θ of the last
// forward pass (rows labelled by labels) is lower on its own class than on
// the others. A neuron whose class is absent, or present alone, is not inverted.
func invertedByLabels(net *model.Network, labels []uint8) []bool {
	ro := net.Readout()
	U := ro.Spec.Units
	th := ro.Theta()
	inv := make([]bool, U)
	for j := range U {
		var in, out float64
		var nIn, nOut int
		for b, l := range labels {
			if int(l) == j {
				in += th[b*U+j]
				nIn++
			} else {
				out += th[b*U+j]
				nOut++
			}
		}
		inv[j] = nIn > 0 && nOut > 0 && in/float64(nIn) < out/float64(nOut)
	}
	return inv
}

// evalPolarity measures the readout's polarity for an evaluation (see
// above): a forward pass over the first polarityRows training examples with
// zero context, its samples keyed by the seed, the epoch and tag. It
// overwrites the network's batch state; nil when the batch-mean rule applies.
func (r *Run) evalPolarity(tag uint64) []bool {
	if !r.polarityByLabels() {
		return nil
	}
	ids := r.data.Train[:min(polarityRows, len(r.data.Train))]
	var img, lab model.Input
	labels := r.data.Fill(TrainSet, ids, &img, nil)
	lab.OneHot(labels, r.data.Classes, true)
	r.net.Infer(&img, &lab, model.Mix(r.cfg.Seed, uint64(r.epoch), 5, tag))
	return invertedByLabels(r.net, labels)
}

// predictWith writes the predicted class of each row of the last forward
// pass: the argmax of the readout's θ, each neuron read inverted (θ → 1−θ)
// where inv says so; with inv nil, by the batch-mean rule
// (model.Network.Predict).
func predictWith(net *model.Network, inv []bool, pred []int) {
	if inv == nil {
		net.Predict(pred)
		return
	}
	net.PredictInverted(inv, pred)
}
