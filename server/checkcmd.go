package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/preflight"
)

// check: server check -plan plan.json [-json] [-timeout 5s]
// The API key comes from OCTOPUS_API_KEY only, never from a flag (a flag
// would show in the process list).
func (e env) check(args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	path := fs.String("plan", "", "plan file (JSON); - for standard input")
	asJSON := fs.Bool("json", false, "print the checks as JSON")
	timeout := fs.Duration("timeout", preflight.DefaultTimeout, "timeout of each network step")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	p, ok := e.readPlan(*path)
	if !ok {
		return exitInvalid
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*(*timeout)+5*time.Second)
	defer cancel()
	r := preflight.Run(ctx, p, preflight.Options{APIKey: e.getenv("OCTOPUS_API_KEY"), Timeout: *timeout})
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintf(e.stderr, "check: %v\n", err)
			return exitInvalid
		}
	} else {
		fmt.Fprint(e.stdout, r.Text())
	}
	if r.Failed() {
		return exitInvalid
	}
	return exitOK
}

// getenv reads the environment through env so tests can supply their own.
func (e env) getenv(key string) string {
	if e.env != nil {
		return e.env(key)
	}
	return os.Getenv(key)
}
