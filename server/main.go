// Command server (built as tentacle-ha) is the self-hosted Tentacle HA Wizard and its command line:
//
//	tentacle-ha [serve] [-addr 127.0.0.1:8080] [-debug-addr 127.0.0.1:6060]   the wizard in a browser
//	       [-allow-register [-allow-remote] [-tentacle PATH] [-config PATH] [-app DIR]]
//	                                         also Check and Register, behind a one-time token
//	tentacle-ha validate -plan plan.json         problems on stderr, exit 1 on an error
//	tentacle-ha generate -plan plan.json -out P  P a folder, or ending .zip or .tar.gz
//	tentacle-ha check -plan plan.json [-json]    preflight every node (OCTOPUS_API_KEY for API checks)
//	tentacle-ha register -plan plan.json [-tentacle PATH] [-subscription-id ID] [-dry-run]  run the registration
//	tentacle-ha change -from current.json -to new.json -out DIR  the change pack that moves every Tentacle to the new nodes
//	tentacle-ha rollout -change DIR [-select env:E,role:R,pool:P] [-batch 10%] [-dry-run]  update every polling Tentacle through Octopus
//
// A plan path of "-" reads standard input.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1 // the plan has errors, or the work failed
	exitUsage   = 2 // bad command line
)

// env is what a command may touch besides its arguments.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// env looks up environment variables; nil means os.Getenv.
	env func(string) string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	cmd := "serve"
	if len(args) > 0 && (args[0] == "-version" || args[0] == "--version") {
		cmd, args = "version", args[1:]
	}
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return e.serve(args)
	case "validate":
		return e.validate(args)
	case "generate":
		return e.generate(args)
	case "check":
		return e.check(args)
	case "register":
		return e.register(args)
	case "change":
		return e.change(args)
	case "rollout":
		return e.rollout(args)
	case "version":
		return e.printVersion(args)
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", cmd, usage)
	return exitUsage
}

const usage = `Tentacle HA Wizard: connect Polling Tentacles to an Octopus Server HA cluster.

Usage:
  tentacle-ha [serve] [-addr 127.0.0.1:8080] [-debug-addr 127.0.0.1:6060]
         [-allow-register [-allow-remote] [-tentacle PATH] [-config PATH] [-app DIR]]
                                          start the wizard; -allow-register also offers
                                          Check and Register (prints a token URL)
  tentacle-ha validate -plan plan.json    print problems, exit 1 on an error
  tentacle-ha generate -plan plan.json -out DIR
                                          write the bundle (DIR, or .zip / .tar.gz)
  tentacle-ha check -plan plan.json [-json]
                                          preflight every node; OCTOPUS_API_KEY enables API checks
  tentacle-ha register -plan plan.json [-tentacle PATH] [-subscription-id ID] [-dry-run] [-json]
                                          register the Tentacle step by step (key from OCTOPUS_API_KEY)
  tentacle-ha change -from current.json -to new.json -out DIR
                                          write the change pack that moves the cluster's
                                          Tentacles to the new plan's nodes
  tentacle-ha rollout -change DIR [-space S] [-select env:E,role:R,pool:P] [-batch 10%]
         [-max-failures N|N%] [-dry-run] [-json] [-state PATH]
                                          run a change pack's update-tentacle on every polling
                                          Tentacle through Octopus tasks (key from OCTOPUS_API_KEY)
  tentacle-ha version                     print the version, commit, build date and Go version

A plan path of "-" reads standard input. "tentacle-ha COMMAND -h" lists a command's flags.
`
