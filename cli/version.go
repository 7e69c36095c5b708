package cli

import (
	"context"
	"flag"
	"fmt"

	"infomorph-tui/internal/version"
)

func versionCommand() *command {
	return &command{
		name:     "version",
		synopsis: "version",
		summary:  "print the version (release stamp or module version, and the VCS revision when known)",
		bind: func(*flag.FlagSet) runner {
			return func(_ context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				_, err := fmt.Fprintln(s.Out, "infomorph-tui", version.String())
				return err
			}
		},
	}
}
