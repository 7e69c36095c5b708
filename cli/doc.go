// Package cli is the infomorph-tui command line: one file per command (lab,
// run, presets, pid, capacity, sweep, show, plot, serve, version), each with
// an options struct filled from its flags and a run function
// `run…(ctx, stdio, opts) error` that tests can call without a process.
//
// Errors decide exit statuses in one place (exit.go): nil → 0, a usage error
// (bad flags, bad input files, bad values) → 2, an interrupted command → 130,
// anything else → 1; the error is printed as one line
// "infomorph-tui CMD: reason" on stderr. Every command answers -h/--help with
// its synopsis and flags on stdout and exit 0.
//
// cli wires packages together and formats their output; it holds no science.
// It may import every package of the module; nothing imports it but main.
package cli
