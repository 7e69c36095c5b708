// Command infomorph-tui is a terminal laboratory for infomorphic neural
// networks. The commands live in package cli; see `infomorph-tui help`.
package main

import (
	"context"
	"os"

	"infomorph-tui/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
