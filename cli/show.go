package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"infomorph-tui/tasks"
	"io"
	"math"
	"os"

	"infomorph-tui/internal/printable"
	"infomorph-tui/pid"
	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
	"infomorph-tui/tune"
)

// showOptions are the flag and argument of `show`.
type showOptions struct {
	path string
	json bool
}

func showCommand() *command {
	return &command{
		name:     "show",
		synopsis: "show [--json] RUN.json|DIR",
		summary:  "summary of a run file (γ history, epochs, final atoms), a sweep folder or a tune study",
		bind: func(fs *flag.FlagSet) runner {
			var o showOptions
			fs.BoolVar(&o.json, "json", false, "print the summary as one JSON object")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if len(a.args) != 1 {
					return usagef("want one run file or sweep folder (infomorph-tui show [--json] RUN.json|DIR)")
				}
				o.path = a.args[0]
				return runShow(ctx, s, o)
			}
		},
	}
}

// runShow prints a run file's (or a sweep folder's) summary.
func runShow(_ context.Context, s Stdio, o showOptions) error {
	if st, err := os.Stat(o.path); err == nil && st.IsDir() && tune.IsStudy(o.path) {
		return showStudy(s, o.path, o.json)
	} else if err == nil && st.IsDir() {
		res, err := sweep.Load(o.path)
		if err != nil {
			return badInput(err)
		}
		writeNotes(s.Err, res.Notes())
		if o.json {
			data, err := json.Marshal(res)
			if err != nil {
				return badInput(err)
			}
			fmt.Fprintf(s.Out, "%s\n", data)
			return nil
		}
		res.WriteSummary(s.Out)
		return nil
	}
	rec, err := runfile.Load(o.path)
	if err != nil {
		return badInput(err)
	}
	if o.json {
		out, err := showJSON(o.path, rec)
		if err != nil {
			return err
		}
		fmt.Fprintln(s.Out, out)
		return nil
	}
	showText(s.Out, o.path, rec)
	return nil
}

// showText is the human summary of a run file. Every text from the file
// (checked printable on load) goes through printable.Clean as well: a
// terminal never receives an escape sequence from a file.
func showText(w io.Writer, path string, r runfile.Record) {
	c := printable.Clean
	saved := ""
	if r.SavedAt != "" {
		saved = ", saved " + c(r.SavedAt)
	}
	fmt.Fprintf(w, "run file  %s (schema %d, written by infomorph-tui %s%s)\n", c(path), r.Schema, c(r.Version), saved)
	fmt.Fprintf(w, "preset    %s · seed %d\n", c(r.Preset), r.Seed)
	if r.Dataset != "" {
		fmt.Fprintf(w, "dataset   %s\n", c(r.Dataset))
	}
	switch {
	case r.Diverged != "":
		fmt.Fprintf(w, "state     diverged: %s\n", c(r.Diverged))
	case r.State != nil:
		st := r.State
		fmt.Fprintf(w, "state     epoch %d, step %d of %d (%d steps in all) · continue with `infomorph-tui run --resume %s`\n",
			st.Epoch, st.Step, st.StepsPerEpoch, st.TotalSteps, c(path))
	default:
		fmt.Fprintln(w, "state     not saved (results only)")
	}
	names := atomNamesByLayer(r)
	fmt.Fprintln(w, "γ history")
	for _, g := range r.Gamma {
		fmt.Fprintf(w, "  step %-7d %-10s", g.Step, c(g.Layer))
		for k, v := range g.Gamma {
			name := fmt.Sprintf("γ%d", k+1)
			if n := names[g.Layer]; k < len(n) {
				name = n[k]
			}
			fmt.Fprintf(w, "  %s %s", c(name), num(v))
		}
		fmt.Fprintln(w)
	}
	if len(r.Epochs) == 0 {
		fmt.Fprintln(w, "no finished epochs")
		return
	}
	fmt.Fprintf(w, "\n%5s  %7s  %7s  %7s  %10s", "epoch", "train", "val", "test", "samples/s")
	for _, l := range r.Epochs[0].Layers {
		fmt.Fprintf(w, "  %*s", max(10, len(l.Name)+5), "H(Y) "+c(l.Name))
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
	if last.TrainAccKind == tasks.TrainRunning {
		fmt.Fprintln(w, "train: running accuracy of the epoch's training batches (label context, weights changing); run --train-eval evaluates the whole split")
	}
	fmt.Fprintf(w, "\nfinal (epoch %d)  %s %.2f%%  val %.2f%%  test %.2f%%\n", last.Epoch, last.TrainName(), 100*last.TrainAcc, 100*last.ValAcc, 100*last.TestAcc)
	for _, l := range last.Layers {
		over := ""
		if spreadHeader(l) != "" {
			over = " (mean over the neurons; median, 10th and 90th percentile over them)"
		}
		fmt.Fprintf(w, "atoms · %s, H(Y) = %.3f bits%s\n  %-14s %8s  %6s%s\n", c(l.Name), l.HY, over, "", "bits", "of H(Y)", spreadHeader(l))
		for k, name := range l.AtomNames {
			share := math.NaN()
			if l.HY > 0 {
				share = l.Atoms[k] / l.HY
			}
			fmt.Fprintf(w, "  %-14s %8.4f  %6.1f%%%s\n", c(name), l.Atoms[k], 100*share, spreadCells(l, k))
		}
	}
	if e, ok := lastConfusion(r.Epochs); ok {
		writeConfusion(w, e)
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
				names[l.Name] = pid.GammaNames(l.Sources())
			}
		}
	}
	return names
}

// showJSON is the summary of a run file as one JSON object.
func showJSON(path string, r runfile.Record) (string, error) {
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
		Dataset  string                `json:"dataset,omitempty"`
		Gamma    []runfile.GammaChange `json:"gamma"`
		Epochs   []json.RawMessage     `json:"epochs"`
		Final    json.RawMessage       `json:"final"`
		State    *state                `json:"state"`
		Diverged string                `json:"diverged,omitempty"`
	}{File: path, Schema: r.Schema, Version: r.Version, SavedAt: r.SavedAt, Preset: r.Preset, Seed: r.Seed,
		Dataset: r.Dataset, Gamma: r.Gamma, Epochs: []json.RawMessage{}, Final: json.RawMessage("null"), Diverged: r.Diverged}
	for _, e := range r.Epochs {
		out.Epochs = append(out.Epochs, json.RawMessage(epochDetailJSON(e, false)))
	}
	if n := len(r.Epochs); n > 0 {
		out.Final = json.RawMessage(epochDetailJSON(r.Epochs[n-1], true))
	}
	if c := r.State; c != nil {
		out.State = &state{c.Epoch, c.Step, c.StepsPerEpoch, c.TotalSteps}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return "", fmt.Errorf("%s: %v", path, err)
	}
	return string(data), nil
}

// writeNotes prints each note on its own line, after "note: ".
func writeNotes(w io.Writer, notes []string) {
	for _, n := range notes {
		fmt.Fprintf(w, "note: %s\n", printable.Clean(n))
	}
}
