// Package sweep runs γ sweeps: a grid (or random samples) over one or more
// γ entries of a layer, or an explicit list of labelled points (Spec.Named:
// the goal-sensitivity analyses of sensitivity.go), several seeds each, in
// parallel, resumable, and splittable into shards that write into one
// shared folder; and it loads and summarises them (Load, Result, Effects).
//
// A sweep folder holds sweep.json (what is swept), runs/<id>.json (one run
// file per finished run), runs/<id>.part.json (the state of a run that was
// interrupted, continued on restart) and results.csv (one row per finished
// run, regenerated from the run files whenever a sweep process ends).
// folder.go reads and writes these files; summary.go computes statistics.
//
// Imports: model, pid, presets, runfile, tasks and internal/jsonfloat,
// printable and safefile.
//
// Invariants:
//   - A run's id depends only on the preset, the layer, its γ and its seed;
//     two processes with equal specs (shards) may share a folder, and a
//     folder never mixes two different sweeps (CheckDir).
//   - Every run trains with one worker, so its results do not depend on how
//     many run at once (Config.Jobs) or on the sharding; an interrupted run
//     continues from its saved state exactly as if it had never stopped.
//   - *.json files in runs/ that are not runs of the sweep (Strays) are
//     ignored, with a note (Config.Log, Result.Ignored); a file named like
//     one of the sweep's runs must be that finished run.
//   - Errors wrap their causes (errors.Is, errors.As). A results.csv that
//     cannot be parsed is a *ResultsError; Run marks what it found wrong in
//     the folder or was given (another sweep, a broken run file, another
//     data set) as BadInput.
//   - Mean ± s.d. over seeds is tasks.MeanSD.
package sweep
