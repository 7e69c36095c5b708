// Package runfile is the versioned JSON record of a training run (Record),
// shared by `run --out`, the sweep and the lab: what was trained (the preset
// and its definition, the seed, every γ over time), by which code, what came
// out of each epoch and, optionally, the complete training state to continue
// from.
//
// Imports: presets and tasks, and internal/atomicfile for writing.
//
// Invariants:
//   - Files are written atomically (WriteAtomic): a reader sees the old file
//     or the new one, never a part.
//   - Reading accepts exactly schema Schema, rejects unknown fields and
//     trailing data, and returns only records whose values pass the checks
//     (errors name the field); LoadSummary skips only the training state.
//   - A record with its state resumes (Resume) into a run that continues
//     exactly as if it had never stopped (tasks.Checkpoint).
package runfile
