package pid

import (
	"math"
	"testing"
)

// fuzzPMF decodes bytes into a valid pmf: byte 0 picks 2 or 3 sources and a
// binary or ternary target, the next bytes the alphabet sizes (1..4), the rest
// the entries (a byte < 96 is an exact 0, otherwise its value is the weight;
// missing bytes count as 0). ok is false when every entry is 0.
func fuzzPMF(data []byte) (shape []int, p []float64, ok bool) {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	h := next()
	n := 2 + int(h&1)
	shape = []int{2 + int(h>>1&1)}
	for j := 0; j < n; j++ {
		shape = append(shape, 1+int(next()%4))
	}
	p = make([]float64, prod(shape))
	sum := 0.0
	for i := range p {
		if b := next(); b >= 96 {
			p[i] = float64(b - 95)
			sum += p[i]
		}
	}
	if sum == 0 {
		return shape, p, false
	}
	for i := range p {
		p[i] /= sum
	}
	return shape, p, true
}

func FuzzDecompose(f *testing.F) {
	f.Add([]byte{0, 1, 1, 200, 0, 0, 200, 0, 200, 200, 0})                                    // XOR
	f.Add([]byte{1, 1, 1, 1, 255, 0, 0, 255, 0, 255, 255, 0, 0, 255, 255, 0, 255, 0, 0, 255}) // 3-bit parity
	f.Add([]byte{2, 3, 2, 100, 0, 250, 97, 0, 0, 180, 96, 255})                               // ternary target, zeros
	f.Add([]byte{3, 3, 3, 3})                                                                 // all zero: skipped
	f.Fuzz(func(t *testing.T, data []byte) {
		shape, p, ok := fuzzPMF(data)
		if !ok {
			return
		}
		if err := (Dist{Shape: shape, P: p}).Validate(); err != nil {
			t.Fatalf("generated pmf invalid: %v", err)
		}
		r := mustDecompose(t, shape, p)
		checkIdentities(t, shape, p, r, 1e-9)
		for k, v := range r.MI {
			if v < -1e-9 || v > r.HT+1e-9 {
				t.Errorf("%s = %v outside [0, H(T) = %v]", k, v, r.HT)
			}
		}
		if r.HRes < -1e-9 {
			t.Errorf("H_res = %v < 0", r.HRes)
		}
		atoms, _ := refAtoms(t, shape, p)
		for i := range atoms {
			if math.Abs(r.Atoms[i]-atoms[i]) > 1e-9 {
				t.Errorf("%s = %.15g, reference %.15g", r.Names[i], r.Atoms[i], atoms[i])
			}
		}
	})
}
