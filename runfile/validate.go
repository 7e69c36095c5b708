package runfile

// Checks of a run file's values beyond their JSON types: names that reach
// output, the shape of every epoch's atoms, the training state's numbers, and
// whether a destination can be written at all.

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"syscall"

	"infomorph-tui/internal/printable"
	"infomorph-tui/model"
	"infomorph-tui/pid"
	"infomorph-tui/presets"
	"infomorph-tui/tasks"
)

// MaxFileSize is the largest run file read. Files of the largest network
// presets allow (presets.MaxTrainingBytes) stay well below it; the bound
// keeps a link to a device or a runaway file from being read without end.
const MaxFileSize = 4 << 30

// Bounds on the free-text fields of a run file.
const (
	maxVersionLen  = 100
	maxSavedAtLen  = 64
	maxDivergedLen = 1000
	maxDatasetLen  = 4096 // a source name and a folder path
)

// checkText: a free-text field is printable and at most max bytes long.
func checkText(field, s string, max int) error {
	switch {
	case len(s) > max:
		return fmt.Errorf("field %q: %d bytes, at most %d", field, len(s), max)
	case !printable.Is(s):
		return fmt.Errorf("field %q: must be printable text on one line (got %s)", field, printable.Quote(s))
	}
	return nil
}

// checkTexts validates the names and texts of r that reach output.
func (r *Record) checkTexts() error {
	for _, f := range []struct {
		name, val string
		max       int
	}{{"version", r.Version, maxVersionLen}, {"saved_at", r.SavedAt, maxSavedAtLen}, {"diverged", r.Diverged, maxDivergedLen}, {"dataset", r.Dataset, maxDatasetLen}} {
		if err := checkText(f.name, f.val, f.max); err != nil {
			return err
		}
	}
	if !presets.ValidName(r.Preset) {
		return fmt.Errorf("field \"preset\": %s is not a preset name (a printable word of at most %d bytes)", printable.Quote(r.Preset), presets.MaxNameLen)
	}
	for i, g := range r.Gamma {
		if !presets.ValidLayerName(g.Layer) {
			return fmt.Errorf("gamma[%d]: %s is not a layer name", i, printable.Quote(g.Layer))
		}
	}
	return nil
}

// layerShape is what every epoch records of a layer: its name and the names
// of its γ entries (atoms, then h_res).
type layerShape struct {
	name  string
	atoms []string
}

// specShapes is the shape of each layer of a network.
func specShapes(spec model.NetSpec) []layerShape {
	out := make([]layerShape, len(spec.Layers))
	for i, l := range spec.Layers {
		out[i] = layerShape{l.Name, pid.GammaNames(l.Sources())}
	}
	return out
}

// checkEpochShapes: every epoch records the same layers with the atoms of a
// PID lattice (two or three sources) and one finite value per atom; with
// want (from the preset), those layers and atoms exactly.
func checkEpochShapes(epochs []tasks.EpochStats, want []layerShape) error {
	for i, e := range epochs {
		for k, l := range e.Layers {
			at := fmt.Sprintf("epochs[%d].layers[%d]", i, k)
			switch {
			case !presets.ValidLayerName(l.Name):
				return fmt.Errorf("%s: %s is not a layer name", at, printable.Quote(l.Name))
			case len(l.Atoms) != len(l.AtomNames) || len(l.Atoms) == 0 || !finite(l.Atoms...) || !finite(l.HY, l.Goal):
				return fmt.Errorf("%s: needs a name and one finite value per atom name", at)
			case !slices.Equal(l.AtomNames, pid.GammaNames(2)) && !slices.Equal(l.AtomNames, pid.GammaNames(3)):
				return fmt.Errorf("%s: atom_names must be the γ names of two or three sources (%v), not %s", at, pid.GammaNames(2), printable.Quote(fmt.Sprint(l.AtomNames)))
			}
			var ref layerShape
			switch {
			case want != nil && k < len(want):
				ref = want[k]
			case want == nil && i > 0:
				ref = layerShape{epochs[0].Layers[k].Name, epochs[0].Layers[k].AtomNames}
			default:
				continue
			}
			if l.Name != ref.name || !slices.Equal(l.AtomNames, ref.atoms) {
				return fmt.Errorf("%s: layer %s with %d atoms, want layer %s with %d (every epoch records the network's layers)", at, l.Name, len(l.AtomNames), ref.name, len(ref.atoms))
			}
		}
		n := len(epochs[0].Layers)
		if want != nil {
			n = len(want)
		}
		if len(e.Layers) != n {
			return fmt.Errorf("epochs[%d]: %d layers, the network has %d", i, len(e.Layers), n)
		}
	}
	return nil
}

// checkState validates the training state's numbers: positions, timings,
// every parameter and running sum finite (second moments and θ sums ≥ 0),
// names printable. Shapes are checked against the network when resuming
// (tasks.RestoreRun).
func checkState(c *tasks.Checkpoint) error {
	switch {
	case c.Epoch < 0 || c.Step < 0 || c.TotalSteps < 0:
		return errors.New("state: epoch, step and total_steps must be ≥ 0")
	case c.StepsPerEpoch < 1 || c.StepsPerEpoch > 1<<31 || c.Step >= c.StepsPerEpoch:
		return fmt.Errorf("state: step %d of %d steps per epoch is out of range", c.Step, c.StepsPerEpoch)
	case c.TotalSteps != c.Epoch*c.StepsPerEpoch+c.Step:
		return fmt.Errorf("state: %d total steps do not match epoch %d, step %d", c.TotalSteps, c.Epoch, c.Step)
	case !(c.TrainSeconds >= 0) || !(c.ElapsedSeconds >= 0) || !finite(c.TrainSeconds, c.ElapsedSeconds):
		return errors.New("state: train_seconds and elapsed_seconds must be finite and ≥ 0")
	case len(c.Windows) != len(c.Net.Layers):
		return fmt.Errorf("state: %d windows for %d layers", len(c.Windows), len(c.Net.Layers))
	}
	if err := checkText("state.diverged", c.Diverged, maxDivergedLen); err != nil {
		return err
	}
	for i, w := range c.Windows {
		at := fmt.Sprintf("state.windows[%d]", i)
		if w.N < 0 || w.N > c.Step {
			return fmt.Errorf("%s.n: %d measured batches at step %d", at, w.N, c.Step)
		}
		if !finite(w.Goal) {
			return fmt.Errorf("%s.goal: not finite", at)
		}
		for _, v := range []struct {
			name     string
			vals     []float64
			positive bool
		}{{"atoms", w.Atoms, false}, {"theta", w.Theta, true}, {"last_neurons", w.LastNeurons, false}, {"last_theta", w.LastTheta, true}} {
			if err := checkValues(at+"."+v.name, v.vals, v.positive); err != nil {
				return err
			}
		}
	}
	for i, l := range c.Net.Layers {
		at := fmt.Sprintf("state.net.layers[%d]", i)
		if !presets.ValidLayerName(l.Name) {
			return fmt.Errorf("%s: %s is not a layer name", at, printable.Quote(l.Name))
		}
		if err := checkValues(at+".gamma", l.Gamma, false); err != nil {
			return err
		}
		for _, cs := range []struct {
			name string
			s    *model.CompartmentState
		}{{"f", l.F}, {"c", l.C}, {"l", l.L}} {
			if cs.s == nil {
				continue
			}
			s, at := cs.s, at+"."+cs.name
			if s.In < 0 || s.Out < 0 || s.OptW.T < 0 || s.OptB.T < 0 {
				return fmt.Errorf("%s: negative size or step count", at)
			}
			for _, v := range []struct {
				name     string
				vals     []float64
				positive bool
			}{{"w", s.W, false}, {"b", s.B, false}, {"opt_w.m", s.OptW.M, false}, {"opt_w.v", s.OptW.V, true},
				{"opt_b.m", s.OptB.M, false}, {"opt_b.v", s.OptB.V, true}} {
				if err := checkValues(at+"."+v.name, v.vals, v.positive); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkValues: every value is finite and, if positive is set, ≥ 0.
func checkValues(field string, v []float64, positive bool) error {
	for i, x := range v {
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			return fmt.Errorf("%s: value %d is %v (the state must hold finite numbers)", field, i, x)
		case positive && x < 0:
			return fmt.Errorf("%s: value %d is %v, must be ≥ 0", field, i, x)
		}
	}
	return nil
}

// CheckDest reports whether a file can be written at path (by WriteAtomic)
// without writing it: path is not a folder, the nearest existing folder on
// the way to it is a folder (not a file) and a file can be created there.
// Nothing is left behind. Call it before long work whose result goes to path.
func CheckDest(path string) error {
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return fmt.Errorf("%s is a folder, not a file", path)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", path)
		}
	}
	dir := filepath.Dir(path)
	for {
		fi, err := os.Stat(dir)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("cannot write %s: %s is not a folder", path, dir)
			}
			break
		}
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("cannot write %s: %v", path, err)
		}
		up := filepath.Dir(dir)
		if up == dir {
			return fmt.Errorf("cannot write %s: %v", path, err)
		}
		dir = up
	}
	f, err := os.CreateTemp(dir, ".infomorph-write-check*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}
