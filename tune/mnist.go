package tune

import (
	"context"
	"fmt"
	"math"
	"path/filepath"

	"infomorph-tui/model"
	"infomorph-tui/sweep"
	"infomorph-tui/tasks"
)

// MNIST is the real objective: every run trains the study's preset on the
// MNIST data set, with its γ in the tuned layer, and is kept as a run file
// in runs/ (partial state in runs/*.part.json while interrupted).
type MNIST struct {
	spec    Spec
	data    *tasks.Dataset
	dir     string
	version string
	noState bool
	net     model.NetSpec
	layer   int
	logf    func(string, ...any)
}

// NewMNIST is the objective of study s in dir on data; version is recorded
// in the run files, noState leaves the training state out of finished run
// files; logf (optional) gets notes such as a discarded partial file.
func NewMNIST(s Spec, dir string, data *tasks.Dataset, version string, noState bool, logf func(string, ...any)) (*MNIST, error) {
	if got := sweep.DataDesc(data); s.Data != "" && s.Data != got {
		return nil, BadInput{fmt.Errorf("the study is for %s, the data set is %s", s.Data, got)}
	}
	net, err := s.Def.NetSpecFor(data.Dim, data.Classes) // input and readout follow the data
	if err != nil {
		return nil, BadInput{err}
	}
	layer, err := s.LayerIndex()
	if err != nil {
		return nil, err
	}
	return &MNIST{spec: s, data: data, dir: dir, version: version, noState: noState, net: net, layer: layer, logf: logf}, nil
}

func (m *MNIST) Open(n int, gamma []float64, seed uint64) (Run, error) {
	tr, err := sweep.StartTraining(sweep.TrainingSpec{Def: m.spec.Def, Net: m.net, Data: m.data, Layer: m.layer,
		Gamma: gamma, Seed: seed, Version: m.version,
		Path: filepath.Join(m.dir, RunFile(n, seed)), Part: filepath.Join(m.dir, PartFile(n, seed))}, m.logf)
	if err != nil {
		return nil, err
	}
	return &mnistRun{m: m, tr: tr, file: RunFile(n, seed)}, nil
}

type mnistRun struct {
	m    *MNIST
	tr   *sweep.Training
	file string
}

func (r *mnistRun) History() []EpochResult {
	var out []EpochResult
	for _, e := range r.tr.Run.Snapshot().History {
		out = append(out, EpochResult{Train: e.TrainAcc, Val: e.ValAcc, Test: e.TestAcc})
	}
	return out
}

func (r *mnistRun) Epoch(ctx context.Context) (EpochResult, error) {
	run := r.tr.Run
	target := run.Epoch() + 1
	for run.Epoch() < target {
		if err := ctx.Err(); err != nil {
			return EpochResult{}, err
		}
		if err := run.Step(); err != nil {
			nan := math.NaN()
			return EpochResult{Train: nan, Val: nan, Test: nan, Diverged: err.Error()}, nil
		}
	}
	h := run.Snapshot().History
	e := h[len(h)-1]
	return EpochResult{Train: e.TrainAcc, Val: e.ValAcc, Test: e.TestAcc}, nil
}

func (r *mnistRun) Suspend() error { return r.tr.SavePart() }

func (r *mnistRun) Finish() (string, error) {
	return r.file, r.tr.Finish(r.m.noState, r.m.logf)
}
