// Package presets holds named experiments: the built-in ones embedded in the
// binary (builtin/*.json for MNIST networks, memory/*.json for associative
// memory) and the user's from UserDir (*.json). It parses and validates
// them and converts them to what model and tasks build (NetSpec,
// MemoryConfig).
//
// Imports: model, pid and tasks; internal/safefile and internal/printable.
//
// Invariants:
//   - Parse rejects unknown fields and trailing data, and returns only
//     presets that pass Validate; errors name the source and the field.
//   - An MNIST preset that passes Validate converts with NetSpec: Validate
//     runs it. Its γ has one finite entry per atom of its layer, then h_res.
//     Its "dataset" (absent: "mnist") is one of tasks.SourceNames; NetSpec
//     builds for that source's nominal shape (tasks.SourceShape), NetSpecFor
//     for the data a run actually found, with one readout unit per class.
//   - Every built-in preset is valid (Builtin and MemoryBuiltin panic
//     otherwise), and the built-ins come in a stable order.
//   - Names are unique: a user preset with a taken name is reported and
//     skipped.
//   - Names, layer names and descriptions are short and printable; a
//     network stays within MaxUnits units a layer and MaxTrainingBytes of
//     estimated training memory (TrainingBytes), checked before anything is
//     allocated, whatever file the preset came from.
//   - LoadUser reads only regular files (or links to them) of at most
//     MaxFileSize bytes: a FIFO or a device named *.json is reported, never
//     read.
package presets
