package pid

// The I^sx value and gradient of one antichain over the sparse support.
// Derivation: docs/pid-gradient.md in this repository. Every union-event sum
// becomes group-by sums over coordinate subsets (the plan's
// inclusion–exclusion terms).

// Panic messages for programmer errors (wrong sizes are bugs, not data).
const (
	shortDst = "pid: destination slice is too short"
	badGamma = "pid: goal needs one γ per atom plus γ_res"
)

// Entropy returns H(T) in bits of the loaded pmf.
func (e *Estimator) Entropy() float64 {
	h := 0.0
	for t, v := range e.pt {
		if v > 0 {
			h -= v * e.lpt[t]
		}
	}
	return h
}

// Redundancies computes I^sx of every lattice node, in lattice order, in bits.
// The returned slice is owned by the estimator and valid until the next call.
func (e *Estimator) Redundancies() []float64 {
	for k := range e.plans {
		e.red[k] = e.node(k, true, 0, false)
	}
	return e.red
}

// Atoms writes the PID atoms (lattice order) into atoms and returns
// H_res = H(T) − I(T; S1..Sn). It panics if atoms is shorter than the
// lattice.
func (e *Estimator) Atoms(atoms []float64) (hres float64) {
	if len(atoms) < len(e.lat.Nodes) {
		panic(shortDst)
	}
	red := e.Redundancies()
	e.mobius(red, atoms)
	return e.Entropy() - red[e.lat.Top]
}

// mobius maps redundancies to atoms: Π_i = Σ_j μ(j, i)·I_j, for every node i.
func (e *Estimator) mobius(red, atoms []float64) {
	mu := e.lat.Mobius
	for i := range red {
		s := 0.0
		for j := range red {
			if m := mu[j][i]; m != 0 {
				s += m * red[j]
			}
		}
		atoms[i] = s
	}
}

// goalCoefficients turns γ over atoms (+ γ_res last) into coefficients over
// redundancies: G = Σ_j c_j·I_j + γ_res·H(T).
func (e *Estimator) goalCoefficients(gamma []float64) {
	m := len(e.lat.Nodes)
	if len(gamma) != m+1 {
		panic(badGamma)
	}
	mu := e.lat.Mobius
	for j := 0; j < m; j++ {
		s := 0.0
		for i := 0; i < m; i++ {
			s += gamma[i] * mu[j][i]
		}
		e.coef[j] = s
	}
	e.coef[e.lat.Top] -= gamma[m]
}

// GradP writes ∂G/∂p(t, s) for every support entry (support order, t fastest)
// into out and returns G. Entries are treated as free variables. It panics if
// out is shorter than Support()·nT.
func (e *Estimator) GradP(gamma []float64, out []float64) (goal float64) {
	if len(out) < e.nc*e.nT {
		panic(shortDst)
	}
	goal = e.gradient(gamma, false, nil)
	copy(out, e.gradP[:e.nc*e.nT])
	return goal
}

// GradTheta writes ∂G/∂θ_b for every sample of the last SetSamples call. If
// atoms is non-nil it also receives the atoms, and hres is returned. Terms that
// do not depend on t cancel in ∂/∂θ and are skipped unless atoms are wanted.
// It panics if dTheta is shorter than the batch or a non-nil atoms shorter
// than the lattice.
func (e *Estimator) GradTheta(gamma, dTheta, atoms []float64) (hres float64) {
	if len(dTheta) < len(e.sample) || atoms != nil && len(atoms) < len(e.lat.Nodes) {
		panic(shortDst)
	}
	e.gradient(gamma, true, atoms)
	inv := 1 / float64(len(e.sample))
	// Per cell first, then scatter: ∂G/∂θ_b = (∂G/∂p(1,s_b) − ∂G/∂p(0,s_b)) / N.
	d := e.pu[:e.nc] // free after gradient()
	for i := range d {
		d[i] = (e.gradP[2*i+1] - e.gradP[2*i]) * inv
	}
	for b, ci := range e.sample {
		dTheta[b] = d[ci]
	}
	if atoms != nil {
		return e.Entropy() - e.red[e.lat.Top]
	}
	return 0
}

// CellGradTheta writes ∂G/∂θ(s) = w(s)·(∂G/∂p(1,s) − ∂G/∂p(0,s)) per support
// cell (support order) for a binary pmf, and returns G. It panics if out is
// shorter than Support().
func (e *Estimator) CellGradTheta(gamma, out []float64) (goal float64) {
	if len(out) < e.nc {
		panic(shortDst)
	}
	goal = e.gradient(gamma, false, nil)
	for i := 0; i < e.nc; i++ {
		out[i] = e.ps[i] * (e.gradP[2*i+1] - e.gradP[2*i])
	}
	return goal
}

// Key returns the flat cell index of support cell i.
func (e *Estimator) Key(i int) int { return int(e.key[i]) }

// gradient accumulates ∂G/∂p into e.gradP. With thetaOnly it drops the terms
// that are equal for every t (they cancel in ∂/∂θ). It returns G when atoms are
// computed (always unless thetaOnly without atoms).
func (e *Estimator) gradient(gamma []float64, thetaOnly bool, atoms []float64) (goal float64) {
	e.goalCoefficients(gamma)
	nT := e.nT
	gp := e.gradP[:e.nc*nT]
	for i := range gp {
		gp[i] = 0
	}
	wantValues := atoms != nil || !thetaOnly
	for k := range e.plans {
		c := e.coef[k]
		if c == 0 && !wantValues {
			continue
		}
		e.red[k] = e.node(k, wantValues, c, thetaOnly)
	}
	// γ_res·∂H(T)/∂p(t,s) = γ_res·(−log2 P(t) − 1/ln2).
	if gr := gamma[len(gamma)-1]; gr != 0 {
		for i := 0; i < e.nc; i++ {
			for t := 0; t < nT; t++ {
				gp[i*nT+t] -= gr * (e.lpt[t] + invLn2)
			}
		}
	}
	if !wantValues {
		return 0
	}
	m := len(e.lat.Nodes)
	if atoms == nil {
		// G = Σ_j c_j·I_j + γ_res·H(T) with the coefficients already formed.
		goal = gamma[m] * e.Entropy()
		for k := 0; k < m; k++ {
			goal += e.coef[k] * e.red[k]
		}
		return goal
	}
	e.mobius(e.red, atoms)
	for k := 0; k < m; k++ {
		goal += gamma[k] * atoms[k]
	}
	return goal + gamma[m]*(e.Entropy()-e.red[e.lat.Top])
}

// node evaluates antichain k: returns I^sx if wantValue, and adds
// c·∂I/∂p(t,s) to e.gradP if c ≠ 0.
func (e *Estimator) node(k int, wantValue bool, c float64, thetaOnly bool) float64 {
	terms := e.plans[k].terms
	if thetaOnly && !wantValue && e.nT == 2 {
		switch {
		case c == 0:
		case len(terms) == 1:
			e.singleNodeTheta(terms[0].mask, c)
		default:
			e.nodeTheta(terms, c)
		}
		return 0
	}
	if len(terms) == 1 {
		return e.singleNode(terms[0].mask, wantValue, c)
	}
	nT, nc := e.nT, e.nc
	needU := wantValue || !thetaOnly
	// P(t, U(s)) and P(U(s)) by inclusion–exclusion over the members.
	ptu, lptu := e.ptu[:nc*nT], e.lptu[:nc*nT]
	pu, lpu := e.pu[:nc], e.lpu[:nc]
	for i := range ptu {
		ptu[i] = 0
	}
	for _, tm := range terms {
		g := &e.sub[tm.mask]
		for i, gi := range g.gid[:nc] {
			src := g.m[int(gi)*nT : int(gi)*nT+nT]
			dst := ptu[i*nT : i*nT+nT]
			for t := range dst {
				dst[t] += tm.sign * src[t]
			}
		}
	}
	log2s(lptu, ptu)
	if needU {
		for i := 0; i < nc; i++ {
			s := 0.0
			for t := 0; t < nT; t++ {
				s += ptu[i*nT+t]
			}
			pu[i] = s
		}
		log2s(lpu, pu)
	}
	val := 0.0
	if wantValue {
		for i := 0; i < nc; i++ {
			for t := 0; t < nT; t++ {
				if p := e.p[i*nT+t]; p > 0 {
					val += p * (lptu[i*nT+t] - e.lpt[t] - lpu[i])
				}
			}
		}
	}
	if c == 0 {
		return val
	}
	// Group sums F_A(t, x) of f_t = p(t,s)/P(t,U(s)) and G_A(x) of g = p(s)/P(U(s)).
	for _, tm := range terms {
		g := &e.sub[tm.mask]
		g.f = grow(g.f, g.ng*nT)
		for i := range g.f {
			g.f[i] = 0
		}
		if needU {
			g.g = grow(g.g, g.ng)
			for i := range g.g {
				g.g[i] = 0
			}
		}
	}
	for i := 0; i < nc; i++ {
		for t := 0; t < nT; t++ {
			f := 0.0
			if p := e.p[i*nT+t]; p > 0 {
				f = p / ptu[i*nT+t]
			}
			for _, tm := range terms {
				g := &e.sub[tm.mask]
				g.f[int(g.gid[i])*nT+t] += f
			}
		}
		if needU {
			gv := e.ps[i] / pu[i]
			for _, tm := range terms {
				g := &e.sub[tm.mask]
				g.g[g.gid[i]] += gv
			}
		}
	}
	gp := e.gradP
	for i := 0; i < nc; i++ {
		cc := 0.0
		if needU {
			for _, tm := range terms {
				g := &e.sub[tm.mask]
				cc += tm.sign * g.g[g.gid[i]]
			}
		}
		for t := 0; t < nT; t++ {
			a := 0.0
			for _, tm := range terms {
				g := &e.sub[tm.mask]
				a += tm.sign * g.f[int(g.gid[i])*nT+t]
			}
			d := lptu[i*nT+t] - e.lpt[t] + a*invLn2
			if needU {
				d -= lpu[i] + (1+cc)*invLn2
			}
			gp[i*nT+t] += c * d
		}
	}
	return val
}

// nodeTheta is node for a binary target when only ∂G/∂θ is wanted (no value):
// the t-independent terms cancel, so per cell it needs just the difference
//
//	Δ(s) = log2[P(1,U(s))/P(0,U(s))] − log2[P(1)/P(0)] + (A(1,s) − A(0,s))/ln2,
//
// one log per cell, and A(1,s) − A(0,s) comes from group sums of the single
// difference f_1 − f_0. It adds c·Δ(s) to gradP(1, s) and leaves gradP(0, s)
// alone, which is all GradTheta reads (their difference).
func (e *Estimator) nodeTheta(terms []term, c float64) {
	// The members' group-bys, side by side. The three passes over the cells
	// below perform, per cell and per group, the same additions in the
	// same order as one pass per member would (members in plan order,
	// cells ascending), so the sums are the same bits.
	const maxTerms = 1<<MaxSources - 1
	var (
		gids  [maxTerms][]int32
		ms    [maxTerms][]float64
		sums  [maxTerms][]float64
		signs [maxTerms]float64
	)
	nc, k := e.nc, len(terms)
	for j, tm := range terms {
		g := &e.sub[tm.mask]
		g.f = grow(g.f, g.ng)
		clear(g.f)
		gids[j], ms[j], sums[j], signs[j] = g.gid[:nc], g.m, g.f, tm.sign
	}
	p := e.p[:2*nc]
	lr := e.lptu[:nc] // free scratch on this path: log2 of P(1,U)/P(0,U)
	for i := 0; i < nc; i++ {
		// P(t, U(s)) by inclusion–exclusion over the members.
		var u0, u1 float64
		for j := 0; j < k; j++ {
			gi := gids[j][i]
			u0 += signs[j] * ms[j][2*gi]
			u1 += signs[j] * ms[j][2*gi+1]
		}
		// df = f_1 − f_0 with f_t = p(t,s)/P(t,U(s)) (0 where p(t,s) = 0),
		// summed per group of each member.
		f := 0.0
		if v := p[2*i+1]; v > 0 {
			f = v / u1
		}
		if v := p[2*i]; v > 0 {
			f -= v / u0
		}
		for j := 0; j < k; j++ {
			sums[j][gids[j][i]] += f
		}
		lr[i] = u1 / u0
	}
	log2s(lr, lr)
	gp := e.gradP[:2*nc]
	dlpt := e.lpt[1] - e.lpt[0]
	for i := 0; i < nc; i++ {
		// A(1,s) − A(0,s) from the members' group sums.
		dA := 0.0
		for j := 0; j < k; j++ {
			dA += signs[j] * sums[j][gids[j][i]]
		}
		gp[2*i+1] += c * (lr[i] - dlpt + dA*invLn2)
	}
}

// singleNodeTheta is singleNode for a binary target when only ∂G/∂θ is
// wanted: it adds c·(log2[m_A(1,x)/m_A(0,x)] − log2[P(1)/P(0)]) to gradP(1, s)
// (x = s_A), one log per group instead of three.
func (e *Estimator) singleNodeTheta(mask uint8, c float64) {
	g := &e.sub[mask]
	r := e.lptu[:g.ng] // free scratch on this path (ng ≤ nc)
	dlpt := e.lpt[1] - e.lpt[0]
	for x := range r {
		r[x] = g.m[2*x+1] / g.m[2*x]
	}
	log2s(r, r)
	for x := range r {
		r[x] -= dlpt
	}
	gp := e.gradP[:2*e.nc]
	for i, gi := range g.gid[:e.nc] {
		gp[2*i+1] += c * r[gi]
	}
}

// singleNode handles antichains with one member A: P(t, U(s)) = m_A(t, s_A),
// so logs are per group, and A − 1 − C reduces to −1.
func (e *Estimator) singleNode(mask uint8, wantValue bool, c float64) float64 {
	nT := e.nT
	g := &e.sub[mask]
	g.logs(nT)
	val := 0.0
	if wantValue {
		for x := 0; x < g.ng; x++ {
			for t := 0; t < nT; t++ {
				if m := g.m[x*nT+t]; m > 0 {
					val += m * (g.lm[x*nT+t] - e.lpt[t] - g.lms[x])
				}
			}
		}
	}
	if c == 0 {
		return val
	}
	gp := e.gradP
	for i, gi := range g.gid[:e.nc] {
		for t := 0; t < nT; t++ {
			gp[i*nT+t] += c * (g.lm[int(gi)*nT+t] - e.lpt[t] - g.lms[gi] - invLn2)
		}
	}
	return val
}
