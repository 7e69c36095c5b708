package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"infomorph-tui/internal/version"
	"infomorph-tui/sweep"
	"infomorph-tui/tasks"
	"infomorph-tui/tune"
)

// tuneOptions are the flags of `tune`.
type tuneOptions struct {
	preset, study, sampler, layer, prune, data, name string
	vary                                             varyFlags
	trials, epochs, seeds, jobs                      int
	startup, candidates, population                  int
	firstSeed, samplerSeed                           uint64
	noEnqueue, best, state                           bool
	given                                            map[string]bool
}

// studyFlags define a study: giving one needs --preset (a new study or a check against the folder's).
var studyFlags = []string{"sampler", "epochs", "seeds", "seed", "sampler-seed", "vary", "layer", "prune",
	"startup", "candidates", "population", "no-enqueue"}

func tuneCommand() *command {
	return &command{
		name: "tune",
		synopsis: `tune --preset NAME --study DIR [--sampler tpe|cmaes|random] [--trials N] [--epochs E]
                   [--seeds K] [--jobs J] [--vary ATOM=a:b …] [--layer NAME] [--prune SPEC]
tune --study DIR [--trials N] [--jobs J]
tune --study DIR --best [--name NAME]`,
		summary: "search γ for the best validation accuracy (TPE, CMA-ES or random; pruning; resumable; several processes share a study — see docs/tuning.md)",
		about: `The objective is the validation accuracy after E epochs, mean over K seeds; the
test accuracy is recorded but never used to choose. By default every γ entry of
the layer is searched in [−1, 1] (on a trivariate layer h_res stays 0, as in the
authors' studies); --vary ATOM=a:b narrows an entry, ATOM=v fixes it. Trial 0 is
the preset's own γ when it lies in the space.

The study folder is the storage: run the same command again (or "tune --study DIR")
to continue after SIGINT, SIGTERM or a crash; several processes, on one machine or
on a cluster's shared file system, work on one folder as one study. The first
SIGINT or SIGTERM saves the trials in progress and exits 130; a second Ctrl-C ends
at once.

--prune: "none", or "median" / "percentile=P" with optional ",startup=N" (complete
trials before pruning) and ",warmup=E" (epochs before a trial can be pruned):
a trial whose best validation accuracy so far is below the median (percentile)
of the complete trials' at the same epoch is stopped.`,
		bind: func(fs *flag.FlagSet) runner {
			var o tuneOptions
			fs.StringVar(&o.preset, "preset", "", "preset name (see \"infomorph-tui presets\"); not needed to continue a study")
			fs.StringVar(&o.study, "study", "", "study folder (created; reuse it to continue, share it between processes)")
			fs.StringVar(&o.sampler, "sampler", tune.TPE, "tpe (multivariate, as the authors), cmaes or random")
			fs.IntVar(&o.trials, "trials", 100, "trials in the study (this process stops proposing when there are that many)")
			fs.IntVar(&o.epochs, "epochs", 10, "epochs per run")
			fs.IntVar(&o.seeds, "seeds", 1, "runs (seeds) per trial: the objective is their mean")
			fs.Uint64Var(&o.firstSeed, "seed", 1, "first training seed; every trial uses seeds S … S+K−1")
			fs.Uint64Var(&o.samplerSeed, "sampler-seed", 1, "seed of the sampler: the same seed proposes the same trials")
			fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "trials trained at once by this process, each on one core")
			fs.Var(&o.vary, "vary", "ATOM=a:b searches γ entry ATOM in [a, b]; ATOM=v fixes it (repeat for more entries)")
			fs.StringVar(&o.layer, "layer", "", "layer whose γ is searched (default: the first)")
			fs.StringVar(&o.prune, "prune", tune.DefaultPrune, "pruning of unpromising trials: none, median[,startup=N][,warmup=E] or percentile=P[,…]")
			fs.IntVar(&o.startup, "startup", 0, "TPE: random trials before modelling (0: a fifth of --trials, 10 to 100)")
			fs.IntVar(&o.candidates, "candidates", tune.DefaultCandidates, "TPE: candidate points scored per trial")
			fs.IntVar(&o.population, "population", 0, "CMA-ES: generation size (0: 4 + ⌊3 ln d⌋)")
			fs.BoolVar(&o.noEnqueue, "no-enqueue", false, "do not start with the preset's own γ as trial 0")
			fs.BoolVar(&o.best, "best", false, "print the best γ found so far as a preset JSON line and a --gamma list")
			fs.StringVar(&o.name, "name", "", "with --best: the preset's name (default PRESET-tuned)")
			fs.StringVar(&o.data, "data", "", dataFlagHelp)
			fs.BoolVar(&o.state, "state", true, "keep each run's training state in its run file (to continue it later)")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				o.given = a.given
				if o.best {
					return runTuneBest(s, o)
				}
				ctx, stop := interruptContext(ctx)
				defer stop()
				return runTune(ctx, s, o)
			}
		},
	}
}

// tuneSpec checks the options of a new study (o.preset given) and builds
// its spec, before any data is loaded.
func tuneSpec(o tuneOptions) (tune.Spec, error) {
	p, err := loadPreset(o.preset)
	if err != nil {
		return tune.Spec{}, badInput(err)
	}
	var vs []sweep.Vary
	for _, a := range o.vary {
		v, err := tune.ParseVary(a)
		if err != nil {
			return tune.Spec{}, badInput(err)
		}
		vs = append(vs, v)
	}
	pr, err := tune.ParsePrune(o.prune)
	if err != nil {
		return tune.Spec{}, badInput(err)
	}
	spec, err := tune.NewSpec(p, tune.Options{Layer: o.layer, Vary: vs, Sampler: o.sampler, SamplerSeed: o.samplerSeed,
		Trials: o.trials, Epochs: o.epochs, Seeds: o.seeds, FirstSeed: o.firstSeed, Startup: o.startup,
		Candidates: o.candidates, Population: o.population, Prune: pr, NoEnqueue: o.noEnqueue})
	return spec, badInput(err)
}

// check validates the options before anything is loaded.
func (o tuneOptions) check() error {
	switch {
	case o.study == "":
		return usagef("--study DIR is required (the study folder)")
	case o.jobs < 1 || o.jobs > 1024:
		return usagef("--jobs must be between 1 and 1024")
	case o.trials < 1 || o.trials > 1000000:
		return usagef("--trials must be between 1 and 1000000")
	case o.given["name"] && !o.best:
		return usagef("--name goes with --best")
	}
	return nil
}

// runTune takes part in the study until it has its trials or ctx ends.
func runTune(ctx context.Context, s Stdio, o tuneOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	var spec tune.Spec
	if o.preset == "" {
		for _, f := range studyFlags {
			if o.given[f] {
				return usagef("--%s defines a new study and needs --preset; to continue a study give only --study (and --trials, --jobs)", f)
			}
		}
		if !tune.IsStudy(o.study) {
			return usagef("--preset is required to start a study (%s holds none)", o.study)
		}
	} else {
		var err error
		if spec, err = tuneSpec(o); err != nil {
			return err
		}
	}
	dataset := spec.Def.Dataset
	if o.preset == "" { // continuing: the study's own preset names its data
		held, err := tune.ReadSpec(o.study)
		if err != nil {
			return badInput(err)
		}
		dataset = held.Def.Dataset
	}
	data, err := tasks.LoadSource(dataset, o.data)
	if err != nil {
		return badInput(err)
	}
	var st *tune.Study
	if o.preset == "" {
		st, err = tune.Open(o.study)
	} else {
		spec.Data = sweep.DataDesc(data)
		st, err = tune.Create(o.study, spec)
	}
	if err != nil {
		if errors.As(err, new(tune.BadInput)) || o.preset == "" {
			return badInput(err)
		}
		return err
	}
	sp := st.Spec
	if !o.given["trials"] && o.preset == "" {
		o.trials = sp.Trials
	}
	logf := func(format string, a ...any) { fmt.Fprintf(s.Err, "note: "+format+"\n", a...) }
	obj, err := tune.NewMNIST(sp, o.study, data, version.String(), !o.state, logf)
	if err != nil {
		if errors.As(err, new(tune.BadInput)) {
			return badInput(err)
		}
		return err
	}
	fmt.Fprintf(s.Err, "tune %s → %s: %s; %d trials, %d at a time here\n", sp.Preset, o.study, sp.Describe(), o.trials, o.jobs)
	fmt.Fprintln(s.Err, "objective: validation accuracy (mean over seeds); test accuracy is recorded, never used to choose")
	start := time.Now()
	pr := &tuneProgress{w: s.Err, trials: o.trials, epochs: sp.Epochs}
	rep, err := st.Run(ctx, tune.Config{Objective: obj, Jobs: o.jobs, Trials: o.trials, Event: pr.event,
		Log: func(msg string) { logf("%s", msg) }})
	csvPath := filepath.Join(o.study, tune.ResultsFile)
	switch {
	case errors.Is(err, context.Canceled):
		return interrupted{fmt.Sprintf("interrupted after %s: %d trials finished in the study, %d saved mid-trial; %s has %d rows. Run the same command again to continue.",
			time.Since(start).Round(time.Second), rep.Finished, rep.Interrupted, csvPath, rep.Rows)}
	case errors.As(err, new(tune.BadInput)):
		return badInput(err)
	case err != nil:
		return err
	}
	writeTuneSummary(s.Err, st, rep, time.Since(start), o)
	return nil
}

// tuneProgress prints a line per finished trial.
type tuneProgress struct {
	w              io.Writer
	trials, epochs int
	mu             sync.Mutex
}

func (p *tuneProgress) event(e tune.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := e.Trial
	switch e.Kind {
	case tune.Started:
		if e.Continued {
			fmt.Fprintf(p.w, "trial %4d  continuing its saved runs\n", t.Number)
		}
	case tune.Interrupted:
		fmt.Fprintf(p.w, "trial %4d  saved to continue later\n", t.Number)
	case tune.Lost:
		fmt.Fprintf(p.w, "trial %4d  taken over by another process (this one was too slow); dropped here\n", t.Number)
	case tune.Finished:
		r := t.Result
		var what string
		switch r.State {
		case tune.Complete:
			what = fmt.Sprintf("val %s  test %s", pct(float64(r.Value), float64(r.ValueSD)), pct(float64(r.Test), math.NaN()))
		case tune.Pruned:
			what = fmt.Sprintf("pruned after epoch %d: val %.2f%% < %.2f%%", r.Epochs, 100*r.Prune.Best, 100*r.Prune.Threshold)
		case tune.Failed:
			what = "failed: " + firstDiverged(r)
		}
		best := ""
		if e.Best != nil {
			best = fmt.Sprintf("  best %.2f%% (#%d)", 100*e.Best.Value(), e.Best.Number)
		}
		fmt.Fprintf(p.w, "trial %4d/%d  %-44s %4.0fs%s  γ=%s  [%s]\n", t.Number, p.trials, what, r.Seconds, best,
			shortGamma(t.Gamma()), t.Proposal.How)
	}
}

func firstDiverged(r *tune.ResultFile) string {
	for _, s := range r.Seeds {
		if s.Diverged != "" {
			return s.Diverged
		}
	}
	return "diverged"
}

// pct is "84.12%" or "84.12% ± 0.20".
func pct(v, sd float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if math.IsNaN(sd) || sd == 0 {
		return fmt.Sprintf("%.2f%%", 100*v)
	}
	return fmt.Sprintf("%.2f%% ± %.2f", 100*v, 100*sd)
}

// shortGamma is γ with two decimals: (0.81 −0.41 …).
func shortGamma(g []float64) string {
	parts := make([]string, len(g))
	for i, v := range g {
		parts[i] = strings.Replace(fmt.Sprintf("%.2f", v), "-", "−", 1)
	}
	return "(" + strings.Join(parts, " ") + ")"
}

// writeTuneSummary reports the study at the end of a process.
func writeTuneSummary(w io.Writer, st *tune.Study, rep tune.Report, wall time.Duration, o tuneOptions) {
	trials, err := st.Trials()
	if err != nil {
		fmt.Fprintf(w, "done (%v)\n", err)
		return
	}
	sp := st.Spec
	count := map[tune.State]int{}
	saved := 0
	for _, t := range trials {
		count[t.State]++
		if t.State == tune.Pruned {
			saved += (sp.Epochs - t.Result.Epochs) * sp.Seeds
		}
	}
	fmt.Fprintf(w, "done in %s: this process finished %d trials (%d complete, %d pruned, %d failed, %d continued)\n",
		wall.Round(time.Second), rep.Complete+rep.Pruned+rep.Failed, rep.Complete, rep.Pruned, rep.Failed, rep.Continued)
	fmt.Fprintf(w, "study: %d trials — %d complete, %d pruned, %d failed", len(trials), count[tune.Complete], count[tune.Pruned], count[tune.Failed])
	if n := count[tune.Running] + count[tune.Waiting]; n > 0 {
		fmt.Fprintf(w, ", %d still running or waiting (other processes)", n)
	}
	fmt.Fprintln(w)
	if sp.Prune.On() {
		total := len(trials) * sp.Epochs * sp.Seeds
		fmt.Fprintf(w, "pruning (%s) saved %d of %d epochs (%.0f%%)\n", sp.Prune, saved, total, 100*float64(saved)/float64(max(total, 1)))
	}
	if b, ok := tune.BestOf(trials); ok {
		fmt.Fprintf(w, "best: trial %d, validation %s after %d epochs (test %s: recorded only, not used to choose)\n",
			b.Number, pct(b.Value(), float64(b.Result.ValueSD)), b.Result.Epochs, pct(float64(b.Result.Test), float64(b.Result.TestSD)))
		fmt.Fprintf(w, "      γ %s = %s\n", sp.Layer, tune.GammaList(b.Gamma()))
	}
	fmt.Fprintf(w, "%s has %d rows; \"infomorph-tui tune --study %s --best\" prints the best γ as a preset\n",
		filepath.Join(o.study, tune.ResultsFile), rep.Rows, o.study)
}

// runTuneBest prints the best trial's γ as a preset JSON line and a --gamma list.
func runTuneBest(s Stdio, o tuneOptions) error {
	if o.study == "" {
		return usagef("--study DIR is required")
	}
	for _, f := range append(studyFlags, "preset", "trials", "jobs", "data", "state") {
		if o.given[f] {
			return usagef("--best takes only --study and --name, not --%s", f)
		}
	}
	st, err := tune.Open(o.study)
	if err != nil {
		return badInput(err)
	}
	b, err := st.Best()
	if err != nil {
		return badInput(err)
	}
	p, err := st.Preset(b, o.name)
	if err != nil {
		return badInput(err)
	}
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	fmt.Fprintln(s.Out, string(data))
	fmt.Fprintf(s.Out, "--gamma %s\n", tune.GammaList(b.Gamma()))
	li, _ := st.Spec.LayerIndex()
	note := ""
	if li != 0 {
		note = fmt.Sprintf(" (--gamma sets the first layer; this is layer %s: use the preset)", st.Spec.Layer)
	}
	fmt.Fprintf(s.Err, "best of %s: trial %d, validation %s (test %s, recorded only)%s\n", o.study, b.Number,
		pct(b.Value(), float64(b.Result.ValueSD)), pct(float64(b.Result.Test), float64(b.Result.TestSD)), note)
	return nil
}
