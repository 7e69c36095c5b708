package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"infomorph-tui/sweep"
)

// varyFlags collects repeated --vary arguments.
type varyFlags []string

func (v *varyFlags) String() string     { return strings.Join(*v, " ") }
func (v *varyFlags) Set(s string) error { *v = append(*v, s); return nil }

// sweepContext is cancelled by SIGINT or SIGTERM (the first one: a second
// one kills as usual). Tests replace it.
var sweepContext = func() (context.Context, func()) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // restore the default: a second ^C ends the process at once
	}()
	return ctx, stop
}

// exitInterrupted is the status of a sweep stopped by a signal (128 + SIGINT).
const exitInterrupted = 130

// cmdSweep runs a γ sweep into a folder; see sweep.Run.
func cmdSweep(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var vary varyFlags
	fs.Var(&vary, "vary", "ATOM=a:b:n: vary γ entry ATOM over n values from a to b (repeat for a grid)")
	preset := fs.String("preset", "", "preset name (see `infomorph-tui presets`)")
	layer := fs.String("layer", "", "layer whose γ is varied (default: the first)")
	random := fs.Int("random", 0, "draw M random points from the ranges instead of the grid")
	randomSeed := fs.Uint64("random-seed", 1, "seed of the random points")
	epochs := fs.Int("epochs", 10, "epochs per run")
	seeds := fs.Int("seeds", 1, "runs (seeds) per point")
	firstSeed := fs.Uint64("seed", 1, "first seed; a point's runs use seeds S … S+K−1")
	jobs := fs.Int("jobs", runtime.NumCPU(), "runs trained at once, each on one core")
	shard := fs.String("shard", "", "K/N: train only the K-th of N shares of the runs (for cluster array jobs)")
	out := fs.String("out", "", "sweep folder (created; reuse it to resume)")
	dataDir := fs.String("data", "", "folder with the MNIST idx files")
	state := fs.Bool("state", true, "keep each run's training state in its run file (to continue it later)")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "infomorph-tui sweep: "+format+"\n", a...)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		return fail("%v", err)
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case *preset == "":
		return fail("--preset is required (see `infomorph-tui presets`)")
	case *out == "":
		return fail("--out DIR is required (the sweep folder)")
	case *jobs < 1 || *jobs > 1024:
		return fail("--jobs must be between 1 and 1024")
	}
	var vs []sweep.Vary
	for _, a := range vary {
		v, err := sweep.ParseVary(a)
		if err != nil {
			return fail("%v", err)
		}
		vs = append(vs, v)
	}
	k, n := 0, 0
	if *shard != "" {
		var err error
		if k, n, err = sweep.ParseShard(*shard); err != nil {
			return fail("%v", err)
		}
	}
	p, err := loadPreset(*preset)
	if err != nil {
		return fail("%v", err)
	}
	spec, err := sweep.NewSpec(p, *layer, vs, *random, *randomSeed, *seeds, *firstSeed, *epochs)
	if err != nil {
		return fail("%v", err)
	}
	if _, err := spec.Jobs(); err != nil {
		return fail("%v", err)
	}
	if st, err := os.Stat(*out); err == nil && !st.IsDir() {
		return fail("--out %s is a file, not a folder", *out)
	}
	data, err := loadDataset(*dataDir)
	if err != nil {
		return fail("%v", err)
	}

	spec.Data = sweep.DataDesc(data)
	if err := sweep.CheckDir(*out, spec); err != nil {
		return fail("%v", err)
	}

	ctx, stop := sweepContext()
	defer stop()
	tty := isTerminalWriter(stderr)
	bar := &sweep.Bar{W: stderr, TTY: tty, Spec: spec}
	var last sweep.Progress
	cfg := sweep.Config{Spec: spec, Data: data, Dir: *out, Jobs: *jobs, Shard: k, Shards: n,
		Version: codeVersion(), NoState: !*state,
		Progress: func(pr sweep.Progress) { last = pr; bar.Update(pr) },
		Log:      func(s string) { fmt.Fprintf(stderr, "\r\x1b[Knote: %s\n", s) },
	}
	if !tty {
		cfg.Log = func(s string) { fmt.Fprintf(stderr, "note: %s\n", s) }
	}
	shardNote := ""
	if n > 1 {
		shardNote = fmt.Sprintf(", shard %d of %d", k, n)
	}
	fmt.Fprintf(stderr, "sweep %s: %s on layer %s, %d seed%s × %d epoch%s%s → %s (%d at a time)\n",
		p.Name, spec.Describe(), spec.Layer, spec.Seeds, sweepPlural(spec.Seeds), spec.Epochs, sweepPlural(spec.Epochs), shardNote, *out, *jobs)
	rep, err := sweep.Run(ctx, cfg)
	if last.Runs > 0 {
		bar.Finish(last)
	}
	csvPath := *out + string(os.PathSeparator) + sweep.ResultsFile
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "interrupted: %d of %d runs finished (%d saved mid-run); %s has %d rows. Run the same command again to continue.\n",
			rep.Skipped+rep.Trained+rep.Continued, rep.Runs, rep.Interrupted, csvPath, rep.Rows)
		return exitInterrupted
	case errors.As(err, new(sweep.BadInput)):
		return fail("%v", err)
	case err != nil:
		fmt.Fprintf(stderr, "infomorph-tui sweep: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "done: %d runs (%d finished before, %d trained, %d continued, %d diverged); %s has %d of %d rows",
		rep.Runs, rep.Skipped, rep.Trained, rep.Continued, rep.Diverged, csvPath, rep.Rows, rep.Total)
	if rep.Rows < rep.Total {
		fmt.Fprint(stderr, " (the other shards' runs are not finished yet)")
	}
	fmt.Fprintln(stderr)
	return 0
}

func sweepPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
