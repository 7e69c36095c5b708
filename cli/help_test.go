package cli

import (
	"flag"
	"strings"
	"testing"
)

// Every command answers -h and --help with its synopsis and every flag (with
// its default) on stdout, nothing on stderr, and exit 0.
func TestHelpEveryCommand(t *testing.T) {
	for _, c := range commands() {
		fs, _ := c.flagSet()
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		for _, h := range []string{"-h", "--help"} {
			args := []string{h}
			if c.name != "" {
				args = []string{c.name, h}
			}
			if c.name == "" {
				args = []string{"--seed", "2", h} // alone, -h prints the command list
			}
			code, out, errs := cli(t, args...)
			if code != 0 || errs != "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, errs)
			}
			if first := strings.SplitN(c.synopsis, "\n", 2)[0]; !strings.HasPrefix(out, "usage: infomorph-tui "+first+"\n") {
				t.Errorf("%v: help does not start with the synopsis:\n%s", args, out)
			}
			for _, n := range names {
				if !strings.Contains(out, "  -"+n) {
					t.Errorf("%v: help does not list -%s:\n%s", args, n, out)
				}
			}
		}
		if code, out, _ := cli(t, "help", c.name); c.name != "" && (code != 0 || !strings.HasPrefix(out, "usage: infomorph-tui "+c.name)) {
			t.Errorf("help %s: exit %d:\n%s", c.name, code, out)
		}
	}
}

// Flags with defaults say so in the help (the flag package prints "(default …)").
func TestHelpShowsDefaults(t *testing.T) {
	_, out, _ := cli(t, "run", "-h")
	for _, want := range []string{"-epochs int", "(default 10)", "-seed uint", "(default 1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("run -h lacks %q:\n%s", want, out)
		}
	}
}

// The command list names every command, and help/-h/--help print it.
func TestUsageListsCommands(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, errs := cli(t, args...)
		if code != 0 || errs != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, c := range commands() {
			if !strings.Contains(out, "infomorph-tui "+strings.SplitN(c.synopsis, " ", 2)[0]) {
				t.Errorf("%v: usage lacks %q", args, c.name)
			}
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	code, out, errs := cli(t, "frobnicate")
	checkOneLine(t, "", code, ExitUsage, out, errs, `unknown command "frobnicate"`)
	code, out, errs = cli(t, "help", "frobnicate")
	checkOneLine(t, "", code, ExitUsage, out, errs, `unknown command "frobnicate"`)
}

// A bad flag is a usage error naming the command, for every command.
func TestBadFlagEveryCommand(t *testing.T) {
	for _, c := range commands() {
		args := []string{"--no-such-flag"}
		if c.name != "" {
			args = append([]string{c.name}, args...)
		}
		code, out, errs := cli(t, args...)
		checkOneLine(t, c.name, code, ExitUsage, out, errs, "no-such-flag")
	}
}

func TestVersionCommand(t *testing.T) {
	code, out, errs := cli(t, "version")
	if code != 0 || errs != "" || !strings.HasPrefix(out, "infomorph-tui ") || strings.Count(out, "\n") != 1 {
		t.Errorf("version: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = cli(t, "version", "extra")
	checkOneLine(t, "version", code, ExitUsage, out, errs, `unexpected argument "extra"`)
}
