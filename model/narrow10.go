package model

// The readout's products with exactly 10 outputs (the MNIST classes), dense
// input: the same multiplications and additions, in the same order, as the
// per-non-zero axpy of narrowForward and narrowBackward, with the ten
// accumulators (forward) or the ten deltas (backward) held in registers
// instead of reloaded for every input. At 2000 hidden units the readout reads
// 2000 inputs per row, and the generic loop spent most of its time on the
// calls and the loads and stores of its short output row.

// narrowRow10 sets o = b + Σ_i x_i·W[i, :] over the non-zero x_i in input
// order; W is input-major with 10 outputs per input.
func narrowRow10(o, b, w, x []float64) {
	o, b = o[:10], b[:10]
	a0, a1, a2, a3, a4 := b[0], b[1], b[2], b[3], b[4]
	a5, a6, a7, a8, a9 := b[5], b[6], b[7], b[8], b[9]
	w = w[:len(x)*10]
	for i, v := range x {
		if v == 0 {
			continue
		}
		r := w[i*10 : i*10+10 : i*10+10]
		a0 += v * r[0]
		a1 += v * r[1]
		a2 += v * r[2]
		a3 += v * r[3]
		a4 += v * r[4]
		a5 += v * r[5]
		a6 += v * r[6]
		a7 += v * r[7]
		a8 += v * r[8]
		a9 += v * r[9]
	}
	o[0], o[1], o[2], o[3], o[4] = a0, a1, a2, a3, a4
	o[5], o[6], o[7], o[8], o[9] = a5, a6, a7, a8, a9
}

// narrowGrad10 adds x_k·d to row k of g (10 per row) for every non-zero x_k:
// one training row's contribution to the weight gradient of a worker's inputs.
func narrowGrad10(g, d, x []float64) {
	d = d[:10]
	d0, d1, d2, d3, d4 := d[0], d[1], d[2], d[3], d[4]
	d5, d6, d7, d8, d9 := d[5], d[6], d[7], d[8], d[9]
	g = g[:len(x)*10]
	for k, v := range x {
		if v == 0 {
			continue
		}
		r := g[k*10 : k*10+10 : k*10+10]
		r[0] += v * d0
		r[1] += v * d1
		r[2] += v * d2
		r[3] += v * d3
		r[4] += v * d4
		r[5] += v * d5
		r[6] += v * d6
		r[7] += v * d7
		r[8] += v * d8
		r[9] += v * d9
	}
}
