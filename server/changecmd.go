package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// change: server change -from current.json -to new.json -out DIR
// Writes the change pack that moves a cluster's Tentacles from one plan to
// the other; `server rollout -change DIR` reads it.
func (e env) change(args []string) int {
	fs := flag.NewFlagSet("change", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fromPath := fs.String("from", "", "the cluster's current plan (JSON); - for standard input")
	toPath := fs.String("to", "", "the cluster's new plan (JSON)")
	out := fs.String("out", "", "folder to write the change pack into")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	if *fromPath == "" || *toPath == "" || *out == "" {
		fmt.Fprintln(e.stderr, "change: give both plans and the output folder: -from current.json -to new.json -out DIR")
		return exitUsage
	}
	if *fromPath == "-" && *toPath == "-" {
		fmt.Fprintln(e.stderr, "change: only one of -from and -to can read standard input")
		return exitUsage
	}
	from, okFrom := e.readPlanNamed("-from", *fromPath)
	to, okTo := e.readPlanNamed("-to", *toPath)
	if !okFrom || !okTo {
		return exitInvalid
	}
	c, err := bundle.NewChange(from, to)
	if err != nil {
		if errors.Is(err, bundle.ErrDifferentCluster) {
			fmt.Fprintf(e.stderr, "change: %s and %s: %s\n", *fromPath, *toPath, strings.TrimPrefix(err.Error(), "bundle: "))
		} else {
			fmt.Fprintf(e.stderr, "change: %v\n", err)
		}
		return exitInvalid
	}
	files, err := c.Files()
	if err == nil {
		err = writeBundle(*out, "", files)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "change: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintf(e.stdout, "wrote %d files to %s: Tentacles add %s, keep %s, remove %s\n", len(files), *out,
		listOrNone(c.Added), listOrNone(c.Kept), listOrNone(c.Removed))
	fmt.Fprintf(e.stdout, "next: the steps in %s; every polling Tentacle: tentacle-ha rollout -change %s\n", filepath.Join(*out, "change", "README.md"), *out)
	for _, extra := range strayFiles(*out, files) {
		if !strings.HasSuffix(extra, "rollout.json") {
			fmt.Fprintf(e.stderr, "change: %s is not part of this change pack (left as it was; SHA256SUMS does not list it)\n", extra)
		}
	}
	return exitOK
}

// readPlanNamed is readPlan with every problem line prefixed by the flag
// and file it is about, so two plans' problems cannot be confused.
func (e env) readPlanNamed(flagName, path string) (plan.Plan, bool) {
	var buf bytes.Buffer
	inner := e
	inner.stderr = &buf
	p, ok := inner.readPlan(path)
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line != "" {
			fmt.Fprintf(e.stderr, "%s %s: %s", flagName, path, line)
		}
	}
	return p, ok
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, " ")
}
