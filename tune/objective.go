package tune

import "context"

// Objective trains the runs of trials. The study calls it from several
// goroutines at once (one per job), each with its own runs.
type Objective interface {
	// Open starts trial n's run with seed, or continues it from the state an
	// interrupted process saved.
	Open(n int, gamma []float64, seed uint64) (Run, error)
}

// Run is one run of a trial, trained an epoch at a time.
type Run interface {
	// History is the epochs finished so far (a continued run has some).
	History() []EpochResult
	// Epoch trains the next epoch. When ctx ends first it returns ctx.Err()
	// with the state kept, to be saved by Suspend.
	Epoch(ctx context.Context) (EpochResult, error)
	// Suspend saves the state so that Open continues from it.
	Suspend() error
	// Finish saves the finished (or pruned, or diverged) run and returns
	// its file, relative to the study folder ("" if it keeps none).
	Finish() (string, error)
}

// EpochResult is what one epoch of a run gave. Diverged is non-empty (and
// the accuracies NaN) once the run produced NaN or Inf.
type EpochResult struct {
	Train, Val, Test float64
	Diverged         string
}
