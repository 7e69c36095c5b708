package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestTiledMatchesRowLoop: the tiled forward and backward of compartments
// with 32 or more outputs give bitwise the results of the row-by-row loops
// (narrowForward, narrowBackward: the original algorithm), for dense,
// sparse and affine sparse inputs and any worker count.
func TestTiledMatchesRowLoop(t *testing.T) {
	const in = 70
	// 530, 600: four-line kernels (spmmQuad) with AVX-512, else packed W and
	// δ (packTiles), for dense and sparse inputs; 301 rows: several row
	// blocks of four-row groups (rowgroups.go) and a tail.
	for _, rc := range []struct{ rows, out int }{{45, 32}, {45, 37}, {45, 100}, {45, 150}, {45, 530}, {45, 600}, {301, 600}} {
		rows, out := rc.rows, rc.out
		for ci, cc := range compCases {
			t.Run(fmt.Sprintf("%d-%d-%s", rows, out, cc.name), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(ci), uint64(out)))
				c := NewCompartment(in, out, rng)
				inp := randInput(rng, rows, in, cc.sparse, cc.scale, cc.shift)
				delta := make([]float64, rows*out)
				for i := range delta {
					delta[i] = rng.NormFloat64()
				}
				want := make([]float64, rows*out)
				c.narrowForward(inp, want, 1)
				sumRows(c.gB, delta, rows, 1)
				c.narrowBackward(inp, delta, 1)
				wantW, wantB := append([]float64(nil), c.gW...), append([]float64(nil), c.gB...)
				if out >= packMinOut && !c.quads() && !c.packs(inp) {
					t.Fatalf("a %d-output compartment does not pack its %s input", out, cc.name)
				}
				for _, workers := range []int{1, 2, 3, 8} {
					got := make([]float64, rows*out)
					c.Forward(inp, got, workers)
					if !bitsEqual(got, want) {
						t.Fatalf("workers %d: Forward differs from the row loop", workers)
					}
					c.Backward(inp, delta, workers)
					if !bitsEqual(c.gW, wantW) || !bitsEqual(c.gB, wantB) {
						t.Fatalf("workers %d: Backward differs from the row loop", workers)
					}
				}
			})
		}
	}
}
