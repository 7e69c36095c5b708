package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// actCases are the activations of the design table with the constants used.
var actCases = []struct {
	name string
	act  Activation
	// ref is an independent transcription of A from DESIGN.md §1.
	ref func(r, c, l float64) float64
}{
	{"graetz k1=0.9", Activation{Kind: Graetz, K1: 0.9, K2: 2}, func(r, c, _ float64) float64 {
		return r * (0.9 + 0.1*2/(1+math.Exp(-2*r*c)))
	}},
	{"graetz k1=1", Activation{Kind: Graetz, K1: 1, K2: 2}, func(r, _, _ float64) float64 { return r }},
	{"kay-phillips", Activation{Kind: KayPhillips, K1: 0.7, K2: 0.5}, func(r, c, _ float64) float64 {
		return r * (0.7 + 0.3*math.Exp(0.5*r*c))
	}},
	{"three-source", Activation{Kind: ThreeSource, C1: 0.1, C2: 0.1}, func(r, c, l float64) float64 {
		return r * (0.8 + 0.1/(1+math.Exp(-2*r*c)) + 0.1/(1+math.Exp(-2*r*l)))
	}},
	{"sum", Activation{Kind: Sum, Beta: 1}, func(r, c, _ float64) float64 { return r + c }},
}

func closeTo(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// TestEvalDerivatives compares Eval's A with the formula and its partial
// derivatives with central finite differences at random points.
func TestEvalDerivatives(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const h = 1e-5
	for _, tc := range actCases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.act
			A := func(r, c, l float64) float64 { v, _, _, _ := a.Eval(r, c, l); return v }
			for i := 0; i < 500; i++ {
				r := 6*rng.Float64() - 3
				c := 6*rng.Float64() - 3
				l := 6*rng.Float64() - 3
				if i < 5 { // include the neighbourhood of the origin
					r, c, l = r/1000, c/1000, l/1000
				}
				v, dr, dc, dl := a.Eval(r, c, l)
				if want := tc.ref(r, c, l); !closeTo(v, want, 1e-12) {
					t.Fatalf("A(%g,%g,%g) = %g, want %g", r, c, l, v, want)
				}
				fr := (A(r+h, c, l) - A(r-h, c, l)) / (2 * h)
				fc := (A(r, c+h, l) - A(r, c-h, l)) / (2 * h)
				fl := (A(r, c, l+h) - A(r, c, l-h)) / (2 * h)
				for _, d := range []struct {
					name      string
					got, want float64
				}{{"dr", dr, fr}, {"dc", dc, fc}, {"dl", dl, fl}} {
					if !closeTo(d.got, d.want, 1e-6) {
						t.Fatalf("at (%g,%g,%g): %s = %.12g, finite difference %.12g", r, c, l, d.name, d.got, d.want)
					}
				}
				if a.Sources() == 2 && dl != 0 {
					t.Fatalf("bivariate activation has dl = %g", dl)
				}
			}
		})
	}
}

// TestEvalSpecialValues pins values that follow from the formulas exactly.
func TestEvalSpecialValues(t *testing.T) {
	// k1 = 1: context does not drive, A = r, dA/dr = 1, dA/dc = 0.
	A, dr, dc, _ := Activation{Kind: Graetz, K1: 1, K2: 2}.Eval(1.5, -4, 0)
	if A != 1.5 || dr != 1 || dc != 0 {
		t.Errorf("graetz k1=1: (A, dr, dc) = (%g, %g, %g), want (1.5, 1, 0)", A, dr, dc)
	}
	// Graetz at c = 0: σ(0) = 1/2, so A = r·(k1 + (1−k1)) = r.
	A, dr, _, _ = Activation{Kind: Graetz, K1: 0.9, K2: 2}.Eval(-2, 0, 0)
	if math.Abs(A+2) > 1e-15 || math.Abs(dr-1) > 1e-15 {
		t.Errorf("graetz at c=0: (A, dr) = (%g, %g), want (-2, 1)", A, dr)
	}
	// Three-source at c = l = 0 is r·(0.8 + 0.1·½ + 0.1·½) = 0.9·r.
	A, _, _, _ = Activation{Kind: ThreeSource, C1: 0.1, C2: 0.1}.Eval(3, 0, 0)
	if math.Abs(A-2.7) > 1e-15 {
		t.Errorf("three-source at c=l=0: A = %g, want 2.7", A)
	}
	// Sum: β·(r + c) with constant derivatives.
	A, dr, dc, dl := Activation{Kind: Sum, Beta: 2}.Eval(1, 2, 5)
	if A != 6 || dr != 2 || dc != 2 || dl != 0 {
		t.Errorf("sum β=2: (A, dr, dc, dl) = (%g, %g, %g, %g), want (6, 2, 2, 0)", A, dr, dc, dl)
	}
	// Every activation is odd in r at zero: A(0, c, l) = 0.
	for _, tc := range actCases {
		if tc.act.Kind == Sum {
			continue
		}
		if A, _, _, _ := tc.act.Eval(0, 1.3, -0.7); A != 0 {
			t.Errorf("%s: A(0, c, l) = %g, want 0", tc.name, A)
		}
	}
}

func TestSources(t *testing.T) {
	for k, want := range map[ActKind]int{Graetz: 2, KayPhillips: 2, ThreeSource: 3, Sum: 2} {
		if got := (Activation{Kind: k}).Sources(); got != want {
			t.Errorf("%s.Sources() = %d, want %d", k, got, want)
		}
	}
}

func TestFire(t *testing.T) {
	// Unclamped: θ = σ(A), dθ/dA = θ(1−θ), checked against finite differences.
	for _, A := range []float64{-13.5, -5, -1, -1e-3, 0, 0.3, 2, 7, 13.5} {
		th, d := Fire(A)
		if want := 1 / (1 + math.Exp(-A)); math.Abs(th-want) > 1e-15 {
			t.Errorf("Fire(%g) θ = %g, want %g", A, th, want)
		}
		const h = 1e-6
		tp, _ := Fire(A + h)
		tm, _ := Fire(A - h)
		if fd := (tp - tm) / (2 * h); math.Abs(d-fd) > 1e-6*math.Max(fd, 1e-3) {
			t.Errorf("Fire(%g) dθ = %g, finite difference %g", A, d, fd)
		}
	}
	if th, d := Fire(0); th != 0.5 || d != 0.25 {
		t.Errorf("Fire(0) = (%g, %g), want (0.5, 0.25)", th, d)
	}
	// The clamp starts where σ(A) leaves [1e-6, 1−1e-6], near |A| = 13.8155.
	for _, A := range []float64{-13.9, -50, -800, math.Inf(-1)} {
		if th, d := Fire(A); th != ThetaMin || d != 0 {
			t.Errorf("Fire(%g) = (%g, %g), want (%g, 0)", A, th, d, ThetaMin)
		}
	}
	for _, A := range []float64{13.9, 50, 800, math.Inf(1)} {
		if th, d := Fire(A); th != ThetaMax || d != 0 {
			t.Errorf("Fire(%g) = (%g, %g), want (%g, 0)", A, th, d, ThetaMax)
		}
	}
	for _, A := range []float64{-13.8, 13.8} {
		if th, d := Fire(A); th == ThetaMin || th == ThetaMax || d == 0 {
			t.Errorf("Fire(%g) = (%g, %g) is clamped, want σ(A)", A, th, d)
		}
	}
}

func TestParseActKind(t *testing.T) {
	for _, k := range []ActKind{Graetz, KayPhillips, ThreeSource, Sum} {
		got, err := ParseActKind(k.String())
		if err != nil || got != k {
			t.Errorf("ParseActKind(%q) = %v, %v; want %v", k.String(), got, err, k)
		}
	}
	names := map[ActKind]string{Graetz: "graetz", KayPhillips: "kay-phillips", ThreeSource: "three-source", Sum: "sum"}
	for k, n := range names {
		if k.String() != n {
			t.Errorf("%d.String() = %q, want %q", int(k), k.String(), n)
		}
	}
	for _, bad := range []string{"", "Graetz", "relu", "graetz ", "three_source"} {
		_, err := ParseActKind(bad)
		if err == nil {
			t.Errorf("ParseActKind(%q): no error", bad)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "unknown activation") || !strings.Contains(msg, `"`+bad+`"`) {
			t.Errorf("ParseActKind(%q) error %q does not name the input", bad, msg)
		}
	}
}
