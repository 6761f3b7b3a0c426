package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/tentacle-ha-wizard/wizard/server/internal/preflight"
	"github.com/tentacle-ha-wizard/wizard/server/internal/registration"
	"github.com/tentacle-ha-wizard/wizard/web/app"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// serveOptions are the flags of serve.
type serveOptions struct {
	addr string
	// debugAddr, when set, serves expvar's /debug/vars there (loopback only).
	debugAddr string
	// allowRegister turns on the review step's Check and the Register
	// page: this server then runs the Tentacle command line and reaches
	// the network for whoever holds the token it prints.
	allowRegister bool
	// allowRemote lets -addr name a host other than loopback.
	allowRemote bool
	// tentacle, config and app are passed to the registration.
	tentacle, config, app string
}

// errFlags is a command line the flag package refused, and explained.
var errFlags = errors.New("serve: bad flags")

// parseServe reads serve's flags.
func (e env) parseServe(args []string) (serveOptions, error) {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (on another than loopback, posts are rate-limited per client address)")
	fs.StringVar(&o.debugAddr, "debug-addr", "", "loopback address to serve expvar's /debug/vars on (memory, goroutines), such as 127.0.0.1:6060; off by default")
	fs.BoolVar(&o.allowRegister, "allow-register", false, "let the wizard check the nodes and register this machine's Tentacle (asks for the token it prints)")
	fs.BoolVar(&o.allowRemote, "allow-remote", false, "with -allow-register, let -addr name a host other than 127.0.0.1")
	fs.StringVar(&o.tentacle, "tentacle", "", "with -allow-register, the Tentacle binary (default $TENTACLE, else "+registration.DefaultTentacle()+")")
	fs.StringVar(&o.config, "config", "", "with -allow-register, the config file of a new Tentacle instance ("+registration.DefaultConfigHelp()+")")
	fs.StringVar(&o.app, "app", "", "with -allow-register, the Tentacle's application folder (configure --app)")
	if err := fs.Parse(args); err != nil {
		return o, errFlags // the flag set has said what is wrong
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.debugAddr != "" {
		if err := checkDebugAddr(o.debugAddr); err != nil {
			return o, err
		}
	}
	if !o.allowRegister && (o.allowRemote || o.tentacle != "" || o.config != "" || o.app != "") {
		return o, errors.New("-allow-remote, -tentacle, -config and -app only apply with -allow-register")
	}
	if o.allowRegister {
		return o, checkListen(o.addr, o.allowRemote)
	}
	return o, nil
}

// checkListen decides where a server that can register may listen: on
// this machine only, unless -addr names another host explicitly and
// -allow-remote says so too. Whoever reaches it, and holds the token, can
// run the Tentacle command line here.
func checkListen(addr string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q is not host:port, such as 127.0.0.1:8080", addr)
	}
	switch {
	case host == "":
		return fmt.Errorf("-addr %s listens on every interface, and with -allow-register the wizard listens on this machine only: use -addr 127.0.0.1:%s (or name the interface, such as 0.0.0.0:%s, and add -allow-remote)", addr, port, port)
	case app.IsLoopback(addr):
		return nil
	case !allowRemote:
		return fmt.Errorf("with -allow-register the wizard listens on this machine only (127.0.0.1), because it runs the Tentacle command line for whoever reaches it; -addr %s names another host: add -allow-remote if other machines must reach it (they still need the token)", addr)
	}
	return nil
}

// hostConfig adds what -allow-register turns on: the checks, the
// registration and the access token that guards them.
func (o serveOptions) hostConfig(cfg app.Config, token string, getenv func(string) string) app.Config {
	bin := o.tentacle
	if bin == "" {
		bin = getenv("TENTACLE")
	}
	if bin == "" {
		bin = registration.DefaultTentacle()
	}
	cfg.AccessToken = token
	cfg.ListenAddr = o.addr
	cfg.Tentacle = bin
	cfg.Checker = func(ctx context.Context, p plan.Plan, apiKey string) report.Preflight {
		return preflight.Run(ctx, p, preflight.Options{APIKey: apiKey, Timeout: preflight.DefaultTimeout})
	}
	cfg.Registrar = func(ctx context.Context, p plan.Plan, apiKey string, emit func(report.Event)) (app.Registered, error) {
		res, err := registration.Run(ctx, p, registration.Options{
			Tentacle: bin, APIKey: apiKey, ConfigPath: o.config, AppDir: o.app,
			HTTPClient: &http.Client{Timeout: 10 * time.Second},
		}, emit)
		return app.Registered{Backup: res.Backup, Trusted: res.Trusted, Health: res.Health, ExistingSubscriptionID: res.ExistingSubscriptionID}, err
	}
	cfg.Rollout = webRollout(rolloutDir(getenv)) // rolloutweb.go
	return cfg
}

// newApp is the wizard serve runs: cfg with the rate limit that suits
// -addr, and client addresses taken from the connection only.
func (o serveOptions) newApp(cfg app.Config) *echo.Echo {
	cfg.RateLimit = rateLimit(o.addr)
	e := app.New(cfg)
	e.IPExtractor = echo.ExtractIPDirect()
	return e
}

// serveMemoryLimit is serve's soft memory limit (debug.SetMemoryLimit)
// unless GOMEMLIMIT sets one: the garbage collector works harder as the
// heap nears it, instead of letting it double under a burst of bundle
// downloads (make load: peak RSS 73 MiB without it, 55 MiB with it, at the
// same requests/s). A soft limit: a heap that needs more gets more.
const serveMemoryLimit = 48 << 20

// shutdownGrace is how long a stopping server lets requests in flight
// finish (a download, a preview) before it closes their connections.
const shutdownGrace = 10 * time.Second

// newToken is the access token printed at start: 192 random bits.
func newToken(r io.Reader) (string, error) {
	var b [24]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// serve: tentacle-ha serve [-addr 127.0.0.1:8080] [-debug-addr 127.0.0.1:6060] [-allow-register [-allow-remote] [-tentacle PATH] [-config PATH] [-app DIR]]
func (e env) serve(args []string) int {
	o, err := e.parseServe(args)
	if errors.Is(err, errFlags) {
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "serve: %v\n", err)
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	if e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	cfg := app.Config{Logger: logger}
	token := ""
	if o.allowRegister {
		if token, err = newToken(rand.Reader); err != nil {
			fmt.Fprintf(e.stderr, "serve: %v\n", err)
			return exitInvalid
		}
		cfg = o.hostConfig(cfg, token, e.getenv)
	}
	// Ctrl+C or SIGTERM stops the server and cancels a registration in
	// progress (its running Tentacle command is killed).
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// A registration cancelled by the stop says why.
	runs, cancelRuns := context.WithCancelCause(context.Background())
	defer cancelRuns(nil)
	context.AfterFunc(ctx, func() { cancelRuns(registration.ErrServerStopped) })
	cfg.Context = runs
	wizard := o.newApp(cfg)

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "serve: %v\n", err)
		return exitInvalid
	}
	srv := &http.Server{
		Handler:           wizard,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Checks and registration streams lift this for themselves.
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  2 * time.Minute,
	}
	if token == "" {
		fmt.Fprintf(e.stdout, "Tentacle HA Wizard on http://%s/\n", ln.Addr())
	} else {
		fmt.Fprintf(e.stdout, "Tentacle HA Wizard on http://%s/?token=%s\n", ln.Addr(), token)
		fmt.Fprintf(e.stdout, "Registration is on: whoever opens this link can run %s on this machine. Keep it to yourself, and stop the server (Ctrl+C) when you are done.\n", cfg.Tentacle)
		if _, err := os.Stat(cfg.Tentacle); err != nil {
			fmt.Fprintf(e.stdout, "Note: %s is not there; give the Tentacle binary with -tentacle PATH (or TENTACLE) before you register.\n", cfg.Tentacle)
		}
	}

	if o.debugAddr != "" {
		dln, err := net.Listen("tcp", o.debugAddr)
		if err != nil {
			ln.Close()
			fmt.Fprintf(e.stderr, "serve: -debug-addr: %v\n", err)
			return exitInvalid
		}
		dbg := debugServer(dln)
		defer dbg.Close()
		fmt.Fprintf(e.stdout, "Debug variables (expvar) on http://%s/debug/vars\n", dln.Addr())
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			logger.Error("serve", "err", err)
			return exitInvalid
		}
	case <-ctx.Done():
		// Stop listening, and let the requests in flight finish: a
		// download being read, a preview. After shutdownGrace the rest
		// are cut off. Either way the stop was asked for: exit 0.
		shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			logger.Error("shutdown: requests still running were cut off", "after", shutdownGrace, "err", err)
			srv.Close()
		}
	}
	return exitOK
}
