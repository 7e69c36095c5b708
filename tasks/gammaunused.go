package tasks

import "infomorph-tui/model"

// GammaUnused says why layer i's γ has no effect on training ("" when it
// has): under backprop the network learns the readout's cross-entropy end
// to end and no layer climbs its goal; a fixed layer (lr 0) does not learn.
// The lab greys such sliders out and says this instead of moving them.
func (r *Run) GammaUnused(i int) string {
	if i < 0 || i >= len(r.net.Layers) {
		return ""
	}
	if r.net.Spec.Training == model.Backprop {
		return "trained by backprop, which does not use γ"
	}
	if r.net.Layers[i].Spec.Fixed() {
		return "fixed (lr 0): it does not learn, so γ does nothing"
	}
	return ""
}

// GammaUnused says why γ has no effect ("" when it has): Hebbian weights
// are set once from the patterns and never learned.
func (r *MemoryRun) GammaUnused(int) string {
	if r.cfg.Rule == Hebbian {
		return "Hebbian: set from the patterns, never learned, so γ does nothing"
	}
	return ""
}
