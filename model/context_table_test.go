package model

import (
	"testing"

	"infomorph-tui/pid"
)

// TestContextTableBitIdentical: a one-hot context read through its table of
// distinct rows trains and evaluates exactly as the full product did
// (weights, atoms, θ, outputs), for a narrow and a wide hidden layer (the
// wide one's product takes the four-line kernels where present) and a wide
// float32 one, and the readout's adaptive bins read it too; with the table,
// Learn sums the context's weight gradient itself (contextGrad).
func TestContextTableBitIdentical(t *testing.T) {
	defer func(v bool) { contextTableOff = v }(contextTableOff)
	for _, tc := range []struct {
		units int
		f32   bool
	}{{70, false}, {600, false}, {600, true}} {
		units := tc.units
		var nets []*Network
		for _, off := range []bool{false, true} {
			contextTableOff = off
			net := inferNetPrecision(t, false, units, tc.f32)
			g := make([]float64, len(pid.GammaNames(3)))
			g[0], g[3] = 1, 0.5
			if err := net.Layers[0].SetGamma(g); err != nil {
				t.Fatal(err)
			}
			net.Workers = 2
			for s := range 3 {
				img, lab := inferBatch(uint64(s), 96)
				if err := net.Train(img, lab, uint64(s)); err != nil {
					t.Fatal(err)
				}
			}
			if got := net.Layers[0].cTab != nil; got == off {
				t.Fatalf("%d units, table off %v: table in use %v", units, off, got)
			}
			if got := net.Layers[0].sumsContextGrad(); got == off {
				t.Fatalf("%d units, float32 %v, table off %v: Learn sums the context gradient %v", units, tc.f32, off, got)
			}
			nets = append(nets, net)
		}
		a, b := nets[0], nets[1]
		same := func(what string) {
			t.Helper()
			for i := range a.Layers {
				la, lb := a.Layers[i], b.Layers[i]
				for k, cs := range [][2]*Compartment{{la.F, lb.F}, {la.C, lb.C}, {la.L, lb.L}} {
					if cs[0] != nil && (!bitsEqual(cs[0].W, cs[1].W) || !bitsEqual(cs[0].B, cs[1].B)) {
						t.Fatalf("%d units, %s, layer %d compartment %d: weights differ", units, what, i, k)
					}
				}
				if !bitsEqual(la.NeuronAtoms, lb.NeuronAtoms) || !bitsEqual(la.Out, lb.Out) || !bitsEqual(la.Theta(), lb.Theta()) {
					t.Fatalf("%d units, %s, layer %d: atoms, outputs or θ differ", units, what, i)
				}
			}
		}
		same("training")
		// Evaluation: the context is all zeros, every row the bias alone.
		img, _ := inferBatch(9, 64)
		labels := make([]uint8, 64)
		zero := &Input{}
		zero.OneHot(labels, 10, true)
		contextTableOff = false
		a.Infer(img, zero, 5)
		contextTableOff = true
		b.Infer(img, zero, 5)
		same("evaluation")
	}
}

// TestOneHotRows: only rows with at most one non-zero, of value 1, make a
// table.
func TestOneHotRows(t *testing.T) {
	in := &Input{}
	in.OneHot([]uint8{3, 0, 9}, 10, false)
	if !oneHotRows(in) {
		t.Fatal("a one-hot batch is not taken")
	}
	in.Val[1] = 0.5
	if oneHotRows(in) {
		t.Fatal("a value other than 1 is taken")
	}
	two := &Input{Rows: 1, Dim: 10, Ptr: []int32{0, 2}, Idx: []int32{1, 4}, Val: []float64{1, 1}}
	if oneHotRows(two) {
		t.Fatal("a row with two non-zeros is taken")
	}
	if oneHotRows(&Input{Rows: 1, Dim: 2, Dense: []float64{0, 1}}) {
		t.Fatal("a dense input is taken")
	}
}
