package model

// Input is one compartment's input for a batch of Rows samples of dimension Dim.
// Either Dense (row-major Rows×Dim) or sparse rows (CSR: Ptr, Idx, Val) with an
// affine map x = Scale·v + Shift applied to every entry, zeros included. The
// affine form lets normalised MNIST pixels stay sparse:
// w·(v−μ)/σ = (w·v)/σ − (μ/σ)·Σw.
type Input struct {
	Rows, Dim    int
	Dense        []float64
	Ptr          []int32
	Idx          []int32
	Val          []float64
	Scale, Shift float64
	// T optionally holds a dense input transposed in blocks of TBlock rows,
	// for kernels that read inputs column by column: the value of input i in
	// row b is T[(b/TBlock)*TBlock*Dim + i*TBlock + b%TBlock] (the last block
	// padded). When set it must agree with Dense.
	T []float64
	// T32 is T in float32, set instead of T for inputs whose values are all
	// exact in float32 (a layer's ±1 or 0/1 outputs), which the AVX2 lateral
	// kernels read at half the memory traffic with the same results.
	T32 []float32
}

// IsDense reports whether the input is stored densely.
func (in *Input) IsDense() bool { return in.Dense != nil }

// OneHot fills in as a sparse one-hot encoding of labels over dim classes.
// With zero set, rows are all-zero (the evaluation context).
func (in *Input) OneHot(labels []uint8, dim int, zero bool) {
	n := len(labels)
	in.Rows, in.Dim, in.Dense = n, dim, nil
	in.Scale, in.Shift = 1, 0
	in.Ptr = growInt32(in.Ptr, n+1)
	in.Idx = in.Idx[:0]
	in.Val = in.Val[:0]
	in.Ptr[0] = 0
	for b, l := range labels {
		if !zero {
			in.Idx = append(in.Idx, int32(l))
			in.Val = append(in.Val, 1)
		}
		in.Ptr[b+1] = int32(len(in.Idx))
	}
}

func growInt32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

func growUint32(s []uint32, n int) []uint32 {
	if cap(s) < n {
		return make([]uint32, n)
	}
	return s[:n]
}

func growF32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

func growF64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// TBlock is the row block of Input.T.
const TBlock = 32

// TLen is the length of Input.T for a batch of rows×dim.
func TLen(rows, dim int) int { return (rows + TBlock - 1) / TBlock * TBlock * dim }
