package model

import "testing"

// TestReleaseBatchKeepsTraining: releasing the batch buffers between steps
// changes nothing: training goes on bit for bit as without the release.
func TestReleaseBatchKeepsTraining(t *testing.T) {
	const units, partners = 40, 7 // 256-row batches: the lateral kernels run
	task := newSynTask(4, 1, true)
	a := newNet(t, 3, sparseTrivariate(units, partners), readoutSpec(1))
	b := newNet(t, 3, sparseTrivariate(units, partners), readoutSpec(1))
	a.Workers, b.Workers = 2, 2
	train(t, a, task, 7, 3)
	train(t, b, task, 7, 3)
	a.ReleaseBatch()
	if a.Layers[0].r != nil || a.Layers[0].fast.outT != nil {
		t.Fatal("ReleaseBatch kept the batch buffers")
	}
	train(t, a, task, 8, 3)
	train(t, b, task, 8, 3)
	for i, l := range a.Layers {
		m := b.Layers[i]
		if !bitsEqual(l.F.W, m.F.W) || !bitsEqual(l.Theta(), m.Theta()) || !bitsEqual(l.NeuronAtoms, m.NeuronAtoms) || !bitsEqual(l.Out, m.Out) {
			t.Errorf("layer %d: training after ReleaseBatch differs", i)
		}
		if l.L != nil && !bitsEqual(l.L.W, m.L.W) {
			t.Errorf("layer %d: lateral weights differ after ReleaseBatch", i)
		}
	}
}
