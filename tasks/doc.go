// Package tasks turns data into training: MNIST (from the GoMNIST module's
// files or the user's idx files of any image size and class count),
// CIFAR-10's binary files, CSV tables and the generated bars and logic
// tasks (source.go names them all; nothing is downloaded), their split and
// normalisation, the bars task's single-bar-detector measure (MatchBar) and
// the PID of a logic task's inputs (InputPID), how a task
// wires images and labels into compartments, accuracy (with two classes a
// readout neuron's polarity is measured against labels: polarity.go), the steppable Run
// and its Checkpoint, the associative-memory run (MemoryRun) with its
// capacity and noise scans, the mean ± s.d. of repeated results (MeanSD),
// and the snapshots that the lab and the commands read. Everything the lab
// shows about the network is computed here and carried in the snapshot: the
// goal value G = Σγ·Π per layer (GoalOf), each atom's spread over the neurons,
// the silent neurons and the neurons ranked by information (population), the
// test set's confusion matrix (EpochStats.Confusion).
//
// Imports: model and pid; gonum's stat; the GoMNIST module for its data
// files. Not presets, runfile or anything of the terminal.
//
// Invariants:
//   - A Run's results depend only on its Config (network and seed), its data
//     and the γ changes made to it: not on the worker count (SetWorkers), nor
//     on being stopped and restored from a Checkpoint. Shuffling and sampling
//     are keyed by (seed, epoch, step).
//   - A Snapshot is a copy that the Run does not change afterwards, so other
//     goroutines may read it; the Run itself is not safe for concurrent use.
//   - Layer statistics list the atoms in pid's documented order, then h_res;
//     atoms plus h_res add up to H(Y).
//   - A Run's Fork continues exactly as the Run itself would: two forks that
//     differ only in γ differ only by that change.
//   - A Run's network reads the data's Dim inputs into its Classes (NewRun
//     refuses any other); generated tasks are the same on every machine
//     (GeneratedSeed).
//   - MNIST splits 48 000 / 12 000 (SplitSeed); any set of more than NVal
//     training images keeps NVal for validation, a smaller one holds out a
//     fifth (ValSize). LoadDataset refuses a set it cannot split.
package tasks
