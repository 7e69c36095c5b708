package tasks

import (
	"math"
	"reflect"
	"slices"
	"testing"
)

var memRedundancy = []float64{0, 0, 1, 0, 0}

func memCfg(n int, alpha float64, rule MemoryRule) MemoryConfig {
	return MemoryConfig{Preset: "test", N: n, Alpha: alpha, Rule: rule, Gamma: slices.Clone(memRedundancy),
		LR: MemoryLR, Epochs: MemoryEpochs, CueNoise: 0.1, Seed: 1}
}

func TestLogEpochs(t *testing.T) {
	got := LogEpochs(5000, 50)
	if got[0] != 1 || got[len(got)-1] != 5000 || len(got) < 35 || len(got) > 50 {
		t.Fatalf("LogEpochs(5000, 50) = %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("not increasing at %d: %v", i, got)
		}
	}
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8}; !reflect.DeepEqual(got[:8], want) {
		t.Errorf("first epochs %v, want %v", got[:8], want)
	}
	if got := LogEpochs(100, 3); !reflect.DeepEqual(got, []int{1, 10, 100}) {
		t.Errorf("LogEpochs(100, 3) = %v", got)
	}
	if got := LogEpochs(7, 1); !reflect.DeepEqual(got, []int{7}) {
		t.Errorf("LogEpochs(7, 1) = %v", got)
	}
	if got := LogEpochs(0, 10); got != nil {
		t.Errorf("LogEpochs(0, 10) = %v", got)
	}
}

func TestMemoryConfigValidate(t *testing.T) {
	if err := memCfg(100, 0.5, Infomorphic).Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []func(*MemoryConfig){
		func(c *MemoryConfig) { c.N = 1 },
		func(c *MemoryConfig) { c.Alpha = 0 },
		func(c *MemoryConfig) { c.Alpha = math.NaN() },
		func(c *MemoryConfig) { c.Gamma = c.Gamma[:4] },
		func(c *MemoryConfig) { c.Gamma[2] = math.Inf(1) },
		func(c *MemoryConfig) { c.LR = 0 },
		func(c *MemoryConfig) { c.Epochs = 0 },
		func(c *MemoryConfig) { c.CueNoise = -0.1 },
	}
	for i, f := range bad {
		c := memCfg(100, 0.5, Infomorphic)
		f(&c)
		if c.Validate() == nil {
			t.Errorf("case %d accepted: %+v", i, c)
		}
	}
	c := memCfg(100, 0.5, Hebbian)
	c.LR = 0
	if err := c.Validate(); err != nil {
		t.Errorf("hebbian without lr: %v", err)
	}
	if c.Patterns() != 50 || memCfg(100, 0.001, Hebbian).Patterns() != 1 {
		t.Errorf("Patterns() = %d", c.Patterns())
	}
	for _, s := range []string{"infomorphic", "hebbian"} {
		if r, err := ParseMemoryRule(s); err != nil || r.String() != s {
			t.Errorf("ParseMemoryRule(%q) = %v, %v", s, r, err)
		}
	}
	if _, err := ParseMemoryRule("oja"); err == nil {
		t.Error("unknown rule accepted")
	}
}

// TestMemoryRunDemo is the demo sanity check: α = 0.2 stores
// perfectly within 100 epochs; α = 1.9 is far beyond capacity.
func TestMemoryRunDemo(t *testing.T) {
	for _, tc := range []struct {
		alpha    float64
		min, max float64
	}{{0.2, 1, 1}, {1.9, -1, 0.8}} {
		r, err := NewMemoryRun(memCfg(100, tc.alpha, Infomorphic))
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			if err := r.Step(); err != nil {
				t.Fatal(err)
			}
		}
		s := r.Snapshot()
		if s.TrainAcc < tc.min || s.TrainAcc > tc.max {
			t.Errorf("α = %g: recall score %.4f after 100 epochs, want in [%g, %g]", tc.alpha, s.TrainAcc, tc.min, tc.max)
		}
		t.Logf("α = %g: clean %.4f, 10%% flipped %.4f, perfect %.2f", tc.alpha, s.TrainAcc, s.TestAcc, s.ValAcc)
	}
}

func TestMemoryRunSnapshot(t *testing.T) {
	r, err := NewMemoryRun(memCfg(36, 0.5, Infomorphic))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Snapshot()
	if s.Epoch != 0 || !math.IsNaN(s.TrainAcc) || len(s.History) != 0 || len(s.Layers) != 1 {
		t.Fatalf("fresh snapshot %+v", s)
	}
	for range 25 {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	s = r.Snapshot()
	var epochs []int
	for _, h := range s.History {
		epochs = append(epochs, h.Epoch)
	}
	if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 14, 16, 19, 20, 23}; !reflect.DeepEqual(epochs, want) {
		t.Errorf("evaluated at %v, want %v", epochs, want)
	}
	if s.Epoch != 25 || s.TotalSteps != 25 || s.StepsPerEpoch != 1 || s.Preset != "test" || s.Seed != 1 {
		t.Errorf("snapshot counters %+v", s)
	}
	if s.TrainAcc < 0.95 || s.TestAcc < -1 || s.TestAcc > 1 || s.ValAcc < 0 || s.ValAcc > 1 {
		t.Errorf("accuracies train %g val %g test %g", s.TrainAcc, s.ValAcc, s.TestAcc)
	}
	if s.TrainAcc != s.History[len(s.History)-1].TrainAcc {
		t.Error("snapshot accuracy is not the last evaluation's")
	}
	if r.Solved() == 0 || r.Solved() > 23 {
		t.Errorf("Solved() = %d", r.Solved())
	}
	l := s.Layers[0]
	if l.Name != "memory" || !reflect.DeepEqual(l.AtomNames, []string{"{1}", "{2}", "{1}{2}", "{12}", "h_res"}) ||
		len(l.Atoms) != 5 || len(l.Neurons) != 36 || len(l.MeanTheta) != 36 {
		t.Fatalf("layer stats %+v", l)
	}
	sum := 0.0
	for _, a := range l.Atoms {
		sum += a
	}
	if math.Abs(sum-l.HY) > 1e-12 || l.HY <= 0 || l.HY > 1 {
		t.Errorf("atoms sum %g, H(Y) %g", sum, l.HY)
	}
	if l.Atoms[2] < 0.5*l.HY {
		t.Errorf("memRedundancy %g is not the main share of H(Y) %g", l.Atoms[2], l.HY)
	}
	// The lab's method set.
	if r.Layers() != 1 || r.Units(0) != 36 {
		t.Errorf("Layers %d, Units %d", r.Layers(), r.Units(0))
	}
	if name, atoms := r.LayerName(0); name != "memory" || len(atoms) != 5 {
		t.Errorf("LayerName = %s %v", name, atoms)
	}
	w, rows, cols, ok := r.ReceptiveField(0, 7)
	if !ok || rows != 6 || cols != 6 || len(w) != 36 || w[7] != 0 {
		t.Errorf("ReceptiveField: %d×%d ok %v, self weight %g", rows, cols, ok, w[7])
	}
	if _, _, _, ok := r.ReceptiveField(0, 36); ok {
		t.Error("ReceptiveField out of range accepted")
	}
	if _, _, _, ok := r.ReceptiveField(1, 0); ok {
		t.Error("ReceptiveField of layer 1 accepted")
	}
	p, rec := r.Pattern(3), r.Recalled(3)
	if len(p) != 36 || len(rec) != 36 || r.Pattern(r.Patterns()) != nil || r.Recalled(-1) != nil {
		t.Fatalf("Pattern/Recalled shapes %d %d", len(p), len(rec))
	}
	cue, fin := r.RecalledFromCue(3)
	flipped := 0
	for i := range p {
		if p[i] != 1 && p[i] != -1 || rec[i] != 1 && rec[i] != -1 {
			t.Fatalf("unit %d: pattern %d recalled %d", i, p[i], rec[i])
		}
		if cue[i] != p[i] {
			flipped++
		}
	}
	if flipped != 4 || len(fin) != 36 { // round(0.1·36)
		t.Errorf("cue has %d flipped bits, want 4", flipped)
	}
}

func TestMemoryRunGrid(t *testing.T) {
	for _, tc := range []struct{ n, rows, cols int }{{100, 10, 10}, {20, 4, 5}, {2, 1, 2}, {10, 3, 4}} {
		if r, c := memoryGrid(tc.n); r != tc.rows || c != tc.cols {
			t.Errorf("grid of %d = %d×%d, want %d×%d", tc.n, r, c, tc.rows, tc.cols)
		}
	}
	r, err := NewMemoryRun(memCfg(20, 0.5, Infomorphic))
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Pattern(0); len(p) != 20 {
		t.Errorf("pattern of 20 units padded to %d cells, want 20", len(p))
	}
	r, _ = NewMemoryRun(memCfg(10, 0.5, Infomorphic))
	if p := r.Pattern(0); len(p) != 12 || p[10] != 0 || p[11] != 0 {
		t.Errorf("pattern of 10 units on 3×4: %v", p)
	}
}

func TestMemoryRunGammaResetDeterminism(t *testing.T) {
	cfg := memCfg(30, 0.6, Infomorphic)
	a, _ := NewMemoryRun(cfg)
	b, _ := NewMemoryRun(cfg)
	b.SetWorkers(3)
	opt := []float64{0.48, -0.16, 0.25, 0.04, -0.63}
	if err := a.SetGamma(0, opt); err != nil {
		t.Fatal(err)
	}
	if err := b.SetGamma(0, opt); err != nil {
		t.Fatal(err)
	}
	if a.SetGamma(1, opt) == nil || a.SetGamma(0, opt[:3]) == nil {
		t.Error("bad SetGamma accepted")
	}
	for range 12 {
		a.Step()
		b.Step()
	}
	sa, sb := a.Snapshot(), b.Snapshot()
	sa.Elapsed, sb.Elapsed = 0, 0
	strip := func(s *Snapshot) {
		s.SamplesPerSec = 0
		for i := range s.History {
			s.History[i].SamplesPerSec, s.History[i].TrainSeconds = 0, 0
		}
	}
	strip(&sa)
	strip(&sb)
	if !reflect.DeepEqual(sa, sb) {
		t.Error("1 and 3 workers give different runs")
	}
	if !reflect.DeepEqual(a.Gamma(0), opt) || !reflect.DeepEqual(a.PresetGamma(0), memRedundancy) {
		t.Errorf("Gamma %v, PresetGamma %v", a.Gamma(0), a.PresetGamma(0))
	}
	w := slices.Clone(a.Network().W)
	if err := a.Reset(); err != nil {
		t.Fatal(err)
	}
	if a.Epoch() != 0 || len(a.Snapshot().History) != 0 || !reflect.DeepEqual(a.Gamma(0), opt) {
		t.Error("Reset did not go back to epoch 0 keeping γ")
	}
	for range 12 {
		a.Step()
	}
	if !reflect.DeepEqual(a.Network().W, w) {
		t.Error("Reset + 12 steps differs from the first 12 steps")
	}
}

func TestMemoryRunHebbian(t *testing.T) {
	r, err := NewMemoryRun(memCfg(100, 0.05, Hebbian))
	if err != nil {
		t.Fatal(err)
	}
	w := slices.Clone(r.Network().W)
	for range 3 {
		if err := r.Step(); err != nil {
			t.Fatal(err)
		}
	}
	s := r.Snapshot()
	if s.TrainAcc < 0.95 || s.ValAcc < 0.5 || len(s.History) != 3 || s.Epoch != 3 {
		t.Errorf("Hebbian α = 0.05: %+v", s)
	}
	if !reflect.DeepEqual(r.Network().W, w) {
		t.Error("Hebbian weights changed by Step")
	}
	if l := s.Layers[0]; l.Atoms[2] <= 0 || l.HY <= 0 {
		t.Errorf("Hebbian atoms %v", l.Atoms)
	}
}

// TestStoreTrialMatchesRun: the capacity trial and a lab run of the same
// seed and M train the same network.
func TestStoreTrialMatchesRun(t *testing.T) {
	cfg := memCfg(40, 0.5, Infomorphic)
	tr, net, _, err := StoreTrial(cfg, 20, 1)
	if err != nil || !tr.Success {
		t.Fatalf("trial %+v, %v", tr, err)
	}
	r, _ := NewMemoryRun(cfg)
	for r.Epoch() < tr.Epochs {
		r.Step()
	}
	if !reflect.DeepEqual(r.Network().W, net.W) || r.Solved() != tr.Epochs || r.Snapshot().TrainAcc != tr.Score {
		t.Errorf("run solved at %d with %g; trial %+v", r.Solved(), r.Snapshot().TrainAcc, tr)
	}
}

// TestCapacityShort is a short capacity scan on N = 20 with a 300-epoch budget.
func TestCapacityShort(t *testing.T) {
	cfg := memCfg(20, 1, Infomorphic)
	cfg.Epochs = 300
	opt := CapacityOptions{Stride: 4}
	seeds := []uint64{1, 2, 3}
	var seen []uint64
	res, err := Capacity(cfg, opt, seeds, 2, func(r CapacityResult) { seen = append(seen, r.Seed) })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(seen)
	if !reflect.DeepEqual(seen, seeds) {
		t.Errorf("progress saw seeds %v", seen)
	}
	for i, r := range res {
		if r.Seed != seeds[i] || r.Err != "" || r.Capped {
			t.Fatalf("result %d: %+v", i, r)
		}
		// M = 1 is never stored by a PID goal (one cell: G ≡ 0, no gradient).
		if tr := r.Trials[0]; tr.M != 1 || tr.Success || tr.Epochs != 300 || r.AlphaCStrict != 0 {
			t.Errorf("seed %d: first trial %+v, strict α_c %g", r.Seed, tr, r.AlphaCStrict)
		}
		if r.AlphaC < 0.5 || r.AlphaC > 2.5 || r.FirstSuccess == 0 {
			t.Errorf("seed %d: α_c = %g (first stored M %d)", r.Seed, r.AlphaC, r.FirstSuccess)
		}
		last := r.Trials[len(r.Trials)-1]
		if last.Success || last.M != int(math.Round(r.AlphaC*20))+4 {
			t.Errorf("seed %d: scan did not end at the first failure after α_c: %+v", r.Seed, r.Trials)
		}
		t.Logf("seed %d: α_c %.2f, trials %v", r.Seed, r.AlphaC, r.Trials)
	}
	again, _ := Capacity(cfg, opt, seeds, 1, nil)
	for i := range res {
		res[i].Seconds, again[i].Seconds = 0, 0
	}
	if !reflect.DeepEqual(res, again) {
		t.Error("1 and 2 jobs give different scans")
	}
}

func TestCapacityHebbian(t *testing.T) {
	res, err := Capacity(memCfg(100, 1, Hebbian), CapacityOptions{Stride: 1}, []uint64{1, 2}, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.AlphaC < 0.05 || r.AlphaC > 0.3 || r.AlphaC != r.AlphaCStrict || r.FirstSuccess != 1 {
			t.Errorf("Hebbian seed %d: α_c %g, strict %g", r.Seed, r.AlphaC, r.AlphaCStrict)
		}
		for _, tr := range r.Trials {
			if tr.Epochs != 0 {
				t.Errorf("Hebbian trial trained %d epochs", tr.Epochs)
			}
		}
	}
}

func TestCapacityLeadFailures(t *testing.T) {
	// Weights that barely move (lr 1e-9) store nothing: recall from ±1e-4
	// random weights is a coin flip per unit.
	cfg := memCfg(12, 1, Infomorphic)
	cfg.LR = 1e-9
	cfg.Epochs = 20
	r := CapacityScan(cfg, CapacityOptions{LeadFailures: 3}, 1)
	if r.AlphaC != 0 || r.FirstSuccess != 0 || len(r.Trials) != 3 || r.Capped {
		t.Errorf("scan %+v", r)
	}
}

func TestMeanSD(t *testing.T) {
	m, sd := MeanSD([]float64{1, 2, 3, 4})
	if m != 2.5 || math.Abs(sd-math.Sqrt(5.0/3)) > 1e-15 {
		t.Errorf("MeanSD = %g, %g", m, sd)
	}
	if m, sd := MeanSD([]float64{7}); m != 7 || sd != 0 {
		t.Errorf("one value: %g, %g", m, sd)
	}
	if m, _ := MeanSD(nil); !math.IsNaN(m) {
		t.Errorf("no values: %g", m)
	}
}

func TestNoiseSweep(t *testing.T) {
	cfg := memCfg(40, 0.5, Infomorphic)
	cfg.Epochs = 60
	flips := []float64{0, 0.1, 0.3, 0.5}
	curves, err := NoiseSweep(cfg, []uint64{1, 2}, flips, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 2 || curves[0].Rule != "infomorphic" || curves[1].Rule != "hebbian" {
		t.Fatalf("curves %+v", curves)
	}
	if c := curves[0]; c.Mean[0] < 0.95 || c.Success[0] != 2 {
		t.Errorf("infomorphic: clean recall %g (%d/2)", c.Mean[0], c.Success[0])
	}
	if c := curves[1]; c.Mean[0] > 0.95 { // α = 0.5 is far beyond Hebbian capacity
		t.Errorf("hebbian: clean recall %g at α = 0.5", c.Mean[0])
	}
	for _, c := range curves {
		if c.Mean[3] > 0.5 {
			t.Errorf("%s: recall from half-flipped cues %g", c.Rule, c.Mean[3])
		}
		for _, s := range c.Seeds {
			want := 60
			if c.Rule == "hebbian" {
				want = 0
			}
			if s.Epochs != want || len(s.Scores) != 4 || s.Err != "" {
				t.Errorf("%s seed %+v", c.Rule, s)
			}
		}
		t.Logf("%s: %v success %v", c.Rule, c.Mean, c.Success)
	}
	if got := NoiseFlips(); len(got) != 11 || got[0] != 0 || got[10] != 0.5 || got[1] != 0.05 {
		t.Errorf("NoiseFlips() = %v", got)
	}
}
