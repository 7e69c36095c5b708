package pid

import (
	"slices"
	"testing"
)

// TestNamesAreCopies: callers may change the names they get without
// changing the shared lattice.
func TestNamesAreCopies(t *testing.T) {
	for n := 1; n <= MaxSources; n++ {
		want := slices.Clone(documentedNames[n])
		a := AtomNames(n)
		a[0] = "mutated"
		g := GammaNames(n)
		g[0] = "mutated"
		_ = append(AtomNames(n), "grown") // must not write into a shared backing array
		if got := AtomNames(n); !slices.Equal(got, want) {
			t.Errorf("%d sources: AtomNames after mutation = %v", n, got)
		}
		if got := GammaNames(n); !slices.Equal(got, append(slices.Clone(want), HRes)) {
			t.Errorf("%d sources: GammaNames = %v", n, got)
		}
		if got := NewLattice(n).Names; !slices.Equal(got, want) {
			t.Errorf("%d sources: lattice names = %v", n, got)
		}
	}
	r, err := Decompose(Dist{Shape: []int{2, 2, 2}, P: []float64{0.25, 0, 0, 0.25, 0, 0.25, 0.25, 0}})
	if err != nil {
		t.Fatal(err)
	}
	r.Names[0] = "mutated"
	if got := AtomNames(2)[0]; got != "{1}" {
		t.Errorf("Result.Names shares the lattice: AtomNames(2)[0] = %q", got)
	}
}

func TestKindOf(t *testing.T) {
	for name, want := range map[string]Kind{
		"{1}": Unique, "{3}": Unique, "{1}{2}": Shared, "{1}{23}": Shared, "{12}{13}{23}": Shared,
		"{12}": Synergy, "{123}": Synergy, HRes: Residual,
		"": 0, "h_y": 0, "{}": 0, "{4}": 0, "{0}": 0, "{1": 0, "1}": 0, "{1}x": 0, "x{1}": 0, "{1}{}": 0, "{a}": 0,
	} {
		if got := KindOf(name); got != want {
			t.Errorf("KindOf(%q) = %v, want %v", name, got, want)
		}
	}
	for k, w := range map[Kind]string{0: "", Unique: "unique", Shared: "shared", Synergy: "synergy", Residual: "residual"} {
		if k.String() != w {
			t.Errorf("Kind(%d) = %q, want %q", k, k.String(), w)
		}
	}
}

func TestMeaning(t *testing.T) {
	for _, c := range []struct {
		name    string
		sources int
		letters []string
		want    string
	}{
		// Default names S1, S2, S3 (the pid command's table).
		{"{1}", 1, nil, "unique S1"},
		{"{1}", 2, nil, "unique S1"},
		{"{2}", 2, nil, "unique S2"},
		{"{1}{2}", 2, nil, "shared S1·S2"},
		{"{12}", 2, nil, "synergy"},
		{"{1}{2}{3}", 3, nil, "shared S1·S2·S3"},
		{"{1}{23}", 3, nil, "shared S1·(S2,S3)"},
		{"{12}{13}{23}", 3, nil, "shared (S1,S2)·(S1,S3)·(S2,S3)"},
		{"{12}", 3, nil, "synergy (S1,S2)"},
		{"{123}", 3, nil, "synergy (S1,S2,S3)"},
		// Letters (the lab): side by side.
		{"{1}", 2, []string{"F", "C"}, "unique F"},
		{"{1}{2}", 2, []string{"F", "C"}, "shared F·C"},
		{"{1}{2}", 2, []string{"F", "L"}, "shared F·L"},
		{"{12}", 2, []string{"F", "L"}, "synergy"},
		{"{1}{23}", 3, []string{"F", "C", "L"}, "shared F·CL"},
		{"{3}{12}", 3, []string{"F", "C", "L"}, "shared L·FC"},
		{"{12}{13}{23}", 3, []string{"F", "C", "L"}, "shared FC·FL·CL"},
		{"{13}", 3, []string{"F", "C", "L"}, "synergy FL"},
		{"{123}", 3, []string{"F", "C", "L"}, "synergy FCL"},
		// Missing or empty letters fall back to S<k>; longer names get parentheses.
		{"{1}{23}", 3, []string{"F"}, "shared F·(S2,S3)"},
		{"{12}", 3, []string{"", "ctx"}, "synergy (S1,ctx)"},
		{HRes, 2, nil, "unexplained"},
		{"h_y", 2, nil, ""},
		{"{4}", 3, nil, ""},
	} {
		if got := Meaning(c.name, c.sources, c.letters...); got != c.want {
			t.Errorf("Meaning(%q, %d, %q) = %q, want %q", c.name, c.sources, c.letters, got, c.want)
		}
	}
}
