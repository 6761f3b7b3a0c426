// Command faketentacle is a test double of the Octopus Tentacle command
// line, for tests only: the web/bundle tests build it and run the generated
// registration scripts against it. Never install it or put it on the PATH of
// a real machine.
//
// It enforces Tentacle's real option tables (tentacle-cli.json, a copy of
// the project's reference) and parses like Tentacle's OptionSet: the command
// is the first argument lower-cased with leading - and / trimmed; options are
// --x, -x or /x in any case, with values as "--x v", "--x=v" or "--x:v"; a
// value-taking option consumes the next argument even if it starts with -.
// An unknown command exits 2; an unrecognised argument or a missing required
// option exits 1 ("Unrecognized command line arguments: ...").
//
// It keeps state the way Tentacle does, so a script can be run twice:
//
//   - the instance index: $TentacleMachineConfigurationHomeDirectory/Tentacle/Instances/<name>.config,
//     JSON {"Name", "ConfigurationFilePath"}. The variable is required, so a
//     test can never touch /etc;
//   - each instance's config file in Tentacle.config XML, with
//     Tentacle.Communication.TrustedOctopusServers as compact JSON, entries
//     added or replaced by thumbprint and address;
//   - beside the index, fake-octopus-server.json: the machines and workers
//     "registered" with the server, so a second registration of a name
//     without --force fails as it does against a real server;
//   - beside each config file, fake-service-<unit>.json: the service's
//     install, start and restart.
//
// Environment:
//
//	TentacleMachineConfigurationHomeDirectory  required, see above
//	FAKE_TENTACLE_SERVER_THUMBPRINT  the thumbprint the fake Octopus API reports
//	FAKE_TENTACLE_FAIL=cmd[:n][,...]  the n-th call of cmd (every call without :n)
//	                                  exits 1 without changing any state
//	FAKE_TENTACLE_SERVICE_FAILS=1    service --start logs a failure and exits 0,
//	                                  as Tentacle does when systemd cannot start it
//	FAKE_TENTACLE_LOG=path           append each invocation as a JSON array,
//	                                  secret values masked
//	FAKE_TENTACLE_ECHO=1             print "faketentacle argv: " and each
//	                                  argument quoted to stderr first, secret
//	                                  values NOT masked, so a test shows what
//	                                  the Tentacle received and that its
//	                                  caller masks Tentacle's output
//
// The real Tentacle does not print its command line (it writes only its
// version and instance to its log file, OctopusProgram.cs), so the echo is
// a debug line under its own variable, on stderr where no caller parses it.
//
// Run through a link named systemctl, it answers "systemctl cat UNIT" from
// the recorded service state, so a script can tell whether it installed the
// service before.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Exit codes of Tentacle (OctopusProgram.cs).
const (
	exitOK             = 0
	exitFailure        = 1 // ControlledFailureException
	exitUnknownCommand = 2
	exitException      = 100 // any other exception
)

// homeVariable is the environment variable that moves the instance index.
const homeVariable = "TentacleMachineConfigurationHomeDirectory"

func main() {
	hostname, _ := os.Hostname()
	os.Exit(run(os.Args, host{
		getenv:   os.Getenv,
		stdout:   os.Stdout,
		stderr:   os.Stderr,
		hostname: hostname,
		cpus:     runtime.NumCPU(),
	}))
}

// host is what the fake reads and writes besides its files.
type host struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	hostname       string
	cpus           int
}

// exitError ends a command with Tentacle's exit code and message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func failf(code int, format string, args ...any) error {
	return &exitError{code: code, msg: fmt.Sprintf(format, args...)}
}

// invocation is one parsed run of a command.
type invocation struct {
	host
	command string
	opts    options
	home    string // $TentacleMachineConfigurationHomeDirectory
}

// run is main without the process: argv includes the program name.
func run(argv []string, h host) int {
	if len(argv) > 0 && filepath.Base(argv[0]) == "systemctl" {
		return exitCode(h, runSystemctl(argv[1:], h))
	}
	args := argv[1:]
	if h.getenv("FAKE_TENTACLE_ECHO") == "1" {
		echo(h.stderr, args)
	}
	if path := h.getenv("FAKE_TENTACLE_LOG"); path != "" {
		if err := logInvocation(path, args); err != nil {
			return exitCode(h, err)
		}
	}
	return exitCode(h, dispatch(args, h))
}

// echo writes the debug line of FAKE_TENTACLE_ECHO=1: every argument
// quoted as Go does, so spaces and empty values stay visible.
func echo(w io.Writer, args []string) {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = strconv.Quote(a)
	}
	fmt.Fprintln(w, "faketentacle argv: "+strings.Join(quoted, " "))
}

func exitCode(h host, err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		fmt.Fprintln(h.stderr, e.msg)
		return e.code
	}
	fmt.Fprintf(h.stderr, "Error: %v\n", err)
	return exitException
}

func dispatch(args []string, h host) error {
	table, err := loadCommandTable()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		printHelp(h.stdout, table)
		return failf(exitUnknownCommand, "No command given.")
	}
	name, spec, ok := table.find(args[0])
	if !ok {
		printHelp(h.stdout, table)
		return failf(exitUnknownCommand, "Command '%s' is not supported", name)
	}
	opts, err := parseOptions(spec, args[1:], name == "help")
	if err != nil {
		return err
	}
	if opts.has("help") || name == "help" {
		return help(h.stdout, table, opts)
	}
	if err := missingRequired(spec, opts); err != nil {
		return err
	}
	home := h.getenv(homeVariable)
	if home == "" {
		return failf(exitFailure, "faketentacle: set %s so the fake never touches /etc/octopus", homeVariable)
	}
	inv := &invocation{host: h, command: name, opts: opts, home: home}
	if err := inv.injectFault(); err != nil {
		return err
	}
	cmd, ok := simulated(name)
	if !ok {
		return failf(exitFailure, "faketentacle: the command %s is in Tentacle's table but not simulated", name)
	}
	return cmd(inv)
}

// simulated returns the fake's implementation of a command; the rest of
// Tentacle's table parses and then fails as not simulated.
func simulated(name string) (func(*invocation) error, bool) {
	switch name {
	case "create-instance":
		return createInstance, true
	case "delete-instance":
		return deleteInstance, true
	case "list-instances":
		return listInstancesCommand, true
	case "new-certificate":
		return newCertificate, true
	case "show-thumbprint":
		return showThumbprint, true
	case "configure":
		return configure, true
	case "set-polling-connection-count":
		return setPollingConnectionCount, true
	case "register-with", "register-worker":
		return register, true
	case "poll-server":
		return pollServer, true
	case "clear-trusted-servers":
		return clearTrustedServers, true
	case "show-configuration":
		return showConfiguration, true
	case "service":
		return service, true
	case "version":
		return version, true
	}
	return nil, false
}
