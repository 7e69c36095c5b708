package model

import "math"

// Four-line products for the dense compartments (matmul.go). A 2000-output
// layer's forward and weight gradient were bound by L2 traffic: every
// non-zero input loaded a 32- or 64-column segment of W (or δ) for one row.
// Merging four rows' non-zeros (forward) or four inputs' rows (backward) in
// index order lets one load serve four lines; on MNIST the four-row union
// holds ≈ 2.0× a row's non-zeros and the four-input one ≈ 1.5× an input's
// rows, so the loads drop by ≈ 2 and 2.7 times. Lines absent from an entry
// are masked out, so every sum is unchanged.

// quadList is four lines' non-zeros merged in index order: entry t has
// index idx[t], the lines' values val[4t:4t+4] and presence msk[4t:4t+4]
// (0xff where the line has the entry; value 0 and mask 0 where it has not).
// ptr[g] is where group g's entries start.
type quadList struct {
	ptr []int32
	idx []int32
	val []float64
	msk []uint8
}

// reset empties q for a new set of groups.
func (q *quadList) reset() {
	q.ptr, q.idx, q.val, q.msk = q.ptr[:0], q.idx[:0], q.val[:0], q.msk[:0]
}

// appendGroup merges the four lines (idx[r], val[r]) into a new group. Each
// line's entries keep their order (only line heads are taken), so a line
// that is not sorted is still summed in its own order.
func (q *quadList) appendGroup(idx *[4][]int32, val *[4][]float64) {
	q.ptr = append(q.ptr, int32(len(q.idx)))
	var pos [4]int
	for {
		next := int32(math.MaxInt32)
		for r := range idx {
			if pos[r] < len(idx[r]) && idx[r][pos[r]] < next {
				next = idx[r][pos[r]]
			}
		}
		if next == math.MaxInt32 {
			return
		}
		q.idx = append(q.idx, next)
		for r := range idx {
			v, m := 0.0, uint8(0)
			if p := pos[r]; p < len(idx[r]) && idx[r][p] == next {
				v, m = val[r][p], 0xff
				pos[r]++
			}
			q.val = append(q.val, v)
			q.msk = append(q.msk, m)
		}
	}
}

// group returns the bounds of group g's entries (after the last
// appendGroup, call close).
func (q *quadList) group(g int) (t0, t1 int) {
	return int(q.ptr[g]), int(q.ptr[g+1])
}

// close ends the last group.
func (q *quadList) close() { q.ptr = append(q.ptr, int32(len(q.idx))) }

// spmmQuadGo is spmmQuad in Go: out's rows r < 4 (oStride apart) get, for w
// columns, val[4t+r]·m[idx[t]·mStride+j] added for each entry t0 ≤ t < t1
// in order where the row is present.
func spmmQuadGo(out []float64, oStride int, m []float64, mStride int, q *quadList, t0, t1, w int) {
	for r := 0; r < 4; r++ {
		o := out[r*oStride : r*oStride+w]
		for t := t0; t < t1; t++ {
			if q.msk[4*t+r] == 0 {
				continue
			}
			a := q.val[4*t+r]
			row := m[int(q.idx[t])*mStride : int(q.idx[t])*mStride+w]
			for j, x := range row {
				o[j] += a * x
			}
		}
	}
}

// quadScratch is one worker's groups, the forward pass's row order (perm)
// and the sums of a group's tile.
type quadScratch struct {
	q    quadList
	g    rowGrouper
	perm []int32
	tile [4 * 2 * tileW]float64
}

// quadTile is the column width of spmmQuad's kernel: tiles of 32 and 64
// columns take it.
const quadTile = 32
