package cli

import (
	"fmt"
	"strconv"
	"strings"

	"infomorph-tui/engines"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// loadPreset finds a preset by name among built-in and user presets.
func loadPreset(name string) (presets.Preset, error) {
	all, _ := presets.All()
	return presets.Find(all, name)
}

// startRun builds a new run of a preset or, with resume, restores the run
// saved in that file and returns its record too.
func startRun(resume, preset string, seed uint64, dataDir string) (*tasks.Run, presets.Preset, *runfile.Record, error) {
	if resume == "" {
		p, err := loadPreset(preset)
		if err != nil {
			return nil, p, nil, err
		}
		data, err := tasks.LoadSource(p.Dataset, dataDir)
		if err != nil {
			return nil, p, nil, err
		}
		run, err := engines.NewRun(p, seed, data)
		return run, p, nil, err
	}
	rec, err := runfile.Load(resume)
	if err != nil {
		return nil, presets.Preset{}, nil, err
	}
	def, err := rec.PresetDef()
	if err != nil {
		return nil, def, nil, fmt.Errorf("%s: %w", resume, err)
	}
	data, err := tasks.LoadSource(def.Dataset, dataDir)
	if err != nil {
		return nil, presets.Preset{}, nil, err
	}
	run, p, err := rec.Resume(data)
	if err != nil && rec.Dataset != "" && rec.Dataset != data.Name {
		err = fmt.Errorf("%w (the run trained on %s, this is %s: give its --data)", err, rec.Dataset, data.Name)
	}
	if err != nil {
		return nil, p, nil, fmt.Errorf("%s: %w", resume, err)
	}
	return run, p, &rec, nil
}

// parseGamma reads a comma-separated γ list of the expected length.
func parseGamma(s string, want int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != want {
		return nil, fmt.Errorf("--gamma has %d values, this layer needs %d (atoms then h_res)", len(parts), want)
	}
	g := make([]float64, want)
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v != v || v > 1e300 || v < -1e300 {
			return nil, fmt.Errorf("--gamma value %d (%q) is not a finite number", i+1, p)
		}
		g[i] = v
	}
	return g, nil
}
