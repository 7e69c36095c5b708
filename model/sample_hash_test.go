package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSampleHash: the kernel draws the Go loop's outputs bit for bit, for
// ±1 and 0/1 outputs and θ at its bounds, beyond them and NaN.
func TestSampleHash(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	special := []float64{0, 1, ThetaMin, ThetaMax, -1, 2, math.NaN(), 0x1p-24, 0x1p-25}
	for seg := range 300 {
		n := 1 + rng.IntN(140)
		th, keys := make([]float64, n), make([]uint32, n)
		for i := range th {
			th[i] = rng.Float64()
			if rng.IntN(10) == 0 {
				th[i] = special[rng.IntN(len(special))]
			}
			keys[i] = rng.Uint32()
		}
		vals := [2]float64{-1, 1}
		if seg%2 == 1 {
			vals[0] = 0
		}
		w := rng.Uint32()
		// θ equal to its uniform: u < θ fails, exactly at the boundary.
		for i := range th {
			if rng.IntN(8) == 0 {
				th[i] = float64(lowbias32(keys[i]+w)>>8) * 0x1p-24
			}
		}
		got, want := make([]float64, n), make([]float64, n)
		sampleHash(got, th, keys, w, &vals)
		sampleHashGo(want, th, keys, w, &vals)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("θ %v key %#x w %#x: kernel %v, Go %v", th[i], keys[i], w, got[i], want[i])
			}
		}
	}
}

// TestSampleHashStatistics: a 2000-neuron batch's ±1 outputs fire with
// frequency θ, and neighbouring neurons and rows are uncorrelated.
func TestSampleHashStatistics(t *testing.T) {
	const U, rows = 2000, 1024
	for _, theta := range []float64{1e-3, 0.1, 0.5, 0.93} {
		keys := make([]uint32, U)
		for j := range keys {
			keys[j] = neuronKey(77, 1, j)
		}
		th := make([]float64, U)
		for j := range th {
			th[j] = theta
		}
		out := make([]float64, rows*U)
		vals := [2]float64{-1, 1}
		for b := range rows {
			sampleHash(out[b*U:(b+1)*U], th, keys, uint32(b)*rowSpacing, &vals)
		}
		n := float64(rows * U)
		ones := 0.0
		for _, v := range out {
			if v > 0 {
				ones++
			}
		}
		if sd := math.Sqrt(n * theta * (1 - theta)); math.Abs(ones-n*theta) > 5*sd {
			t.Fatalf("θ = %v: %v of %v outputs +1", theta, ones, n)
		}
		// Correlations of the ±1 outputs with the next neuron and the next row.
		mean := 2*theta - 1
		varx := 1 - mean*mean
		corr := func(step, count int) float64 {
			s := 0.0
			for i := 0; i < count; i++ {
				s += (out[i] - mean) * (out[i+step] - mean)
			}
			return s / float64(count) / varx
		}
		lim := 5 / math.Sqrt(float64((rows-1)*U))
		if c := corr(1, (rows-1)*U); math.Abs(c) > lim {
			t.Errorf("θ = %v: neighbour neurons correlate %.4f", theta, c)
		}
		if c := corr(U, (rows-1)*U); math.Abs(c) > lim {
			t.Errorf("θ = %v: neighbour rows correlate %.4f", theta, c)
		}
	}
}

// BenchmarkSampling times drawing a 32×128 tile's ±1 outputs: per-neuron
// PCG streams (float64 layers) against the hash (Float32 layers).
func BenchmarkSampling(b *testing.B) {
	const n = tileRows * tileNeurons
	rng := rand.New(rand.NewPCG(1, 2))
	th, out := make([]float64, n), make([]float64, n)
	for i := range th {
		th[i] = rng.Float64()
	}
	perValue := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/value")
	}
	b.Run("pcg", func(b *testing.B) {
		var p [tileNeurons]rand.PCG
		for b.Loop() {
			for jj := range p {
				p[jj].Seed(7, mix(1, uint64(jj)))
			}
			for r := 0; r < tileRows; r++ {
				row, o := th[r*tileNeurons:(r+1)*tileNeurons], out[r*tileNeurons:(r+1)*tileNeurons]
				for jj, t := range row {
					u := float64(p[jj].Uint64()<<11>>11) / (1 << 53)
					o[jj] = -1
					if u < t {
						o[jj] = 1
					}
				}
			}
		}
		perValue(b)
	})
	b.Run("hash", func(b *testing.B) {
		var keys [tileNeurons]uint32
		vals := [2]float64{-1, 1}
		for b.Loop() {
			for jj := range keys {
				keys[jj] = neuronKey(7, 1, jj)
			}
			for r := 0; r < tileRows; r++ {
				sampleHash(out[r*tileNeurons:(r+1)*tileNeurons], th[r*tileNeurons:(r+1)*tileNeurons], keys[:], uint32(r)*rowSpacing, &vals)
			}
		}
		perValue(b)
	})
}
