package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"

	"infomorph-tui/internal/printable"
	"infomorph-tui/presets"
)

// presetsOptions are the flags of `presets`.
type presetsOptions struct {
	json       bool
	save, from string
	force      bool
}

func presetsCommand() *command {
	return &command{
		name: "presets",
		synopsis: `presets [--json]
presets --save NAME --from STUDY_DIR [--force]`,
		summary: "list built-in and user presets (* marks the default)",
		about:   "User presets are JSON files in " + presets.UserDir() + ".",
		bind: func(fs *flag.FlagSet) runner {
			var o presetsOptions
			fs.BoolVar(&o.json, "json", false, "print presets as a JSON array")
			fs.StringVar(&o.save, "save", "", "save a user preset NAME (with --from)")
			fs.StringVar(&o.from, "from", "", "with --save: a tune study folder; the preset gets its best γ")
			fs.BoolVar(&o.force, "force", false, "with --save: replace an existing user preset of that name")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				if o.save != "" || o.from != "" || o.force {
					return runPresetSave(s, o)
				}
				return runPresets(ctx, s, o)
			}
		},
	}
}

// runPresets lists presets, human-readable or as JSON; unreadable user
// presets are reported on stderr and skipped.
func runPresets(_ context.Context, s Stdio, o presetsOptions) error {
	all, errs := presets.Everything()
	for _, err := range errs {
		fmt.Fprintf(s.Err, "infomorph-tui presets: skipped %s\n", printable.Clean(err.Error()))
	}
	if o.json {
		type entry struct {
			presets.Preset
			Source  string `json:"source"`
			Default bool   `json:"default,omitempty"`
		}
		out := make([]entry, len(all))
		for i, p := range all {
			out[i] = entry{Preset: p, Source: p.Source, Default: p.Name == presets.Default}
		}
		data, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(s.Out, string(data))
		return err
	}
	tw := tabwriter.NewWriter(s.Out, 0, 0, 2, ' ', 0)
	for _, p := range all {
		mark := " "
		if p.Name == presets.Default {
			mark = "*"
		}
		fmt.Fprintf(tw, "%s %s\t%s\n", mark, p.Name, p.Description)
	}
	tw.Flush()
	_, err := fmt.Fprintf(s.Out, "\n* default · user presets: %s/*.json\n", presets.UserDir())
	return err
}
