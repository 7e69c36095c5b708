// Package model holds infomorphic neurons and networks: compartments (dense,
// sparse and lateral), activations, binning, firing, the local learning rule
// (a layer's PID goal gradient, from pid, back to its own weights) with Adam,
// end-to-end backprop with surrogate gradients (the baseline), feedback
// wiring, the associative-memory network, the networks' savable state (NetState),
// and the vector kernels (amd64 assembly) behind the hot loops.
//
// Imports: pid, gonum's floats, and golang.org/x/sys/cpu for CPU features.
// No I/O and no terminal: callers bring the data and store the state.
//
// Invariants:
//   - Under Local training (every preset but the backprop baseline) no
//     gradient crosses a layer: every layer learns from its own goal, on the
//     same forward pass. Backprop training (backprop.go) is the end-to-end
//     baseline; its layers' atoms are measured, not learned. A fixed layer
//     (lr 0) never changes.
//   - Results do not depend on the worker count: work is split by item (row,
//     neuron, column), never by reduction, and every neuron samples its
//     outputs from its own random stream keyed by the batch's key, the step
//     and the neuron.
//   - Randomness comes only from the seeds and keys passed in; there is no
//     global random state.
//   - The vector kernels give the same bits as the portable Go code they
//     stand for, on the same machine (TestPortablePaths); this relies on the
//     default GOAMD64=v1 (see docs/performance.md).
package model
