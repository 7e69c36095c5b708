package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"infomorph-tui/runfile"
	"infomorph-tui/tasks"
)

// cmdRun trains a preset headless: JSON lines or CSV for scripts, progress on stderr.
func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	preset := fs.String("preset", "", "preset name (see `infomorph-tui presets`)")
	epochs := fs.Int("epochs", 10, "epochs to train")
	seed := fs.Uint64("seed", 1, "random seed")
	gamma := fs.String("gamma", "", "comma-separated γ of the first layer (atoms in documented order, then h_res)")
	dataDir := fs.String("data", "", "folder with the MNIST idx files")
	jsonOut := fs.Bool("json", false, "write one JSON object per epoch to stdout")
	csvPath := fs.String("csv", "", "write per-epoch results as CSV to FILE")
	outPath := fs.String("out", "", "write the run file (results and training state) to RUN.json")
	resume := fs.String("resume", "", "continue the run saved in RUN.json for --epochs more epochs (saved back to it unless --out)")
	threads := fs.Int("threads", 0, "goroutines per step (0: all cores); results do not depend on it")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the training to FILE")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "infomorph-tui run: "+format+"\n", a...)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		return fail("%v", err)
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if *resume != "" {
		if flagGiven(fs, "preset") || flagGiven(fs, "seed") {
			return fail("--resume takes the preset and seed from the run file; drop --preset and --seed")
		}
	} else if *preset == "" {
		return fail("--preset is required (see `infomorph-tui presets`)")
	}
	if *epochs < 1 || *epochs > 100000 {
		return fail("--epochs must be between 1 and 100000")
	}
	if *threads < 0 {
		return fail("--threads must be ≥ 0")
	}
	run, p, rec, err := startRun(*resume, *preset, *seed, *dataDir)
	if err != nil {
		return fail("%v", err)
	}
	if *resume != "" && *outPath == "" {
		*outPath = *resume
	}
	if *threads > 0 {
		run.SetWorkers(*threads)
	}
	if *gamma != "" {
		g, err := parseGamma(*gamma, len(run.Gamma(0)))
		if err != nil {
			return fail("%v", err)
		}
		if err := run.SetGamma(0, g); err != nil {
			return fail("%v", err)
		}
	}
	if rec == nil {
		r := runfile.New(codeVersion(), p, run)
		rec = &r
	} else {
		rec.NoteGamma(run, 0)
	}
	if *cpuProfile != "" {
		stop, err := startProfile(*cpuProfile)
		if err != nil {
			return fail("%v", err)
		}
		defer stop()
	}
	var csv bytes.Buffer
	start := time.Now()
	for e := 0; e < *epochs; e++ {
		if err := run.StepEpoch(); err != nil {
			fmt.Fprintf(stderr, "infomorph-tui run: %v\n", err)
			return 1
		}
		s := run.Snapshot()
		st := s.History[len(s.History)-1]
		fmt.Fprintf(stderr, "epoch %3d  train %6.2f%%  val %6.2f%%  test %6.2f%%  %8.0f samples/s  (%s)\n",
			st.Epoch, 100*st.TrainAcc, 100*st.ValAcc, 100*st.TestAcc, st.SamplesPerSec, time.Since(start).Round(time.Second))
		if *jsonOut {
			fmt.Fprintln(stdout, epochJSON(st, false))
		}
		if *csvPath != "" {
			if e == 0 {
				csv.WriteString(csvHeader(st))
			}
			csv.WriteString(csvRow(st))
		}
		rec.Epochs = s.History
	}
	rec.Update(run, true)
	last := rec.Epochs[len(rec.Epochs)-1]
	if *jsonOut {
		fmt.Fprintln(stdout, epochJSON(last, true))
	}
	if *csvPath != "" {
		if err := runfile.WriteAtomic(*csvPath, csv.Bytes()); err != nil {
			fmt.Fprintf(stderr, "infomorph-tui run: %v\n", err)
			return 1
		}
	}
	if *outPath != "" {
		if err := runfile.Save(*outPath, *rec); err != nil {
			fmt.Fprintf(stderr, "infomorph-tui run: %v\n", err)
			return 1
		}
	}
	if math.IsNaN(last.TestAcc) {
		return 1
	}
	return 0
}

// num formats a float for JSON/CSV: shortest exact representation.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// epochJSON writes one epoch as a JSON object with atoms in documented order.
func epochJSON(st tasks.EpochStats, final bool) string {
	var b strings.Builder
	b.WriteByte('{')
	if final {
		b.WriteString(`"final":true,`)
	}
	fmt.Fprintf(&b, `"epoch":%d,"train_acc":%s,"val_acc":%s,"test_acc":%s,"samples_per_sec":%s,"train_seconds":%s,"atoms":{`,
		st.Epoch, num(st.TrainAcc), num(st.ValAcc), num(st.TestAcc), num(st.SamplesPerSec), num(st.TrainSeconds))
	for i, l := range st.Layers {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:{", l.Name)
		for k, name := range l.AtomNames {
			if k > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:%s", name, num(l.Atoms[k]))
		}
		fmt.Fprintf(&b, `,"h_y":%s}`, num(l.HY))
	}
	b.WriteString("}}")
	return b.String()
}

func csvHeader(st tasks.EpochStats) string {
	cols := []string{"epoch", "train_acc", "val_acc", "test_acc", "samples_per_sec", "train_seconds"}
	for _, l := range st.Layers {
		for _, name := range l.AtomNames {
			cols = append(cols, l.Name+":"+name)
		}
	}
	return strings.Join(cols, ",") + "\n"
}

func csvRow(st tasks.EpochStats) string {
	cols := []string{strconv.Itoa(st.Epoch), num(st.TrainAcc), num(st.ValAcc), num(st.TestAcc), num(st.SamplesPerSec), num(st.TrainSeconds)}
	for _, l := range st.Layers {
		for k := range l.AtomNames {
			cols = append(cols, num(l.Atoms[k]))
		}
	}
	return strings.Join(cols, ",") + "\n"
}
