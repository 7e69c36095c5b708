package model

import (
	"fmt"
	"slices"
)

// MemoryState is everything an associative memory learned or measured: its
// weights, goal and optimiser, and the atoms and θ of its last measurement.
// With it a memory built for the same N continues exactly as the original.
type MemoryState struct {
	W            Params    `json:"w"`
	Gamma        []float64 `json:"gamma"`
	ContextScale float64   `json:"context_scale"`
	Opt          AdamState `json:"opt"`
	NeuronAtoms  Params    `json:"neuron_atoms"`
	MeanTheta    Params    `json:"mean_theta"`
}

// State returns a deep copy of the memory's state.
func (m *Memory) State() MemoryState {
	return MemoryState{W: slices.Clone(m.W), Gamma: slices.Clone(m.Gamma), ContextScale: m.ContextScale,
		Opt: m.opt.state(), NeuronAtoms: slices.Clone(m.NeuronAtoms), MeanTheta: slices.Clone(m.MeanTheta)}
}

// Restore replaces the memory's state with s, which must come from a memory
// of the same size. It checks every shape and value first and changes
// nothing when it returns an error.
func (m *Memory) Restore(s MemoryState) error {
	nn := m.N * m.N
	switch {
	case len(s.W) != nn || len(s.Opt.M) != nn || len(s.Opt.V) != nn:
		return fmt.Errorf("memory state: %d weights and %d/%d moments, want %d", len(s.W), len(s.Opt.M), len(s.Opt.V), nn)
	case len(s.NeuronAtoms) != len(m.NeuronAtoms) || len(s.MeanTheta) != m.N:
		return fmt.Errorf("memory state: %d atoms and %d θ, want %d and %d", len(s.NeuronAtoms), len(s.MeanTheta), len(m.NeuronAtoms), m.N)
	case s.Opt.T < 0:
		return fmt.Errorf("memory state: %d optimiser steps", s.Opt.T)
	case !stateFinite(s.W) || !stateFinite(s.Opt.M) || !stateFinite(s.Opt.V) || !stateFinite([]float64{s.ContextScale}):
		return fmt.Errorf("memory state: weights, moments and context scale must be finite")
	}
	if err := m.SetGamma(s.Gamma); err != nil {
		return err
	}
	copy(m.W, s.W)
	m.ContextScale = s.ContextScale
	m.opt.restore(s.Opt)
	copy(m.NeuronAtoms, s.NeuronAtoms)
	copy(m.MeanTheta, s.MeanTheta)
	return nil
}
