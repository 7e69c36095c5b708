package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"infomorph-tui/presets"
)

// cmdPresets lists built-in and user presets, human-readable or as JSON.
func cmdPresets(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("presets", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print presets as a JSON array")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "infomorph-tui presets: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "infomorph-tui presets: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	all, errs := presets.Everything()
	for _, err := range errs {
		fmt.Fprintf(stderr, "infomorph-tui presets: skipped %v\n", err)
	}
	if *asJSON {
		type entry struct {
			presets.Preset
			Source  string `json:"source"`
			Default bool   `json:"default,omitempty"`
		}
		out := make([]entry, len(all))
		for i, p := range all {
			out[i] = entry{Preset: p, Source: p.Source, Default: p.Name == presets.Default}
		}
		data, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(stdout, string(data))
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	for _, p := range all {
		mark := " "
		if p.Name == presets.Default {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s %s\t%s\n", mark, p.Name, p.Description)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\n* default · user presets: %s/*.json\n", presets.UserDir())
	return 0
}
