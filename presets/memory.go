package presets

import (
	"fmt"
	"math"
	"slices"

	"infomorph-tui/tasks"
)

// Memory is the settings block of a "memory" preset: an associative memory
// (Hopfield network) of infomorphic neurons or the Hebbian baseline.
//
//	{"name": "memory-redundancy", "task": "memory", "description": "…",
//	 "memory": {"neurons": 100, "alpha": 0.5, "rule": "infomorphic",
//	            "gamma": [0, 0, 1, 0, 0], "lr": 0.05, "epochs": 5000, "cue_noise": 0.1}}
type Memory struct {
	Neurons int     `json:"neurons"`
	Alpha   float64 `json:"alpha"` // stored patterns per neuron: M = round(α·N)
	Rule    string  `json:"rule"`  // "infomorphic" or "hebbian"
	// Gamma is the goal over {1} unique R, {2} unique C, {1}{2}, {12}, h_res;
	// optional for hebbian (only the lab's sliders and atoms use it there).
	Gamma []float64 `json:"gamma,omitempty"`
	// LR is Adam's learning rate (infomorphic; hebbian: optional, unused).
	LR     float64 `json:"lr,omitempty"`
	Epochs int     `json:"epochs"` // epoch budget per stored-pattern count
	// CueNoise is the fraction of flipped cue bits of the noisy recall test.
	CueNoise float64 `json:"cue_noise,omitempty"`
}

// memoryOrder is the listing order of the built-in memory presets.
var memoryOrder = map[string]int{"memory-redundancy": 0, "memory-mi": 1, "memory-optimized": 2, "memory-hebbian": 3}

// MemoryBuiltin returns the embedded memory presets in a stable order. They
// are kept apart from Builtin (the MNIST presets); Everything lists both.
func MemoryBuiltin() []Preset {
	entries, err := memoryFS.ReadDir("memory")
	if err != nil {
		panic(err) // embedded at build time
	}
	var out []Preset
	for _, e := range entries {
		data, _ := memoryFS.ReadFile("memory/" + e.Name())
		p, err := Parse(data, "builtin")
		if err != nil {
			panic("presets: builtin " + e.Name() + ": " + err.Error())
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b Preset) int { return rank(memoryOrder, a.Name) - rank(memoryOrder, b.Name) })
	return out
}

// validateMemory checks a memory preset; errors name the field.
func (p Preset) validateMemory() error {
	if len(p.Layers) > 0 {
		return fmt.Errorf("layers: a memory preset has no layers (its network is set by memory)")
	}
	m := p.Memory
	if m == nil {
		return fmt.Errorf("memory: missing (a memory task needs neurons, alpha, rule, gamma, lr, epochs)")
	}
	rule, err := tasks.ParseMemoryRule(m.Rule)
	if err != nil {
		return fmt.Errorf("memory.rule: %v", err)
	}
	if m.Neurons < 2 || m.Neurons > 4096 {
		return fmt.Errorf("memory.neurons: %d is out of range 2..4096", m.Neurons)
	}
	if !(m.Alpha > 0 && m.Alpha <= 20) {
		return fmt.Errorf("memory.alpha: %g must be in (0, 20] patterns per neuron", m.Alpha)
	}
	if m.Epochs < 1 || m.Epochs > 1000000 {
		return fmt.Errorf("memory.epochs: %d is out of range 1..1000000", m.Epochs)
	}
	if !(m.CueNoise >= 0 && m.CueNoise <= 0.5) {
		return fmt.Errorf("memory.cue_noise: %g must be a fraction of flipped bits in [0, 0.5]", m.CueNoise)
	}
	if rule == tasks.Infomorphic || m.Gamma != nil {
		if len(m.Gamma) != 5 {
			return fmt.Errorf("memory.gamma: has %d entries, want 5 (4 atoms + h_res)", len(m.Gamma))
		}
		for k, g := range m.Gamma {
			if math.IsNaN(g) || math.IsInf(g, 0) {
				return fmt.Errorf("memory.gamma[%d]: not a finite number", k)
			}
		}
	}
	if err := tooBig(memoryBytes(m.Neurons, max(1, int(math.Round(m.Alpha*float64(m.Neurons)))))); err != nil {
		return fmt.Errorf("memory: %v", err)
	}
	if rule == tasks.Infomorphic && !(m.LR > 0 && m.LR < 10) {
		return fmt.Errorf("memory.lr: %g must be in (0, 10)", m.LR)
	}
	if rule == tasks.Hebbian && !(m.LR >= 0 && m.LR < 10) {
		return fmt.Errorf("memory.lr: %g must be in [0, 10)", m.LR)
	}
	return nil
}

// IsMemory reports whether the preset is an associative-memory task.
func (p Preset) IsMemory() bool { return p.Task == "memory" }

// MemoryConfig converts a memory preset into the task's configuration for a
// seed. A Hebbian preset without γ gets the redundancy goal (0, 0, 1, 0, 0)
// and without lr the protocol's 0.05, so that the lab's sliders and a switch
// of rule have something to work with.
func (p Preset) MemoryConfig(seed uint64) (tasks.MemoryConfig, error) {
	if !p.IsMemory() || p.Memory == nil {
		return tasks.MemoryConfig{}, fmt.Errorf("task: preset %s is a %s preset, not a memory preset", p.Name, p.Task)
	}
	if err := p.validateMemory(); err != nil {
		return tasks.MemoryConfig{}, err
	}
	m := p.Memory
	rule, _ := tasks.ParseMemoryRule(m.Rule)
	cfg := tasks.MemoryConfig{Preset: p.Name, N: m.Neurons, Alpha: m.Alpha, Rule: rule,
		Gamma: slices.Clone(m.Gamma), LR: m.LR, Epochs: m.Epochs, CueNoise: m.CueNoise, Seed: seed}
	if cfg.Gamma == nil {
		cfg.Gamma = []float64{0, 0, 1, 0, 0}
	}
	if cfg.LR == 0 {
		cfg.LR = tasks.MemoryLR
	}
	return cfg, cfg.Validate()
}
