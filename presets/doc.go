// Package presets holds named experiments: the built-in ones embedded in the
// binary (builtin/*.json for MNIST networks, memory/*.json for associative
// memory) and the user's from UserDir (*.json). It parses and validates
// them and converts them to what model and tasks build (NetSpec,
// MemoryConfig).
//
// Imports: model, pid and tasks.
//
// Invariants:
//   - Parse rejects unknown fields and trailing data, and returns only
//     presets that pass Validate; errors name the source and the field.
//   - An MNIST preset that passes Validate converts with NetSpec: Validate
//     runs it. Its γ has one finite entry per atom of its layer, then h_res.
//   - Every built-in preset is valid (Builtin and MemoryBuiltin panic
//     otherwise), and the built-ins come in a stable order.
//   - Names are unique: a user preset with a taken name is reported and
//     skipped.
package presets
