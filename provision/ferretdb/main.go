// Command ferretdb-launcher runs an embedded FerretDB (MongoDB wire protocol)
// for local development and tests of the project, on a private PostgreSQL server
// that it starts and owns (the default), or on SQLite.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb`
// builds a binary that panics on its missing build/version/version.txt; the
// embeddable package used here needs no generated files.
//
// Properties:
//   - listens on 127.0.0.1 only (the port is the only choice); its PostgreSQL
//     listens on a Unix socket in a private directory only, and dies with it;
//   - telemetry is off (the embeddable package never starts the reporter, and
//     it marks telemetry disabled and locked in its in-memory state);
//   - exits on SIGINT/SIGTERM, and (unless -exit-on-stdin-eof=false) when its
//     stdin reaches EOF, so a parent that keeps a pipe open to it takes it down
//     when it dies, even by SIGKILL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	port := flag.Int("port", 27017, "TCP port to listen on (always on 127.0.0.1)")
	dataDir := flag.String("data-dir", "", "directory for the PostgreSQL cluster or the SQLite databases (created if missing; required)")
	handler := flag.String("handler", "postgresql", "backend: postgresql (a private server under -data-dir) or sqlite")
	durable := flag.Bool("durable", true, "PostgreSQL fsyncs its writes; false for throwaway data (tests)")
	logLevel := flag.String("log-level", "info", "log level: debug, info, warn or error")
	stdinEOF := flag.Bool("exit-on-stdin-eof", true, "exit when stdin reaches EOF (parent died or closed the pipe)")
	flag.Parse()

	if err := run(*port, *dataDir, *handler, *durable, *logLevel, *stdinEOF); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: %v\n", err)
		os.Exit(1)
	}
}

func run(port int, dataDir, handler string, durable bool, logLevel string, stdinEOF bool) error {
	if port <= 0 || port > 65535 {
		return fmt.Errorf("invalid -port %d", port)
	}
	if dataDir == "" {
		return errors.New("-data-dir is required")
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("invalid -log-level %q: %w", logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	if stdinEOF {
		go func() {
			// Data on stdin is ignored; only EOF (or a read error) matters.
			_, _ = io.Copy(io.Discard, os.Stdin)
			cancel(errors.New("stdin closed"))
		}()
	}

	config := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{
			TCP: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		},
		Logger:  logger,
		Handler: handler,
	}
	switch handler {
	case "postgresql":
		pg, err := startPostgres(ctx, logger, abs, durable)
		if err != nil {
			return err
		}
		// Stopped after FerretDB has let go of it (deferred calls run last-in, first-out).
		defer pg.stop()
		config.PostgreSQLURL = pg.poolURL()
		go func() {
			// Without its database FerretDB is of no use: go down with it, and be restarted.
			e := <-pg.exited
			pg.exited <- e
			cancel(fmt.Errorf("postgres exited: %v", e))
		}()
	case "sqlite":
		// The SQLite backend wants a "file:" URI of an existing directory, ending with "/".
		config.SQLiteURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()
	default:
		return fmt.Errorf("invalid -handler %q", handler)
	}

	f, err := ferretdb.New(&config)
	if err != nil {
		return err
	}

	logger.Info("ferretdb-launcher starting", "port", port, "handler", handler, "data", abs)

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	select {
	case err = <-done:
	case <-ctx.Done():
		logger.Info("ferretdb-launcher stopping", "reason", context.Cause(ctx))
		// Give open connections a moment to close, then exit regardless.
		select {
		case err = <-done:
		case <-time.After(3 * time.Second):
			logger.Warn("shutdown timed out")
		}
	}

	return err
}
