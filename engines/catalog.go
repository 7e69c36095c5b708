package engines

import (
	"infomorph-tui/presets"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// Catalog lists presets for the lab's preset pane: MNIST presets are
// disabled, with the reason, when the data cannot be found (dataErr); memory
// presets need no data.
func Catalog(all []presets.Preset, dataErr error) []tui.PresetInfo {
	infos := make([]tui.PresetInfo, len(all))
	for i, p := range all {
		infos[i] = tui.PresetInfo{Name: p.Name, Description: p.Description, Available: dataErr == nil || p.IsMemory()}
		if !infos[i].Available {
			infos[i].Reason = dataErr.Error()
		}
	}
	return infos
}

// For builds the lab engine of a preset: a memory engine for memory presets,
// otherwise a LabEngine on the shared data.
func For(p presets.Preset, seed uint64, data *Data) (tui.Engine, error) {
	if p.IsMemory() {
		return NewMemory(p, seed)
	}
	ds, err := data.Load()
	if err != nil {
		return nil, err
	}
	run, err := NewRun(p, seed, ds)
	if err != nil {
		return nil, err
	}
	return NewLab(p, run), nil
}

// Factory is the lab's engine factory over a fixed preset list.
func Factory(all []presets.Preset, data *Data) tui.Factory {
	return func(name string, seed uint64) (tui.Engine, error) {
		p, err := presets.Find(all, name)
		if err != nil {
			return nil, err
		}
		return For(p, seed, data)
	}
}

// NewRun builds a fresh training run of an MNIST preset.
func NewRun(p presets.Preset, seed uint64, data *tasks.Dataset) (*tasks.Run, error) {
	spec, err := p.NetSpec()
	if err != nil {
		return nil, err
	}
	return tasks.NewRun(tasks.Config{Preset: p.Name, Net: spec, Seed: seed}, data)
}
