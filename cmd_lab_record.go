package main

import (
	"errors"
	"math"
	"slices"

	"infomorph-tui/pid"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// recordEngine shows a run file that cannot be continued (the run diverged,
// or it was saved without its training state): its epochs, γ and atoms,
// read-only. Training, γ changes and reset are refused with why.
type recordEngine struct {
	rec           runfile.Record
	layers        []tui.LayerInfo
	gamma, preset [][]float64
	why           error
}

var _ tui.Engine = (*recordEngine)(nil)

// newRecordEngine builds the read-only engine of a record; why says why it
// cannot be continued.
func newRecordEngine(rec runfile.Record, why error) (*recordEngine, error) {
	p, err := rec.PresetDef()
	if err != nil {
		return nil, err
	}
	spec, err := p.NetSpec()
	if err != nil {
		return nil, err
	}
	e := &recordEngine{rec: rec, why: errors.New("read-only: " + why.Error())}
	for _, l := range spec.Layers {
		atoms := append(slices.Clone(pid.AtomNames(l.Sources())), "h_res")
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

func (e *recordEngine) Step() error                                         { return e.why }
func (e *recordEngine) Reset() error                                        { return e.why }
func (e *recordEngine) SetGamma(int, []float64) error                       { return e.why }
func (e *recordEngine) Layers() []tui.LayerInfo                             { return e.layers }
func (e *recordEngine) Gamma(layer int) []float64                           { return slices.Clone(e.gamma[layer]) }
func (e *recordEngine) PresetGamma(layer int) []float64                     { return slices.Clone(e.preset[layer]) }
func (e *recordEngine) ReceptiveField(int, int) ([]float64, int, int, bool) { return nil, 0, 0, false }

// Snapshot is the record's last epoch; Diverged says why it is read-only, so
// that the lab holds the run as stopped from the start.
func (e *recordEngine) Snapshot() tasks.Snapshot {
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
