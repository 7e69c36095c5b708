package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"infomorph-tui/plots"
	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
	"infomorph-tui/tune"
)

// plotOptions are the flags and argument of `plot`.
type plotOptions struct {
	path, out string
	dpi       int
}

func plotCommand() *command {
	return &command{
		name:     "plot",
		synopsis: "plot RUN.json|DIR -o OUT.png",
		summary:  "draw a run file, a sweep folder or a tune study (.png, .svg or .pdf)",
		bind: func(fs *flag.FlagSet) runner {
			var o plotOptions
			fs.StringVar(&o.out, "o", "", "image file to write: .png, .svg or .pdf")
			fs.StringVar(&o.out, "out", "", "same as -o")
			fs.IntVar(&o.dpi, "dpi", plots.DPI, "resolution of PNG files (dots per inch)")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if len(a.args) != 1 || o.out == "" {
					return usagef("want one run file or sweep folder and -o OUT.png (infomorph-tui plot RUN.json|DIR -o OUT.png)")
				}
				o.path = a.args[0]
				return runPlot(ctx, s, o)
			}
		},
	}
}

// runPlot draws a run file or a sweep folder into an image file.
func runPlot(_ context.Context, s Stdio, o plotOptions) error {
	if o.dpi < 20 || o.dpi > 1200 {
		return usagef("--dpi must be between 20 and 1200")
	}
	var fig plots.Figure
	if st, err := os.Stat(o.path); err == nil && st.IsDir() && tune.IsStudy(o.path) {
		st, err := tune.Open(o.path)
		if err != nil {
			return badInput(err)
		}
		trials, err := st.Trials()
		if err != nil {
			return badInput(err)
		}
		if fig, err = plots.Study(st.Spec, trials); err != nil {
			return badInput(fmt.Errorf("%s: %w", o.path, err))
		}
	} else if err == nil && st.IsDir() {
		res, err := sweep.Load(o.path)
		if err != nil {
			return badInput(err)
		}
		writeNotes(s.Err, res.Notes())
		if fig, err = plots.Sweep(res); err != nil {
			return badInput(err)
		}
	} else {
		rec, err := runfile.Load(o.path)
		if err != nil {
			return badInput(err)
		}
		if fig, err = plots.Run(rec); err != nil {
			return badInput(fmt.Errorf("%s: %w", o.path, err))
		}
	}
	fig.DPI = o.dpi
	if err := fig.Save(o.out); err != nil {
		return badInput(err)
	}
	fmt.Fprintf(s.Err, "wrote %s\n", o.out)
	return nil
}
