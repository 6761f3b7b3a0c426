package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/server/internal/rollout"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// rollout: server rollout -change DIR [-space S] [-select env:E,role:R,pool:P]
// [-batch 10%] [-max-failures N|N%] [-dry-run] [-json] [-state PATH]
// The API key comes from OCTOPUS_API_KEY only.
func (e env) rollout(args []string) int {
	fs := flag.NewFlagSet("rollout", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dir := fs.String("change", "", "change pack folder (server change -out DIR): change/update-tentacle.sh, .ps1 and plan.json")
	spaceName := fs.String("space", "", "space name or Id (default: the plan's server.space, else the default space)")
	selection := fs.String("select", "", "only these machines: env:NAME, role:NAME, pool:NAME, separated by commas")
	batch := fs.String("batch", "10%", "machines per batch after the canary: a number or a percentage")
	maxFailures := fs.String("max-failures", "0", "failed machines a batch may have before the rollout stops: a number or a percentage")
	dry := fs.Bool("dry-run", false, "list the machines and batches; queue no task, write no state")
	asJSON := fs.Bool("json", false, "print each event as a JSON line")
	statePath := fs.String("state", "", "progress file, read and rewritten after each batch (default DIR/rollout.json)")
	poll := fs.Duration("poll", rollout.DefaultPoll, "interval between reads of a running task")
	taskTimeout := fs.Duration("task-timeout", rollout.DefaultTaskTimeout, "longest wait for a batch's tasks; then they are cancelled and their machines fail")
	healthDelay := fs.Duration("health-delay", 0, "wait before the health check, for the Tentacles' scheduled restarts (0: the scripts' restart delay and 15 s; negative: none)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	if *dir == "" {
		fmt.Fprintln(e.stderr, "rollout: give the change pack with -change DIR (written by: server change -from current.json -to new.json -out DIR)")
		return exitUsage
	}
	sel, err := rollout.ParseSelection(*selection)
	if err == nil {
		_, err = rollout.ParseSize("-batch", *batch)
	}
	if err == nil {
		_, err = rollout.ParseSize("-max-failures", *maxFailures)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitUsage
	}
	batchSize, _ := rollout.ParseSize("-batch", *batch)
	allowed, _ := rollout.ParseSize("-max-failures", *maxFailures)
	key := e.getenv("OCTOPUS_API_KEY")
	if key == "" {
		fmt.Fprintln(e.stderr, "rollout: set OCTOPUS_API_KEY to an API key of a user who may list machines and run scripts in the space (even -dry-run reads the machines); it is never written anywhere and never sent in a task")
		return exitUsage
	}
	// Everything this command prints passes through one mask.
	secret := report.Secret(key)
	e.stdout, e.stderr = secret.Writer(e.stdout), secret.Writer(e.stderr)
	pack, err := rollout.LoadPack(*dir)
	if err == nil {
		err = pack.CheckScripts(key)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitInvalid
	}
	if *statePath == "" {
		*statePath = filepath.Join(*dir, "rollout.json")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	client, err := octopus.New(pack.ServerURL, key, nil)
	if err != nil {
		fmt.Fprintf(e.stderr, "rollout: %s server.url: %v\n", filepath.Join(*dir, rollout.PlanFile), err)
		return exitInvalid
	}
	if *spaceName == "" {
		*spaceName = pack.Space
	}
	space, err := findSpace(ctx, client, *spaceName)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitInvalid
	}
	emit := func(ev report.RolloutEvent) { fmt.Fprintln(e.stdout, ev.Line()) }
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		emit = func(ev report.RolloutEvent) { _ = enc.Encode(ev) }
	}
	sum, err := rollout.Run(ctx, rollout.Options{
		Client: client, Pack: pack, SpaceID: space.Id, Selection: sel, Batch: batchSize, MaxFailures: allowed,
		DryRun: *dry, StatePath: *statePath, Poll: *poll, TaskTimeout: *taskTimeout, HealthDelay: *healthDelay,
	}, emit)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = errors.New("rollout: interrupted; the state file holds every finished batch: run the same command again to go on")
		}
		fmt.Fprintln(e.stderr, secret.Error(err))
		return exitInvalid
	}
	if *dry || sum.Complete() {
		return exitOK
	}
	return exitInvalid
}

// findSpace resolves -space as Tentacle's --space does (by name; empty is
// the default space), and also by Id.
func findSpace(ctx context.Context, c *octopus.Client, name string) (octopus.Space, error) {
	user, err := c.CurrentUser(ctx)
	if err != nil {
		return octopus.Space{}, fmt.Errorf("rollout: the API key: %s", octopus.Reason(err))
	}
	spaces, err := c.Spaces(ctx, user.Id)
	if err != nil {
		return octopus.Space{}, fmt.Errorf("rollout: list spaces: %s", octopus.Reason(err))
	}
	if s, ok := octopus.FindSpace(spaces, name); ok {
		return s, nil
	}
	var known []string
	for _, s := range spaces {
		if strings.EqualFold(s.Id, name) {
			return s, nil
		}
		known = append(known, s.Name)
	}
	if name == "" {
		return octopus.Space{}, fmt.Errorf("rollout: the user has no default space: give -space (spaces: %s)", strings.Join(known, ", "))
	}
	return octopus.Space{}, fmt.Errorf("rollout: no space named %q that the key's user can see (spaces: %s)", name, strings.Join(known, ", "))
}
