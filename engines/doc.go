// Package engines is how the lab gets its engines: it adapts the science
// packages' runs (tasks.Run, tasks.MemoryRun) and saved run files
// (runfile.Record) to the lab's tui.Engine interface, lists the presets the
// lab offers (with why a preset is disabled), and turns sweep results into
// the lab's heatmap; it reads run files as baselines (LoadBaseline) and
// forks a LabEngine for the lab's in-step comparison. Both the local lab
// (cli) and the served lab (serve, via cli) use it, so they build engines in
// exactly one way.
//
// It may import tui (for the interfaces it implements), tasks, presets,
// runfile, sweep and pid; tui must never import it. It holds no science and
// does no terminal I/O.
//
// Invariants: a LabEngine's record always describes its run (γ changes are
// logged once per batch they take effect at, a reset starts a new record), so that the lab's
// `w` writes the same run file as `run --out`; each data source (MNIST or
// the --data folder, CIFAR-10, a generated task) is read at most once per
// Data, off the UI goroutine; memory presets and generated tasks never need
// files.
package engines
