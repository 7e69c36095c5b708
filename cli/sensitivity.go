package cli

import (
	"context"
	"flag"
	"strings"

	"infomorph-tui/sweep"
)

// sensitivityOptions are the flags of `sensitivity`.
type sensitivityOptions struct {
	sweepOptions
	mode       string
	cumulative bool
	order      string
}

func sensitivityCommand() *command {
	return &command{
		name: "sensitivity",
		synopsis: `sensitivity --preset NAME [--mode zero|scale|shift] [--cumulative] [--seeds K]
                    [--epochs E] [--jobs J] [--shard K/N] [--layer NAME] --out DIR`,
		summary: "goal sensitivity: modify one γ entry at a time (or remove them cumulatively) into a sweep folder (see docs/sensitivity.md)",
		about: `zero sets one γ entry to 0 at a time, scale multiplies it by 0.9 and 1.1, shift
adds −0.1 and +0.1; the unmodified baseline is always trained. Variants whose γ
equals the baseline's (an entry already 0) are left out and listed by show.
--cumulative sets entries to 0 one after another in the authors' order (or
--order) and trains after each removal. The folder is a sweep folder: resumable
after SIGINT/SIGKILL (run the same command again), shardable; show DIR and
plot DIR summarise and draw it.`,
		bind: func(fs *flag.FlagSet) runner {
			var o sensitivityOptions
			o.bindRuns(fs, "modified", "sensitivity folder")
			fs.StringVar(&o.mode, "mode", sweep.ModeZero, "zero, scale (×0.9, ×1.1) or shift (−0.1, +0.1)")
			fs.BoolVar(&o.cumulative, "cumulative", false, "set entries to 0 one after another (mode zero) in the authors' order")
			fs.StringVar(&o.order, "order", "", "removal order for --cumulative: γ names separated by commas (default: the authors', trivariate layers only)")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				ctx, stop := interruptContext(ctx)
				defer stop()
				return runSensitivity(ctx, s, o)
			}
		},
	}
}

// sensitivitySpec checks the options and builds the analysis's sweep.
func sensitivitySpec(o sensitivityOptions) (sweep.Spec, int, int, error) {
	switch {
	case o.preset == "":
		return sweep.Spec{}, 0, 0, usagef("--preset is required (see `infomorph-tui presets`)")
	case o.out == "":
		return sweep.Spec{}, 0, 0, usagef("--out DIR is required (the sensitivity folder)")
	case o.jobs < 1 || o.jobs > 1024:
		return sweep.Spec{}, 0, 0, usagef("--jobs must be between 1 and 1024")
	case o.order != "" && !o.cumulative:
		return sweep.Spec{}, 0, 0, usagef("--order is for --cumulative")
	}
	var order []string
	if o.order != "" {
		for _, f := range strings.Split(o.order, ",") {
			order = append(order, strings.TrimSpace(f))
		}
	}
	p, err := loadPreset(o.preset)
	if err != nil {
		return sweep.Spec{}, 0, 0, badInput(err)
	}
	spec, err := sweep.NewSensitivitySpec(p, o.layer, o.mode, o.cumulative, order, o.seeds, o.firstSeed, o.epochs)
	if err != nil {
		return sweep.Spec{}, 0, 0, badInput(err)
	}
	k, n, err := checkSweepRuns(spec, o.sweepOptions)
	return spec, k, n, err
}

// runSensitivity trains the analysis's runs into o.out until done or ctx ends.
func runSensitivity(ctx context.Context, s Stdio, o sensitivityOptions) error {
	spec, k, n, err := sensitivitySpec(o)
	if err != nil {
		return err
	}
	return trainSweep(ctx, s, "sensitivity", spec, k, n, o.sweepOptions)
}
