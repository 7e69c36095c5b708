package tui

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// Options configure the lab.
type Options struct {
	Presets []PresetInfo // the list shown in the Presets pane, in order
	Factory Factory      // builds engines; called on the worker goroutine
	Preset  string       // preset to load at start; "" = first available
	Seed    uint64
	Color   string // "auto" (default; honours NO_COLOR), "always" or "never"
	Mouse   bool   // enable mouse clicks and wheel
	RunsDir string // where `w` saves runs; default "runs"
	// Opened names the run file the first engine continues (the factory
	// restores it for Preset); the status says so, and its epochs count as
	// saved.
	Opened string
	Now    func() time.Time
	// Baseline, when set, is compared against from the start (--baseline).
	Baseline *Baseline
	// LoadBaseline reads a run file as a baseline (o in the lab); nil: the
	// lab cannot load baselines. Called off the UI goroutine.
	LoadBaseline func(path string) (Baseline, error)
	// Builder, when set, backs the network builder (B): forms from presets,
	// presets from forms; nil: the lab has no builder.
	Builder Builder
	// Out receives what the lab says after it closes (the files it saved on
	// the way out); nil: standard output.
	Out io.Writer

	// Demo makes training reproducible for recordings: the worker trains one
	// batch per tick of a fixed clock (DemoPace), posts every batch instead of
	// throttling by time, and the header leaves out wall-clock figures
	// (samples/s, elapsed). Results never depend on timing; with a fixed Seed
	// the screens then follow the keys alone.
	Demo bool
	// Context, when set, ends the lab's training worker once it is done (the
	// SSH server cancels it when a session ends, however the program exited).
	Context context.Context
}

// DemoPace is the fixed interval between two training batches in Demo mode.
const DemoPace = 100 * time.Millisecond

// withDefaults fills in zero values.
func (o Options) withDefaults() Options {
	if o.Color == "" {
		o.Color = "auto"
	}
	if o.RunsDir == "" {
		o.RunsDir = "runs"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// validColor reports whether s is a --color value.
func validColor(s string) bool {
	return s == "" || s == "auto" || s == "always" || s == "never"
}

// noColorEnv reports NO_COLOR set to anything non-empty (no-color.org).
func noColorEnv() bool { return os.Getenv("NO_COLOR") != "" }

// colourOn is the lab's colour decision before the terminal is probed.
func colourOn(mode string) bool {
	switch mode {
	case "never":
		return false
	case "always":
		return true
	}
	return !noColorEnv()
}

// programOptions maps the colour mode onto Bubble Tea's colour profile: for
// "never" (or NO_COLOR) the ASCII profile drops every colour, for "always" the
// profile is forced to TrueColor, or ANSI256 when the terminal does not
// announce 24-bit colour; "auto" lets the program detect it.
func programOptions(o Options) []tea.ProgramOption {
	var opts []tea.ProgramOption
	switch {
	case o.Color == "never" || (o.Color == "auto" && noColorEnv()):
		opts = append(opts, tea.WithColorProfile(colorprofile.ASCII))
	case o.Color == "always":
		p := colorprofile.ANSI256
		if ct := os.Getenv("COLORTERM"); ct == "truecolor" || ct == "24bit" {
			p = colorprofile.TrueColor
		}
		opts = append(opts, tea.WithColorProfile(p))
	}
	return opts
}

// Run opens the lab full-screen and blocks until the user quits.
func Run(opts Options) error {
	if !validColor(opts.Color) {
		return fmt.Errorf("--color must be auto, always or never, not %q", opts.Color)
	}
	m := New(opts)
	final, err := tea.NewProgram(m, programOptions(m.opts)...).Run()
	if fm, ok := final.(Model); ok {
		fm.shutdown()
		if fm.exitNote != "" {
			out := opts.Out
			if out == nil {
				out = os.Stdout
			}
			fmt.Fprintln(out, fm.exitNote)
		}
	}
	return err
}
