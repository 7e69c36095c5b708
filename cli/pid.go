package cli

import (
	"context"
	"errors"
	"flag"
	"io"

	"infomorph-tui/internal/safefile"
	"infomorph-tui/pid"
)

// pidOptions are the flag and argument of `pid`.
type pidOptions struct {
	table bool
	file  string // "" or "-": standard input
}

func pidCommand() *command {
	return &command{
		name:     "pid",
		synopsis: "pid [--table] [FILE|-]",
		summary:  "PID calculator: a joint distribution as JSON in, its I^sx atoms in bits out",
		about: `Reads {"p": [...]} — a nested array with the target index first, p[t][s1],
p[t][s1][s2] or p[t][s1][s2][s3], entries ≥ 0 summing to 1 — from FILE or
standard input, and prints its I^sx decomposition in bits as JSON
(or, with --table, as a readable table). Bad input exits 2 with one line on stderr.`,
		bind: func(fs *flag.FlagSet) runner {
			var o pidOptions
			fs.BoolVar(&o.table, "table", false, "print a readable table instead of JSON")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if len(a.args) > 1 {
					return usagef("expected at most one input file, got %d", len(a.args))
				}
				if len(a.args) == 1 {
					o.file = a.args[0]
				}
				return runPID(ctx, s, o)
			}
		},
	}
}

// runPID decomposes one pmf. Every failure is bad input (exit 2).
func runPID(_ context.Context, s Stdio, o pidOptions) error {
	in, name := s.In, "standard input"
	if o.file != "" && o.file != "-" {
		f, err := safefile.Open(o.file) // a FIFO or device would block or never end
		if err != nil {
			return badInput(err)
		}
		defer f.Close()
		in, name = f, o.file
	}
	data, err := io.ReadAll(io.LimitReader(in, pid.MaxJSONSize+1))
	if err != nil {
		return usagef("reading %s: %v", name, err)
	}
	if len(data) > pid.MaxJSONSize {
		return usagef("%s is larger than %d MiB", name, pid.MaxJSONSize>>20)
	}
	d, err := pid.ReadJSON(data)
	if err != nil {
		return badInput(err)
	}
	r, err := pid.Decompose(d)
	if err != nil {
		return badInput(err)
	}
	if !r.Finite() {
		// Not reachable for a valid pmf; refuse rather than print non-JSON.
		return badInput(errors.New("decomposition is not finite"))
	}
	out := pidJSON(r)
	if o.table {
		out = pidTable(r)
	}
	if _, err := s.Out.Write(out); err != nil {
		return usagef("writing output: %v", err)
	}
	return nil
}
