package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/registration"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// register: server register -plan plan.json [-tentacle PATH] [-subscription-id ID] [-dry-run] [-json]
// The API key comes from OCTOPUS_API_KEY only.
func (e env) register(args []string) int {
	fs := flag.NewFlagSet("register", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	path := fs.String("plan", "", "plan file (JSON) with a subscription id: the bundle's plan.json")
	bin := fs.String("tentacle", "", "Tentacle binary (default $TENTACLE, else "+registration.DefaultTentacle()+")")
	dry := fs.Bool("dry-run", false, "print the commands (API key masked) and run nothing")
	asJSON := fs.Bool("json", false, "print each step as a JSON line")
	config := fs.String("config", "", "config file for a new instance ("+registration.DefaultConfigHelp()+")")
	app := fs.String("app", "", "application folder (configure --app)")
	force := fs.Bool("force-register", false, "register again with --force even when the Tentacle is registered and known to Octopus (so changed roles or environments reach it)")
	subscription := fs.String("subscription-id", "", "use this subscription id instead of the plan's (the one this Tentacle already has, when register says so)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	p, ok := e.readPlan(*path)
	if !ok {
		return exitInvalid
	}
	if *subscription != "" {
		p.Tentacle.SubscriptionID = *subscription
	}
	if p.Normalized().Tentacle.SubscriptionID == "" {
		fmt.Fprintln(e.stderr, "tentacle.subscriptionId: the plan has none; run generate first and register with the bundle's plan.json, so the scripts, the XML and this run agree")
		return exitInvalid
	}
	if *bin == "" {
		*bin = e.getenv("TENTACLE")
	}
	key := e.getenv("OCTOPUS_API_KEY")
	if key == "" && !*dry {
		fmt.Fprintln(e.stderr, "register: set OCTOPUS_API_KEY to an API key of a user who may register machines (it is never written anywhere)")
		return exitUsage
	}
	// Everything this command prints passes through one mask.
	secret := report.Secret(key)
	e.stdout, e.stderr = secret.Writer(e.stdout), secret.Writer(e.stderr)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	emit := e.printEvent
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		emit = func(ev report.Event) { _ = enc.Encode(ev) }
	}
	res, err := registration.Run(ctx, p, registration.Options{
		Tentacle: *bin, APIKey: key, DryRun: *dry, ConfigPath: *config, AppDir: *app, ForceRegister: *force,
	}, emit)
	var inv *plan.InvalidError
	switch {
	case errors.As(err, &inv):
		fmt.Fprint(e.stderr, inv.Problems.String())
		return exitInvalid
	case err != nil:
		fmt.Fprintf(e.stderr, "register: %s\n", err)
		if res.Backup != "" {
			fmt.Fprintf(e.stderr, "register: the configuration before this run is saved at %s\n", res.Backup)
		}
		if id := res.ExistingSubscriptionID; id != "" {
			fmt.Fprintf(e.stderr, "register: this Tentacle already polls the cluster as %s: run again with -subscription-id %s, or set tentacle.subscriptionId to it in %s\n", id, id, *path)
		}
		return exitInvalid
	}
	if !*asJSON && !*dry {
		fmt.Fprintf(e.stdout, "done: the Tentacle polls %d address(es)", len(res.Trusted))
		if res.Health != "" {
			fmt.Fprintf(e.stdout, "; Octopus reports it %s", res.Health)
		}
		if res.Backup != "" {
			fmt.Fprintf(e.stdout, "; previous config saved at %s", res.Backup)
		}
		fmt.Fprintln(e.stdout)
	}
	return exitOK
}

// printEvent writes finished steps as readable lines.
func (e env) printEvent(ev report.Event) {
	if ev.Status == report.Running {
		return
	}
	fmt.Fprintf(e.stdout, "[%d/%d] %-7s %s", ev.Step, ev.Total, strings.ToUpper(string(ev.Status)), ev.Name)
	if ev.Duration > 0 {
		fmt.Fprintf(e.stdout, " (%s)", ev.Duration.Round(time.Millisecond))
	}
	fmt.Fprintln(e.stdout)
	if ev.Command != "" {
		fmt.Fprintf(e.stdout, "        $ %s\n", ev.Command)
	}
	if ev.Status == report.Fail {
		for _, line := range strings.Split(strings.TrimSpace(ev.Output), "\n") {
			if line != "" {
				fmt.Fprintf(e.stdout, "        | %s\n", line)
			}
		}
	}
	if ev.Message != "" {
		fmt.Fprintf(e.stdout, "        %s\n", ev.Message)
	}
}
