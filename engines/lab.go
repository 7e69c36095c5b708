package engines

import (
	"infomorph-tui/internal/version"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// LabEngine adapts *tasks.Run to the lab's Engine interface. It keeps the
// run's record (γ history and finished epochs) so that the lab's `w` writes
// the run file of `run --out`, which `--open` and `run --resume` continue.
type LabEngine struct {
	*tasks.Run
	preset presets.Preset
	rec    runfile.Record
	// noted[l] is false while layer l's γ changed since the record last
	// logged it: changes are logged when they take effect, at the next
	// batch, so several key presses between two batches make one entry.
	noted []bool
}

var (
	_ tui.Engine                   = (*LabEngine)(nil)
	_ tui.RunSaver                 = (*LabEngine)(nil)
	_ tui.GammaHistory             = (*LabEngine)(nil)
	_ tui.Forker                   = (*LabEngine)(nil)
	_ tui.Progresser               = (*LabEngine)(nil)
	_ interface{ SetWorkers(int) } = (*LabEngine)(nil) // served labs train on one goroutine each
)

// NewLab wraps a fresh run of preset p.
func NewLab(p presets.Preset, run *tasks.Run) *LabEngine {
	return &LabEngine{Run: run, preset: p, rec: runfile.New(version.String(), p, run)}
}

// Resume rebuilds a saved run in its saved state, ready to continue.
func Resume(rec runfile.Record, data *Data) (*LabEngine, error) {
	if p, err := rec.PresetDef(); err != nil {
		return nil, err
	} else if p.IsMemory() {
		return nil, errMemoryRecord(p.Name)
	}
	def, _ := rec.PresetDef()
	ds, err := data.LoadFor(def)
	if err != nil {
		return nil, err
	}
	run, p, err := rec.Resume(ds)
	if err != nil {
		return nil, err
	}
	return &LabEngine{Run: run, preset: p, rec: rec}, nil
}

// SetGamma changes a layer's γ; the record logs it when it takes effect.
func (e *LabEngine) SetGamma(layer int, g []float64) error {
	if err := e.Run.SetGamma(layer, g); err != nil {
		return err
	}
	for len(e.noted) < e.Run.Layers() {
		e.noted = append(e.noted, true)
	}
	e.noted[layer] = false
	return nil
}

// note logs in the record every γ changed since the last batch.
func (e *LabEngine) note() {
	for l, ok := range e.noted {
		if !ok {
			e.rec.NoteGamma(e.Run, l)
			e.noted[l] = true
		}
	}
}

// Step trains one batch, logging the γ it trains with if it changed.
func (e *LabEngine) Step() error {
	e.note()
	return e.Run.Step()
}

// Fork is an independent copy of the engine in its current state (its run
// and its record), for the lab's baseline: trained on, it takes exactly the
// batches the original would.
func (e *LabEngine) Fork() (tui.Engine, error) {
	run, err := e.Run.Fork()
	if err != nil {
		return nil, err
	}
	e.note()
	rec := e.rec
	rec.Gamma = append([]runfile.GammaChange(nil), e.rec.Gamma...)
	return &LabEngine{Run: run, preset: e.preset, rec: rec}, nil
}

// Reset starts the run over; its record starts over with it.
func (e *LabEngine) Reset() error {
	if err := e.Run.Reset(); err != nil {
		return err
	}
	e.rec = runfile.New(version.String(), e.preset, e.Run)
	e.noted = nil
	return nil
}

// GammaHistory is the record's γ log (a resumed run's changes included), for
// the lab's chart markers.
func (e *LabEngine) GammaHistory() []tui.GammaChange {
	e.note()
	index := map[string]int{}
	for i := 0; i < e.Run.Layers(); i++ {
		name, _ := e.LayerName(i)
		index[name] = i
	}
	var out []tui.GammaChange
	for _, c := range e.rec.Gamma {
		if l, ok := index[c.Layer]; ok {
			out = append(out, tui.GammaChange{Step: c.Step, Layer: l, Gamma: c.Gamma})
		}
	}
	return out
}

// SaveRun writes the run file (with the training state unless the run
// diverged) atomically to path.
func (e *LabEngine) SaveRun(path string) error {
	e.note() // in force from the next batch: the state saved carries it
	e.rec.Update(e.Run, true)
	return runfile.Save(path, e.rec)
}

// Layers names each layer, its atoms (then h_res) and its size.
func (e *LabEngine) Layers() []tui.LayerInfo {
	out := make([]tui.LayerInfo, e.Run.Layers())
	for i := range out {
		name, atoms := e.LayerName(i)
		out[i] = tui.LayerInfo{Name: name, AtomNames: atoms, Units: e.Units(i), GammaUnused: e.GammaUnused(i)}
	}
	return out
}
