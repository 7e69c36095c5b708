package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"infomorph-tui/plots"
	"infomorph-tui/runfile"
	"infomorph-tui/sweep"
)

// cmdPlot draws a run file or a sweep folder into an image file.
func cmdPlot(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", "", "image file to write: .png, .svg or .pdf")
	fs.StringVar(out, "out", "", "same as -o")
	dpi := fs.Int("dpi", plots.DPI, "resolution of PNG files (dots per inch)")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "infomorph-tui plot: "+format+"\n", a...)
		return exitUsage
	}
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		return fail("%v", err)
	}
	if fs.NArg() != 1 || *out == "" {
		return fail("want one run file or sweep folder and -o OUT.png (infomorph-tui plot RUN.json|DIR -o OUT.png)")
	}
	if *dpi < 20 || *dpi > 1200 {
		return fail("--dpi must be between 20 and 1200")
	}
	path := fs.Arg(0)
	var fig plots.Figure
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		res, err := sweep.Load(path)
		if err != nil {
			return fail("%v", err)
		}
		if fig, err = plots.Sweep(res); err != nil {
			return fail("%v", err)
		}
	} else {
		rec, err := runfile.Load(path)
		if err != nil {
			return fail("%v", err)
		}
		if fig, err = plots.Run(rec); err != nil {
			return fail("%s: %v", path, err)
		}
	}
	fig.DPI = *dpi
	if err := fig.Save(*out); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stderr, "wrote %s\n", *out)
	return 0
}
