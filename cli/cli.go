package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// commands is every subcommand, in the order help lists them; the lab
// (name "") opens when no subcommand is named.
func commands() []*command {
	return []*command{
		labCommand(), runCommand(), presetsCommand(), pidCommand(), capacityCommand(),
		sweepCommand(), tuneCommand(), sensitivityCommand(), showCommand(), plotCommand(), serveCommand(), versionCommand(),
	}
}

// find is the command called name, or nil.
func find(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// Main runs the command line args (without the program name) and returns
// the process exit status.
func Main(ctx context.Context, args []string, s Stdio) int {
	name, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, rest = args[0], args[1:]
	}
	switch {
	case name == "help" && len(rest) == 0, name == "" && len(rest) == 1 && isHelp(rest[0]):
		writeUsage(s.Out)
		return ExitOK
	case name == "help":
		name, rest = rest[0], []string{"-h"}
	}
	c := find(name)
	if c == nil {
		return report(s.Err, "infomorph-tui", usagef("unknown command %q (try \"infomorph-tui help\")", name))
	}
	return report(s.Err, c.prefix(), c.execute(ctx, s, rest))
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// writeUsage lists every command's synopsis and summary.
func writeUsage(w io.Writer) {
	fmt.Fprintln(w, "infomorph-tui — a terminal laboratory for infomorphic neural networks")
	fmt.Fprintln(w, "\nusage:")
	for _, c := range commands() {
		writeSynopsis(w, c.synopsis, "  ", "  ")
		fmt.Fprintf(w, "      %s\n", c.summary)
	}
	fmt.Fprintln(w, "\n\"infomorph-tui CMD -h\" (or \"infomorph-tui help CMD\") lists a command's flags with their defaults;")
	fmt.Fprintln(w, "\"infomorph-tui -h\" alone prints this list. Exit status: 0 ok, 1 failure, 2 bad usage or input, 130 interrupted.")
}
