package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strings"

	"infomorph-tui/pid"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
	"infomorph-tui/tasks"
)

// codeVersion is the version recorded in run files: the build version and,
// when the build knows it, the VCS revision.
func codeVersion() string {
	v := version
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))]
		if dirty {
			v += "+dirty"
		}
	}
	return v
}

// flagSet reports whether a flag was given on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// startRun builds a new run of a preset or, with resume, restores the run
// saved in that file and returns its record too.
func startRun(resume, preset string, seed uint64, dataDir string) (*tasks.Run, presets.Preset, *runfile.Record, error) {
	if resume == "" {
		p, err := loadPreset(preset)
		if err != nil {
			return nil, p, nil, err
		}
		data, err := loadDataset(dataDir)
		if err != nil {
			return nil, p, nil, err
		}
		run, err := newRun(p, seed, data)
		return run, p, nil, err
	}
	rec, err := runfile.Load(resume)
	if err != nil {
		return nil, presets.Preset{}, nil, err
	}
	data, err := loadDataset(dataDir)
	if err != nil {
		return nil, presets.Preset{}, nil, err
	}
	run, p, err := rec.Resume(data)
	if err != nil {
		return nil, p, nil, fmt.Errorf("%s: %v", resume, err)
	}
	return run, p, &rec, nil
}

// cmdShow prints a run file's (or a sweep folder's) summary.
func cmdShow(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	jsonOut := fs.Bool("json", false, "print the summary as one JSON object")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "infomorph-tui show: "+format+"\n", a...)
		return exitUsage
	}
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		return fail("%v", err)
	}
	if fs.NArg() != 1 {
		return fail("want one run file or sweep folder (infomorph-tui show [--json] RUN.json|DIR)")
	}
	path := fs.Arg(0)
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		res, err := sweep.Load(path)
		if err != nil {
			return fail("%v", err)
		}
		if *jsonOut {
			data, err := json.Marshal(res)
			if err != nil {
				return fail("%v", err)
			}
			fmt.Fprintf(stdout, "%s\n", data)
			return 0
		}
		res.WriteSummary(stdout)
		return 0
	}
	rec, err := runfile.Load(path)
	if err != nil {
		return fail("%v", err)
	}
	if *jsonOut {
		fmt.Fprintln(stdout, showJSON(path, rec))
		return 0
	}
	showText(stdout, path, rec)
	return 0
}

// flagsFirst moves flags (with their values) before positional arguments,
// so that `show RUN.json --json` works like `show --json RUN.json` (the flag
// package stops at the first positional argument).
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		f := fs.Lookup(name)
		if strings.Contains(name, "=") || f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return append(flags, pos...)
}

func showText(w io.Writer, path string, r runfile.Record) {
	saved := ""
	if r.SavedAt != "" {
		saved = ", saved " + r.SavedAt
	}
	fmt.Fprintf(w, "run file  %s (schema %d, written by infomorph-tui %s%s)\n", path, r.Schema, r.Version, saved)
	fmt.Fprintf(w, "preset    %s · seed %d\n", r.Preset, r.Seed)
	switch {
	case r.Diverged != "":
		fmt.Fprintf(w, "state     diverged: %s\n", r.Diverged)
	case r.State != nil:
		c := r.State
		fmt.Fprintf(w, "state     epoch %d, step %d of %d (%d steps in all) · continue with `infomorph-tui run --resume %s`\n",
			c.Epoch, c.Step, c.StepsPerEpoch, c.TotalSteps, path)
	default:
		fmt.Fprintln(w, "state     not saved (results only)")
	}
	names := atomNamesByLayer(r)
	fmt.Fprintln(w, "γ history")
	for _, g := range r.Gamma {
		fmt.Fprintf(w, "  step %-7d %-10s", g.Step, g.Layer)
		for k, v := range g.Gamma {
			name := fmt.Sprintf("γ%d", k+1)
			if n := names[g.Layer]; k < len(n) {
				name = n[k]
			}
			fmt.Fprintf(w, "  %s %s", name, num(v))
		}
		fmt.Fprintln(w)
	}
	if len(r.Epochs) == 0 {
		fmt.Fprintln(w, "no finished epochs")
		return
	}
	fmt.Fprintf(w, "\n%5s  %7s  %7s  %7s  %10s", "epoch", "train", "val", "test", "samples/s")
	for _, l := range r.Epochs[0].Layers {
		fmt.Fprintf(w, "  %*s", max(10, len(l.Name)+5), "H(Y) "+l.Name)
	}
	fmt.Fprintln(w)
	for _, e := range r.Epochs {
		fmt.Fprintf(w, "%5d  %6.2f%%  %6.2f%%  %6.2f%%  %10.0f", e.Epoch, 100*e.TrainAcc, 100*e.ValAcc, 100*e.TestAcc, e.SamplesPerSec)
		for _, l := range e.Layers {
			fmt.Fprintf(w, "  %*.3f", max(10, len(l.Name)+5), l.HY)
		}
		fmt.Fprintln(w)
	}
	last := r.Epochs[len(r.Epochs)-1]
	fmt.Fprintf(w, "\nfinal (epoch %d)  train %.2f%%  val %.2f%%  test %.2f%%\n", last.Epoch, 100*last.TrainAcc, 100*last.ValAcc, 100*last.TestAcc)
	for _, l := range last.Layers {
		fmt.Fprintf(w, "atoms · %s, H(Y) = %.3f bits\n  %-14s %8s  %6s\n", l.Name, l.HY, "", "bits", "of H(Y)")
		for k, name := range l.AtomNames {
			share := math.NaN()
			if l.HY > 0 {
				share = l.Atoms[k] / l.HY
			}
			fmt.Fprintf(w, "  %-14s %8.4f  %6.1f%%\n", name, l.Atoms[k], 100*share)
		}
	}
}

// atomNamesByLayer finds each layer's γ names (atoms then h_res) from the
// recorded epochs or the preset definition.
func atomNamesByLayer(r runfile.Record) map[string][]string {
	names := map[string][]string{}
	if len(r.Epochs) > 0 {
		for _, l := range r.Epochs[0].Layers {
			names[l.Name] = l.AtomNames
		}
		return names
	}
	if r.Def != nil {
		if spec, err := r.Def.NetSpec(); err == nil {
			for _, l := range spec.Layers {
				names[l.Name] = append(append([]string(nil), pid.AtomNames(l.Sources())...), "h_res")
			}
		}
	}
	return names
}

func showJSON(path string, r runfile.Record) string {
	type state struct {
		Epoch         int `json:"epoch"`
		Step          int `json:"step"`
		StepsPerEpoch int `json:"steps_per_epoch"`
		TotalSteps    int `json:"total_steps"`
	}
	out := struct {
		File     string                `json:"file"`
		Schema   int                   `json:"schema"`
		Version  string                `json:"version"`
		SavedAt  string                `json:"saved_at,omitempty"`
		Preset   string                `json:"preset"`
		Seed     uint64                `json:"seed"`
		Gamma    []runfile.GammaChange `json:"gamma"`
		Epochs   []json.RawMessage     `json:"epochs"`
		Final    json.RawMessage       `json:"final"`
		State    *state                `json:"state"`
		Diverged string                `json:"diverged,omitempty"`
	}{File: path, Schema: r.Schema, Version: r.Version, SavedAt: r.SavedAt, Preset: r.Preset, Seed: r.Seed,
		Gamma: r.Gamma, Epochs: []json.RawMessage{}, Final: json.RawMessage("null"), Diverged: r.Diverged}
	for _, e := range r.Epochs {
		out.Epochs = append(out.Epochs, json.RawMessage(epochJSON(e, false)))
	}
	if n := len(r.Epochs); n > 0 {
		out.Final = json.RawMessage(epochJSON(r.Epochs[n-1], true))
	}
	if c := r.State; c != nil {
		out.State = &state{c.Epoch, c.Step, c.StepsPerEpoch, c.TotalSteps}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return fmt.Sprintf(`{"error":%q}`, err.Error())
	}
	return string(data)
}
