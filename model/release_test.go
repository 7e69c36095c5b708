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

// TestReleaseBatchFloat32: the same for a float32 layer, whose packed δ,
// transposed lateral δ and scratch go with the batch while its packed
// weights stay.
func TestReleaseBatchFloat32(t *testing.T) {
	a, b := inferNetPrecision(t, false, 600, true), inferNetPrecision(t, false, 600, true)
	a.Workers, b.Workers = 2, 2
	step := func(s uint64) {
		img, lab := inferBatch(s, 96)
		for _, n := range []*Network{a, b} {
			if err := n.Train(img, lab, s); err != nil {
				t.Fatal(err)
			}
		}
	}
	step(1)
	a.ReleaseBatch()
	if f := a.Layers[0].F.f32; f.d != nil || a.Layers[0].L.f32.dlT != nil || !f.wReady {
		t.Fatalf("ReleaseBatch: packed δ kept %v, lateral δ kept %v, packed W kept %v", f.d != nil, a.Layers[0].L.f32.dlT != nil, f.wReady)
	}
	step(2)
	step(3)
	for i, l := range a.Layers {
		m := b.Layers[i]
		for k, cs := range [][2]*Compartment{{l.F, m.F}, {l.C, m.C}, {l.L, m.L}} {
			if cs[0] != nil && (!bitsEqual(cs[0].W, cs[1].W) || !bitsEqual(cs[0].B, cs[1].B)) {
				t.Fatalf("layer %d compartment %d: training after ReleaseBatch differs", i, k)
			}
		}
		if !bitsEqual(l.NeuronAtoms, m.NeuronAtoms) || !bitsEqual(l.Out, m.Out) {
			t.Fatalf("layer %d: atoms or outputs differ after ReleaseBatch", i)
		}
	}
}
