// Package tui is the lab: a Bubble Tea v2 app that trains an infomorphic
// network step by step while the user moves the goal parameters γ and watches
// accuracy, PID atoms and single neurons.
//
// The lab never computes science. It drives an [Engine] from one worker
// goroutine: the UI sends commands (run, pause, step, epoch, set γ, reset,
// watch a neuron) over a queue that never blocks, and the worker posts at most
// ~20 states per second into a coalescing mailbox that the UI reads with a
// command. A keypress therefore shows in the next frame even while a batch
// trains.
//
// Wiring: tui defines the interfaces ([Engine], [Factory], [MemoryView],
// [RunSaver], [GammaHistory]) and imports only tasks' snapshots. Package
// engines implements them over the science packages (engines.LabEngine wraps
// a *tasks.Run and its run-file record, engines.MemoryEngine a memory run,
// engines.RecordEngine a saved run that cannot continue) and lists the
// presets. The lab command (package cli) passes them in, and so does serve,
// one lab per SSH session:
//
//	err := tui.Run(tui.Options{
//		Presets: infos,   // []tui.PresetInfo, in display order; Available=false + Reason for e.g. missing MNIST
//		Factory: factory, // func(preset string, seed uint64) (tui.Engine, error), called off the UI goroutine
//		Preset:  preset,  // "" = first available
//		Seed:    seed,
//		Color:   color,   // "auto" | "always" | "never"; auto honours NO_COLOR
//		Mouse:   mouse,
//		RunsDir: "runs",  // where `w` saves <time>-<preset>.json
//	})
//
// Comparing: the lab holds at most one baseline (compare.go, baseline.go),
// drawn as ghosts (dots in whole cells, dimmer) behind the run's curves, with
// signed differences in the legends. It is a copy of the run's curves (b,
// pin), a saved run file (o, Options.Baseline), or a fork (f) of a [Forker]
// engine: the worker then holds two engines and trains the fork right after
// the run in every batch, so both advance together whenever the user trains
// (twice the time per batch), and the fork keeps the γ it had while the
// user's changes go to the run. A reset or another preset freezes the fork's
// curves. Engines may also report evaluation progress ([Progresser]) and say
// why they cannot be saved ([Unsaveable]).
//
// Layout: the root (model.go) only routes. Every pane (presets.go, goal.go,
// accuracy.go, atoms.go, inspector.go) implements one small interface (pane.go:
// size, view, update, title, focus, help keys) and embeds the shared context
// (common.go: styles, keys, size, colour), so layout, tab focus, key and mouse
// routing, drawing and the footer's help are loops over the panes. Chart
// strings are cached per pane and redrawn only when their data or size change.
package tui
