package main

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Stamped by make build and make dist (-ldflags -X main.version=...):
// git describe --always --dirty, the commit and the build time (UTC).
// A plain go build leaves them empty, and version reads the VCS settings
// go build records itself (debug.ReadBuildInfo: vcs.revision, vcs.time,
// vcs.modified) instead.
var (
	version   string
	commit    string
	buildDate string
)

// buildInfo is what version prints.
type buildInfo struct {
	Version, Commit, Date, Go string
}

func currentBuild() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: buildDate, Go: runtime.Version()}
	if b.Commit != "" && b.Version != "" && b.Date != "" {
		return b
	}
	var rev, when string
	modified := false
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if b.Commit == "" {
		b.Commit = rev
	}
	if b.Version == "" && rev != "" {
		b.Version = rev[:min(len(rev), 7)]
		if modified {
			b.Version += "-dirty"
		}
	}
	if b.Date == "" {
		b.Date = when // the commit's time: the build's is not recorded
	}
	for _, s := range []*string{&b.Version, &b.Commit, &b.Date} {
		if *s == "" {
			*s = "unknown"
		}
	}
	return b
}

func (b buildInfo) String() string {
	return fmt.Sprintf("tentacle-ha %s\ncommit %s\nbuilt %s\n%s %s/%s\n", b.Version, b.Commit, b.Date, b.Go, runtime.GOOS, runtime.GOARCH)
}

// printVersion: tentacle-ha version (or -version, --version).
func (e env) printVersion(args []string) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "version: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	fmt.Fprint(e.stdout, currentBuild())
	return exitOK
}
