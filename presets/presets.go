package presets

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"infomorph-tui/internal/safefile"
	"infomorph-tui/model"
	"infomorph-tui/pid"
	"infomorph-tui/tasks"
)

//go:embed builtin/*.json
var builtin embed.FS

//go:embed memory/*.json
var memoryFS embed.FS

// Default is the preset the lab opens with.
const Default = "mnist-context"

// Preset is a named experiment as stored in JSON.
type Preset struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Task        string  `json:"task"`
	Layers      []Layer `json:"layers,omitempty"`
	// Training is "local" (absent: every layer learns its own goal) or
	// "backprop" (end to end on the readout's cross-entropy; γ unused).
	Training string `json:"training,omitempty"`
	// Memory holds the settings of a "memory" task (nil for mnist).
	Memory *Memory `json:"memory,omitempty"`
	// Dataset names the data of a layered ("mnist" task) preset; absent is
	// "mnist": the --data folder's data, else MNIST. See tasks.SourceNames.
	// Input size and readout width follow the data the run finds.
	Dataset string `json:"dataset,omitempty"`
	// Source is where the preset came from: "builtin" or a file path.
	Source string `json:"-"`
}

// Layer is one layer of a preset.
type Layer struct {
	Name            string     `json:"name"`
	Units           int        `json:"units"`
	F               string     `json:"f"`
	C               string     `json:"c"`
	L               string     `json:"l,omitempty"`
	IdentityContext bool       `json:"identity_context,omitempty"`
	Activation      Activation `json:"activation"`
	Binning         string     `json:"binning"`
	Gamma           []float64  `json:"gamma"`
	LR              float64    `json:"lr"`
	WD              float64    `json:"wd"`
	// Partners > 0: each neuron has that many random lateral partners
	// (0 or absent: all other neurons).
	Partners int `json:"partners,omitempty"`
	// Firing is "sample" (absent: ±1 samples), "sample01" (0/1 samples) or
	// "heaviside" (deterministic 0/1).
	Firing string `json:"firing,omitempty"`
	// Bins is the number of bins per compartment axis of the PID estimate
	// (0 or absent: the binning's 20); the binning keeps its range.
	Bins int `json:"bins,omitempty"`
	// Float32 runs the layer's weight products and activation in float32
	// and samples by hashing (model.LayerSpec): faster for wide layers, not
	// bit-identical to float64.
	Float32 bool `json:"float32,omitempty"`
}

// Activation names an activation and its constants.
type Activation struct {
	Kind string  `json:"kind"`
	K1   float64 `json:"k1,omitempty"`
	K2   float64 `json:"k2,omitempty"`
	C1   float64 `json:"c1,omitempty"`
	C2   float64 `json:"c2,omitempty"`
	Beta float64 `json:"beta,omitempty"`
}

// Parse decodes and validates one preset; errors name the source and field.
func Parse(data []byte, source string) (Preset, error) {
	var p Preset
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("%s: %v", source, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return p, fmt.Errorf("%s: trailing data after the preset object", source)
	}
	p.Source = source
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("%s: %v", source, err)
	}
	return p, nil
}

// Validate checks every field; the error names the field.
func (p Preset) Validate() error {
	if err := checkName(p.Name); err != nil {
		return err
	}
	if err := checkDescription(p.Description); err != nil {
		return err
	}
	switch p.Task {
	case "mnist":
		if p.Memory != nil {
			return fmt.Errorf("memory: only a memory task has memory settings")
		}
		if err := tasks.CheckSourceName(p.Dataset); err != nil {
			return fmt.Errorf("dataset: %v", err)
		}
	case "memory":
		if p.Dataset != "" {
			return fmt.Errorf("dataset: a memory preset makes its own patterns; it has no dataset")
		}
		return p.validateMemory()
	default:
		return fmt.Errorf("task: unknown task %q (want mnist or memory)", p.Task)
	}
	if len(p.Layers) == 0 {
		return fmt.Errorf("layers: at least one layer is needed")
	}
	_, err := p.NetSpec()
	return err
}

// NetSpec converts the preset into a model network description for the
// data its dataset names (tasks.SourceShape: MNIST's 784 inputs and 10
// classes by default); the readout must have one unit per class.
func (p Preset) NetSpec() (model.NetSpec, error) {
	dim, classes := tasks.SourceShape(p.Dataset)
	return p.netSpec(dim, classes, false)
}

// NetSpecFor is NetSpec for data of dim inputs and classes classes (a
// --data folder's): the readout is given one unit per class, whatever the
// preset says, and everything else is checked as NetSpec checks it.
func (p Preset) NetSpecFor(dim, classes int) (model.NetSpec, error) {
	return p.netSpec(dim, classes, true)
}

// DatasetName is the preset's data source ("mnist" when absent).
func (p Preset) DatasetName() string {
	if p.Dataset == "" && p.Task == "mnist" {
		return "mnist"
	}
	return p.Dataset
}

func (p Preset) netSpec(dim, classes int, fitReadout bool) (model.NetSpec, error) {
	spec := model.NetSpec{InputDim: dim, Classes: classes}
	if p.Training != "" {
		t, err := model.ParseTraining(p.Training)
		if err != nil {
			return spec, fmt.Errorf("training: %v", err)
		}
		spec.Training = t
	}
	if p.Task != "mnist" {
		return spec, fmt.Errorf("task: preset %s is a %s preset, not an mnist network", p.Name, p.Task)
	}
	if len(p.Layers) == 0 {
		return spec, fmt.Errorf("layers: at least one layer is needed")
	}
	for i, l := range p.Layers {
		field := fmt.Sprintf("layers[%d]", i)
		if fitReadout && i == len(p.Layers)-1 {
			l.Units = classes
		}
		ls, err := l.spec(field, i == 0)
		if err != nil {
			return spec, err
		}
		spec.Layers = append(spec.Layers, ls)
	}
	if last := spec.Layers[len(spec.Layers)-1]; last.Units != spec.Classes {
		return spec, fmt.Errorf("layers[%d].units: the readout needs %d units, one per class", len(spec.Layers)-1, spec.Classes)
	}
	if last := spec.Layers[len(spec.Layers)-1]; last.Fixed() {
		return spec, fmt.Errorf("layers[%d].lr: the readout must learn (lr > 0)", len(spec.Layers)-1)
	}
	if err := spec.Check(); err != nil {
		return spec, fmt.Errorf("layers: %v", err)
	}
	if err := tooBig(TrainingBytes(spec)); err != nil {
		return spec, fmt.Errorf("layers: %v", err)
	}
	return spec, nil
}

func (l Layer) spec(field string, first bool) (model.LayerSpec, error) {
	s := model.LayerSpec{Name: l.Name, Units: l.Units, LR: l.LR, WD: l.WD, IdentityContext: l.IdentityContext}
	if err := checkLayerName(field, l.Name); err != nil {
		return s, err
	}
	if l.Units < 1 || l.Units > MaxUnits {
		return s, fmt.Errorf("%s.units: %d is out of range 1..%d (a bound that keeps a small file from asking for more memory than the machine has)", field, l.Units, MaxUnits)
	}
	var err error
	if s.F, err = model.ParseSource(l.F); err != nil || s.F == model.None || s.F == model.Lateral {
		return s, fmt.Errorf("%s.f: receptive source %q must be image or below", field, l.F)
	}
	if first != (s.F == model.Image) {
		return s, fmt.Errorf("%s.f: the first layer reads the image, later layers read below", field)
	}
	if s.C, err = model.ParseSource(l.C); err != nil || s.C == model.None || s.C == model.Image || s.C == model.Below {
		return s, fmt.Errorf("%s.c: context source %q must be label, lateral or feedback", field, l.C)
	}
	if l.L != "" {
		if s.L, err = model.ParseSource(l.L); err != nil || s.L != model.Lateral && s.L != model.None {
			return s, fmt.Errorf("%s.l: lateral source %q must be lateral or none", field, l.L)
		}
	}
	kind, err := model.ParseActKind(l.Activation.Kind)
	if err != nil {
		return s, fmt.Errorf("%s.activation.kind: %v", field, err)
	}
	s.Act = model.Activation{Kind: kind, K1: l.Activation.K1, K2: l.Activation.K2, C1: l.Activation.C1, C2: l.Activation.C2, Beta: l.Activation.Beta}
	if kind == model.ThreeSource && s.L == model.None {
		return s, fmt.Errorf("%s.activation.kind: three-source needs a lateral source l", field)
	}
	if kind != model.ThreeSource && s.L != model.None {
		return s, fmt.Errorf("%s.activation.kind: a layer with three sources needs the three-source activation", field)
	}
	switch l.Binning {
	case "fixed":
		s.Bins = model.FixedBins()
	case "adaptive":
		s.Bins = model.AdaptiveBins()
	default:
		return s, fmt.Errorf("%s.binning: unknown binning %q (want fixed or adaptive)", field, l.Binning)
	}
	if l.Bins != 0 {
		if l.Bins < 2 || l.Bins > MaxBins {
			return s, fmt.Errorf("%s.bins: %d must be in 2..%d (0 or absent: %d)", field, l.Bins, MaxBins, s.Bins.Bins)
		}
		s.Bins.Bins = l.Bins
	}
	want := len(pid.GammaNames(s.Sources()))
	if len(l.Gamma) != want {
		return s, fmt.Errorf("%s.gamma: has %d entries, want %d (%d atoms + h_res)", field, len(l.Gamma), want, want-1)
	}
	for k, g := range l.Gamma {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return s, fmt.Errorf("%s.gamma[%d]: not a finite number", field, k)
		}
	}
	s.Gamma = append([]float64(nil), l.Gamma...)
	if !(l.LR >= 0 && l.LR < 10) {
		return s, fmt.Errorf("%s.lr: %g must be in [0, 10) (0: a fixed layer)", field, l.LR)
	}
	if !(l.WD >= 0 && l.WD < 10) {
		return s, fmt.Errorf("%s.wd: %g must be in [0, 10)", field, l.WD)
	}
	if l.IdentityContext && s.C != model.Label {
		return s, fmt.Errorf("%s.identity_context: needs c = label", field)
	}
	if l.Partners != 0 && (l.Partners < 1 || l.Partners > l.Units-1 || s.C != model.Lateral && s.L != model.Lateral) {
		return s, fmt.Errorf("%s.partners: %d must be in 1..units−1 and needs a lateral source", field, l.Partners)
	}
	s.Partners = l.Partners
	s.Float32 = l.Float32
	if l.Firing != "" {
		if s.Firing, err = model.ParseFiring(l.Firing); err != nil {
			return s, fmt.Errorf("%s.firing: %v", field, err)
		}
	}
	return s, nil
}

// Builtin returns the embedded presets in a stable order.
func Builtin() []Preset {
	entries, err := builtin.ReadDir("builtin")
	if err != nil {
		panic(err) // embedded at build time
	}
	var out []Preset
	for _, e := range entries {
		data, _ := builtin.ReadFile("builtin/" + e.Name())
		p, err := Parse(data, "builtin")
		if err != nil {
			panic("presets: builtin " + e.Name() + ": " + err.Error())
		}
		out = append(out, p)
	}
	order := map[string]int{"mnist-readout": 0, "mnist-context": 1, "mnist-context-opt": 2, "mnist-lateral": 3,
		"mnist-lateral-opt": 4, "mnist-trivariate": 5, "mnist-trivariate-4atom": 6,
		"mnist-context-2000": 7, "mnist-trivariate-2000-sparse": 8,
		"mnist-backprop": 9, "mnist-random-projection": 10, "mnist-trivariate-feedback": 11,
		"mnist-backprop-2000": 12, "mnist-random-projection-2000": 13, "mnist-trivariate-feedback-2000": 14,
		"mnist-trivariate-2layer": 15, "bars-unsupervised": 16, "logic-xor": 17, "logic-and": 18,
		"logic-parity3": 19, "cifar10-trivariate": 20}
	sort.SliceStable(out, func(i, j int) bool { return rank(order, out[i].Name) < rank(order, out[j].Name) })
	return out
}

func rank(order map[string]int, name string) int {
	if r, ok := order[name]; ok {
		return r
	}
	return len(order)
}

// UserDir is where user presets live: $XDG_CONFIG_HOME/infomorph-tui/presets
// or ~/.config/infomorph-tui/presets.
func UserDir() string {
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "infomorph-tui", "presets")
}

// LoadUser reads every *.json in dir. Bad files are reported, not fatal:
// the good presets are still returned. Only regular files (or links to them)
// of at most MaxFileSize bytes are read: a FIFO or a link to a device named
// *.json is reported, never opened for a blocking or endless read.
func LoadUser(dir string) ([]Preset, []error) {
	if dir == "" {
		return nil, nil
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	sort.Strings(files)
	var out []Preset
	var errs []error
	for _, f := range files {
		data, err := safefile.ReadRegular(f, MaxFileSize)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := Parse(data, f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, p)
	}
	return out, errs
}

// All returns the built-in MNIST presets followed by user presets from
// UserDir; a user preset with a built-in's name is reported and skipped.
// Everything adds the built-in memory presets.
func All() ([]Preset, []error) { return withUser(Builtin()) }

// Everything returns the built-in MNIST presets, the built-in memory presets
// (MemoryBuiltin), then user presets from UserDir; a user preset with a
// built-in's name is reported and skipped.
func Everything() ([]Preset, []error) { return withUser(append(Builtin(), MemoryBuiltin()...)) }

func withUser(all []Preset) ([]Preset, []error) {
	seen := map[string]bool{}
	for _, p := range all {
		seen[p.Name] = true
	}
	user, errs := LoadUser(UserDir())
	for _, p := range user {
		if seen[p.Name] {
			errs = append(errs, fmt.Errorf("%s: name: %q is already taken by another preset", p.Source, p.Name))
			continue
		}
		seen[p.Name] = true
		all = append(all, p)
	}
	return all, errs
}

// Find returns the preset with the given name.
func Find(all []Preset, name string) (Preset, error) {
	for _, p := range all {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.Name
	}
	return Preset{}, fmt.Errorf("unknown preset %q (available: %s)", name, strings.Join(names, ", "))
}
