package engines

import (
	"infomorph-tui/presets"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// Catalog lists presets for the lab's preset pane: presets of the default
// data (the --data folder's, else MNIST) are disabled, with the reason, when
// it cannot be found (dataErr); CIFAR-10 presets when its files are not in
// tasks.DefaultCIFARDir (CatalogFor also looks in --data); memory presets
// and generated tasks need no data.
func Catalog(all []presets.Preset, dataErr error) []tui.PresetInfo {
	return catalog(all, func(p presets.Preset) error {
		switch {
		case p.IsMemory():
			return nil
		case p.Dataset == "" || p.Dataset == "mnist":
			return dataErr
		}
		return tasks.CheckSource(p.Dataset, "")
	})
}

// CatalogFor is Catalog with each preset's data looked for as data finds it.
func CatalogFor(all []presets.Preset, data *Data) []tui.PresetInfo {
	errs := map[string]error{}
	return catalog(all, func(p presets.Preset) error {
		if p.IsMemory() {
			return nil
		}
		err, ok := errs[p.Dataset]
		if !ok {
			err = data.AvailableFor(p)
			errs[p.Dataset] = err
		}
		return err
	})
}

func catalog(all []presets.Preset, avail func(presets.Preset) error) []tui.PresetInfo {
	infos := make([]tui.PresetInfo, len(all))
	for i, p := range all {
		err := avail(p)
		infos[i] = tui.PresetInfo{Name: p.Name, Description: p.Description, Available: err == nil}
		if err != nil {
			infos[i].Reason = err.Error()
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
	ds, err := data.LoadFor(p)
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

// NewRun builds a fresh training run of a layered preset on data: the
// network's input size and readout width follow the data.
func NewRun(p presets.Preset, seed uint64, data *tasks.Dataset) (*tasks.Run, error) {
	spec, err := p.NetSpecFor(data.Dim, data.Classes)
	if err != nil {
		return nil, err
	}
	return tasks.NewRun(tasks.Config{Preset: p.Name, Net: spec, Seed: seed}, data)
}
