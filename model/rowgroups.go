package model

import "math/bits"

// Grouping the forward pass's rows for spmmQuad. Four consecutive MNIST
// rows share few pixels: their merged non-zeros number ≈ 2.0× a row's, which
// ate the kernel's gain. Grouping each block's rows greedily by shared
// non-zeros brings that to ≈ 1.5×. A row's sums are the same whatever its
// group, so the order is free to choose; it depends only on the batch.

// groupWindow is how many of the next ungrouped rows a group's seed row
// considers for each of its three partners.
const groupWindow = 32

// rowGrouper is one worker's scratch for groupRows.
type rowGrouper struct {
	set  []uint64 // each row's non-zero inputs as a bit set
	rem  []int32  // rows not yet grouped
	seen []uint64 // the union of the group so far
}

// groupRows writes to perm the rows lo…hi−1 reordered block by block (blocks
// of block rows from lo): each block's first 4·⌊n/4⌋ entries form groups of
// four rows that share many non-zero inputs, the rest follow in row order.
// A row's non-zeros are idx[ptr[b]:ptr[b+1]], inputs < dim.
func (g *rowGrouper) groupRows(perm []int32, ptr, idx []int32, lo, hi, block, dim int) {
	words := (dim + 63) / 64
	g.seen = growU64(g.seen, words)
	for r0 := lo; r0 < hi; r0 += block {
		r1 := min(r0+block, hi)
		n := r1 - r0
		g.set = growU64(g.set, n*words)
		clear(g.set[:n*words])
		g.rem = g.rem[:0]
		for b := r0; b < r1; b++ {
			s := g.set[(b-r0)*words : (b-r0+1)*words]
			for _, i := range idx[ptr[b]:ptr[b+1]] {
				s[i>>6] |= 1 << (i & 63)
			}
			g.rem = append(g.rem, int32(b))
		}
		out := perm[r0-lo : r1-lo]
		k := 0
		for len(g.rem) >= 4 {
			a := g.rem[0]
			g.rem = append(g.rem[:0], g.rem[1:]...)
			out[k] = a
			k++
			copy(g.seen, g.set[(int(a)-r0)*words:(int(a)-r0+1)*words])
			for range 3 {
				best, bestScore := 0, -1<<30
				for c := 0; c < min(groupWindow, len(g.rem)); c++ {
					s := g.set[(int(g.rem[c])-r0)*words:][:words]
					shared, extra := 0, 0
					for w, x := range s {
						shared += bits.OnesCount64(x & g.seen[w])
						extra += bits.OnesCount64(x &^ g.seen[w])
					}
					// Shared inputs cost nothing more; new ones widen the union.
					if score := 2*shared - extra; score > bestScore {
						best, bestScore = c, score
					}
				}
				b := g.rem[best]
				g.rem = append(g.rem[:best], g.rem[best+1:]...)
				out[k] = b
				k++
				for w, x := range g.set[(int(b)-r0)*words:][:words] {
					g.seen[w] |= x
				}
			}
		}
		// At most three rows are left; keep them in row order.
		copy(out[k:], g.rem)
	}
}

func growU64(s []uint64, n int) []uint64 {
	if cap(s) < n {
		return make([]uint64, n)
	}
	return s[:n]
}
