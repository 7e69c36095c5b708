// Package pid computes the shared-exclusion partial information
// decomposition I^sx (Makkeh, Gutknecht & Wibral, Phys. Rev. E 103, 032149,
// 2021) of a target T and one to three sources, and the analytic gradient of
// PID goals G = Σ_k γ_k·Π_k + γ_res·H_res with respect to the joint pmf
// (derivation: docs/pid-gradient.md; test vectors: testdata/).
//
// It owns the module's PID vocabulary: the redundancy lattice and the atom
// names (AtomNames, GammaNames, HRes), what the atoms mean in words (KindOf,
// Meaning), the pmf JSON format (ReadJSON), whole decompositions (Decompose)
// and the sparse per-neuron Estimator that model's learning rule uses.
//
// Imports: the standard library only.
//
// Invariants:
//   - Atoms are always in the documented order: {1}, {2}, {1}{2}, {12} for
//     two sources; for three the 18 antichains of documentedOrder
//     (lattice.go); a γ vector is the atoms, then h_res. The lattice and its
//     Möbius function are generated, and checked against that order at init.
//   - Values are in bits. Atoms may be negative (XOR's redundancy is −0.585
//     bits): that is the measure, not an error.
//   - A term with p(t, s) = 0 contributes exactly 0. There are no epsilons
//     and no clamps: logarithms are taken of the probabilities as they are.
//   - Names handed out are copies (AtomNames, GammaNames, Result.Names); the
//     Lattice of NewLattice is shared and read-only.
//   - Bad data (a ragged, negative or unnormalised pmf) is an error.
//     Programmer errors panic with a message starting "pid: ": an unsupported
//     number of sources, a γ of the wrong length, a destination slice too
//     short for the result.
//   - An Estimator holds scratch space and is not safe for concurrent use; a
//     reused Estimator gives the same bits as a fresh one.
package pid
