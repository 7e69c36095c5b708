package model

// ReleaseBatch drops the buffers that only hold one batch (compartment
// values, θ, outputs, derivatives and the kernels' scratch), so that a run
// that has finished training can take its checkpoint without holding both:
// for a 2000-neuron layer they are about 200 MB. The weights, the optimiser
// state and the last batch's per-neuron statistics are kept; the next
// Forward allocates the buffers again, so calling it is always safe.
func (n *Network) ReleaseBatch() {
	for _, l := range n.Layers {
		l.releaseBatch()
	}
	n.fb = Input{}
	n.bp = bpState{}
}

func (l *Layer) releaseBatch() {
	l.rows = 0
	l.r, l.c, l.l, l.theta, l.Out = nil, nil, nil, nil, nil
	l.cTab, l.cTabBuf = nil, nil
	l.thetaStale = false
	l.dr, l.dc, l.dl = nil, nil, nil
	l.step1 = Input{}
	l.fast = fireState{}
	l.bp = layerBP{}
	for _, w := range l.work {
		w.cells, w.th, w.dTheta = nil, nil, nil
	}
	for _, c := range []*Compartment{l.F, l.C, l.L} {
		if c != nil {
			c.mm = matmulState{}
			c.f32.releaseBatch()
		}
	}
}

// releaseBatch drops the float32 products' batch buffers and scratch; the
// packed weights stay (they are W's size, and still valid).
func (s *f32State) releaseBatch() {
	s.d, s.dlT, s.dRows, s.dlRows = nil, nil, 0, 0
	s.work, s.rows = nil, nil
	s.bits, s.bitsT = nil, nil
}
