package main

import (
	"fmt"
	"io"
)

// Placeholders for subcommands that later changes fill in; they say so and exit 2.

func cmdLab(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "infomorph-tui: the lab is not built yet")
	return exitUsage
}
