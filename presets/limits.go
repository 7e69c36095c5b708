package presets

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"infomorph-tui/internal/printable"
	"infomorph-tui/internal/safefile"
	"infomorph-tui/model"
	"infomorph-tui/tasks"
)

// Bounds on what a preset may ask for. Presets come from files (the user's
// folder, a run file's preset_def, a sweep's sweep.json) and a file of a few
// bytes must not make the program allocate more than it can train: a 1.7 KB
// run file asking for 100 000 hidden units once drove `run --resume` to 5 GB
// and an out-of-memory death. The bounds are checked before anything is
// allocated and leave room for well beyond the paper's largest network
// (2000 hidden units).
const (
	// MaxUnits is the most units a layer may have.
	MaxUnits = 10000
	// MaxTrainingBytes is the most memory a network may need to train,
	// as TrainingBytes estimates it.
	MaxTrainingBytes = 2 << 30
	// MaxFileSize is the largest user preset file read.
	MaxFileSize = 1 << 20
	// MaxNameLen is the longest preset name (bytes); MaxLayerNameLen the
	// longest layer name; MaxDescriptionLen the longest description.
	MaxNameLen        = 64
	MaxLayerNameLen   = 32
	MaxDescriptionLen = 1000
	// MaxBins is the most bins per compartment axis: a trivariate neuron's
	// estimate has bins³ cells.
	MaxBins = 64
)

// TrainingBytes estimates the memory a network needs to train: per weight its
// value, gradient, two Adam moments and a mask (5 float64), per unit the
// activations and their gradients for a batch (about 10 float64 a sample).
// Only the order of magnitude matters: it is the measure MaxTrainingBytes bounds.
func TrainingBytes(spec model.NetSpec) int64 {
	const perWeight, perUnit = 5 * 8, 10 * 8 * tasks.BatchSize
	var weights, units float64
	below, top := 0, 0
	if n := len(spec.Layers); n > 0 {
		top = spec.Layers[n-1].Units
	}
	for _, l := range spec.Layers {
		for _, src := range []model.Source{l.F, l.C, l.L} {
			in := 0
			switch src {
			case model.Image:
				in = spec.InputDim
			case model.Label:
				in = spec.Classes
			case model.Below:
				in = below
			case model.Feedback:
				in = top
			case model.Lateral:
				in = l.Units
				if l.Partners > 0 {
					in = l.Partners
				}
			}
			weights += float64(in+1) * float64(l.Units)
		}
		units += float64(l.Units)
		below = l.Units
	}
	return clampBytes(weights*perWeight + units*perUnit)
}

// memoryBytes estimates what a memory task of n neurons and m stored
// patterns needs: the n×n weights with gradient and Adam moments, and the
// patterns with their recall states (float64 each).
func memoryBytes(n, m int) int64 {
	return clampBytes(float64(n)*float64(n)*5*8 + float64(m)*float64(n)*2*8)
}

func clampBytes(b float64) int64 { return int64(math.Min(b, math.MaxInt64/2)) }

// tooBig says why a network needing b bytes is refused, or nil.
func tooBig(b int64) error {
	if b <= MaxTrainingBytes {
		return nil
	}
	return fmt.Errorf("the network needs about %s of memory to train, more than the %s this program allows (a bound that keeps a small file from exhausting the machine)",
		safefile.Size(b), safefile.Size(MaxTrainingBytes))
}

// checkName: a preset's name is a short, printable word without slashes.
func checkName(name string) error {
	switch {
	case name == "" || len(name) > MaxNameLen:
		return fmt.Errorf("name: must have 1 to %d bytes (got %d)", MaxNameLen, len(name))
	case !printable.Is(name) || strings.ContainsAny(name, " /\\"):
		return fmt.Errorf("name: must be a printable word without spaces or slashes (got %s)", printable.Quote(name))
	}
	return nil
}

// checkDescription: a description is one printable line of limited length.
func checkDescription(d string) error {
	switch {
	case len(d) > MaxDescriptionLen:
		return fmt.Errorf("description: %d bytes, at most %d", len(d), MaxDescriptionLen)
	case !printable.Is(d):
		return fmt.Errorf("description: must be one line of printable characters (got %s)", printable.Quote(d))
	}
	return nil
}

// ValidName reports whether name may name a preset (see Validate).
func ValidName(name string) bool { return checkName(name) == nil }

// ValidLayerName reports whether name may name a layer: a word of at most
// MaxLayerNameLen letters, digits, '-', '_' or '.'.
func ValidLayerName(name string) bool { return checkLayerName("", name) == nil }

// checkLayerName: a layer's name is a short word of letters, digits, '-',
// '_' and '.': it names CSV columns ("hidden:{1}") and JSON keys.
func checkLayerName(field, name string) error {
	if name == "" {
		return fmt.Errorf("%s.name: missing", field)
	}
	ok := len(name) <= MaxLayerNameLen && utf8.ValidString(name)
	for _, r := range name {
		ok = ok && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.')
	}
	if !ok {
		return fmt.Errorf("%s.name: must be a word of at most %d letters, digits, '-', '_' or '.' (got %s)", field, MaxLayerNameLen, printable.Quote(name))
	}
	return nil
}
