package plots

import (
	"math"
	"testing"

	"infomorph-tui/presets"
	"infomorph-tui/tune"
)

// fakeStudy is a study of n trials on mnist-lateral (5 γ entries): a
// pattern of complete, pruned and failed trials.
func fakeStudy(t *testing.T, n int) (tune.Spec, []tune.Trial) {
	t.Helper()
	p, err := presets.Find(presets.Builtin(), "mnist-lateral")
	if err != nil {
		t.Fatal(err)
	}
	s, err := tune.NewSpec(p, tune.Options{Sampler: tune.TPE, SamplerSeed: 1, Trials: n, Epochs: 10, Seeds: 2, FirstSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var trials []tune.Trial
	for i := range n {
		g := []float64{math.Sin(float64(i)), math.Cos(float64(i)), 0.1 * float64(i%7), -0.25, 0}
		v := 0.8 + 0.05*math.Sin(float64(i)*1.3) + 0.002*float64(i)
		r := &tune.ResultFile{Number: i, State: tune.Complete, Epochs: 10, Value: tune.Float(v), Test: tune.Float(v + 0.01)}
		switch {
		case i%5 == 3:
			r.State, r.Epochs, r.Value = tune.Pruned, 3, tune.Float(0.3+0.01*float64(i))
		case i == 7:
			r.State, r.Value = tune.Failed, tune.Float(math.NaN())
		}
		trials = append(trials, tune.Trial{Number: i, State: r.State, Proposal: tune.ProposalFile{Number: i, Gamma: g}, Result: r})
	}
	trials = append(trials, tune.Trial{Number: n, State: tune.Running, Proposal: tune.ProposalFile{Number: n, Gamma: make([]float64, 5)}})
	return s, trials
}

// A study: the history on top (3.3 in), the 5 slice plots in two rows of
// three (2.3 in each).
func TestStudyFigure(t *testing.T) {
	s, trials := fakeStudy(t, 30)
	f, err := Study(s, trials)
	if err != nil {
		t.Fatal(err)
	}
	checkImage(t, decode(t, f), 7, 3.3+2*2.3)
	if _, err := Study(s, trials[len(trials)-1:]); err == nil {
		t.Error("a study without finished trials was drawn")
	}
}
