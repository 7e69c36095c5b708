package engines

import (
	"fmt"
	"math"

	"infomorph-tui/tui"
	"infomorph-tui/tune"
)

// StudyView is the Tune view's loader for the study in dir: each call reads
// the folder again (finished trials are read once and kept), so the view
// follows a study that runs in other processes.
func StudyView(dir string) (tui.StudyLoader, error) {
	st, err := tune.Open(dir)
	if err != nil {
		return nil, err
	}
	s := st.Spec
	seeds := fmt.Sprintf("seed %d", s.FirstSeed)
	if s.Seeds > 1 {
		seeds = fmt.Sprintf("seeds %d–%d", s.FirstSeed, s.FirstSeed+uint64(s.Seeds)-1)
	}
	about := fmt.Sprintf("%s on %s · layer %s · %d epoch%s · %s · pruning %s", s.Sampler, s.Preset, s.Layer,
		s.Epochs, plural(s.Epochs), seeds, s.Prune)
	return func() (tui.Study, error) {
		trials, err := st.Trials()
		if err != nil {
			return tui.Study{}, err
		}
		v := tui.Study{Title: "study " + dir, About: about, Names: s.GammaNames, Target: s.Trials}
		for _, t := range trials {
			vt := tui.StudyTrial{Number: t.Number, State: string(t.State), Val: math.NaN(), Test: math.NaN(), Gamma: t.Gamma()}
			if r := t.Result; r != nil {
				vt.Val, vt.Test, vt.Epochs = t.Value(), float64(r.Test), r.Epochs
			}
			v.Trials = append(v.Trials, vt)
		}
		return v, nil
	}, nil
}
