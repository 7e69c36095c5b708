package model

// A Float32 layer's sampling: each output's uniform is a hash of its
// neuron's key for the step and of its row, instead of the next number of a
// per-neuron PCG stream. The hash takes a few 32-bit integer operations that
// the AVX2 kernel (sample_hash_amd64.s) performs for 8 neurons at once,
// where a PCG draw takes five 64-bit multiplies one neuron at a time. The
// outputs are as independent for learning: the uniforms are 24-bit (θ is
// never closer than 1e-6 to 0 or 1, 17 steps of 2^−24), and they depend on
// the seed, step, neuron and row only, not on the worker that draws them.

// rowSpacing spreads the rows' counters over the 32-bit keys (2^32/φ).
const rowSpacing = 0x9e3779b9

// hashSampling reports whether the layer draws its samples by hashing.
func (l *Layer) hashSampling() bool {
	return l.Spec.Float32 && !l.meanField && (l.Spec.Firing == Sample || l.Spec.Firing == Sample01)
}

// neuronKey is neuron j's 32-bit key for the step of the stream key.
func neuronKey(key, step uint64, j int) uint32 {
	return uint32(mix(key, mix(step, uint64(j))) >> 32)
}

// lowbias32 is Chris Wellons' 32-bit integer hash (a bijection with low
// avalanche bias).
func lowbias32(x uint32) uint32 {
	x ^= x >> 16
	x *= 0x7feb352d
	x ^= x >> 15
	x *= 0x846ca68b
	x ^= x >> 16
	return x
}

// sampleHashGo sets out[i] to vals[1] with probability th[i], else vals[0]:
// vals[1] where u < th[i] with u = (lowbias32(keys[i] + w) >> 8)·2^−24, w
// being the row's counter.
func sampleHashGo(out, th []float64, keys []uint32, w uint32, vals *[2]float64) {
	out = out[:len(th)]
	keys = keys[:len(th)]
	for i, t := range th {
		u := float64(lowbias32(keys[i]+w)>>8) * 0x1p-24
		out[i] = vals[0]
		if u < t {
			out[i] = vals[1]
		}
	}
}
