package pid

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// gradVectorDir holds the public gradient vectors described in
// docs/pid-gradient.md.
var gradVectorDir = "testdata"

type gradGoal struct {
	Gamma      []float64 `json:"gamma"`
	GammaOrder []string  `json:"gamma_order"`
	G          float64   `json:"G"`
	DG         any       `json:"dG_dtheta1"`
}

type gradCase struct {
	Name       string         `json:"name"`
	Bins       []int          `json:"bins_shape"`
	N          int            `json:"N"`
	Counts     any            `json:"counts"`
	W          any            `json:"w"`
	Theta1     any            `json:"theta1"`
	P          any            `json:"p"`
	Atoms      []float64      `json:"atoms"`
	HRes       float64        `json:"H_res"`
	GradTheta1 map[string]any `json:"grad_theta1"`
	GradP      map[string]any `json:"grad_p"`
	Goal       gradGoal       `json:"goal_example"`
}

type gradFile struct {
	AtomOrder    []string          `json:"atom_order"`
	GradientKeys []string          `json:"gradient_keys"`
	Conventions  map[string]string `json:"conventions"`
	Cases        []gradCase        `json:"cases"`
}

func loadGradFile(t *testing.T, name string) gradFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(gradVectorDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var f gradFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(f.Cases) == 0 {
		t.Fatalf("%s: no cases", name)
	}
	return f
}

// flatten turns a rectangular nested JSON array into its shape and row-major values.
func flatten(v any) (shape []int, vals []float64, err error) {
	for x := v; ; {
		a, ok := x.([]any)
		if !ok {
			break
		}
		if len(a) == 0 {
			return nil, nil, errors.New("empty array")
		}
		shape = append(shape, len(a))
		x = a[0]
	}
	var walk func(x any, d int) error
	walk = func(x any, d int) error {
		if d == len(shape) {
			f, ok := x.(float64)
			if !ok {
				return fmt.Errorf("leaf %v is not a number", x)
			}
			vals = append(vals, f)
			return nil
		}
		a, ok := x.([]any)
		if !ok || len(a) != shape[d] {
			return fmt.Errorf("ragged at depth %d", d)
		}
		for _, y := range a {
			if err := walk(y, d+1); err != nil {
				return err
			}
		}
		return nil
	}
	return shape, vals, walk(v, 0)
}

func mustFlatten(t *testing.T, what string, v any, wantShape []int) []float64 {
	t.Helper()
	shape, vals, err := flatten(v)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !slices.Equal(shape, wantShape) {
		t.Fatalf("%s: shape %v, want %v", what, shape, wantShape)
	}
	return vals
}

// oneHot is a goal vector selecting atom k (k = len for H_res).
func oneHot(m, k int) []float64 {
	g := make([]float64, m+1)
	g[k] = 1
	return g
}

// keyIndex maps a gradient key (atom name or "H_res") to its γ index.
func keyIndex(t *testing.T, names []string, key string) int {
	t.Helper()
	if key == "H_res" {
		return len(names)
	}
	i := slices.Index(names, key)
	if i < 0 {
		t.Fatalf("unknown gradient key %q", key)
	}
	return i
}

func closeAbs(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.17g, want %.17g (diff %.3g)", what, got, want, got-want)
	}
}

func testGradVectors(t *testing.T, file string, n int) {
	f := loadGradFile(t, file)
	names := AtomNames(n)
	if !slices.Equal(f.AtomOrder, names) {
		t.Fatalf("atom_order %v, want %v", f.AtomOrder, names)
	}
	if !slices.Equal(f.GradientKeys, append(slices.Clone(names), "H_res")) {
		t.Fatalf("gradient_keys %v", f.GradientKeys)
	}
	if !strings.Contains(f.Conventions["pmf_layout"], "target index FIRST") {
		t.Fatalf("unexpected pmf_layout %q", f.Conventions["pmf_layout"])
	}
	m := len(names)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if len(c.Bins) != n {
				t.Fatalf("bins_shape %v for %d sources", c.Bins, n)
			}
			space := prod(c.Bins)
			p := mustFlatten(t, "p", c.P, append([]int{2}, c.Bins...))
			w := mustFlatten(t, "w", c.W, c.Bins)
			theta := mustFlatten(t, "theta1", c.Theta1, c.Bins)
			counts := mustFlatten(t, "counts", c.Counts, c.Bins)
			// Layout check: p[1][s] = w(s)·θ(s), p[0][s] = w(s)·(1−θ(s)).
			for s := 0; s < space; s++ {
				closeAbs(t, fmt.Sprintf("p[1][%v]", coords(s, c.Bins)), p[space+s], w[s]*theta[s], 1e-15)
				closeAbs(t, fmt.Sprintf("p[0][%v]", coords(s, c.Bins)), p[s], w[s]*(1-theta[s]), 1e-15)
				closeAbs(t, "w", w[s], counts[s]/float64(c.N), 1e-15)
			}

			e := NewEstimator(c.Bins, 2)
			e.SetDense(p)
			nc := e.Support()
			atoms := make([]float64, m)
			hres := e.Atoms(atoms)
			for i := range atoms {
				closeAbs(t, names[i], atoms[i], c.Atoms[i], 1e-12)
			}
			closeAbs(t, "H_res", hres, c.HRes, 1e-12)

			// Which flat cells are in the support.
			inSupport := make([]bool, space)
			for i := 0; i < nc; i++ {
				inSupport[e.Key(i)] = true
			}
			for s := 0; s < space; s++ {
				if inSupport[s] != (w[s] > 0) {
					t.Fatalf("cell %v: in support %v, w %v", coords(s, c.Bins), inSupport[s], w[s])
				}
			}

			// ∂F/∂θ(s) per atom and H_res, via one-hot γ and CellGradTheta.
			out := make([]float64, nc)
			for _, key := range f.GradientKeys {
				want := mustFlatten(t, "grad_theta1["+key+"]", c.GradTheta1[key], c.Bins)
				k := keyIndex(t, names, key)
				g := e.CellGradTheta(oneHot(m, k), out)
				wantG := c.HRes
				if k < m {
					wantG = c.Atoms[k]
				}
				closeAbs(t, "G of one-hot "+key, g, wantG, 1e-12)
				for i := 0; i < nc; i++ {
					s := e.Key(i)
					closeAbs(t, fmt.Sprintf("∂%s/∂θ%v", key, coords(s, c.Bins)), out[i], want[s], 1e-10)
				}
				for s := 0; s < space; s++ {
					if !inSupport[s] && want[s] != 0 {
						t.Errorf("∂%s/∂θ%v = %v in an empty cell", key, coords(s, c.Bins), want[s])
					}
				}
			}

			// Free-entry gradients ∂F/∂p(t,s), when given (all entries > 0).
			if c.GradP != nil {
				gp := make([]float64, nc*2)
				for _, key := range f.GradientKeys {
					want := mustFlatten(t, "grad_p["+key+"]", c.GradP[key], append([]int{2}, c.Bins...))
					e.GradP(oneHot(m, keyIndex(t, names, key)), gp)
					for i := 0; i < nc; i++ {
						s := e.Key(i)
						for tv := 0; tv < 2; tv++ {
							closeAbs(t, fmt.Sprintf("∂%s/∂p[%d]%v", key, tv, coords(s, c.Bins)), gp[i*2+tv], want[tv*space+s], 1e-10)
						}
					}
				}
			}

			// The goal example.
			if !slices.Equal(c.Goal.GammaOrder, f.GradientKeys) {
				t.Fatalf("gamma_order %v", c.Goal.GammaOrder)
			}
			dG := mustFlatten(t, "dG_dtheta1", c.Goal.DG, c.Bins)
			g := e.CellGradTheta(c.Goal.Gamma, out)
			closeAbs(t, "G", g, c.Goal.G, 1e-12)
			for i := 0; i < nc; i++ {
				s := e.Key(i)
				closeAbs(t, fmt.Sprintf("∂G/∂θ%v", coords(s, c.Bins)), out[i], dG[s], 1e-10)
			}
			gp := make([]float64, nc*2)
			closeAbs(t, "G from GradP", e.GradP(c.Goal.Gamma, gp), c.Goal.G, 1e-12)

			// The same batch as samples: ∂G/∂θ_b = dG_dtheta1(s_b)/n(s_b).
			var cells []int32
			var th []float64
			for s := 0; s < space; s++ {
				for k := 0; k < int(counts[s]); k++ {
					cells = append(cells, int32(s))
					th = append(th, theta[s])
				}
			}
			if len(cells) != c.N {
				t.Fatalf("counts sum to %d, N = %d", len(cells), c.N)
			}
			es := NewEstimator(c.Bins, 2)
			es.SetSamples(cells, th)
			dTheta := make([]float64, len(cells))
			sAtoms := make([]float64, m)
			sh := es.GradTheta(c.Goal.Gamma, dTheta, sAtoms)
			for i := range sAtoms {
				closeAbs(t, "samples "+names[i], sAtoms[i], c.Atoms[i], 1e-12)
			}
			closeAbs(t, "samples H_res", sh, c.HRes, 1e-12)
			for b, s := range cells {
				closeAbs(t, fmt.Sprintf("∂G/∂θ_b (b=%d, cell %v)", b, coords(int(s), c.Bins)), dTheta[b], dG[s]/counts[s], 1e-10)
			}
		})
	}
}

func TestGradVectorsBivariate(t *testing.T)  { testGradVectors(t, "pid-grad2.json", 2) }
func TestGradVectorsTrivariate(t *testing.T) { testGradVectors(t, "pid-grad3.json", 3) }

// ---- finite differences ----

// goalValue evaluates G = Σ γ_k Π_k + γ_res H_res of a dense (possibly
// unnormalised) pmf with a fresh pass of the estimator.
func goalValue(e *Estimator, gamma, p, atoms []float64) float64 {
	e.SetDense(p)
	hres := e.Atoms(atoms)
	g := gamma[len(atoms)] * hres
	for k, a := range atoms {
		g += gamma[k] * a
	}
	return g
}

// richardson estimates f′(0) from central differences at steps h and h/2,
// extrapolated to cancel the h² term (truncation O(h⁴)). Callers choose h as a
// small fraction of the distance to the nearest singularity (a pmf entry
// reaching 0), so the truncation error stays ~1e-8 relative or better.
func richardson(f func(d float64) float64, h float64) float64 {
	d1 := (f(h) - f(-h)) / (2 * h)
	d2 := (f(h/2) - f(-h/2)) / h
	return (4*d2 - d1) / 3
}

// fdStep is the finite-difference step for a variable whose derivative has a
// singularity at distance x: 1% of x, at most 1e-4.
func fdStep(x float64) float64 { return min(1e-2*x, 1e-4) }

// fdTol is the agreement demanded between an analytic derivative and its
// Richardson-extrapolated central difference at step h: 1e-6 relative, plus an
// absolute floor for the difference quotient's own rounding (G is a sum of
// O(1) terms, each good to ~1e-16, divided by h).
func fdTol(analytic, h float64) float64 { return 1e-6*math.Abs(analytic) + 1e-9 + 1e-14/h }

// fdCase is a random binary pmf built as w(s), θ(s), some θ extreme.
func fdCase(rng *rand.Rand, sizes []int) (w, theta []float64) {
	space := prod(sizes)
	w = make([]float64, space)
	theta = make([]float64, space)
	for s := range w {
		if rng.IntN(5) == 0 {
			continue // empty cell
		}
		w[s] = 0.2 + rng.Float64()
		switch rng.IntN(6) {
		case 0:
			theta[s] = 1e-6
		case 1:
			theta[s] = 1 - 1e-6
		case 2:
			theta[s] = 1e-3 * rng.Float64()
		default:
			theta[s] = 0.02 + 0.96*rng.Float64()
		}
	}
	w[0] = 0.5 // at least one occupied cell
	normalise(w)
	return w, theta
}

func densePMF(w, theta []float64) []float64 {
	space := len(w)
	p := make([]float64, 2*space)
	for s := range w {
		p[s] = w[s] * (1 - theta[s])
		p[space+s] = w[s] * theta[s]
	}
	return p
}

func fdGammas(rng *rand.Rand, m int) [][]float64 {
	var gs [][]float64
	for k := 0; k <= m; k++ {
		gs = append(gs, oneHot(m, k))
	}
	r := make([]float64, m+1)
	for k := range r {
		r[k] = 2*rng.Float64() - 1
	}
	return append(gs, r)
}

func TestFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, sizes := range [][]int{{2, 2}, {3, 4}, {5, 3}, {2, 2, 2}, {3, 2, 3}, {2, 3, 3}} {
		for rep := 0; rep < 2; rep++ {
			w, theta := fdCase(rng, sizes)
			space := prod(sizes)
			p := densePMF(w, theta)
			e := NewEstimator(sizes, 2)
			ev := NewEstimator(sizes, 2)
			m := len(e.Lattice().Nodes)
			atoms := make([]float64, m)
			for _, gamma := range fdGammas(rng, m) {
				e.SetDense(p)
				nc := e.Support()
				cg := make([]float64, nc)
				gp := make([]float64, 2*nc)
				g1 := e.CellGradTheta(gamma, cg)
				g2 := e.GradP(gamma, gp)
				g0 := goalValue(ev, gamma, p, atoms)
				closeAbs(t, "G (CellGradTheta)", g1, g0, 1e-12)
				closeAbs(t, "G (GradP)", g2, g0, 1e-12)
				for i := 0; i < nc; i++ {
					s := e.Key(i)
					th := theta[s]
					// ∂G/∂θ(s): p(1,s) = w(θ+d), p(0,s) = w(1−θ−d).
					q := slices.Clone(p)
					h := fdStep(min(th, 1-th))
					fd := richardson(func(d float64) float64 {
						q[s] = w[s] * (1 - th - d)
						q[space+s] = w[s] * (th + d)
						return goalValue(ev, gamma, q, atoms)
					}, h)
					if math.Abs(fd-cg[i]) > fdTol(cg[i], h) {
						t.Errorf("%v γ=%v: ∂G/∂θ%v (θ=%g) analytic %.12g, FD %.12g", sizes, gamma, coords(s, sizes), th, cg[i], fd)
					}
					// ∂G/∂p(t,s) as a free entry.
					for tv := 0; tv < 2; tv++ {
						k := tv*space + s
						v := p[k]
						q := slices.Clone(p)
						h := fdStep(v)
						fd := richardson(func(d float64) float64 {
							q[k] = v + d
							return goalValue(ev, gamma, q, atoms)
						}, h)
						if math.Abs(fd-gp[2*i+tv]) > fdTol(gp[2*i+tv], h) {
							t.Errorf("%v γ=%v: ∂G/∂p[%d]%v (p=%g) analytic %.12g, FD %.12g", sizes, gamma, tv, coords(s, sizes), v, gp[2*i+tv], fd)
						}
					}
				}
			}
		}
	}
}

// samplesCase draws a batch: N samples over a few cells, θ random with some extreme.
func samplesCase(rng *rand.Rand, sizes []int, N int) (cells []int32, theta []float64) {
	space := prod(sizes)
	hot := make([]int32, 1+rng.IntN(min(space, 40)))
	for i := range hot {
		hot[i] = int32(rng.IntN(space))
	}
	cells = make([]int32, N)
	theta = make([]float64, N)
	for b := range cells {
		cells[b] = hot[rng.IntN(len(hot))]
		switch rng.IntN(8) {
		case 0:
			theta[b] = 1e-6
		case 1:
			theta[b] = 1 - 1e-6
		default:
			theta[b] = rng.Float64()
		}
	}
	return cells, theta
}

// TestGradThetaPerSample: GradTheta's per-sample gradient equals
// CellGradTheta/n(s), with or without atoms; GradTheta's atoms equal Atoms.
func TestGradThetaPerSample(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	for _, sizes := range [][]int{{4, 5}, {20, 20}, {3, 4, 2}, {20, 20, 20}} {
		e := NewEstimator(sizes, 2)
		m := len(e.Lattice().Nodes)
		for rep := 0; rep < 3; rep++ {
			N := 64 + rng.IntN(1000)
			cells, theta := samplesCase(rng, sizes, N)
			e.SetSamples(cells, theta)
			nc := e.Support()
			atoms := make([]float64, m)
			hres := e.Atoms(atoms)
			count := map[int]int{}
			for _, c := range cells {
				count[int(c)]++
			}
			for _, gamma := range fdGammas(rng, m) {
				cg := make([]float64, nc)
				e.CellGradTheta(gamma, cg)
				d0 := make([]float64, N)
				d1 := make([]float64, N)
				e.GradTheta(gamma, d0, nil)
				a1 := make([]float64, m)
				h1 := e.GradTheta(gamma, d1, a1)
				for k := range atoms {
					if a1[k] != atoms[k] {
						t.Errorf("%v: GradTheta atom %s = %v, Atoms %v", sizes, e.Lattice().Names[k], a1[k], atoms[k])
					}
				}
				if h1 != hres {
					t.Errorf("%v: GradTheta H_res %v, Atoms %v", sizes, h1, hres)
				}
				byKey := map[int]float64{}
				for i := 0; i < nc; i++ {
					byKey[e.Key(i)] = cg[i] / float64(count[e.Key(i)])
				}
				for b, c := range cells {
					want := byKey[int(c)]
					tol := 1e-12*math.Abs(want) + 1e-15
					if math.Abs(d0[b]-want) > tol || math.Abs(d1[b]-want) > tol {
						t.Fatalf("%v: sample %d: GradTheta %.17g / %.17g (with atoms), CellGradTheta/n %.17g", sizes, b, d0[b], d1[b], want)
					}
				}
			}
		}
	}
}

// TestGradThetaFiniteDifferences moves one sample's θ_b and reloads the batch.
func TestGradThetaFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	for _, sizes := range [][]int{{5, 4}, {3, 3, 3}} {
		e := NewEstimator(sizes, 2)
		ev := NewEstimator(sizes, 2)
		m := len(e.Lattice().Nodes)
		atoms := make([]float64, m)
		cells, theta := samplesCase(rng, sizes, 200)
		for _, gamma := range fdGammas(rng, m) {
			e.SetSamples(cells, theta)
			d := make([]float64, len(cells))
			e.GradTheta(gamma, d, nil)
			for rep := 0; rep < 6; rep++ {
				b := rng.IntN(len(cells))
				th := slices.Clone(theta)
				th0 := theta[b]
				// G depends on θ_b only through its cell's sums Σθ and Σ(1−θ),
				// so the singularity is as far as the smaller of those.
				var s1, s0 float64
				for bb, c := range cells {
					if c == cells[b] {
						s1 += theta[bb]
						s0 += 1 - theta[bb]
					}
				}
				h := fdStep(min(s1, s0))
				fd := richardson(func(dd float64) float64 {
					th[b] = th0 + dd
					ev.SetSamples(cells, th)
					hres := ev.Atoms(atoms)
					g := gamma[m] * hres
					for k, a := range atoms {
						g += gamma[k] * a
					}
					return g
				}, h)
				if math.Abs(fd-d[b]) > fdTol(d[b], h) {
					t.Errorf("%v: ∂G/∂θ_%d (θ=%g) analytic %.12g, FD %.12g", sizes, b, th0, d[b], fd)
				}
			}
		}
	}
}
