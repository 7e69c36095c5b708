package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"runtime"
	"time"

	"infomorph-tui/internal/version"
	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// runOptions are the flags of `run`.
type runOptions struct {
	preset     string
	epochs     int
	seed       uint64
	gamma      string
	data       string
	json       bool
	csv        string
	out        string
	resume     string
	threads    int
	cpuProfile string
	trainEval  bool
	given      map[string]bool
}

func runCommand() *command {
	return &command{
		name: "run",
		synopsis: `run --preset NAME [--epochs N] [--seed S] [--gamma LIST] [--data DIR]
                  [--json] [--csv FILE] [--out RUN.json] [--train-eval]
run --resume RUN.json [--epochs N] [--out RUN2.json]`,
		summary: "train a preset headless (JSON lines or CSV for scripts, progress on stderr); --resume continues a saved run",
		about: `--json writes one JSON object per epoch (epoch, train_acc, val_acc, test_acc,
samples_per_sec, train_seconds, atoms per layer; "bars" on the bars task, "logic" on
the logic tasks) and a final one with "final": true. --data DIR trains on the folder's
data: the idx files under MNIST's names (any image size and class count), CIFAR-10's
.bin files, or train.csv and test.csv (features…, label).
train_acc is the running accuracy of the epoch's training batches (train_acc_kind
"running", as the authors report); --train-eval re-evaluates the whole training
split after every epoch instead ("eval"; on MNIST 48k images, more than the
epoch's validation and test together).`,
		bind: func(fs *flag.FlagSet) runner {
			var o runOptions
			fs.StringVar(&o.preset, "preset", "", "preset name (see \"infomorph-tui presets\")")
			fs.IntVar(&o.epochs, "epochs", 10, "epochs to train")
			fs.Uint64Var(&o.seed, "seed", 1, "random seed")
			fs.StringVar(&o.gamma, "gamma", "", "comma-separated γ of the first layer (atoms in documented order, then h_res)")
			fs.StringVar(&o.data, "data", "", dataFlagHelp)
			fs.BoolVar(&o.json, "json", false, "write one JSON object per epoch to stdout")
			fs.StringVar(&o.csv, "csv", "", "write per-epoch results as CSV to FILE")
			fs.StringVar(&o.out, "out", "", "write the run file (results and training state) to RUN.json")
			fs.StringVar(&o.resume, "resume", "", "continue the run saved in RUN.json for --epochs more epochs (saved back to it unless --out)")
			fs.IntVar(&o.threads, "threads", 0, "goroutines per step (0: all cores); results do not depend on it")
			fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the training to FILE")
			fs.BoolVar(&o.trainEval, "train-eval", false, "re-evaluate the whole training split after every epoch (default: running accuracy of the training batches)")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				o.given = a.given
				return runTrain(ctx, s, o)
			}
		},
	}
}

// check validates the options before anything is loaded.
func (o runOptions) check() error {
	switch {
	case o.resume != "" && (o.given["preset"] || o.given["seed"]):
		return usagef("--resume takes the preset and seed from the run file; drop --preset and --seed")
	case o.resume == "" && o.preset == "":
		return usagef("--preset is required (see `infomorph-tui presets`)")
	case o.epochs < 1 || o.epochs > 100000:
		return usagef("--epochs must be between 1 and 100000")
	case o.threads < 0:
		return usagef("--threads must be ≥ 0")
	}
	return nil
}

// checkDests refuses, before any training, an --out or --csv that cannot
// be written (a folder, a path under a file, a folder without write
// permission): otherwise the whole training would run and its result be lost.
func (o runOptions) checkDests() error {
	for _, d := range []struct{ flag, path string }{{"--out", o.out}, {"--csv", o.csv}} {
		if d.path == "" {
			continue
		}
		if err := runfile.CheckDest(d.path); err != nil {
			return usagef("%s: %v", d.flag, err)
		}
	}
	return nil
}

// runTrain trains a preset (or continues a run file) for o.epochs epochs.
func runTrain(_ context.Context, s Stdio, o runOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	inPlace := o.resume != "" && o.out == ""
	if inPlace {
		o.out = o.resume
	}
	if err := o.checkDests(); err != nil {
		return err
	}
	run, p, rec, err := startRun(o.resume, o.preset, o.seed, o.data)
	if err != nil {
		return badInput(err)
	}
	if o.threads > 0 {
		run.SetWorkers(o.threads)
	}
	run.SetTrainEval(o.trainEval)
	if o.gamma != "" {
		g, err := parseGamma(o.gamma, len(run.Gamma(0)))
		if err != nil {
			return badInput(err)
		}
		if err := run.SetGamma(0, g); err != nil {
			return badInput(err)
		}
	}
	if rec == nil {
		r := runfile.New(version.String(), p, run)
		rec = &r
	} else {
		rec.NoteGamma(run, 0)
	}
	if o.cpuProfile != "" {
		stop, err := startProfile(o.cpuProfile)
		if err != nil {
			return badInput(err)
		}
		defer stop()
	}
	var csv bytes.Buffer
	start := time.Now()
	for e := 0; e < o.epochs; e++ {
		if err := run.StepEpoch(); err != nil {
			return saveDiverged(run, rec, o, inPlace, csv.Bytes(), err)
		}
		snap := run.Snapshot()
		st := snap.History[len(snap.History)-1]
		fmt.Fprintf(s.Err, "epoch %3d  %s %6.2f%%  val %6.2f%%  test %6.2f%%  %8.0f samples/s  (%s)\n",
			st.Epoch, st.TrainName(), 100*st.TrainAcc, 100*st.ValAcc, 100*st.TestAcc, st.SamplesPerSec, time.Since(start).Round(time.Second))
		if o.json {
			fmt.Fprintln(s.Out, epochJSON(st, false))
		}
		if o.csv != "" {
			if e == 0 {
				csv.WriteString(csvHeader(st))
			}
			csv.WriteString(csvRow(st))
		}
		rec.Epochs = snap.History
	}
	// The batch buffers go before the checkpoint copies the weights, so the
	// end of a run does not raise its peak memory; without --out there is
	// no checkpoint to take.
	run.ReleaseBatch()
	runtime.GC()
	rec.Update(run, o.out != "")
	last := rec.Epochs[len(rec.Epochs)-1]
	if o.json {
		fmt.Fprintln(s.Out, epochJSON(last, true))
	}
	if o.csv != "" {
		if err := runfile.WriteAtomic(o.csv, csv.Bytes()); err != nil {
			return err
		}
	}
	if o.out != "" {
		if err := runfile.Save(o.out, *rec); err != nil {
			return err
		}
	}
	if math.IsNaN(last.TestAcc) {
		return fmt.Errorf("epoch %d: test accuracy is not a number", last.Epoch)
	}
	return nil
}

// saveDiverged ends a run whose training failed (diverged, err says where):
// the epochs finished before go to --csv, and the run file, marked diverged,
// to --out, unless --out is the file being resumed, which keeps the state it
// had (a diverged record cannot be continued).
func saveDiverged(run *tasks.Run, rec *runfile.Record, o runOptions, inPlace bool, csv []byte, err error) error {
	if run.Snapshot().Diverged == "" {
		return err
	}
	msg := fmt.Sprintf("the run diverged at %v", err)
	if o.csv != "" && len(csv) > 0 {
		if werr := runfile.WriteAtomic(o.csv, csv); werr != nil {
			return fmt.Errorf("%s; writing %s: %v", msg, o.csv, werr)
		}
	}
	switch {
	case o.out == "":
		return errors.New(msg)
	case inPlace:
		return fmt.Errorf("%s; %s was left as it was, to continue from", msg, o.out)
	}
	rec.Update(run, true) // a diverged run keeps no state
	if werr := runfile.Save(o.out, *rec); werr != nil {
		return fmt.Errorf("%s; saving %s: %v", msg, o.out, werr)
	}
	return fmt.Errorf("%s; the run is saved in %s, marked diverged", msg, o.out)
}
