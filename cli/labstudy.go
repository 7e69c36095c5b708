package cli

import (
	"fmt"

	"infomorph-tui/engines"
	"infomorph-tui/presets"
	"infomorph-tui/tui"
	"infomorph-tui/tune"
)

// runStudyView shows the tune study in dir (the lab's Tune view, following
// the folder while the study runs elsewhere). Enter on a trial returns the
// study's preset with that trial's γ, named PRESET-trialN, for the lab to
// open; nil when the user just quit.
func runStudyView(dir, colour string) (*presets.Preset, error) {
	load, err := engines.StudyView(dir)
	if err != nil {
		return nil, badInput(err)
	}
	chosen, ok, err := tui.RunStudy(load, colour, tui.StudyRefresh)
	if err != nil || !ok {
		return nil, err
	}
	st, err := tune.Open(dir)
	if err != nil {
		return nil, err
	}
	trials, err := st.Trials()
	if err != nil {
		return nil, err
	}
	for _, t := range trials {
		if t.Number == chosen.Number {
			p, err := st.Preset(t, fmt.Sprintf("%s-trial%d", st.Spec.Preset, t.Number))
			if err != nil {
				return nil, err
			}
			return &p, nil
		}
	}
	return nil, fmt.Errorf("%s has no trial %d", dir, chosen.Number)
}
