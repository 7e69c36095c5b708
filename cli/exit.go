package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"infomorph-tui/internal/printable"
)

// Exit statuses, the same for every command.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2   // bad usage or bad input
	ExitInterrupted = 130 // 128 + SIGINT
)

// usageError marks bad usage or bad input: the user can fix the command line
// or the file it names.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef is a usage error with a formatted message.
func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// badInput marks err (from a file or value the user gave) as a usage error; nil stays nil.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return usageError{err}
}

// interrupted is a command stopped by SIGINT/SIGTERM after saving what it
// could; its message says how to continue.
type interrupted struct{ msg string }

func (e interrupted) Error() string { return e.msg }

// exitCode maps a command's error to the process exit status.
func exitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, new(usageError)):
		return ExitUsage
	case errors.As(err, new(interrupted)), errors.Is(err, context.Canceled):
		return ExitInterrupted
	}
	return ExitFailure
}

// report prints err as one line after prefix and returns the exit status.
func report(stderr io.Writer, prefix string, err error) int {
	if err != nil {
		// One line, and nothing a file put into the message (a name with
		// ESC in it) reaches the terminal unescaped.
		msg := strings.TrimSpace(strings.ReplaceAll(err.Error(), "\n", " "))
		fmt.Fprintf(stderr, "%s: %s\n", prefix, printable.Clean(msg))
	}
	return exitCode(err)
}
