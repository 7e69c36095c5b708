package cli

import (
	"context"
	"flag"
	"fmt"

	"infomorph-tui/engines"
	"infomorph-tui/presets"
	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
	"infomorph-tui/tui"
)

// labOptions are the flags of the lab (the command with no name).
type labOptions struct {
	preset, data, color, open, sweep, baseline string
	study                                      string
	seed                                       uint64
	mouse, demo                                bool
	given                                      map[string]bool
}

func labCommand() *command {
	return &command{
		synopsis: `[--preset NAME] [--seed S] [--data DIR] [--demo] [--color auto|always|never] [--mouse] [--baseline RUN.json]
--open RUN.json [--baseline RUN.json]
--sweep DIR
--study DIR`,
		summary: "open the lab (default preset " + presets.Default + "); --open looks at or continues a saved run, --sweep shows a sweep as a heatmap, --study follows a tune study",
		about:   "In the lab, ? lists the keys.",
		bind: func(fs *flag.FlagSet) runner {
			var o labOptions
			fs.StringVar(&o.preset, "preset", presets.Default, "preset to open")
			fs.Uint64Var(&o.seed, "seed", 1, "random seed")
			fs.StringVar(&o.data, "data", "", dataFlagHelp)
			fs.StringVar(&o.color, "color", "auto", "colour: auto, always or never")
			fs.BoolVar(&o.mouse, "mouse", false, "enable mouse support")
			fs.BoolVar(&o.demo, "demo", false, "reproducible recordings: one batch per 100 ms, every batch shown, no wall-clock figures")
			fs.StringVar(&o.open, "open", "", "a saved run file (w, run --out) to look at and continue training")
			fs.StringVar(&o.sweep, "sweep", "", "a sweep folder to show as a heatmap of final test accuracy")
			fs.StringVar(&o.study, "study", "", "a tune study folder to follow (the Tune view); enter opens a trial's γ in the lab")
			fs.StringVar(&o.baseline, "baseline", "", "a saved run file to compare with: drawn behind the run's curves, with differences in the legends")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if len(a.args) > 0 {
					return usagef("unknown command %q (try \"infomorph-tui help\")", a.args[0])
				}
				o.given = a.given
				return runLab(ctx, s, o)
			}
		},
	}
}

// check validates the options before anything is loaded.
func (o labOptions) check() error {
	switch o.color {
	case "auto", "always", "never":
	default:
		return usagef("--color must be auto, always or never")
	}
	switch {
	case o.study != "" && (o.sweep != "" || o.open != ""):
		return usagef("--study goes alone, not with --sweep or --open")
	case o.sweep != "" && o.open != "":
		return usagef("--sweep and --open do not go together")
	case o.sweep != "" && o.baseline != "":
		return usagef("--baseline is for the lab, not for --sweep")
	case o.open != "" && (o.given["preset"] || o.given["seed"]):
		return usagef("--open takes the preset and seed from the run file; drop --preset and --seed")
	}
	return nil
}

// runLab opens the lab, a saved run in it, or a sweep's heatmap.
func runLab(_ context.Context, s Stdio, o labOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	if o.sweep != "" {
		res, err := sweep.Load(o.sweep)
		if err != nil {
			return err
		}
		h, err := engines.SweepHeatmap(res)
		if err != nil {
			return err
		}
		open, err := tui.RunHeatmap(h, o.color)
		if err != nil || open == "" {
			return err
		}
		o.sweep, o.open, o.given = "", open, nil // enter on a cell: open its run in the lab
	}
	var extra []presets.Preset
	if o.study != "" { // enter on a trial: open the lab with its γ
		p, err := runStudyView(o.study, o.color)
		if err != nil || p == nil {
			return err
		}
		extra, o.study, o.preset, o.given = []presets.Preset{*p}, "", p.Name, nil
	}
	all, errs := presets.Everything()
	all = append(all, extra...)
	for _, err := range errs {
		fmt.Fprintf(s.Err, "infomorph-tui: skipped %v\n", err)
	}
	var opened *engines.Opened
	if o.open != "" {
		rec, err := runfile.Load(o.open)
		if err != nil {
			return err
		}
		if _, err := rec.PresetDef(); err != nil {
			return fmt.Errorf("%s: %w", o.open, err)
		}
		opened = engines.NewOpened(rec)
		o.preset, o.seed = rec.Preset, rec.Seed
	} else if _, err := presets.Find(all, o.preset); err != nil {
		return badInput(err)
	}
	var base *tui.Baseline
	if o.baseline != "" {
		b, err := engines.LoadBaseline(o.baseline)
		if err != nil {
			return badInput(err)
		}
		base = &b
	}
	data := engines.NewData(o.data)
	infos := engines.CatalogFor(all, data)
	if opened != nil {
		infos = withOpened(infos, all, opened.Record(), o.open, data.Available())
	}
	bld := engines.NewBuilder(all, presets.UserDir(), data.AvailableFor) // B: presets it builds join the list
	factory := func(name string, seed uint64) (tui.Engine, error) {
		if rec, ok := opened.Take(name); ok {
			return engines.Open(rec, data)
		}
		p, err := bld.Find(name)
		if rec := opened.Record(); err != nil && opened != nil && name == rec.Preset {
			p, err = rec.PresetDef()
		}
		if err != nil {
			return nil, err
		}
		return engines.For(p, seed, data)
	}
	return tui.Run(tui.Options{Presets: infos, Factory: factory, Preset: o.preset, Seed: o.seed,
		Color: o.color, Mouse: o.mouse, RunsDir: "runs", Demo: o.demo, Opened: o.open,
		Baseline: base, LoadBaseline: engines.LoadBaseline, Out: s.Out, Builder: bld})
}

// withOpened adds an opened run's preset to the list when it no longer
// exists, and marks it available when the run is shown read-only (that
// needs no data).
func withOpened(infos []tui.PresetInfo, all []presets.Preset, rec runfile.Record, path string, dataErr error) []tui.PresetInfo {
	if _, err := presets.Find(all, rec.Preset); err != nil {
		info := tui.PresetInfo{Name: rec.Preset, Description: "from " + path, Available: dataErr == nil}
		if dataErr != nil {
			info.Reason = dataErr.Error()
		}
		infos = append(infos, info)
	}
	if rec.CannotContinue() != nil {
		for i := range infos {
			if infos[i].Name == rec.Preset {
				infos[i].Available, infos[i].Reason = true, ""
			}
		}
	}
	return infos
}
