package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("disk full"), ExitFailure},
		{usagef("--epochs must be between 1 and 100000"), ExitUsage},
		{badInput(errors.New("bad.json: malformed")), ExitUsage},
		{fmt.Errorf("wrapped: %w", usagef("bad")), ExitUsage},
		{interrupted{"interrupted: 1 of 2 runs finished"}, ExitInterrupted},
		{fmt.Errorf("training: %w", context.Canceled), ExitInterrupted},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	if badInput(nil) != nil {
		t.Error("badInput(nil) is not nil")
	}
}

// report prints one line, whatever newlines the error holds.
func TestReportOneLine(t *testing.T) {
	var b bytes.Buffer
	if code := report(&b, "infomorph-tui pid", usagef("line one\nline two\n")); code != ExitUsage {
		t.Errorf("exit %d", code)
	}
	if got := b.String(); got != "infomorph-tui pid: line one line two\n" {
		t.Errorf("report wrote %q", got)
	}
}

// Two SIGTERMs in quick succession (SLURM's and a wrapper's) cancel the
// context once and do not end the process: the command still saves.
func TestInterruptContextRepeatedSIGTERM(t *testing.T) {
	ctx, stop := interruptContext(context.Background())
	defer stop()
	for range 2 {
		if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	time.Sleep(100 * time.Millisecond) // the second signal is handled by now; we are still here
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
}
