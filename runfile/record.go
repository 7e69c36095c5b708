package runfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"infomorph-tui/internal/safefile"
	"infomorph-tui/presets"
	"infomorph-tui/tasks"
)

// Marshal returns the record as indented JSON with the current schema.
func Marshal(r Record) ([]byte, error) {
	r.Schema = Schema
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("run file: %v", err)
	}
	return append(data, '\n'), nil
}

// Save writes the record atomically as indented JSON, the bytes of Marshal,
// streamed (Encode) so that a large training state is not copied whole.
func Save(path string, r Record) error {
	return WriteAtomicFunc(path, func(w io.Writer) error { return Encode(w, r) })
}

// Load reads and checks a run file, training state included.
func Load(path string) (Record, error) { return load(path, true) }

// LoadSummary is Load without decoding the training state (State stays nil):
// faster for large networks when only the results are needed.
func LoadSummary(path string) (Record, error) { return load(path, false) }

func load(path string, state bool) (Record, error) {
	data, err := safefile.ReadRegular(path, MaxFileSize)
	if err != nil {
		return Record{}, err
	}
	r, err := parse(data, state)
	if err != nil {
		return Record{}, fmt.Errorf("%s: %v", path, err)
	}
	return r, nil
}

// Parse decodes and checks a run file's bytes; errors name the field at fault.
func Parse(data []byte) (Record, error) { return parse(data, true) }

// rawRecord splits a run file into its fields, to check each on its own.
type rawRecord struct {
	Schema   json.RawMessage `json:"schema"`
	Version  json.RawMessage `json:"version"`
	SavedAt  json.RawMessage `json:"saved_at"`
	Preset   json.RawMessage `json:"preset"`
	Def      json.RawMessage `json:"preset_def"`
	Seed     json.RawMessage `json:"seed"`
	Gamma    json.RawMessage `json:"gamma"`
	Epochs   json.RawMessage `json:"epochs"`
	Diverged json.RawMessage `json:"diverged"`
	Dataset  json.RawMessage `json:"dataset"`
	State    json.RawMessage `json:"state"`
}

func parse(data []byte, state bool) (Record, error) {
	var r Record
	var raw rawRecord
	if err := strict(data, &raw); err != nil {
		// Say first whether this is a run file at all, then what is wrong with it.
		var probe map[string]json.RawMessage
		if json.Unmarshal(data, &probe) != nil {
			return r, fmt.Errorf("not a run file (invalid JSON: %v)", err)
		}
		if err := checkSchema(probe["schema"]); err != nil {
			return r, err
		}
		return r, fmt.Errorf("not a valid run file: %v", err)
	}
	if err := checkSchema(raw.Schema); err != nil {
		return r, err
	}
	r.Schema = Schema
	for _, f := range []struct {
		name     string
		raw      json.RawMessage
		dst      any
		required bool
	}{
		{"version", raw.Version, &r.Version, true},
		{"saved_at", raw.SavedAt, &r.SavedAt, false},
		{"preset", raw.Preset, &r.Preset, true},
		{"seed", raw.Seed, &r.Seed, true},
		{"gamma", raw.Gamma, &r.Gamma, true},
		{"epochs", raw.Epochs, &r.Epochs, true},
		{"diverged", raw.Diverged, &r.Diverged, false},
		{"dataset", raw.Dataset, &r.Dataset, false},
	} {
		if f.raw == nil {
			if f.required {
				return r, fmt.Errorf("missing field %q", f.name)
			}
			continue
		}
		if err := strict(f.raw, f.dst); err != nil {
			return r, fmt.Errorf("field %q: %v", f.name, err)
		}
	}
	if raw.Def != nil && string(raw.Def) != "null" {
		p, err := presets.Parse(raw.Def, "preset_def")
		if err != nil {
			return r, err
		}
		r.Def = &p
	}
	if err := r.check(); err != nil {
		return r, err
	}
	if state && raw.State != nil && string(raw.State) != "null" {
		var c tasks.Checkpoint
		if err := strict(raw.State, &c); err != nil {
			return r, fmt.Errorf("field \"state\": %v", err)
		}
		if c.Epoch != len(r.Epochs) {
			return r, fmt.Errorf("state: at epoch %d, but %d epochs are recorded", c.Epoch, len(r.Epochs))
		}
		if err := checkState(&c); err != nil {
			return r, err
		}
		c.History = r.Epochs
		r.State = &c
	}
	return r, nil
}

// strict decodes one JSON value into dst, rejecting unknown fields and trailing data.
func strict(data []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func checkSchema(raw json.RawMessage) error {
	if raw == nil {
		return errors.New("not a run file: no \"schema\" field")
	}
	var s int
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("not a run file of this program: schema %s is not a version number", raw)
	}
	if s != Schema {
		return fmt.Errorf("run file schema %d, this build reads schema %d", s, Schema)
	}
	return nil
}

// check validates the decoded fields' values.
func (r *Record) check() error {
	if r.Preset == "" {
		return errors.New(`field "preset": empty`)
	}
	if err := r.checkTexts(); err != nil {
		return err
	}
	if r.Def != nil && r.Def.Name != r.Preset {
		return fmt.Errorf("preset_def is %q, preset is %q", r.Def.Name, r.Preset)
	}
	if len(r.Gamma) == 0 {
		return errors.New(`field "gamma": no γ recorded`)
	}
	for i, g := range r.Gamma {
		switch {
		case g.Layer == "":
			return fmt.Errorf("gamma[%d]: no layer name", i)
		case g.Step < 0 || i > 0 && g.Step < r.Gamma[i-1].Step:
			return fmt.Errorf("gamma[%d]: step %d is negative or before the previous change", i, g.Step)
		case len(g.Gamma) == 0:
			return fmt.Errorf("gamma[%d]: empty γ", i)
		case !finite(g.Gamma...):
			return fmt.Errorf("gamma[%d]: not finite", i)
		}
		if r.Def != nil {
			k := slices.IndexFunc(r.Def.Layers, func(l presets.Layer) bool { return l.Name == g.Layer })
			if k < 0 {
				return fmt.Errorf("gamma[%d]: the preset has no layer %q", i, g.Layer)
			}
			if want := len(r.Def.Layers[k].Gamma); len(g.Gamma) != want {
				return fmt.Errorf("gamma[%d]: %d values, layer %s has %d", i, len(g.Gamma), g.Layer, want)
			}
		}
	}
	for i, e := range r.Epochs {
		switch {
		case e.Epoch != i+1:
			return fmt.Errorf("epochs[%d]: epoch %d, want %d", i, e.Epoch, i+1)
		case !unit(e.TrainAcc) || !unit(e.ValAcc) || !unit(e.TestAcc):
			return fmt.Errorf("epochs[%d]: accuracies must be in [0, 1]", i)
		case !finite(e.SamplesPerSec, e.TrainSeconds):
			return fmt.Errorf("epochs[%d]: timings must be finite", i)
		}
	}
	var want []layerShape
	if r.Def != nil && r.Def.Task == "mnist" {
		if spec, err := r.Def.NetSpec(); err == nil {
			want = specShapes(spec)
		}
	}
	if err := checkEpochShapes(r.Epochs, want); err != nil {
		return err
	}
	return checkEpochDetails(r.Epochs)
}

func unit(v float64) bool { return v >= 0 && v <= 1 }

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// New starts the record of a run built from preset p: the run's current γ
// of every layer is logged at its current step.
func New(version string, p presets.Preset, run *tasks.Run) Record {
	def := p
	s := run.Snapshot()
	r := Record{Version: version, Preset: p.Name, Def: &def, Seed: s.Seed, Dataset: run.Data().Name}
	for i := 0; i < run.Layers(); i++ {
		name, _ := run.LayerName(i)
		r.Gamma = append(r.Gamma, GammaChange{Step: s.TotalSteps, Layer: name, Gamma: run.Gamma(i)})
	}
	r.Epochs = s.History
	return r
}

// NoteGamma logs a layer's current γ at the run's current step if it differs
// from the last γ logged for that layer. Call it after every SetGamma.
func (r *Record) NoteGamma(run *tasks.Run, layer int) {
	name, _ := run.LayerName(layer)
	g := run.Gamma(layer)
	if last, ok := r.LastGamma(name); ok && slices.Equal(last, g) {
		return
	}
	r.Gamma = append(r.Gamma, GammaChange{Step: run.Snapshot().TotalSteps, Layer: name, Gamma: g})
}

// LastGamma returns the last γ logged for a layer.
func (r *Record) LastGamma(layer string) ([]float64, bool) {
	for i := len(r.Gamma) - 1; i >= 0; i-- {
		if r.Gamma[i].Layer == layer {
			return r.Gamma[i].Gamma, true
		}
	}
	return nil, false
}

// Update copies the run's finished epochs and divergence into the record
// and, with state, its complete training state; it stamps the saving time.
func (r *Record) Update(run *tasks.Run, state bool) {
	s := run.Snapshot()
	r.Epochs = s.History
	r.Diverged = s.Diverged
	r.State = nil
	if state && s.Diverged == "" {
		c := run.Checkpoint()
		r.State = &c
	}
	r.SavedAt = time.Now().UTC().Format(time.RFC3339)
}

// PresetDef returns the preset the run was built from: the recorded
// definition or, in files without one, the named preset as it is now.
func (r *Record) PresetDef() (presets.Preset, error) {
	if r.Def != nil {
		return *r.Def, nil
	}
	all, _ := presets.All()
	return presets.Find(all, r.Preset)
}

// CannotContinue says why the run cannot be trained further (nil when it
// can): it diverged, or it was saved without its training state. Such a run
// can still be shown and plotted.
func (r *Record) CannotContinue() error {
	switch {
	case r.Diverged != "":
		return fmt.Errorf("the run diverged (%s); it cannot be continued", r.Diverged)
	case r.State == nil:
		return errors.New("the run file has no training state (saved without it); it can be shown and plotted, not continued")
	}
	return nil
}

// Resume rebuilds the run in the record's saved state on data (the same
// data set it was trained on), ready to continue training.
func (r *Record) Resume(data *tasks.Dataset) (*tasks.Run, presets.Preset, error) {
	p, err := r.PresetDef()
	if err != nil {
		return nil, p, err
	}
	if err := r.CannotContinue(); err != nil {
		return nil, p, err
	}
	spec, err := p.NetSpecFor(data.Dim, data.Classes)
	if err != nil {
		return nil, p, err
	}
	if err := checkEpochShapes(r.Epochs, specShapes(spec)); err != nil {
		return nil, p, fmt.Errorf("the recorded epochs do not fit preset %s: %v", p.Name, err)
	}
	run, err := tasks.RestoreRun(tasks.Config{Preset: p.Name, Net: spec, Seed: r.Seed}, data, *r.State)
	if err != nil {
		return nil, p, err
	}
	for i := 0; i < run.Layers(); i++ {
		name, _ := run.LayerName(i)
		if g, ok := r.LastGamma(name); ok && !slices.Equal(g, run.Gamma(i)) {
			return nil, p, fmt.Errorf("layer %s: the state's γ differs from the last logged γ", name)
		}
	}
	return run, p, nil
}
