package tasks

import (
	"errors"
	"fmt"
	"math"
	"time"

	"infomorph-tui/model"
)

// Checkpoint is a Run's complete training state. A run restored from it with
// the same Config and Dataset continues exactly as if it had never stopped:
// the shuffle and sampling keys depend only on (seed, epoch, step), so the
// position, the network with its optimisers and the epoch's accumulators suffice.
type Checkpoint struct {
	Epoch         int `json:"epoch"`       // completed epochs
	Step          int `json:"step"`        // batches trained in the current epoch
	TotalSteps    int `json:"total_steps"` // batches trained since the start
	StepsPerEpoch int `json:"steps_per_epoch"`
	// Net holds weights, biases, Adam moments and step counts, and the current γ.
	Net model.NetState `json:"net"`
	// Windows holds each layer's atom and θ sums over the current epoch.
	Windows        []WindowState `json:"windows"`
	TrainSeconds   float64       `json:"train_seconds"` // training time of the current epoch so far
	ElapsedSeconds float64       `json:"elapsed_seconds"`
	Diverged       string        `json:"diverged,omitempty"`
	// TrainCorrect counts the current epoch's training images classified
	// correctly so far (the running train accuracy, Run.SetTrainEval).
	TrainCorrect int `json:"train_correct,omitempty"`
	// History is the record of finished epochs; a run file carries it as its
	// epochs, so it is not repeated here in JSON.
	History []EpochStats `json:"-"`
}

// WindowState is a layer's running sums over the current epoch, and the
// per-neuron detail of the last finished epoch.
type WindowState struct {
	N     int          `json:"n"`     // measured batches
	Atoms model.Params `json:"atoms"` // Units×(atoms+1) sums, h_res last
	Theta model.Params `json:"theta"` // Units sums of the mean θ
	Goal  float64      `json:"goal"`  // sum of the layer's mean goal value G per measured batch
	// LastNeurons (Units×(atoms+1)) and LastTheta (Units) are the last
	// finished epoch's per-neuron atoms and mean θ; empty before the first.
	LastNeurons model.Params `json:"last_neurons,omitempty"`
	LastTheta   model.Params `json:"last_theta,omitempty"`
}

// Checkpoint returns a deep copy of the run's training state.
func (r *Run) Checkpoint() Checkpoint {
	c := Checkpoint{Epoch: r.epoch, Step: r.step, TotalSteps: r.total, StepsPerEpoch: r.StepsPerEpoch(),
		Net: r.net.State(), TrainSeconds: r.trainDur.Seconds(), ElapsedSeconds: r.elapsed.Seconds(),
		Diverged: r.diverged, TrainCorrect: r.correct, History: append([]EpochStats(nil), r.history...)}
	for i := range r.window {
		w := &r.window[i]
		ws := WindowState{N: w.n, Atoms: append(model.Params(nil), w.atoms...), Theta: append(model.Params(nil), w.theta...), Goal: w.goal}
		for _, row := range w.last.Neurons {
			ws.LastNeurons = append(ws.LastNeurons, row...)
		}
		ws.LastTheta = append(model.Params(nil), w.last.MeanTheta...)
		c.Windows = append(c.Windows, ws)
	}
	return c
}

// RestoreRun builds a run of cfg on data and puts it in the checkpoint's
// state. The checkpoint must come from a run of the same network on a data
// set of the same size; errors say what does not fit.
func RestoreRun(cfg Config, data *Dataset, c Checkpoint) (*Run, error) {
	r, err := NewRun(cfg, data)
	if err != nil {
		return nil, err
	}
	spe := r.StepsPerEpoch()
	switch {
	case c.StepsPerEpoch != spe:
		return nil, fmt.Errorf("checkpoint: taken with %d steps per epoch, this data set has %d (a different data set?)", c.StepsPerEpoch, spe)
	case c.Epoch < 0 || c.Step < 0 || c.Step >= spe:
		return nil, fmt.Errorf("checkpoint: position epoch %d, step %d is out of range (%d steps per epoch)", c.Epoch, c.Step, spe)
	case c.TotalSteps != c.Epoch*spe+c.Step:
		return nil, fmt.Errorf("checkpoint: %d total steps do not match epoch %d, step %d", c.TotalSteps, c.Epoch, c.Step)
	case len(c.History) != c.Epoch:
		return nil, fmt.Errorf("checkpoint: %d finished epochs recorded, the position says %d", len(c.History), c.Epoch)
	case len(c.Windows) != len(r.window):
		return nil, fmt.Errorf("checkpoint: %d layer windows, the network has %d layers", len(c.Windows), len(r.window))
	case c.TrainCorrect < 0 || c.TrainCorrect > c.Step*BatchSize:
		return nil, fmt.Errorf("checkpoint: %d correct training images after %d batches", c.TrainCorrect, c.Step)
	case !(c.TrainSeconds >= 0) || !(c.ElapsedSeconds >= 0) || math.IsInf(c.TrainSeconds+c.ElapsedSeconds, 0):
		return nil, errors.New("checkpoint: train and elapsed seconds must be finite and ≥ 0")
	}
	for i, w := range c.Windows {
		l := r.net.Layers[i]
		per := len(r.window[i].atoms)
		U := l.Spec.Units
		switch {
		case w.N < 0 || w.N > c.Step:
			return nil, fmt.Errorf("checkpoint: layer %s window counts %d batches at step %d", l.Spec.Name, w.N, c.Step)
		case len(w.Atoms) != per || len(w.Theta) != U:
			return nil, fmt.Errorf("checkpoint: layer %s window has %d atom and %d θ sums, want %d and %d", l.Spec.Name, len(w.Atoms), len(w.Theta), per, U)
		case len(w.LastNeurons) != 0 && len(w.LastNeurons) != per, len(w.LastTheta) != 0 && len(w.LastTheta) != U:
			return nil, fmt.Errorf("checkpoint: layer %s has %d last-epoch neuron atoms and %d θ, want %d and %d", l.Spec.Name, len(w.LastNeurons), len(w.LastTheta), per, U)
		}
		if c.Epoch > 0 {
			if got := len(c.History[c.Epoch-1].Layers); got != len(r.window) {
				return nil, fmt.Errorf("checkpoint: epoch %d records %d layers, the network has %d", c.Epoch, got, len(r.window))
			}
		}
	}
	if err := r.net.Restore(c.Net); err != nil {
		return nil, fmt.Errorf("checkpoint: %v", err)
	}
	for i, l := range r.net.Layers {
		copy(r.gamma[i], l.Spec.Gamma)
	}
	r.epoch, r.step, r.total = c.Epoch, c.Step, c.TotalSteps
	r.trainDur = time.Duration(c.TrainSeconds * float64(time.Second))
	r.elapsed = time.Duration(c.ElapsedSeconds * float64(time.Second))
	r.diverged = c.Diverged
	r.correct = c.TrainCorrect
	r.history = append([]EpochStats(nil), c.History...)
	if c.Epoch > 0 {
		last := r.history[c.Epoch-1]
		r.acc = [3]float64{last.TrainAcc, last.ValAcc, last.TestAcc}
		r.lastRate = last.SamplesPerSec
		last.Layers = append([]LayerStats(nil), last.Layers...)
		r.history[c.Epoch-1] = last
	}
	for i, w := range c.Windows {
		win := &r.window[i]
		win.n, win.goal = w.N, w.Goal
		copy(win.atoms, w.Atoms)
		copy(win.theta, w.Theta)
		if c.Epoch == 0 {
			continue
		}
		st := r.history[c.Epoch-1].Layers[i]
		na := len(win.atoms) / len(win.theta)
		if len(w.LastNeurons) > 0 {
			st.Neurons = make([][]float64, len(win.theta))
			for j := range st.Neurons {
				st.Neurons[j] = append([]float64(nil), w.LastNeurons[j*na:(j+1)*na]...)
			}
		}
		if len(w.LastTheta) > 0 {
			st.MeanTheta = append([]float64(nil), w.LastTheta...)
		}
		population(&st)
		r.history[c.Epoch-1].Layers[i] = st
		win.last = st
	}
	if r.step > 0 {
		r.shuffle()
	}
	return r, nil
}
