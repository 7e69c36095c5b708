package engines

import (
	"fmt"
	"path/filepath"

	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// LoadBaseline reads a run file (w, run --out, a sweep point's run) as the
// lab's baseline: its finished epochs and each layer's last γ. Files written
// before the goal value G was recorded get it from their γ history.
func LoadBaseline(path string) (tui.Baseline, error) {
	rec, err := runfile.Load(path)
	if err != nil {
		return tui.Baseline{}, err
	}
	if len(rec.Epochs) == 0 {
		return tui.Baseline{}, fmt.Errorf("%s: no finished epochs to compare with", path)
	}
	b := tui.Baseline{Label: filepath.Base(path), Preset: rec.Preset, History: rec.Epochs, Gamma: map[string][]float64{}}
	for _, g := range rec.Gamma {
		b.Gamma[g.Layer] = g.Gamma
	}
	spe := 0
	if rec.State != nil {
		spe = rec.State.StepsPerEpoch
	}
	b.History = withGoals(rec, spe)
	return b, nil
}

// withGoals fills in each epoch's G = Σγ·Π where the file did not record it,
// with the γ last logged before the epoch ended (the last γ overall when the
// steps per epoch are unknown).
func withGoals(rec runfile.Record, spe int) []tasks.EpochStats {
	out := make([]tasks.EpochStats, len(rec.Epochs))
	for i, e := range rec.Epochs {
		e.Layers = append([]tasks.LayerStats(nil), e.Layers...)
		for k, l := range e.Layers {
			if l.Goal != 0 {
				continue
			}
			var g []float64
			for _, c := range rec.Gamma {
				if c.Layer == l.Name && (spe == 0 || c.Step < e.Epoch*spe) {
					g = c.Gamma
				}
			}
			e.Layers[k].Goal = tasks.GoalOf(g, l.Atoms)
		}
		out[i] = e
	}
	return out
}
