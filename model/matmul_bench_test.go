package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// mnistLike draws a batch shaped like normalised MNIST: 784 inputs, about
// 19% non-zero, values in (0, 1], with the training set's affine map. The
// non-zeros form a stroke (a ring of random centre and radius, as a '0'),
// so that rows overlap near the centre as digits do (spmmQuad's groups
// depend on it).
func mnistLike(rng *rand.Rand, rows int) *Input {
	in := &Input{Rows: rows, Dim: 784, Scale: 1 / 0.3081, Shift: -0.1307 / 0.3081, Ptr: make([]int32, rows+1)}
	for b := 0; b < rows; b++ {
		cy, cx := 14+2*rng.NormFloat64(), 14+2*rng.NormFloat64()
		ry, rx := 6+2*rng.Float64(), 4+3*rng.Float64()
		for i := 0; i < 784; i++ {
			dy, dx := (float64(i/28)-cy)/ry, (float64(i%28)-cx)/rx
			d := math.Sqrt(dy*dy + dx*dx)
			if d > 0.6 && d < 1.25 && rng.IntN(100) < 85 {
				in.Idx = append(in.Idx, int32(i))
				in.Val = append(in.Val, float64(1+rng.IntN(255))/255)
			}
		}
		in.Ptr[b+1] = int32(len(in.Idx))
	}
	return in
}

// pmDense draws a dense rows×dim batch of ±1 (a hidden layer's outputs).
func pmDense(rng *rand.Rand, rows, dim int) *Input {
	return pmInput(rng, rows, dim, false)
}

// BenchmarkCompartment times Forward and Backward of the shapes the presets
// use, on a 1024-row batch.
func BenchmarkCompartment(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	img := mnistLike(rng, 1024)
	cases := []struct {
		name string
		in   *Input
		out  int
	}{
		{"image-10", img, 10},
		{"image-100", img, 100},
		{"image-2000", img, 2000},
		{"pm100-10", pmDense(rng, 1024, 100), 10},
		{"pm100-100", pmDense(rng, 1024, 100), 100},
		{"pm2000-10", pmDense(rng, 1024, 2000), 10},
	}
	for _, tc := range cases {
		c := NewCompartment(tc.in.Dim, tc.out, rng)
		out := make([]float64, tc.in.Rows*tc.out)
		delta := make([]float64, tc.in.Rows*tc.out)
		for i := range delta {
			delta[i] = rng.NormFloat64()
		}
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/forward/w%d", tc.name, workers), func(b *testing.B) {
				for b.Loop() {
					c.Forward(tc.in, out, workers)
				}
			})
			b.Run(fmt.Sprintf("%s/backward/w%d", tc.name, workers), func(b *testing.B) {
				for b.Loop() {
					c.Backward(tc.in, delta, workers)
				}
			})
		}
	}
}

// BenchmarkSparseLateral times the 2000-neuron, 100-partner lateral
// compartment on a 1024-row batch, with the vector kernels (transposed input,
// in float32 where the kernels take it, and in float64), with the portable
// code, and as a Float32 layer's compartment (float32 products; its ±1
// input read as sign bits).
func BenchmarkSparseLateral(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	c, err := NewSparseCompartment(2000, 2000, 100, true, rng)
	if err != nil {
		b.Fatal(err)
	}
	in := pmDense(rng, 1024, 2000)
	inT := *in
	withT(&inT)
	inT64 := inT
	inT64.T32 = nil
	out := make([]float64, 1024*2000)
	delta := make([]float64, 1024*2000)
	for i := range delta {
		delta[i] = rng.NormFloat64()
	}
	// A Float32 layer's compartment (±1 inputs: the sign-bit kernels).
	c32, err := NewSparseCompartment(2000, 2000, 100, true, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	c32.F32 = true
	for _, tc := range []struct {
		name string
		c    *Compartment
		in   *Input
	}{{"portable", c, in}, {"kernels", c, &inT}, {"kernels-f64", c, &inT64}, {"float32", c32, &inT}} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/forward/w%d", tc.name, workers), func(b *testing.B) {
				for b.Loop() {
					tc.c.Forward(tc.in, out, workers)
				}
			})
			b.Run(fmt.Sprintf("%s/backward/w%d", tc.name, workers), func(b *testing.B) {
				for b.Loop() {
					tc.c.Backward(tc.in, delta, workers)
				}
			})
		}
	}
}
