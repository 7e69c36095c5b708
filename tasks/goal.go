package tasks

// GoalOf is the goal value G = Σ_k γ_k·Π_k + γ_res·H_res of one neuron (or
// of the mean over neurons, G being linear in the atoms): atoms in
// documented order with h_res last, gamma of the same length. Entries past
// the shorter of the two count as zero.
func GoalOf(gamma, atoms []float64) float64 {
	g := 0.0
	for k := range min(len(gamma), len(atoms)) {
		g += gamma[k] * atoms[k]
	}
	return g
}

// meanGoal is G averaged over a layer's neurons: atoms holds units rows of
// len(gamma) values (h_res last), as model.Layer.NeuronAtoms does.
func meanGoal(gamma, atoms []float64, units int) float64 {
	na := len(gamma)
	if units <= 0 || na == 0 || len(atoms) < units*na {
		return 0
	}
	g := 0.0
	for j := range units {
		g += GoalOf(gamma, atoms[j*na:(j+1)*na])
	}
	return g / float64(units)
}
