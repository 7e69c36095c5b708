package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"infomorph-tui/model"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// Config says how to run a sweep.
type Config struct {
	Spec Spec
	Data *tasks.Dataset
	Dir  string
	// Jobs is how many runs train at once, each on one goroutine: results do
	// not depend on it, and runs compare fairly in speed.
	Jobs int
	// Shard and Shards pick this process's share of the runs (1-based);
	// 0 and 0 (or 1 and 1) run them all.
	Shard, Shards int
	// Version is the code version recorded in run files.
	Version string
	// NoState leaves the training state out of finished run files (smaller;
	// such runs can be shown and plotted but not continued).
	NoState bool
	// Progress, if set, is called after every training step and every
	// finished run; never concurrently.
	Progress func(Progress)
	// Log, if set, receives notes such as a discarded partial run.
	Log func(string)
}

// Progress is how far this process's share of a sweep got.
type Progress struct {
	Runs     int // runs of this shard
	Done     int // finished, including the Skipped
	Skipped  int // found finished at the start
	Running  int
	Diverged int
	// Steps is the training steps this process has to do; StepsDone how many it did.
	Steps, StepsDone int
	Elapsed          time.Duration
	// Finished is set when a run just finished.
	Finished *Row
}

// ETA estimates the time left from the rate of steps so far (ok false before any).
func (p Progress) ETA() (time.Duration, bool) {
	if p.StepsDone == 0 || p.Elapsed <= 0 {
		return 0, false
	}
	left := p.Steps - p.StepsDone
	return time.Duration(float64(p.Elapsed) / float64(p.StepsDone) * float64(left)), true
}

// Report sums up a sweep process.
type Report struct {
	Runs      int // runs of this shard
	Skipped   int // already finished at the start
	Trained   int // trained from scratch to the end
	Continued int // continued from an interrupted run's state
	Diverged  int // of the trained and continued
	// Interrupted is how many runs were stopped by the context; their state
	// is saved in runs/<id>.part.json and continued next time.
	Interrupted int
	Rows        int // rows in results.csv (all shards)
	Total       int // runs of the whole sweep (all shards)
}

// BadInput marks errors in what the sweep was given or found (arguments,
// another sweep's folder, broken files) rather than failures while running.
type BadInput struct{ Err error }

func (e BadInput) Error() string { return e.Err.Error() }
func (e BadInput) Unwrap() error { return e.Err }

// DataDesc describes a data set's size for the manifest.
func DataDesc(d *tasks.Dataset) string {
	return fmt.Sprintf("mnist %d train / %d validation / %d test", len(d.Train), len(d.Val), len(d.Test))
}

// Run trains this process's runs that are not finished yet, writes each
// finished run to runs/<id>.json and regenerates results.csv. Cancelling ctx
// saves the runs in progress for the next start and returns ctx's error
// after results.csv has been written.
func Run(ctx context.Context, cfg Config) (Report, error) {
	var rep Report
	if cfg.Data == nil || cfg.Dir == "" {
		return rep, errors.New("sweep: no data set or folder")
	}
	jobsN := max(cfg.Jobs, 1)
	s := cfg.Spec
	if s.Data == "" {
		s.Data = DataDesc(cfg.Data)
	}
	if s.Data != DataDesc(cfg.Data) {
		return rep, BadInput{fmt.Errorf("the sweep is for %s, the data set is %s", s.Data, DataDesc(cfg.Data))}
	}
	all, err := s.Jobs()
	if err != nil {
		return rep, err
	}
	rep.Total = len(all)
	if cfg.Shards > 1 && (cfg.Shard < 1 || cfg.Shard > cfg.Shards) {
		return rep, BadInput{fmt.Errorf("shard %d of %d", cfg.Shard, cfg.Shards)}
	}
	mine := Shard(all, cfg.Shard, cfg.Shards)
	rep.Runs = len(mine)
	if err := os.MkdirAll(filepath.Join(cfg.Dir, RunsDir), 0o755); err != nil {
		return rep, err
	}
	if err := writeManifest(cfg.Dir, s, len(all)); err != nil {
		return rep, err
	}
	net, err := s.Def.NetSpecFor(cfg.Data.Dim, cfg.Data.Classes) // input and readout follow the data
	if err != nil {
		return rep, BadInput{err}
	}
	layer := slices.IndexFunc(net.Layers, func(l model.LayerSpec) bool { return l.Name == s.Layer })
	if layer < 0 {
		return rep, BadInput{fmt.Errorf("preset %s has no layer %s", s.Preset, s.Layer)}
	}
	layers, err := s.layerNames()
	if err != nil {
		return rep, err
	}

	// Find what is finished; check those files now rather than at the end.
	probe, err := tasks.NewRun(tasks.Config{Preset: s.Preset, Net: net, Seed: 0}, cfg.Data)
	if err != nil {
		return rep, err
	}
	spe := probe.StepsPerEpoch()
	var todo []Job
	prog := Progress{Runs: len(mine)}
	for _, j := range mine {
		path := runPath(cfg.Dir, j.ID)
		if _, err := os.Stat(path); err == nil {
			rec, err := runfile.LoadSummary(path)
			if err != nil {
				return rep, BadInput{fmt.Errorf("%w (delete it to train that run again)", err)}
			}
			if _, err := s.rowFromRecord(j, rec, layers); err != nil {
				return rep, BadInput{fmt.Errorf("%s: %w (delete it to train that run again)", path, err)}
			}
			rep.Skipped++
			continue
		}
		todo = append(todo, j)
		prog.Steps += s.Epochs * spe
		if rec, err := runfile.LoadSummary(partPath(cfg.Dir, j.ID)); err == nil {
			prog.Steps -= min(len(rec.Epochs), s.Epochs) * spe
		}
	}
	prog.Skipped, prog.Done = rep.Skipped, rep.Skipped

	start := time.Now()
	var mu sync.Mutex
	report := func(update func()) {
		mu.Lock()
		defer mu.Unlock()
		update()
		if cfg.Progress != nil {
			prog.Elapsed = time.Since(start)
			cfg.Progress(prog)
			prog.Finished = nil
		}
	}
	logf := func(format string, a ...any) {
		if cfg.Log != nil {
			mu.Lock()
			cfg.Log(fmt.Sprintf(format, a...))
			mu.Unlock()
		}
	}

	inner, cancel := context.WithCancel(context.Background())
	defer cancel()
	queue := make(chan Job)
	var wg sync.WaitGroup
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	for w := 0; w < jobsN; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				if ctx.Err() != nil || inner.Err() != nil {
					continue // stopping: leave the run for next time
				}
				w := worker{cfg: &cfg, spec: &s, net: net, prog: &prog, layer: layer, layers: layers, report: report, logf: logf}
				outcome, err := w.run(ctx, inner, j)
				if err != nil {
					fail(fmt.Errorf("run %s: %w", j.ID, err))
					continue
				}
				report(func() {
					switch outcome {
					case interrupted:
						rep.Interrupted++
					case continuedRun:
						rep.Continued++
					case trained:
						rep.Trained++
					}
				})
			}
		}()
	}
feed:
	for _, j := range todo {
		select {
		case queue <- j:
		case <-ctx.Done():
			break feed
		case <-inner.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
	rep.Diverged = prog.Diverged
	if firstErr != nil {
		return rep, firstErr
	}
	if strays, err := Strays(cfg.Dir, s); err == nil {
		for _, p := range strays {
			logf("%s", strayNote(p))
		}
	}
	rows, err := WriteResults(cfg.Dir)
	rep.Rows = rows
	if err != nil {
		return rep, err
	}
	return rep, ctx.Err()
}

type outcome int

const (
	trained outcome = iota
	continuedRun
	interrupted
)

func runPath(dir, id string) string  { return filepath.Join(dir, RunsDir, id+".json") }
func partPath(dir, id string) string { return filepath.Join(dir, RunsDir, id+partSuffix) }

// worker trains one run of a sweep.
type worker struct {
	cfg    *Config
	spec   *Spec
	net    model.NetSpec
	prog   *Progress // shared; touched only inside report
	layer  int
	layers []LayerAtoms
	report func(func())
	logf   func(string, ...any)
}

// run trains job to the end, continuing its saved partial state if there
// is one. When ctx is cancelled it saves the state as a partial run file;
// when stop is cancelled (another run failed) it just returns.
func (w *worker) run(ctx, stop context.Context, j Job) (outcome, error) {
	s := w.spec
	tr, err := StartTraining(TrainingSpec{Def: s.Def, Net: w.net, Data: w.cfg.Data, Layer: w.layer, Gamma: j.Gamma,
		Seed: j.Seed, Version: w.cfg.Version, Path: runPath(w.cfg.Dir, j.ID), Part: partPath(w.cfg.Dir, j.ID)}, w.logf)
	if err != nil {
		return trained, err
	}
	how := trained
	if tr.Continued {
		how = continuedRun
	}
	run := tr.Run
	spe := run.StepsPerEpoch()
	startStep := run.Snapshot().Step
	w.report(func() { w.prog.Running++ })
	defer w.report(func() { w.prog.Running-- })
	for run.Epoch() < s.Epochs {
		if ctx.Err() != nil {
			return interrupted, tr.SavePart()
		}
		if stop.Err() != nil {
			return interrupted, nil
		}
		if err := run.Step(); err != nil {
			break // diverged: recorded as such
		}
		w.report(func() { w.prog.StepsDone++ })
	}
	if err := tr.Finish(w.cfg.NoState, w.logf); err != nil {
		return how, err
	}
	row, err := s.rowFromRecord(j, *tr.Rec, w.layers)
	if err != nil {
		return how, err
	}
	w.report(func() {
		p := w.prog
		p.Done++
		if row.Diverged != "" {
			p.Diverged++
		}
		// Count the steps this run will not take (diverged) or that were
		// taken before a mid-epoch interruption, to end at Steps exactly.
		p.StepsDone += s.Epochs*spe - run.Snapshot().TotalSteps + startStep
		p.Finished = &row
	})
	return how, nil
}
