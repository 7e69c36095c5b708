package tune

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"infomorph-tui/presets"
)

// ErrNoComplete is returned when a study has no complete trial yet.
var ErrNoComplete = errors.New("no complete trial yet")

// Best returns the study's best complete trial (by validation accuracy; the
// test accuracy is never used to choose).
func (s *Study) Best() (Trial, error) {
	trials, err := s.Trials()
	if err != nil {
		return Trial{}, err
	}
	b, ok := BestOf(trials)
	if !ok {
		return Trial{}, fmt.Errorf("%s: %w", s.Dir, ErrNoComplete)
	}
	return b, nil
}

// Preset is the study's preset with trial t's γ in the tuned layer, named
// name (default: PRESET-tuned) and described by where the γ comes from.
func (s *Study) Preset(t Trial, name string) (presets.Preset, error) {
	sp := s.Spec
	p := sp.Def
	if name == "" {
		name = sp.Preset + "-tuned"
	}
	p.Name = name
	p.Layers = append([]presets.Layer(nil), sp.Def.Layers...)
	li, err := sp.LayerIndex()
	if err != nil {
		return p, err
	}
	p.Layers[li].Gamma = append([]float64(nil), t.Gamma()...)
	val := "?"
	if t.Result != nil {
		val = fmt.Sprintf("%.2f%%", 100*float64(t.Result.Value))
	}
	seeds := fmt.Sprintf("seed %d", sp.FirstSeed)
	if sp.Seeds > 1 {
		seeds = fmt.Sprintf("%d seeds", sp.Seeds)
	}
	p.Description = fmt.Sprintf("%s with layer %s's γ from study trial %d (%s sampler): validation %s (%s, %d epochs)",
		sp.Preset, sp.Layer, t.Number, sp.Sampler, val, seeds, sp.Epochs)
	p.Source = ""
	if err := p.Validate(); err != nil {
		return p, err
	}
	return p, nil
}

// GammaList is γ as a comma-separated list in shortest exact form (the
// --gamma syntax of run).
func GammaList(g []float64) string {
	parts := make([]string, len(g))
	for i, v := range g {
		parts[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}
