package sweep

import (
	"errors"
	"os"
	"slices"

	"infomorph-tui/model"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// Training is one run of a folder (a sweep's or a study's) on its way to
// its run file: started fresh, or continued from the partial file an
// interrupted process saved. Sweeps and studies (package tune) share it.
type Training struct {
	Run       *tasks.Run
	Rec       *runfile.Record
	Continued bool // continued from the partial file
	path      string
	part      string
}

// TrainingSpec says which run to start or continue.
type TrainingSpec struct {
	Def   presets.Preset
	Net   model.NetSpec
	Data  *tasks.Dataset
	Layer int       // the layer whose γ is set
	Gamma []float64 // that layer's γ
	Seed  uint64
	// Version is the code version recorded in the run file.
	Version string
	// Path is the finished run's file; Part the partial state's.
	Path, Part string
}

// StartTraining continues the partial run saved at s.Part when it is this
// run's (preset, seed and the layer's γ), or builds a new run with the
// layer's γ set. A partial file that does not fit or cannot be read is
// reported through logf and ignored. The run trains on one goroutine, so its
// results do not depend on how many train at once.
func StartTraining(s TrainingSpec, logf func(string, ...any)) (*Training, error) {
	t := &Training{path: s.Path, part: s.Part}
	if run, rec, ok := continuePart(s, logf); ok {
		t.Run, t.Rec, t.Continued = run, rec, true
	} else {
		run, err := tasks.NewRun(tasks.Config{Preset: s.Def.Name, Net: s.Net, Seed: s.Seed}, s.Data)
		if err != nil {
			return nil, err
		}
		if err := run.SetGamma(s.Layer, s.Gamma); err != nil {
			return nil, err
		}
		r := runfile.New(s.Version, s.Def, run)
		t.Run, t.Rec = run, &r
	}
	t.Run.SetWorkers(1)
	return t, nil
}

// continuePart loads the partial run of s if one is saved and fits.
func continuePart(s TrainingSpec, logf func(string, ...any)) (*tasks.Run, *runfile.Record, bool) {
	if _, err := os.Stat(s.Part); err != nil {
		return nil, nil, false
	}
	rec, err := runfile.Load(s.Part)
	if err == nil && (rec.Seed != s.Seed || rec.Preset != s.Def.Name) {
		err = errors.New("it is not this run's state")
	}
	if err == nil {
		if g, ok := rec.LastGamma(s.Net.Layers[s.Layer].Name); !ok || !slices.Equal(g, s.Gamma) {
			err = errors.New("its γ is not this run's")
		}
	}
	var run *tasks.Run
	if err == nil {
		run, _, err = rec.Resume(s.Data)
	}
	if err != nil {
		if logf != nil {
			logf("%s: %v; training the run from the start", s.Part, err)
		}
		return nil, nil, false
	}
	return run, &rec, true
}

// SavePart writes the run's complete state to the partial file, to be
// continued by the next StartTraining.
func (t *Training) SavePart() error {
	t.Rec.Update(t.Run, true)
	return runfile.Save(t.part, *t.Rec)
}

// Finish writes the run file (with the training state unless noState) and
// removes the partial file; failing to remove it is reported through logf.
func (t *Training) Finish(noState bool, logf func(string, ...any)) error {
	t.Rec.Update(t.Run, !noState)
	if err := runfile.Save(t.path, *t.Rec); err != nil {
		return err
	}
	if err := os.Remove(t.part); err != nil && !errors.Is(err, os.ErrNotExist) && logf != nil {
		logf("%v", err)
	}
	return nil
}
