package model

// Two lines per kernel call in the float32 weight gradient of the image
// product. The one-line kernel streams a 48-column segment of δ from L2 for
// every non-zero; two neighbouring pixels share most of their rows (1024
// MNIST rows: 155 912 non-zeros, 90 970 entries when inputs are merged in
// pairs), so merging a pair's row lists and serving both inputs from one
// load moves two fifths fewer bytes. (Rows merged in pairs for the forward
// pass share far less, 118 706 entries, and measured slower than one line
// at a time.)
//
// The sums stay exact: each line gets its own products in its own order,
// and where a line has no entry it adds 0·w = ±0, which leaves a sum as it
// is (a sum that starts at +0 never becomes −0). Only a non-finite w breaks
// that (0·Inf is NaN), and then the pair's result is not finite: the caller
// computes that pair again line by line.

// pairLists holds merged non-zeros of line pairs: entries ptr[p]..ptr[p+1]
// of idx belong to pair p, entry t with the two lines' values val[2t] and
// val[2t+1] (0 where a line has none).
type pairLists struct {
	ptr []int32
	idx []int32
	val []float32
}

// reset empties the lists.
func (p *pairLists) reset() {
	p.ptr = append(p.ptr[:0], 0)
	p.idx, p.val = p.idx[:0], p.val[:0]
}

// add appends the pair of lines (ia, va) and (ib, vb), merged by index.
// Each line's entries keep their order (an interleaving), so its sums are
// the same whether or not the lists are sorted.
func (p *pairLists) add(ia []int32, va []float32, ib []int32, vb []float32) {
	i, j := 0, 0
	for i < len(ia) || j < len(ib) {
		switch {
		case j == len(ib) || i < len(ia) && ia[i] < ib[j]:
			p.idx = append(p.idx, ia[i])
			p.val = append(p.val, va[i], 0)
			i++
		case i == len(ia) || ib[j] < ia[i]:
			p.idx = append(p.idx, ib[j])
			p.val = append(p.val, 0, vb[j])
			j++
		default:
			p.idx = append(p.idx, ia[i])
			p.val = append(p.val, va[i], vb[j])
			i++
			j++
		}
	}
	p.ptr = append(p.ptr, int32(len(p.idx)))
}

// pair returns pair k's entries.
func (p *pairLists) pair(k int) ([]int32, []float32) {
	t0, t1 := p.ptr[k], p.ptr[k+1]
	return p.idx[t0:t1], p.val[2*t0 : 2*t1]
}

// spmm2Go adds, for both halves of out (line 0, then line 1), the products
// of the merged entries with m's rows as spmmGo does, and reports whether
// every result is finite.
func spmm2Go(out, m []float32, stride int, idx []int32, val []float32) bool {
	w := len(out) / 2
	o0, o1 := out[:w], out[w:2*w]
	for t, i := range idx {
		a0, a1 := val[2*t], val[2*t+1]
		row := m[int(i)*stride : int(i)*stride+w]
		for j, x := range row {
			o0[j] += a0 * x
			o1[j] += a1 * x
		}
	}
	for _, v := range out[:2*w] {
		if v-v != 0 {
			return false
		}
	}
	return true
}
