package tasks

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"infomorph-tui/model"
	"infomorph-tui/pid"
)

// BatchSize is the MNIST protocol's batch size.
const BatchSize = 1024

// AtomEvery is how often (in batches) the layers' atoms are measured; the
// epoch's last batch is always measured. Atoms cost more than the gradient.
const AtomEvery = 8

// Config says what a Run trains.
type Config struct {
	Preset string
	Net    model.NetSpec
	Seed   uint64
}

// Run is a steppable training session: one batch or one epoch at a time,
// evaluated at every epoch's end. It is not safe for concurrent use.
type Run struct {
	cfg     Config
	data    *Dataset
	net     *model.Network
	gamma   [][]float64 // current γ per layer, kept across Reset
	workers int

	epoch, step, total int
	perm               []int
	img, lab           model.Input
	labels             []uint8
	pred               []int

	trainDur, elapsed time.Duration
	lastRate          float64
	acc               [3]float64 // train, val, test of the last evaluation
	window            []layerWindow
	history           []EpochStats
	diverged          string
	progress          func(done, total int) // evaluation progress (SetProgress)
	evalDone          int                   // images evaluated so far at this epoch's end
	conf              []int                 // while evaluating the test set: its confusion counts
	// trainEval makes every epoch's end re-evaluate the whole training split
	// (SetTrainEval); otherwise the train figure is the running accuracy of
	// the epoch's training batches, counted in correct.
	trainEval bool
	correct   int
}

// layerWindow accumulates per-neuron atoms and θ over the current epoch,
// and the layer's mean goal value under the γ of each measured batch.
type layerWindow struct {
	atoms, theta []float64
	goal         float64
	n            int
	last         LayerStats
}

// NewRun builds a run from a network description and a prepared dataset.
func NewRun(cfg Config, data *Dataset) (*Run, error) {
	if n := cfg.Net; n.InputDim != data.Dim || n.Classes != data.Classes {
		return nil, fmt.Errorf("the network reads %d inputs into %d classes, the data set (%s) has %d inputs and %d classes", n.InputDim, n.Classes, data.Name, data.Dim, data.Classes)
	}
	r := &Run{cfg: cfg, data: data}
	for _, l := range cfg.Net.Layers {
		r.gamma = append(r.gamma, append([]float64(nil), l.Gamma...))
	}
	if err := r.Reset(); err != nil {
		return nil, err
	}
	return r, nil
}

// SetWorkers fixes the goroutines per step (0: GOMAXPROCS). Results do not depend on it.
func (r *Run) SetWorkers(n int) {
	r.workers = n
	if n > 0 {
		r.net.Workers = n
	}
}

// ReleaseBatch frees the network's one-batch buffers (model.Network.ReleaseBatch)
// once training is over, before a checkpoint copies the weights; training may
// still go on afterwards.
func (r *Run) ReleaseBatch() { r.net.ReleaseBatch() }

// SetTrainEval chooses the train accuracy of every epoch: true re-evaluates
// the whole training split after the epoch (zero context, as validation and
// test: 48k more images, most of the evaluation time); false, the default,
// reports the running accuracy of the epoch's training batches as they were
// trained (label context, weights changing), the figure the authors report.
// Weights, validation and test results do not depend on it.
func (r *Run) SetTrainEval(on bool) { r.trainEval = on }

// Reset goes back to epoch 0 with the same seed, keeping the current γ.
func (r *Run) Reset() error {
	spec := r.cfg.Net
	spec.Layers = append([]model.LayerSpec(nil), spec.Layers...)
	for i := range spec.Layers {
		spec.Layers[i].Gamma = append([]float64(nil), r.gamma[i]...)
	}
	net, err := model.NewNetwork(spec, r.cfg.Seed)
	if err != nil {
		return err
	}
	r.net = net
	if r.workers > 0 {
		net.Workers = r.workers
	}
	r.epoch, r.step, r.total, r.correct = 0, 0, 0, 0
	r.trainDur, r.elapsed, r.lastRate = 0, 0, 0
	r.acc = [3]float64{math.NaN(), math.NaN(), math.NaN()}
	r.history = nil
	r.diverged = ""
	r.window = make([]layerWindow, len(net.Layers))
	for i, l := range net.Layers {
		r.window[i].atoms = make([]float64, len(l.NeuronAtoms))
		r.window[i].theta = make([]float64, l.Spec.Units)
	}
	return nil
}

// StepsPerEpoch is the number of batches in one epoch (the last one partial).
func (r *Run) StepsPerEpoch() int { return (len(r.data.Train) + BatchSize - 1) / BatchSize }

// Network exposes the model, read-only by convention (for inspection and tests).
func (r *Run) Network() *model.Network { return r.net }

// Epoch returns the number of completed epochs.
func (r *Run) Epoch() int { return r.epoch }

// StepInEpoch returns how many batches of the current epoch are done, as
// Snapshot().Step does without building the layer statistics.
func (r *Run) StepInEpoch() int { return r.step }

// Step trains one batch and counts its correct predictions (the running
// train accuracy); after an epoch's last batch it evaluates validation and
// test accuracy (and the training split with SetTrainEval). Once training
// diverged every call fails until Reset.
func (r *Run) Step() error {
	if r.diverged != "" {
		return errors.New(r.diverged)
	}
	start := time.Now()
	if r.step == 0 {
		r.shuffle()
	}
	lo := r.step * BatchSize
	hi := min(lo+BatchSize, len(r.perm))
	r.labels = r.data.Fill(TrainSet, r.perm[lo:hi], &r.img, r.labels)
	r.lab.OneHot(r.labels, r.data.Classes, false)
	key := model.Mix(r.cfg.Seed, uint64(r.epoch), uint64(r.step), 1)
	measure := r.step%AtomEvery == 0 || r.step == r.StepsPerEpoch()-1
	for _, l := range r.net.Layers {
		l.SkipAtoms = !measure
	}
	if err := r.net.Train(&r.img, &r.lab, key); err != nil {
		r.diverged = fmt.Sprintf("epoch %d, step %d: %v", r.epoch+1, r.step+1, err)
		return errors.New(r.diverged)
	}
	if measure {
		r.accumulate()
	}
	r.countCorrect()
	r.step++
	r.total++
	d := time.Since(start)
	r.trainDur += d
	r.elapsed += d
	if r.step == r.StepsPerEpoch() {
		r.finishEpoch()
	}
	return nil
}

// shuffle sets the current epoch's training order; it depends only on the seed and the epoch.
func (r *Run) shuffle() {
	r.perm = append(r.perm[:0], r.data.Train...)
	rng := rand.New(rand.NewPCG(r.cfg.Seed, model.Mix(0x5f1e, uint64(r.epoch))))
	rng.Shuffle(len(r.perm), func(i, j int) { r.perm[i], r.perm[j] = r.perm[j], r.perm[i] })
}

// StepEpoch trains until the current epoch ends.
func (r *Run) StepEpoch() error {
	for {
		if err := r.Step(); err != nil {
			return err
		}
		if r.step == 0 {
			return nil
		}
	}
}

// countCorrect adds the training batch's correct predictions (the readout's
// θ of the training pass, read as Predict reads it) to the running count.
func (r *Run) countCorrect() {
	n := len(r.labels)
	if cap(r.pred) < n {
		r.pred = make([]int, BatchSize)
	}
	r.pred = r.pred[:n]
	var inv []bool // polarity.go
	if r.polarityByLabels() {
		inv = invertedByLabels(r.net, r.labels)
	}
	predictWith(r.net, inv, r.pred)
	for b, p := range r.pred {
		if p == int(r.labels[b]) {
			r.correct++
		}
	}
}

func (r *Run) accumulate() {
	for i, l := range r.net.Layers {
		w := &r.window[i]
		for k, v := range l.NeuronAtoms {
			w.atoms[k] += v
		}
		w.goal += meanGoal(r.gamma[i], l.NeuronAtoms, l.Spec.Units)
		for k, v := range l.MeanTheta {
			w.theta[k] += v
		}
		w.n++
	}
}

func (r *Run) finishEpoch() {
	rate := float64(len(r.data.Train)) / r.trainDur.Seconds()
	secs := r.trainDur.Seconds()
	evalStart := time.Now()
	r.evalDone = 0
	kind := TrainRunning
	r.acc[0] = float64(r.correct) / float64(len(r.data.Train))
	if r.trainEval {
		kind = TrainEvaluated
		r.acc[0] = r.Evaluate(TrainSet, r.data.Train, 0)
	}
	r.correct = 0
	r.acc[1] = r.Evaluate(TrainSet, r.data.Val, 1)
	r.conf = make([]int, r.data.Classes*r.data.Classes)
	r.acc[2] = r.Evaluate(TestSet, r.data.Test, 2)
	conf := r.conf
	r.conf = nil
	r.elapsed += time.Since(evalStart)
	r.epoch++
	r.step = 0
	r.trainDur = 0
	r.lastRate = rate
	layers := make([]LayerStats, len(r.window))
	for i := range r.window {
		layers[i] = r.windowStats(i)
		r.window[i].last = layers[i]
		r.window[i].n, r.window[i].goal = 0, 0
		clear(r.window[i].atoms)
		clear(r.window[i].theta)
	}
	if n := len(r.history); n > 0 {
		r.history[n-1].Layers = withoutNeurons(r.history[n-1].Layers)
	}
	r.history = append(r.history, EpochStats{Epoch: r.epoch, TrainAcc: r.acc[0], TrainAccKind: kind, ValAcc: r.acc[1], TestAcc: r.acc[2],
		SamplesPerSec: rate, TrainSeconds: secs, Layers: layers, Confusion: conf})
	if b, ok := r.barStats(0); ok {
		r.history[len(r.history)-1].Bars = &b
	}
	if l, ok := r.logicStats(); ok {
		r.history[len(r.history)-1].Logic = &l
	}
}

// EvalImages is the number of images evaluated at every epoch's end
// (validation and test splits, and the training split with SetTrainEval).
func (r *Run) EvalImages() int {
	n := len(r.data.Val) + len(r.data.Test)
	if r.trainEval {
		n += len(r.data.Train)
	}
	return n
}

// SetProgress sets a function that the run calls after every evaluated batch
// at an epoch's end, with the images evaluated so far and EvalImages: a large
// network evaluates for seconds, and a display can say so meanwhile. It is
// called on the goroutine that calls Step; nil turns it off.
func (r *Run) SetProgress(fn func(done, total int)) { r.progress = fn }

// Evaluate returns the accuracy on the given images with zero context.
func (r *Run) Evaluate(set Set, ids []int, tag uint64) float64 {
	correct := 0
	inv := r.evalPolarity(tag) // polarity.go
	for lo, k := 0, 0; lo < len(ids); lo, k = lo+BatchSize, k+1 {
		hi := min(lo+BatchSize, len(ids))
		r.labels = r.data.Fill(set, ids[lo:hi], &r.img, r.labels)
		r.lab.OneHot(r.labels, r.data.Classes, true)
		r.net.Infer(&r.img, &r.lab, model.Mix(r.cfg.Seed, uint64(r.epoch), uint64(k), 2, tag))
		if cap(r.pred) < hi-lo {
			r.pred = make([]int, BatchSize)
		}
		r.pred = r.pred[:hi-lo]
		predictWith(r.net, inv, r.pred)
		for b, p := range r.pred {
			if p == int(r.labels[b]) {
				correct++
			}
			if c := r.data.Classes; r.conf != nil && p >= 0 && p < c {
				r.conf[int(r.labels[b])*c+p]++
			}
		}
		r.evalDone += hi - lo
		if r.progress != nil {
			r.progress(r.evalDone, r.EvalImages())
		}
	}
	return float64(correct) / float64(len(ids))
}

// windowStats averages a layer's window: atoms per neuron and their mean.
func (r *Run) windowStats(i int) LayerStats {
	l := r.net.Layers[i]
	w := &r.window[i]
	names := pid.GammaNames(l.Spec.Sources())
	na := len(names)
	st := LayerStats{Name: l.Spec.Name, AtomNames: names, Atoms: make([]float64, na)}
	if w.n == 0 {
		if w.last.Atoms != nil {
			return w.last
		}
		return st
	}
	U := l.Spec.Units
	st.Neurons = make([][]float64, U)
	st.MeanTheta = make([]float64, U)
	flat := make([]float64, U*na) // one allocation, not one a neuron
	for j := 0; j < U; j++ {
		st.Neurons[j] = flat[j*na : (j+1)*na : (j+1)*na]
		hy := 0.0
		for k := 0; k < na; k++ {
			v := w.atoms[j*na+k] / float64(w.n)
			st.Neurons[j][k] = v
			st.Atoms[k] += v / float64(U)
			hy += v
		}
		st.HY += hy / float64(U)
		st.MeanTheta[j] = w.theta[j] / float64(w.n)
	}
	st.Goal = w.goal / float64(w.n)
	population(&st)
	return st
}

// Snapshot returns a copy of the run's progress. Layer statistics cover the
// current epoch so far, or the last finished epoch at an epoch boundary.
func (r *Run) Snapshot() Snapshot {
	s := Snapshot{Preset: r.cfg.Preset, Seed: r.cfg.Seed, Epoch: r.epoch, Step: r.step,
		StepsPerEpoch: r.StepsPerEpoch(), TotalSteps: r.total,
		TrainAcc: r.acc[0], ValAcc: r.acc[1], TestAcc: r.acc[2],
		SamplesPerSec: r.lastRate, Elapsed: r.elapsed, Diverged: r.diverged}
	if r.epoch == 0 && r.step > 0 && r.trainDur > 0 {
		s.SamplesPerSec = float64(r.step*BatchSize) / r.trainDur.Seconds()
	}
	for i := range r.window {
		s.Layers = append(s.Layers, r.windowStats(i))
	}
	s.History = append([]EpochStats(nil), r.history...)
	return s
}

// Fork returns an independent copy of the run in its current state, on the
// same data: trained on, the copy takes exactly the batches and samples the
// original would (they depend only on seed, epoch and step), so two forks
// that differ only in γ differ only by that change.
func (r *Run) Fork() (*Run, error) {
	c := r.Checkpoint()
	f, err := RestoreRun(r.cfg, r.data, c)
	if err != nil {
		return nil, fmt.Errorf("fork: %v", err)
	}
	f.SetWorkers(r.workers)
	return f, nil
}

// Layers returns the number of layers.
func (r *Run) Layers() int { return len(r.net.Layers) }

// LayerName returns a layer's name and its atom names (then "h_res").
func (r *Run) LayerName(i int) (string, []string) {
	l := r.net.Layers[i]
	return l.Spec.Name, pid.GammaNames(l.Spec.Sources())
}

// Units returns a layer's neuron count.
func (r *Run) Units(i int) int { return r.net.Layers[i].Spec.Units }

// Gamma returns a copy of a layer's current γ.
func (r *Run) Gamma(layer int) []float64 { return append([]float64(nil), r.gamma[layer]...) }

// PresetGamma returns a layer's γ as the preset defined it.
func (r *Run) PresetGamma(layer int) []float64 {
	return append([]float64(nil), r.cfg.Net.Layers[layer].Gamma...)
}

// SetGamma changes a layer's goal from the next step on.
func (r *Run) SetGamma(layer int, g []float64) error {
	if layer < 0 || layer >= len(r.gamma) {
		return fmt.Errorf("no layer %d", layer)
	}
	if err := r.net.Layers[layer].SetGamma(g); err != nil {
		return err
	}
	copy(r.gamma[layer], g)
	return nil
}

// Data returns the data set the run trains on (shared, read-only).
func (r *Run) Data() *Dataset { return r.data }

// ReceptiveField returns neuron j's feed-forward weights of a layer reading the
// image, shaped as the image (28×28 for MNIST, the data's rows×cols for
// others); a colour image's field is the mean of its channels' weights.
func (r *Run) ReceptiveField(layer, neuron int) (w []float64, rows, cols int, ok bool) {
	if w = r.feedForward(layer, neuron, model.Image); w == nil {
		return nil, 0, 0, false
	}
	return fieldShape(w, r.data)
}

// feedForward returns a copy of neuron j's weights on its feed-forward
// inputs, if the layer exists, reads src there and has that neuron; else nil.
func (r *Run) feedForward(layer, j int, src model.Source) []float64 {
	if layer < 0 || layer >= len(r.net.Layers) {
		return nil
	}
	l := r.net.Layers[layer]
	if l.Spec.F != src || j < 0 || j >= l.Spec.Units {
		return nil
	}
	U := l.Spec.Units
	w := make([]float64, l.F.In)
	for i := range w {
		w[i] = l.F.W[i*U+j]
	}
	return w
}

// ProjectedField is the field of a neuron that reads the layer below (a
// second hidden layer, the readout): its weights carried down through the
// layers below to the image, linearly — Σ_i w_i·field_i, as if each input
// were its own weighted sum of pixels — so it shows which pixels its
// inputs look at, not the neuron's exact response (the layers between are
// non-linear and sampled). ok is false for a layer that reads the image
// itself (see ReceptiveField) and where no chain of feed-forward layers
// leads down to the image.
func (r *Run) ProjectedField(layer, neuron int) (w []float64, rows, cols int, ok bool) {
	v := r.feedForward(layer, neuron, model.Below) // weights over the layer below's units
	if v == nil {
		return nil, 0, 0, false
	}
	for k := layer - 1; k >= 0; k-- {
		b := r.net.Layers[k]
		U := b.Spec.Units
		down := make([]float64, b.F.In)
		for i := range down {
			s := 0.0
			for u, x := range b.F.W[i*U : i*U+U] {
				s += x * v[u]
			}
			down[i] = s
		}
		v = down
		if b.Spec.F == model.Image {
			return fieldShape(v, r.data)
		}
		if b.Spec.F != model.Below {
			break // its inputs are not the image's chain (e.g. feedback)
		}
	}
	return nil, 0, 0, false
}

// fieldShape folds a field of the data's dimension into its image: the
// channels averaged; MNIST's 28×28 for a data set without a shape.
func fieldShape(w []float64, d *Dataset) ([]float64, int, int, bool) {
	rows, cols, ch := d.Rows, d.Cols, d.Channels
	if rows == 0 || cols == 0 {
		return w, MNISTRows, MNISTCols, true
	}
	if ch <= 1 || len(w) != rows*cols*ch {
		return w, rows, cols, len(w) == rows*cols
	}
	out := make([]float64, rows*cols)
	for c := range ch {
		for i := range out {
			out[i] += w[c*rows*cols+i] / float64(ch)
		}
	}
	return out, rows, cols, true
}
