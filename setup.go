package main

import (
	"fmt"
	"strconv"
	"strings"

	"infomorph-tui/presets"
	"infomorph-tui/tasks"
)

// loadPreset finds a preset by name among built-in and user presets.
func loadPreset(name string) (presets.Preset, error) {
	all, _ := presets.All()
	return presets.Find(all, name)
}

// loadDataset locates, reads and prepares MNIST (--data, INFOMORPH_DATA or the GoMNIST module).
func loadDataset(dir string) (*tasks.Dataset, error) {
	d, err := tasks.FindMNISTDir(dir)
	if err != nil {
		return nil, err
	}
	m, err := tasks.LoadMNIST(d)
	if err != nil {
		return nil, err
	}
	return tasks.NewDataset(m), nil
}

// newRun builds a training run of a preset.
func newRun(p presets.Preset, seed uint64, data *tasks.Dataset) (*tasks.Run, error) {
	spec, err := p.NetSpec()
	if err != nil {
		return nil, err
	}
	return tasks.NewRun(tasks.Config{Preset: p.Name, Net: spec, Seed: seed}, data)
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
