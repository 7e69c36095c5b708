package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"infomorph-tui/internal/version"
	"infomorph-tui/sweep"
	"infomorph-tui/tasks"
	"infomorph-tui/tune"
)

// varyFlags collects repeated --vary arguments.
type varyFlags []string

func (v *varyFlags) String() string     { return strings.Join(*v, " ") }
func (v *varyFlags) Set(s string) error { *v = append(*v, s); return nil }

// sweepOptions are the flags of `sweep`.
type sweepOptions struct {
	vary       varyFlags
	preset     string
	layer      string
	random     int
	randomSeed uint64
	epochs     int
	seeds      int
	firstSeed  uint64
	jobs       int
	shard      string
	out        string
	data       string
	state      bool
}

func sweepCommand() *command {
	return &command{
		name: "sweep",
		synopsis: `sweep --preset NAME --vary ATOM=a:b:n [--vary …] [--random M] [--epochs N]
                    [--seeds K] [--jobs J] [--shard K/N] [--layer NAME] --out DIR`,
		summary: "γ sweep into a folder: resumable after SIGINT/SIGKILL, shardable for cluster arrays (see docs/sweeps.md)",
		about: `The first SIGINT or SIGTERM saves every run in progress and exits 130; run the
same command again to continue. A second Ctrl-C ends at once; repeated SIGTERMs
(a cluster scheduler's) do not skip the save.`,
		bind: func(fs *flag.FlagSet) runner {
			var o sweepOptions
			fs.Var(&o.vary, "vary", "ATOM=a:b:n: vary γ entry ATOM over n values from a to b (repeat for a grid)")
			o.bindRuns(fs, "varied", "sweep folder")
			fs.IntVar(&o.random, "random", 0, "draw M random points from the ranges instead of the grid")
			fs.Uint64Var(&o.randomSeed, "random-seed", 1, "seed of the random points")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				ctx, stop := interruptContext(ctx)
				defer stop()
				return runSweep(ctx, s, o)
			}
		},
	}
}

// bindRuns registers the flags sweep and sensitivity share: the preset and
// layer, how many runs of how many epochs, and the folder they go to.
func (o *sweepOptions) bindRuns(fs *flag.FlagSet, verb, folder string) {
	fs.StringVar(&o.preset, "preset", "", "preset name (see \"infomorph-tui presets\")")
	fs.StringVar(&o.layer, "layer", "", "layer whose γ is "+verb+" (default: the first)")
	fs.IntVar(&o.epochs, "epochs", 10, "epochs per run")
	fs.IntVar(&o.seeds, "seeds", 1, "runs (seeds) per point")
	fs.Uint64Var(&o.firstSeed, "seed", 1, "first seed; a point's runs use seeds S … S+K−1")
	fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "runs trained at once, each on one core")
	fs.StringVar(&o.shard, "shard", "", "K/N: train only the K-th of N shares of the runs (for cluster array jobs)")
	fs.StringVar(&o.out, "out", "", folder+" (created; reuse it to resume)")
	fs.StringVar(&o.data, "data", "", dataFlagHelp)
	fs.BoolVar(&o.state, "state", true, "keep each run's training state in its run file (to continue it later)")
}

// sweepSpec checks the options and builds the sweep's specification.
func sweepSpec(o sweepOptions) (sweep.Spec, int, int, error) {
	switch {
	case o.preset == "":
		return sweep.Spec{}, 0, 0, usagef("--preset is required (see `infomorph-tui presets`)")
	case o.out == "":
		return sweep.Spec{}, 0, 0, usagef("--out DIR is required (the sweep folder)")
	case o.jobs < 1 || o.jobs > 1024:
		return sweep.Spec{}, 0, 0, usagef("--jobs must be between 1 and 1024")
	}
	var vs []sweep.Vary
	for _, a := range o.vary {
		v, err := sweep.ParseVary(a)
		if err != nil {
			return sweep.Spec{}, 0, 0, badInput(err)
		}
		vs = append(vs, v)
	}
	p, err := loadPreset(o.preset)
	if err != nil {
		return sweep.Spec{}, 0, 0, badInput(err)
	}
	spec, err := sweep.NewSpec(p, o.layer, vs, o.random, o.randomSeed, o.seeds, o.firstSeed, o.epochs)
	if err != nil {
		return sweep.Spec{}, 0, 0, badInput(err)
	}
	k, n, err := checkSweepRuns(spec, o)
	return spec, k, n, err
}

// checkSweepRuns checks what every command on the sweep engine (sweep,
// sensitivity) needs beyond its own flags: runs the spec can enumerate, a
// valid --shard (returned as k of n; 0 of 0 for the whole list) and an --out
// that can become this sweep's folder.
func checkSweepRuns(spec sweep.Spec, o sweepOptions) (k, n int, err error) {
	if _, err := spec.Jobs(); err != nil {
		return 0, 0, badInput(err)
	}
	if o.shard != "" {
		if k, n, err = sweep.ParseShard(o.shard); err != nil {
			return 0, 0, badInput(err)
		}
	}
	if st, err := os.Stat(o.out); err == nil && !st.IsDir() {
		return 0, 0, usagef("--out %s is a file, not a folder", o.out)
	}
	if tune.IsStudy(o.out) {
		return 0, 0, usagef("--out %s holds a tune study; use another folder", o.out)
	}
	return k, n, nil
}

// runSweep trains the sweep's runs into o.out until done or ctx ends.
func runSweep(ctx context.Context, s Stdio, o sweepOptions) error {
	spec, k, n, err := sweepSpec(o)
	if err != nil {
		return err
	}
	return trainSweep(ctx, s, "sweep", spec, k, n, o)
}

// trainSweep trains spec's runs (shard k of n) into o.out until done or ctx
// ends; what names the command in the first line ("sweep", "sensitivity").
// Of o it uses out, data, jobs and state.
func trainSweep(ctx context.Context, s Stdio, what string, spec sweep.Spec, k, n int, o sweepOptions) error {
	data, err := tasks.LoadSource(spec.Def.Dataset, o.data)
	if err != nil {
		return badInput(err)
	}
	spec.Data = sweep.DataDesc(data)
	if err := sweep.CheckDir(o.out, spec); err != nil {
		return badInput(err)
	}
	tty := isTerminal(s.Err)
	bar := &sweep.Bar{W: s.Err, TTY: tty, Spec: spec}
	var last sweep.Progress
	cfg := sweep.Config{Spec: spec, Data: data, Dir: o.out, Jobs: o.jobs, Shard: k, Shards: n,
		Version: version.String(), NoState: !o.state,
		Progress: func(pr sweep.Progress) { last = pr; bar.Update(pr) },
		Log:      func(msg string) { fmt.Fprintf(s.Err, "\r\x1b[Knote: %s\n", msg) },
	}
	if !tty {
		cfg.Log = func(msg string) { fmt.Fprintf(s.Err, "note: %s\n", msg) }
	}
	shardNote := ""
	if n > 1 {
		shardNote = fmt.Sprintf(", shard %d of %d", k, n)
	}
	fmt.Fprintf(s.Err, "%s %s: %s on layer %s, %d seed%s × %d epoch%s%s → %s (%d at a time)\n",
		what, spec.Preset, spec.Describe(), spec.Layer, spec.Seeds, plural(spec.Seeds), spec.Epochs, plural(spec.Epochs), shardNote, o.out, o.jobs)
	rep, err := sweep.Run(ctx, cfg)
	if last.Runs > 0 {
		bar.Finish(last)
	}
	csvPath := filepath.Join(o.out, sweep.ResultsFile)
	switch {
	case errors.Is(err, context.Canceled):
		return interrupted{fmt.Sprintf("interrupted: %d of %d runs finished (%d saved mid-run); %s has %d rows. Run the same command again to continue.",
			rep.Skipped+rep.Trained+rep.Continued, rep.Runs, rep.Interrupted, csvPath, rep.Rows)}
	case errors.As(err, new(sweep.BadInput)):
		return badInput(err)
	case err != nil:
		return err
	}
	fmt.Fprintf(s.Err, "done: %d runs (%d finished before, %d trained, %d continued, %d diverged); %s has %d of %d rows",
		rep.Runs, rep.Skipped, rep.Trained, rep.Continued, rep.Diverged, csvPath, rep.Rows, rep.Total)
	if rep.Rows < rep.Total {
		fmt.Fprint(s.Err, " (the other shards' runs are not finished yet)")
	}
	fmt.Fprintln(s.Err)
	return nil
}

// plural is "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
