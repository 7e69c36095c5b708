package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Stdio is a command's standard streams.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// command is one subcommand: its help text and how it binds its flags.
type command struct {
	name string // "" for the lab, the default command
	// synopsis is the usage: each line that starts with a space continues the
	// line before it; every other line is a form of the command, printed after
	// "infomorph-tui ".
	synopsis string
	summary  string // one line for the command list
	about    string // what -h says beyond the synopsis (optional)
	// bind registers the command's flags on fs, filling its options, and
	// returns what runs once they are parsed.
	bind func(fs *flag.FlagSet) runner
}

// runner runs a command once its flags are parsed.
type runner func(ctx context.Context, s Stdio, a parsed) error

// parsed is what the flag parser leaves: positional arguments and which
// flags were given explicitly.
type parsed struct {
	args  []string
	given map[string]bool
}

// noArgs refuses positional arguments.
func (a parsed) noArgs() error {
	if len(a.args) > 0 {
		return usagef("unexpected argument %q", a.args[0])
	}
	return nil
}

// prefix starts the command's error lines.
func (c *command) prefix() string {
	if c.name == "" {
		return "infomorph-tui"
	}
	return "infomorph-tui " + c.name
}

// flagSet is the command's flags, bound to a fresh options value.
func (c *command) flagSet() (*flag.FlagSet, runner) {
	fs := flag.NewFlagSet(c.prefix(), flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by report, help by writeHelp
	return fs, c.bind(fs)
}

// execute parses args and runs the command; -h/--help prints its help.
func (c *command) execute(ctx context.Context, s Stdio, args []string) error {
	fs, run := c.flagSet()
	if err := fs.Parse(flagsFirst(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.writeHelp(s.Out, fs)
			return nil
		}
		return usagef("%v (try \"%s -h\")", err, c.prefix())
	}
	a := parsed{args: fs.Args(), given: map[string]bool{}}
	fs.Visit(func(f *flag.Flag) { a.given[f.Name] = true })
	return run(ctx, s, a)
}

// writeHelp prints the synopsis, the about text and every flag with its default.
func (c *command) writeHelp(w io.Writer, fs *flag.FlagSet) {
	writeSynopsis(w, c.synopsis, "usage: ", "       ")
	fmt.Fprintf(w, "\n%s\n", c.summary)
	if c.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(c.about, "\n"))
	}
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

// writeSynopsis prints a synopsis: the first form after first, the other
// forms and the continuation lines after indent (as wide as first).
func writeSynopsis(w io.Writer, synopsis, first, indent string) {
	for i, l := range strings.Split(synopsis, "\n") {
		lead := indent
		if i == 0 {
			lead = first
		}
		if !strings.HasPrefix(l, " ") {
			l = "infomorph-tui " + l
		}
		fmt.Fprintf(w, "%s%s\n", lead, l)
	}
}

// flagsFirst moves flags (with their values) before positional arguments,
// so that `show RUN.json --json` works like `show --json RUN.json` (the flag
// package stops at the first positional argument). "-" is positional
// (standard input); "--" ends the flags.
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		f := fs.Lookup(name)
		if strings.Contains(name, "=") || f == nil {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if len(pos) > 0 {
		flags = append(flags, "--")
	}
	return append(flags, pos...)
}

// dataFlagHelp describes --data alike in every command that trains.
const dataFlagHelp = "folder with the data: idx files (MNIST's names), CIFAR-10's .bin files, or train.csv and test.csv (default: the preset's data; MNIST from the Go module cache)"
