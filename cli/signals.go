package cli

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// interruptContext is ctx, cancelled by the first SIGINT or SIGTERM so the
// command can save and stop. After that a second Ctrl-C (SIGINT) ends the
// process at once, as a user at a terminal expects, but further SIGTERMs are
// ignored: a cluster scheduler (SLURM) sends SIGTERM to a whole job and a
// wrapper script may forward another, and neither may skip the save.
func interruptContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
			signal.Reset(os.Interrupt) // a second ^C: the default, end at once
			for {                      // SIGTERMs from here on: already stopping
				select {
				case <-sigs:
				case <-done:
					return
				}
			}
		case <-done:
		}
	}()
	return ctx, func() {
		cancel()
		signal.Stop(sigs)
		close(done)
	}
}
