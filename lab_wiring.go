package main

import (
	"infomorph-tui/presets"
	"infomorph-tui/tui"
)

// presetInfos lists presets for the lab's preset pane: MNIST presets are
// disabled, with the reason, when the data cannot be found; memory presets
// need no data.
func presetInfos(all []presets.Preset, dataErr error) []tui.PresetInfo {
	infos := make([]tui.PresetInfo, len(all))
	for i, p := range all {
		infos[i] = tui.PresetInfo{Name: p.Name, Description: p.Description, Available: dataErr == nil || p.IsMemory()}
		if !infos[i].Available {
			infos[i].Reason = dataErr.Error()
		}
	}
	return infos
}

// engineFor builds the lab engine of a preset. MNIST presets share one
// read-only data set, loaded once by src on first use.
func engineFor(p presets.Preset, seed uint64, src *labData) (tui.Engine, error) {
	if p.IsMemory() {
		return newMemoryEngine(p, seed)
	}
	data, err := src.load()
	if err != nil {
		return nil, err
	}
	run, err := newRun(p, seed, data)
	if err != nil {
		return nil, err
	}
	return newLabEngine(p, run), nil
}
