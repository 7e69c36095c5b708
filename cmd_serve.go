package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"infomorph-tui/presets"
	"infomorph-tui/serve"
	"infomorph-tui/tasks"
	"infomorph-tui/tui"
)

// shutdownGrace bounds how long a stopping server waits for its sessions.
const shutdownGrace = 10 * time.Second

// cmdServe serves the lab over SSH until SIGINT or SIGTERM.
func cmdServe(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { // a second signal ends the process at once
		<-ctx.Done()
		stop()
	}()
	// the SSH library's own log lines, in the same format and place
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, nil)))
	return runServe(ctx, args, stderr, nil)
}

// runServe parses the flags, serves until ctx ends, then shuts down telling
// every user. ready, if set, receives the server and its address once it
// listens (tests use it).
func runServe(ctx context.Context, args []string, stderr io.Writer, ready func(*serve.Server, net.Addr)) int {
	fs := flag.NewFlagSet("infomorph-tui serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", serve.DefaultAddr, "listen address (loopback by default)")
	hostKey := fs.String("host-key", "", "host key file, created (0600) if missing")
	authKeys := fs.String("authorized-keys", "", "OpenSSH authorized_keys file of the users let in")
	open := fs.Bool("insecure-open", false, "without --authorized-keys: let anyone in, unauthenticated")
	maxSess := fs.Int("max-sessions", serve.DefaultMaxSessions, "concurrent labs")
	idle := fs.Duration("idle", serve.DefaultIdle, "close a session after this long without input (0: never)")
	cpus := fs.Int("cpus", 0, "training batches at once across all sessions (0: GOMAXPROCS)")
	dataDir := fs.String("data", "", "folder with the MNIST idx files")
	preset := fs.String("preset", presets.Default, "preset each lab opens with")
	seed := fs.Uint64("seed", 1, "random seed of every lab")
	runs := fs.String("runs", "runs", "folder on the server where users' saved runs go")
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "infomorph-tui serve: "+format+"\n", a...)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		return fail("%v (try \"infomorph-tui help\")", err)
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case *maxSess < 1:
		return fail("--max-sessions must be at least 1")
	case *idle < 0:
		return fail("--idle must not be negative")
	case *cpus < 0:
		return fail("--cpus must not be negative")
	case *authKeys == "" && !*open:
		return fail("no --authorized-keys FILE: refusing to serve without authentication " +
			"(pass --insecure-open to let anyone in)")
	}
	if *hostKey == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return fail("no --host-key FILE and no config folder for a default (%v)", err)
		}
		*hostKey = filepath.Join(dir, "infomorph-tui", "ssh_host_ed25519_key")
	}
	all, errs := presets.Everything()
	if _, err := presets.Find(all, *preset); err != nil {
		return fail("%v", err)
	}

	log := slog.New(slog.NewTextHandler(stderr, nil))
	for _, err := range errs {
		log.Warn("preset skipped", "err", err)
	}
	if *open && *authKeys != "" {
		log.Warn("--insecure-open ignored: --authorized-keys decides who gets in")
		*open = false
	}
	src := &labData{dir: *dataDir}
	infos, factory := serveWiring(all, src)
	srv, err := serve.New(serve.Config{
		Addr: *addr, HostKey: *hostKey, AuthorizedKeys: *authKeys, InsecureOpen: *open,
		MaxSessions: *maxSess, Idle: *idle, CPUs: *cpus, Logger: log,
		Lab: tui.Options{Presets: infos, Factory: factory, Preset: *preset, Seed: *seed, RunsDir: *runs},
	})
	if err != nil {
		fmt.Fprintf(stderr, "infomorph-tui serve: %v\n", err)
		return 1
	}
	if _, err := tasks.FindMNISTDir(*dataDir); err == nil { // load now, not in the first user's session
		start := time.Now()
		if _, err := src.load(); err != nil {
			log.Error("MNIST presets unavailable", "err", err)
		} else {
			log.Info("MNIST loaded", "took", time.Since(start).Round(time.Millisecond).String())
		}
	} else {
		log.Warn("MNIST presets unavailable", "err", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "infomorph-tui serve: %v\n", err)
		return 1
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok {
		if !tcp.IP.IsLoopback() {
			log.Warn("listening beyond loopback: anyone who can reach this address may try to log in", "addr", tcp.String())
		}
		log.Info("connect with", "cmd", fmt.Sprintf("ssh -p %d %s", tcp.Port, hostOf(tcp)))
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if ready != nil {
		ready(srv, ln.Addr())
	}
	select {
	case err := <-served:
		log.Error("server failed", "err", err)
		return 1
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
	return 0
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

// Served engines train on one goroutine each; the server sets that through
// SetWorkers, which both kinds of engine have.
var (
	_ interface{ SetWorkers(int) } = (*labEngine)(nil)
	_ interface{ SetWorkers(int) } = memoryEngine{}
)

// serveWiring lists the presets for the served labs and builds the factory
// of their engines, as the local lab does (cmdLab).
func serveWiring(all []presets.Preset, src *labData) ([]tui.PresetInfo, tui.Factory) {
	_, dataErr := tasks.FindMNISTDir(src.dir)
	factory := func(name string, seed uint64) (tui.Engine, error) {
		p, err := presets.Find(all, name)
		if err != nil {
			return nil, err
		}
		return engineFor(p, seed, src)
	}
	return presetInfos(all, dataErr), factory
}
