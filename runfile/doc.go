// Package runfile is the versioned JSON record of a training run (Record),
// shared by `run --out`, the sweep and the lab: what was trained (the preset
// and its definition, the seed, every γ over time), by which code, what came
// out of each epoch and, optionally, the complete training state to continue
// from.
//
// Imports: presets and tasks, internal/atomicfile for writing,
// internal/safefile for reading and internal/printable for names.
//
// Invariants:
//   - Files are written atomically (WriteAtomic): a reader sees the old file
//     or the new one, never a part. A file rewritten keeps its mode, and a
//     symbolic link stays a link to the file rewritten. Save streams the
//     file (Encode: the bytes of Marshal, with the training state's large
//     arrays base64-encoded straight to the file), so saving a 2000-neuron
//     run adds no copy of its state to the peak memory.
//   - Reading accepts exactly schema Schema, rejects unknown fields and
//     trailing data, and returns only records whose values pass the checks
//     (errors name the field); LoadSummary skips only the training state.
//     Only regular files of at most MaxFileSize bytes are read.
//   - The checks include: every name and text is short and printable (no
//     control characters or escape sequences reach output), every epoch
//     records the same layers with the γ names of a PID lattice (those of
//     the preset when the file has its definition), the preset's network is
//     within presets' size bounds, and the training state's numbers are
//     finite (second moments and θ sums ≥ 0) with a consistent position.
//   - Per epoch, optionally (files before them load without): the test
//     set's confusion matrix, square, counts ≥ 0, its diagonal agreeing
//     with test_acc and the same number of images in every epoch; and per
//     layer the atoms' spread over the neurons, one finite
//     p10 ≤ median ≤ p90 per atom (epochdetail.go).
//   - A record with its state resumes (Resume) into a run that continues
//     exactly as if it had never stopped (tasks.Checkpoint).
package runfile
