package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"infomorph-tui/engines"
	"infomorph-tui/presets"
	"infomorph-tui/serve"
	"infomorph-tui/tui"
)

// shutdownGrace bounds how long a stopping server waits for its sessions.
const shutdownGrace = 10 * time.Second

// serveOptions are the flags of `serve`.
type serveOptions struct {
	addr, hostKey, authKeys string
	open                    bool
	maxSessions             int
	idle                    time.Duration
	cpus                    int
	data                    string
	preset                  string
	seed                    uint64
	runs                    string
	// ready, if set, receives the server and its address once it listens (tests).
	ready func(*serve.Server, net.Addr)
}

func serveCommand() *command {
	return &command{
		name: "serve",
		synopsis: `serve [--addr 127.0.0.1:23234] [--host-key FILE] [--authorized-keys FILE]
                    [--insecure-open] [--max-sessions 8] [--idle 30m] [--data DIR]`,
		summary: "serve the lab over SSH, one lab per session (ssh -p 23234 HOST)",
		about: `Serves until SIGINT or SIGTERM, then tells every user and shuts down within
10 s. Without --authorized-keys it refuses to start unless --insecure-open.`,
		bind: func(fs *flag.FlagSet) runner {
			var o serveOptions
			fs.StringVar(&o.addr, "addr", serve.DefaultAddr, "listen address (loopback by default)")
			fs.StringVar(&o.hostKey, "host-key", "", "host key file, created (0600) if missing (default: in the user config folder)")
			fs.StringVar(&o.authKeys, "authorized-keys", "", "OpenSSH authorized_keys file of the users let in")
			fs.BoolVar(&o.open, "insecure-open", false, "without --authorized-keys: let anyone in, unauthenticated")
			fs.IntVar(&o.maxSessions, "max-sessions", serve.DefaultMaxSessions, "concurrent labs")
			fs.DurationVar(&o.idle, "idle", serve.DefaultIdle, "close a session after this long without input (0: never)")
			fs.IntVar(&o.cpus, "cpus", 0, "training batches at once across all sessions (0: GOMAXPROCS)")
			fs.StringVar(&o.data, "data", "", dataFlagHelp)
			fs.StringVar(&o.preset, "preset", presets.Default, "preset each lab opens with")
			fs.Uint64Var(&o.seed, "seed", 1, "random seed of every lab")
			fs.StringVar(&o.runs, "runs", "runs", "folder on the server where users' saved runs go (one subfolder per key and session)")
			return func(ctx context.Context, s Stdio, a parsed) error {
				if err := a.noArgs(); err != nil {
					return err
				}
				ctx, stop := interruptContext(ctx)
				defer stop()
				// the SSH library's own log lines, in the same format and place
				slog.SetDefault(slog.New(slog.NewTextHandler(s.Err, nil)))
				return runServe(ctx, s, o)
			}
		},
	}
}

// check validates the options before anything is opened.
func (o serveOptions) check() error {
	switch {
	case o.maxSessions < 1:
		return usagef("--max-sessions must be at least 1")
	case o.idle < 0:
		return usagef("--idle must not be negative")
	case o.cpus < 0:
		return usagef("--cpus must not be negative")
	case o.authKeys == "" && !o.open:
		return usagef("no --authorized-keys FILE: refusing to serve without authentication " +
			"(pass --insecure-open to let anyone in)")
	}
	return nil
}

// runServe serves until ctx ends, then shuts down telling every user.
func runServe(ctx context.Context, s Stdio, o serveOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	if o.hostKey == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return usagef("no --host-key FILE and no config folder for a default (%v)", err)
		}
		o.hostKey = filepath.Join(dir, "infomorph-tui", "ssh_host_ed25519_key")
	}
	all, errs := presets.Everything()
	if _, err := presets.Find(all, o.preset); err != nil {
		return badInput(err)
	}
	log := slog.New(slog.NewTextHandler(s.Err, nil))
	for _, err := range errs {
		log.Warn("preset skipped", "err", err)
	}
	if o.open && o.authKeys != "" {
		log.Warn("--insecure-open ignored: --authorized-keys decides who gets in")
		o.open = false
	}
	data := engines.NewData(o.data)
	dataErr := data.Available()
	srv, err := serve.New(serve.Config{
		Addr: o.addr, HostKey: o.hostKey, AuthorizedKeys: o.authKeys, InsecureOpen: o.open,
		MaxSessions: o.maxSessions, Idle: o.idle, CPUs: o.cpus, Logger: log,
		Lab: tui.Options{Presets: engines.CatalogFor(all, data), Factory: engines.Factory(all, data),
			Preset: o.preset, Seed: o.seed, RunsDir: o.runs},
	})
	if err != nil {
		return err
	}
	if dataErr == nil { // load now, not in the first user's session
		start := time.Now()
		if _, err := data.Load(); err != nil {
			log.Error("MNIST presets unavailable", "err", err)
		} else {
			log.Info("MNIST loaded", "took", time.Since(start).Round(time.Millisecond).String())
		}
	} else {
		log.Warn("MNIST presets unavailable", "err", dataErr)
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok {
		if !tcp.IP.IsLoopback() {
			log.Warn("listening beyond loopback: anyone who can reach this address may try to log in", "addr", tcp.String())
		}
		log.Info("connect with", "cmd", fmt.Sprintf("ssh -p %d %s", tcp.Port, hostOf(tcp)))
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if o.ready != nil {
		o.ready(srv, ln.Addr())
	}
	select {
	case err := <-served:
		return fmt.Errorf("server failed: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("shutdown incomplete", "err", err)
	}
	if err := <-served; !errors.Is(err, serve.ErrServerClosed) {
		log.Warn("server", "err", err)
	}
	return nil
}

// hostOf names the host to connect to for a listening address.
func hostOf(a *net.TCPAddr) string {
	switch {
	case a.IP.IsUnspecified():
		return "HOST"
	case a.IP.IsLoopback():
		return "localhost"
	}
	return a.IP.String()
}
