// Package tune runs goal-discovery studies: it searches the γ of a layer
// for the best validation accuracy with a sampler (multivariate TPE,
// CMA-ES or random), prunes unpromising trials (like Optuna's
// MedianPruner), and keeps everything in a study folder that several
// processes — on one machine or on a cluster's shared file system — share
// as one study. It has no terminal: the tune command (cli) prints, the lab
// shows (engines, tui), plots draws.
//
// A study folder holds study.json (the Spec), trials/NNNNNN.json (a
// proposed trial; creating it exclusively claims the number),
// trials/NNNNNN.lease.K (who trains the trial), trials/NNNNNN.done.json
// (its result), runs/ (one run file per run of a trial, partial state while
// interrupted), results.csv and sampler.json. folder.go reads and writes
// them, lease.go keeps leases, study.go runs a process's part of a study.
//
// Imports: presets, pid, runfile (through sweep), sweep (the shared
// training of a run towards its run file), tasks, internal/atomicfile,
// gonum and goptuna's cmaes package.
//
// Invariants:
//   - The objective is the validation accuracy (mean over the study's
//     seeds); test accuracy is recorded and never used by a sampler, the
//     pruner or Best.
//   - A sampler's proposal is a pure function of its seed, the trial number
//     and the finished trials (no global random source): one job with the
//     same seed gives the same study, and an interrupted study continued
//     gives the study that never stopped. CMA-ES stays deterministic with
//     any number of processes (a generation waits for the one before).
//   - Files are written atomically (temporary file and rename, or link for
//     the exclusive ones); results are written before leases are released,
//     and a process holding a lease checks for a result first: no trial is
//     trained twice, none is lost, and a finished trial is never retrained.
//   - A folder never mixes two studies, nor a study and a sweep (CheckDir).
package tune
