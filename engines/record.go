package engines

import (
	"errors"
	"math"
	"slices"
	"sync"

	"infomorph-tui/pid"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// RecordEngine shows a run file that cannot be continued (the run diverged,
// or it was saved without its training state): its epochs, γ and atoms,
// read-only. Training, γ changes and reset are refused with why.
type RecordEngine struct {
	rec           runfile.Record
	layers        []tui.LayerInfo
	gamma, preset [][]float64
	why           error
}

var (
	_ tui.Engine     = (*RecordEngine)(nil)
	_ tui.Unsaveable = (*RecordEngine)(nil)
)

// WhyNotSaveable: the run is shown from its file, which already holds it.
func (e *RecordEngine) WhyNotSaveable() string {
	return "this run is shown read-only from its file, which already holds it"
}

// NewRecord builds the read-only engine of a record; why says why it cannot
// be continued.
func NewRecord(rec runfile.Record, why error) (*RecordEngine, error) {
	p, err := rec.PresetDef()
	if err != nil {
		return nil, err
	}
	spec, err := p.NetSpec()
	if err != nil {
		return nil, err
	}
	if n := len(rec.Epochs); n > 0 { // a run on other data: its readout had one unit per class
		if k := len(rec.Epochs[n-1].ConfusionRows()); k >= 2 && k != spec.Classes {
			if s, err := p.NetSpecFor(spec.InputDim, k); err == nil {
				spec = s
			}
		}
	}
	e := &RecordEngine{rec: rec, why: errors.New("read-only: " + why.Error())}
	for _, l := range spec.Layers {
		atoms := pid.GammaNames(l.Sources())
		e.layers = append(e.layers, tui.LayerInfo{Name: l.Name, AtomNames: atoms, Units: l.Units})
		g := slices.Clone(l.Gamma)
		if last, ok := rec.LastGamma(l.Name); ok {
			g = slices.Clone(last)
		}
		e.gamma = append(e.gamma, g)
		e.preset = append(e.preset, slices.Clone(l.Gamma))
	}
	return e, nil
}

func (e *RecordEngine) Step() error                                         { return e.why }
func (e *RecordEngine) Reset() error                                        { return e.why }
func (e *RecordEngine) SetGamma(int, []float64) error                       { return e.why }
func (e *RecordEngine) Layers() []tui.LayerInfo                             { return e.layers }
func (e *RecordEngine) Gamma(layer int) []float64                           { return slices.Clone(e.gamma[layer]) }
func (e *RecordEngine) PresetGamma(layer int) []float64                     { return slices.Clone(e.preset[layer]) }
func (e *RecordEngine) ReceptiveField(int, int) ([]float64, int, int, bool) { return nil, 0, 0, false }

// Snapshot is the record's last epoch; Diverged says why it is read-only, so
// that the lab holds the run as stopped from the start.
func (e *RecordEngine) Snapshot() tasks.Snapshot {
	s := tasks.Snapshot{Preset: e.rec.Preset, Seed: e.rec.Seed, History: slices.Clone(e.rec.Epochs), Diverged: e.why.Error()}
	s.TrainAcc, s.ValAcc, s.TestAcc = math.NaN(), math.NaN(), math.NaN()
	if n := len(e.rec.Epochs); n > 0 {
		last := e.rec.Epochs[n-1]
		s.Epoch = last.Epoch
		s.TrainAcc, s.ValAcc, s.TestAcc = last.TrainAcc, last.ValAcc, last.TestAcc
		s.SamplesPerSec = last.SamplesPerSec
		s.Layers = slices.Clone(last.Layers)
	}
	return s
}

// Open is the engine of a run file given with --open: the saved run
// continued, or shown read-only when it cannot be continued (that needs no
// data).
func Open(rec runfile.Record, data *Data) (tui.Engine, error) {
	if why := rec.CannotContinue(); why != nil {
		return NewRecord(rec, why)
	}
	return Resume(rec, data)
}

// Opened is the run file given with --open: the lab's first engine for its
// preset continues it; later loads of the preset start afresh.
type Opened struct {
	mu   sync.Mutex
	rec  runfile.Record
	used bool
}

// NewOpened holds rec for the lab's first engine of its preset.
func NewOpened(rec runfile.Record) *Opened { return &Opened{rec: rec} }

// Record is the opened run file (the zero Record for a nil *Opened).
func (o *Opened) Record() runfile.Record {
	if o == nil {
		return runfile.Record{}
	}
	return o.rec
}

// Take returns the record once, for the first engine of its preset. A nil
// *Opened has nothing to give.
func (o *Opened) Take(preset string) (runfile.Record, bool) {
	if o == nil {
		return runfile.Record{}, false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.used || preset != o.rec.Preset {
		return runfile.Record{}, false
	}
	o.used = true
	return o.rec, true
}
