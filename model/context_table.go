package model

// A one-hot context (the label during training, all zeros during
// evaluation) gives every row one of only In+1 distinct compartment rows:
// W[k,:] through the affine map for label k, the bias alone for no label. A
// wide layer stored the whole Rows×Units product (16 MB at 2000 neurons and
// 1024 rows) and read it back three times a step; it now computes the In+1
// distinct rows once per forward pass, through the same Forward (so every
// value is the full product's, bit for bit), and each row of the batch
// points at its own.

// contextTable holds the distinct rows of a one-hot context compartment.
type contextTable struct {
	rows []float64 // (In+1)×Units: row k for input k, row In for no input
	row  []int32   // the table row of each batch row
	in   Input     // the In+1 one-hot rows Forward computes the table from
}

// oneHotRows reports whether every row of a sparse input has at most one
// non-zero, of value 1: the shape of Input.OneHot.
func oneHotRows(in *Input) bool {
	if in == nil || in.IsDense() || len(in.Ptr) < in.Rows+1 {
		return false
	}
	for b := 0; b < in.Rows; b++ {
		p0, p1 := in.Ptr[b], in.Ptr[b+1]
		if p1-p0 > 1 || p1 > p0 && in.Val[p0] != 1 {
			return false
		}
	}
	return true
}

// maxTableInputs bounds the one-hot inputs a table takes (its rows must be
// far fewer than the batch's for it to pay; the MNIST label has 10).
const maxTableInputs = 64

// contextTableOff turns the table off, for the tests.
var contextTableOff bool

// contextForward computes the C compartment of step 1: as a table for a
// dense compartment with a one-hot input, else into l.c.
func (l *Layer) contextForward(in map[Source]*Input, workers int) {
	src := l.Spec.C
	x := in[src]
	if !contextTableOff && !atBias(src) && !l.C.Sparse() && x.Dim == l.C.In && x.Dim <= maxTableInputs && oneHotRows(x) {
		l.buildContextTable(x, workers)
		return
	}
	l.cTab = nil
	l.c = growF64(l.c, l.rows*l.Spec.Units)
	l.compartment(l.C, src, in, l.c, workers)
}

func (l *Layer) buildContextTable(x *Input, workers int) {
	t := l.cTabBuf
	if t == nil {
		t = &contextTable{}
		l.cTabBuf = t
	}
	D, U := x.Dim, l.Spec.Units
	t.in.Rows, t.in.Dim, t.in.Dense = D+1, D, nil
	t.in.Scale, t.in.Shift = x.Scale, x.Shift
	t.in.Ptr = growInt32(t.in.Ptr, D+2)
	t.in.Idx = growInt32(t.in.Idx, D)
	t.in.Val = growF64(t.in.Val, D)
	for k := 0; k < D; k++ {
		t.in.Ptr[k], t.in.Idx[k], t.in.Val[k] = int32(k), int32(k), 1
	}
	t.in.Ptr[D], t.in.Ptr[D+1] = int32(D), int32(D)
	t.rows = growF64(t.rows, (D+1)*U)
	l.C.Forward(&t.in, t.rows, workers)
	t.row = growInt32(t.row, x.Rows)
	for b := range t.row {
		t.row[b] = int32(D)
		if p := x.Ptr[b]; x.Ptr[b+1] > p {
			t.row[b] = x.Idx[p]
		}
	}
	l.cTab = t
}

// cAt returns the C compartment's values of elements a…e−1 of the
// row-major batch, which must lie in one row.
func (l *Layer) cAt(a, e int) []float64 {
	t := l.cTab
	if t == nil {
		return l.c[a:e]
	}
	U := l.Spec.Units
	k := int(t.row[a/U])*U + a%U
	return t.rows[k : k+e-a]
}

// The weight gradient of a one-hot context compartment: for input k, the
// sum over the rows labelled k, in order, of 1·∂G/∂c (Scale 1, no shift).
// Backward computed it from the whole Rows × Units array of ∂G/∂c after
// Learn had written it; Learn now adds each row to its label's gradient
// row while the row is in cache (the same additions in the same order, as
// 1·d = d), and Backward is skipped. Float64 compartments only: a float32
// one sums in float32.

// contextGrad returns the compartment's cleared weight gradient (In ×
// Units) for Learn to sum into, or nil when the context is not such a
// table.
func (l *Layer) contextGrad() []float64 {
	if !l.sumsContextGrad() {
		return nil
	}
	c := l.C
	g := c.gW[:c.In*l.Spec.Units]
	clear(g)
	return g
}

// sumsContextGrad reports whether Learn sums C's weight gradient.
func (l *Layer) sumsContextGrad() bool {
	t, c := l.cTab, l.C
	return t != nil && !c.F32 && !c.Fixed && c.Partners == nil && t.in.Scale == 1 && t.in.Shift == 0 && t.in.Dim == c.In
}

// addContextGrad adds dc, row b's ∂G/∂c of neurons j0…, to its label's
// gradient row (a row without a label adds nothing).
func (l *Layer) addContextGrad(g []float64, b, j0 int, dc []float64) {
	U := l.Spec.Units
	if k := int(l.cTab.row[b]); k < l.C.In {
		addTo(g[k*U+j0:k*U+j0+len(dc)], dc)
	}
}
