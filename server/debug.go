package main

import (
	"errors"
	"expvar"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/app"
)

// publishOnce adds the process's goroutine count and resident set size to
// expvar's variables (beside its own cmdline and memstats); expvar.Publish
// panics on a second call with a name, and tests run serve more than once.
var publishOnce sync.Once

func publishDebugVars() {
	publishOnce.Do(func() {
		expvar.Publish("goroutines", expvar.Func(func() any { return runtime.NumGoroutine() }))
		expvar.Publish("rss_bytes", expvar.Func(func() any { return rssBytes() }))
	})
}

// rssBytes is the resident set size: VmRSS of /proc/self/status on Linux;
// elsewhere the memory the Go runtime holds from the OS (MemStats.Sys, an
// upper bound).
func rssBytes() uint64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.Sys
}

// checkDebugAddr allows the debug endpoint on loopback only: it tells
// anyone who reaches it the process's memory and command line.
func checkDebugAddr(addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("-debug-addr %q is not host:port, such as 127.0.0.1:6060", addr)
	}
	if !app.IsLoopback(addr) {
		return fmt.Errorf("-debug-addr %s: the debug endpoint (expvar: memory, goroutines, command line) listens on this machine only; use a loopback address such as 127.0.0.1:6060", addr)
	}
	return nil
}

// debugServer serves expvar's /debug/vars on ln (make soak reads it).
func debugServer(ln net.Listener) *http.Server {
	publishDebugVars()
	mux := http.NewServeMux()
	mux.Handle("GET /debug/vars", expvar.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "debug server: %v\n", err)
		}
	}()
	return srv
}
