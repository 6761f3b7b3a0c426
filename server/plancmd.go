package main

import (
	"bytes"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// readPlan loads and decodes a plan file ("-" for stdin). Problems are
// printed; ok is false when the plan could not be read or has errors.
// edit, if given, changes the decoded plan before it is validated (and
// says false after printing why it could not).
func (e env) readPlan(path string, edit ...planEdit) (p plan.Plan, ok bool) {
	if path == "" {
		fmt.Fprintln(e.stderr, "plan: give the plan file with -plan plan.json (or -plan - for standard input)")
		return p, false
	}
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(e.stdin, plan.MaxPlanBytes+1))
	} else {
		data, err = readLimited(path)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "plan: cannot read %s: %v\n", path, unwrapPath(err))
		return p, false
	}
	p, probs := plan.Decode(data)
	if probs.HasErrors() {
		fmt.Fprint(e.stderr, probs.String())
		return p, false
	}
	for _, ed := range edit {
		if !ed.apply(&p) {
			return p, false
		}
	}
	probs = p.Validate()
	for _, ed := range edit {
		for i := range probs {
			if ed.field != nil {
				probs[i].Field = ed.field(probs[i].Field)
			}
		}
	}
	fmt.Fprint(e.stderr, probs.String())
	return p, !probs.HasErrors()
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, plan.MaxPlanBytes+1))
}

// unwrapPath drops the path os errors repeat ("open x: no such file").
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}

// validate: server validate -plan plan.json
func (e env) validate(args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	path := fs.String("plan", "", "plan file (JSON); - for standard input")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	if _, ok := e.readPlan(*path); !ok {
		return exitInvalid
	}
	return exitOK
}

// generate: server generate -plan plan.json -out DIR|FILE.zip|FILE.tar.gz
func (e env) generate(args []string) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	path := fs.String("plan", "", "plan file (JSON); - for standard input")
	out := fs.String("out", "", "output: a folder, or a file ending .zip or .tar.gz")
	fleet := fs.String("fleet", "", "machines of a fleet as CSV (name,os,kind,environments,roles,workerPools,tenants,instance; lists separated by ;); replaces the plan's fleet")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return exitUsage
	}
	if *out == "" {
		fmt.Fprintln(e.stderr, "generate: give the output with -out DIR, -out bundle.zip or -out bundle.tar.gz")
		return exitUsage
	}
	var edits []planEdit
	if *fleet != "" {
		edits = append(edits, e.fleetCSV(*fleet))
	}
	p, ok := e.readPlan(*path, edits...)
	if !ok {
		return exitInvalid
	}
	before := p.Normalized()
	p, err := p.WithSubscriptionID(rand.Reader)
	if err != nil {
		fmt.Fprintf(e.stderr, "generate: %v\n", err)
		return exitInvalid
	}
	switch picked := pickedIDs(before, p); {
	case p.HasFleet() && picked > 0:
		fmt.Fprintf(e.stderr, "fleet: %d machine(s) had no subscription id; picked one each and wrote them into the bundle's plan.json (use that plan for re-runs)\n", picked)
	case picked > 0:
		fmt.Fprintf(e.stderr, "tentacle.subscriptionId: the plan had none; picked %s and wrote it into the bundle's plan.json (use that plan for re-runs)\n", p.Tentacle.SubscriptionID)
	}
	files, err := bundle.Files(p)
	if err != nil {
		fmt.Fprintf(e.stderr, "generate: %v\n", err)
		return exitInvalid
	}
	if err := writeBundle(*out, bundle.ArchivePrefix(p), files); err != nil {
		fmt.Fprintf(e.stderr, "generate: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintf(e.stdout, "wrote %d files to %s\n", len(files), *out)
	for _, extra := range strayFiles(*out, files) {
		fmt.Fprintf(e.stderr, "generate: %s is not part of this bundle (left as it was; SHA256SUMS does not list it)\n", extra)
	}
	return exitOK
}

// writeBundle writes files to a folder or an archive named by out. Every
// file is written to a temporary name first and renamed into place, so an
// interrupted run leaves no half-written file.
func writeBundle(out, prefix string, files []bundle.File) error {
	switch {
	case strings.HasSuffix(out, ".zip"):
		return writeAtomic(out, 0o644, func(w io.Writer) error { return bundle.WriteZip(w, prefix, files) })
	case strings.HasSuffix(out, ".tar.gz"), strings.HasSuffix(out, ".tgz"):
		return writeAtomic(out, 0o644, func(w io.Writer) error { return bundle.WriteTarGz(w, prefix, files) })
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s exists and is not a folder", out)
	}
	for _, f := range files {
		dst := filepath.Join(out, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		content := f.Content
		if err := writeAtomic(dst, os.FileMode(f.Mode), func(w io.Writer) error { _, err := w.Write(content); return err }); err != nil {
			return err
		}
	}
	return nil
}

func writeAtomic(path string, mode os.FileMode, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// strayFiles lists files in the output folder that the bundle did not
// write, say from an earlier plan with other balancer kinds or nodes.
func strayFiles(out string, files []bundle.File) []string {
	if fi, err := os.Stat(out); err != nil || !fi.IsDir() {
		return nil
	}
	ours := make(map[string]bool, len(files))
	for _, f := range files {
		ours[filepath.FromSlash(f.Path)] = true
	}
	var stray []string
	_ = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if rel, err := filepath.Rel(out, path); err == nil && !ours[rel] {
			stray = append(stray, filepath.Join(out, rel))
		}
		return nil
	})
	return stray
}

// planEdit changes a decoded plan before validation (apply, false when it
// printed why it could not) and renames the fields of the problems found
// after it (field, optional).
type planEdit struct {
	apply func(*plan.Plan) bool
	field func(string) string
}

// fleetRow names fleet[i].x as the CSV's row and column.
var fleetRow = regexp.MustCompile(`^fleet\[(\d+)\](?:\.(\w+))?`)

// fleetCSV reads the machines of a CSV file into the plan's fleet,
// printing the problems by row and column.
func (e env) fleetCSV(path string) planEdit {
	rename := func(field string) string {
		m := fleetRow.FindStringSubmatch(field)
		if m == nil {
			return field
		}
		i, _ := strconv.Atoi(m[1])
		where := fmt.Sprintf("%s row %d", path, i+2)
		if m[2] != "" {
			where += ", column " + m[2]
		}
		return where + " (" + field + ")"
	}
	return planEdit{field: rename, apply: func(p *plan.Plan) bool {
		data, err := readLimited(path)
		if err != nil {
			fmt.Fprintf(e.stderr, "fleet: cannot read %s: %v\n", path, unwrapPath(err))
			return false
		}
		machines, probs := plan.ReadFleetCSV(bytes.NewReader(data))
		if probs.HasErrors() {
			for i := range probs {
				probs[i].Field = rename(probs[i].Field)
			}
			fmt.Fprint(e.stderr, probs.String())
			return false
		}
		p.Fleet = machines
		return true
	}}
}

// pickedIDs counts the subscription ids WithSubscriptionID chose.
func pickedIDs(before, after plan.Plan) int {
	if !after.HasFleet() {
		if before.Tentacle.SubscriptionID == "" && after.Tentacle.SubscriptionID != "" {
			return 1
		}
		return 0
	}
	n := 0
	for i, m := range before.Fleet {
		if m.SubscriptionID == "" && after.Fleet[i].SubscriptionID != "" {
			n++
		}
	}
	return n
}
