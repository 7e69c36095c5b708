package tune

import (
	"errors"
	"fmt"
	"strings"

	"infomorph-tui/pid"
	"infomorph-tui/presets"
	"infomorph-tui/sweep"
)

// Spec says what a study searches and how. Processes with equal specs
// (apart from Trials, a per-process budget) share a study folder.
type Spec struct {
	Preset string         `json:"preset"`
	Def    presets.Preset `json:"preset_def"`
	Layer  string         `json:"layer"`
	// Base is the layer's γ in the preset; GammaNames names its entries.
	Base       []float64 `json:"base_gamma"`
	GammaNames []string  `json:"gamma_names"`
	Space      Space     `json:"space"`
	Sampler    string    `json:"sampler"`
	// SamplerSeed seeds the sampler: the same seed proposes the same trials.
	SamplerSeed uint64 `json:"sampler_seed"`
	Startup     int    `json:"startup,omitempty"`    // TPE: random trials first
	Candidates  int    `json:"candidates,omitempty"` // TPE: points scored per proposal
	Population  int    `json:"population,omitempty"` // CMA-ES: generation size
	// Enqueue makes trial 0 the preset's own γ (the baseline).
	Enqueue bool `json:"enqueue_preset"`
	// Trials is the number of trials the study was created for; a process
	// may be given another budget (it is not part of the study's identity).
	Trials    int    `json:"trials"`
	Epochs    int    `json:"epochs"`
	Seeds     int    `json:"seeds"`      // runs per trial, seeds FirstSeed …
	FirstSeed uint64 `json:"first_seed"` // … FirstSeed+Seeds−1
	Prune     Pruner `json:"prune"`
	// Data describes the data set's size, so that processes on other
	// machines are checked to train on the same data.
	Data string `json:"data"`
}

// Options are the settings of a new study; zero values take defaults.
type Options struct {
	Layer       string
	Vary        []sweep.Vary
	Sampler     string
	SamplerSeed uint64
	Trials      int
	Epochs      int
	Seeds       int
	FirstSeed   uint64
	Startup     int // TPE (0: a fifth of the trials, from 10 to 100)
	Candidates  int // TPE (0: DefaultCandidates)
	Population  int // CMA-ES (0: 4 + ⌊3 ln d⌋)
	Prune       Pruner
	NoEnqueue   bool // do not start with the preset's γ
}

// DefaultStartup is TPE's random start for a budget of trials: a fifth, as
// the authors' 100 of 500, from 10 to 100.
func DefaultStartup(trials int) int { return min(max(trials/5, 10), 100) }

// NewSpec checks a study of preset p and builds its spec. Errors are one
// line naming the argument at fault.
func NewSpec(p presets.Preset, o Options) (Spec, error) {
	s := Spec{Preset: p.Name, Def: p, Sampler: o.Sampler, SamplerSeed: o.SamplerSeed, Trials: o.Trials,
		Epochs: o.Epochs, Seeds: o.Seeds, FirstSeed: o.FirstSeed, Prune: o.Prune}
	switch {
	case o.Trials < 1 || o.Trials > 1000000:
		return s, errors.New("--trials must be between 1 and 1000000")
	case o.Epochs < 1 || o.Epochs > 100000:
		return s, errors.New("--epochs must be between 1 and 100000")
	case o.Seeds < 1 || o.Seeds > 1000:
		return s, errors.New("--seeds must be between 1 and 1000")
	case o.Startup < 0 || o.Candidates < 0 || o.Population < 0:
		return s, errors.New("--startup, --candidates and --population must be ≥ 0")
	case o.Population == 1:
		return s, errors.New("--population must be at least 2")
	}
	net, err := p.NetSpec()
	if err != nil {
		return s, fmt.Errorf("preset %s: %w", p.Name, err)
	}
	li := 0
	if o.Layer != "" {
		li = -1
		var names []string
		for i, l := range net.Layers {
			names = append(names, l.Name)
			if l.Name == o.Layer {
				li = i
			}
		}
		if li < 0 {
			return s, fmt.Errorf("--layer: preset %s has no layer %q (layers: %s)", p.Name, o.Layer, strings.Join(names, ", "))
		}
	}
	ls := net.Layers[li]
	s.Layer = ls.Name
	s.Base = append([]float64(nil), ls.Gamma...)
	s.GammaNames = pid.GammaNames(ls.Sources())
	if s.Space, err = DefaultSpace(s.GammaNames).Narrow(s.Layer, o.Vary); err != nil {
		return s, err
	}
	switch o.Sampler {
	case TPE:
		s.Startup, s.Candidates = o.Startup, o.Candidates
		if s.Startup == 0 {
			s.Startup = DefaultStartup(o.Trials)
		}
		if s.Candidates == 0 {
			s.Candidates = DefaultCandidates
		}
	case CMAES:
		s.Population = o.Population
		if s.Population == 0 {
			s.Population = DefaultPopulation(s.Space.Dims())
		}
	case Random:
	default:
		return s, fmt.Errorf("--sampler: unknown sampler %q (want %s)", o.Sampler, strings.Join(Samplers, ", "))
	}
	if _, ok := s.Space.Unit(s.Base); ok && !o.NoEnqueue {
		s.Enqueue = true
	}
	return s, s.check()
}

// offset is the number of enqueued trials before the sampler's own.
func (s Spec) offset() int {
	if s.Enqueue {
		return 1
	}
	return 0
}

// sampler builds the study's sampler.
func (s Spec) sampler() (Sampler, error) {
	return NewSampler(SamplerConfig{Name: s.Sampler, Dims: s.Space.Dims(), Seed: s.SamplerSeed, Offset: s.offset(),
		Startup: s.Startup, Candidates: s.Candidates, Population: s.Population})
}

// LayerIndex is the tuned layer's position in the network.
func (s Spec) LayerIndex() (int, error) {
	net, err := s.Def.NetSpec()
	if err != nil {
		return 0, err
	}
	for i, l := range net.Layers {
		if l.Name == s.Layer {
			return i, nil
		}
	}
	return 0, fmt.Errorf("preset %s has no layer %s", s.Preset, s.Layer)
}

// Seeds lists the training seeds of every trial.
func (s Spec) SeedList() []uint64 {
	out := make([]uint64, s.Seeds)
	for i := range out {
		out[i] = s.FirstSeed + uint64(i)
	}
	return out
}

// check validates a spec (also one read from a file).
func (s Spec) check() error {
	if err := s.Def.Validate(); err != nil {
		return fmt.Errorf("preset_def: %w", err)
	}
	if s.Def.Name != s.Preset || s.Seeds < 1 || s.Epochs < 1 || s.Trials < 1 || len(s.Base) != len(s.GammaNames) || len(s.Space) != len(s.Base) {
		return errors.New("incomplete or inconsistent study description")
	}
	if _, err := s.LayerIndex(); err != nil {
		return err
	}
	for i, d := range s.Space {
		if d.Atom != s.GammaNames[i] || d.Lo > d.Hi {
			return fmt.Errorf("space entry %q does not fit the layer's γ", d.Atom)
		}
	}
	if s.Space.Dims() == 0 {
		return errors.New("the space has no entry to search")
	}
	if _, err := s.sampler(); err != nil {
		return err
	}
	return nil
}

// Describe is one line: sampler, space, budget.
func (s Spec) Describe() string {
	seeds := fmt.Sprintf("seed %d", s.FirstSeed)
	if s.Seeds > 1 {
		seeds = fmt.Sprintf("seeds %d–%d", s.FirstSeed, s.FirstSeed+uint64(s.Seeds)-1)
	}
	return fmt.Sprintf("%s on %s (layer %s: %s), %d epochs, %s, pruning %s", s.Sampler, s.Preset, s.Layer,
		s.Space.Describe(), s.Epochs, seeds, s.Prune)
}
