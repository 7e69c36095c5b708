// Command infomorph-tui is a terminal laboratory for infomorphic neural networks.
//
// With no arguments it opens the lab; subcommands run headless training, list
// presets, decompose distributions and serve the lab over SSH.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=..."; "dev" otherwise.
var version = "dev"

// exitUsage is the status for bad input or usage errors, as the CLI contract demands.
const exitUsage = 2

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// dispatch routes to a subcommand and returns the process exit status.
func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		return cmdLab(args, stdout, stderr)
	}
	switch args[0] {
	case "pid":
		return cmdPID(args[1:], stdin, stdout, stderr)
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "presets":
		return cmdPresets(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "infomorph-tui", version)
		return 0
	case "capacity":
		return cmdCapacity(args[1:], stdout, stderr)
	case "sweep":
		return cmdSweep(args[1:], stdout, stderr)
	case "show":
		return cmdShow(args[1:], stdout, stderr)
	case "plot":
		return cmdPlot(args[1:], stdout, stderr)
	case "serve":
		return cmdServe(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "infomorph-tui: unknown command %q (try \"infomorph-tui help\")\n", args[0])
		return exitUsage
	}
}

const usage = `infomorph-tui — a terminal laboratory for infomorphic neural networks

usage:
  infomorph-tui [--preset NAME] [--seed S] [--data DIR] [--demo]   open the lab
                [--color auto|always|never] [--mouse]
  infomorph-tui --open RUN.json                              look at / continue a saved run
  infomorph-tui --sweep DIR                                  a sweep as a heatmap
  infomorph-tui run --preset NAME [--epochs N] [--seed S] [--gamma LIST] [--data DIR]
                    [--json] [--csv FILE] [--out RUN.json]    headless training
  infomorph-tui run --resume RUN.json [--epochs N] [--out RUN2.json]   continue a saved run
  infomorph-tui presets [--json]                             list presets
  infomorph-tui pid [--table] [FILE|-]                       PID calculator (JSON in, JSON out)
  infomorph-tui capacity --preset NAME [--seeds 20] [--jobs J] [--json] [--noise-sweep]
                                                             memory capacity sweep
  infomorph-tui sweep --preset NAME --vary ATOM=a:b:n [--vary …] [--random M] [--epochs N]
                    [--seeds K] [--jobs J] [--shard K/N] [--layer NAME] --out DIR
                                                             γ sweep (resumable; see docs/sweeps.md)
  infomorph-tui show [--json] RUN.json|DIR                   summary of a run file or sweep folder
  infomorph-tui plot RUN.json|DIR -o OUT.png                 figure of a run or sweep (.png, .svg, .pdf)
  infomorph-tui serve [--addr 127.0.0.1:23234] [--host-key FILE] [--authorized-keys FILE]
                    [--insecure-open] [--max-sessions 8] [--idle 30m] [--data DIR]
                                                             serve the lab over SSH (ssh -p 23234 HOST)
  infomorph-tui version
`
