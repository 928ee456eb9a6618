package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// adminHandler serves what operators need and users never see: Go's
// profiler under /debug/pprof/. It is mounted only on the admin listener
// (server.admin_addr), never on the public one, so that no route of the
// application can reach it.
func adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return mux
}

// startAdmin listens on addr and serves adminHandler until ctx ends. It
// warns when addr is not a loopback address.
func startAdmin(ctx context.Context, addr string, log *slog.Logger) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("admin listener on %s: %w", addr, err)
	}
	if ip := ln.Addr().(*net.TCPAddr).IP; !ip.IsLoopback() {
		log.Warn("the admin listener (profiler) is reachable beyond this machine: keep it on an admin network", "addr", ln.Addr().String())
	}
	// A CPU profile or trace runs for its ?seconds (default 30): the write
	// timeout leaves room for a minute's.
	srv := &http.Server{Handler: adminHandler(), ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("admin listener", "err", err.Error())
		}
	}()
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	log.Info("admin listener", "addr", ln.Addr().String())
	return ln.Addr(), nil
}
