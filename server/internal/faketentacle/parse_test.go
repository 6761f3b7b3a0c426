package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustTable loads the embedded option tables.
func mustTable(tb testing.TB) commandTable {
	tb.Helper()
	table, err := loadCommandTable()
	if err != nil {
		tb.Fatal(err)
	}
	return table
}

func mustCommand(tb testing.TB, name string) commandSpec {
	tb.Helper()
	_, spec, ok := mustTable(tb).find(name)
	if !ok {
		tb.Fatalf("no command %s in tentacle-cli.json", name)
	}
	return spec
}

func TestFindCommand(t *testing.T) {
	table := mustTable(t)
	for arg, want := range map[string]string{
		"register-with": "register-with", "REGISTER-WITH": "register-with", "--poll-server": "poll-server",
		"/configure": "configure", "run": "agent", "?": "help", "h": "help",
	} {
		if got, _, ok := table.find(arg); !ok || got != want {
			t.Errorf("find(%q) = %q, %v, want %q", arg, got, ok, want)
		}
	}
	if _, _, ok := table.find("register-machine"); ok {
		t.Error("find(register-machine) found a command Tentacle does not have")
	}
}

// TestParseAccepts covers the forms Tentacle's OptionSet accepts.
func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name    string
		command string
		args    []string
		want    map[string][]string
	}{
		{"space separated", "register-with", []string{"--server", "https://o", "--env", "Prod"},
			map[string][]string{"server": {"https://o"}, "environment": {"Prod"}}},
		{"equals and colon", "register-with", []string{"--server=https://o:8443", "--role:web"},
			map[string][]string{"server": {"https://o:8443"}, "role": {"web"}}},
		{"prefixes and case", "register-with", []string{"-SERVER", "x", "/apikey", "API-1", "--ENVIRONMENT", "a", "-env", "b"},
			map[string][]string{"server": {"x"}, "apiKey": {"API-1"}, "environment": {"a", "b"}}},
		{"aliases", "register-with", []string{"-r", "web", "-u", "me", "--user", "you", "-p", "pw", "-h", "host", "-f"},
			map[string][]string{"role": {"web"}, "username": {"me", "you"}, "password": {"pw"}, "publicHostName": {"host"}, "force": {""}}},
		{"value taken even if it starts with -", "configure", []string{"--noListen", "--instance", "--app", "-x"},
			map[string][]string{"noListen": {"--instance"}, "app": {"-x"}}},
		{"flag ignores an = value", "new-certificate", []string{"--if-blank=no"},
			map[string][]string{"if-blank": {""}}},
		{"bundled single letters", "register-with", []string{"-fr", "web"},
			map[string][]string{"force": {""}, "role": {"web"}}},
		{"bundled value", "register-with", []string{"-rweb"},
			map[string][]string{"role": {"web"}}},
		{"global options on any command", "list-instances", []string{"--console", "--noninteractive", "--monitorMutex=m", "--format", "json"},
			map[string][]string{"console": {""}, "noninteractive": {""}, "monitorMutex": {"m"}, "format": {"json"}}},
		{"sign suffix", "register-with", []string{"--force+"},
			map[string][]string{"force": {""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseOptions(mustCommand(t, tt.command), tt.args, false)
			if err != nil {
				t.Fatalf("parseOptions(%q) = %v, want no error", tt.args, err)
			}
			if diff := cmp.Diff(tt.want, got.values); diff != "" {
				t.Errorf("parseOptions(%q) values (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

// TestParseRejects covers what Tentacle refuses, with its exit code.
func TestParseRejects(t *testing.T) {
	tests := []struct {
		name    string
		command string
		args    []string
		want    string
	}{
		{"unknown option", "register-with", []string{"--pollingConnectionCount", "5"}, "Unrecognized command line arguments: --pollingConnectionCount 5"},
		{"positional argument", "configure", []string{"True"}, "Unrecognized command line arguments: True"},
		{"bare --noListen swallows the next option", "configure", []string{"--noListen", "--instance", "X"}, "Unrecognized command line arguments: X"},
		{"poll-server has no --space", "poll-server", []string{"--space", "Default"}, "Unrecognized command line arguments: --space Default"},
		{"service has no --config", "service", []string{"--config", "/etc/t.config"}, "Unrecognized command line arguments: --config /etc/t.config"},
		{"value missing at the end", "register-with", []string{"--server"}, "Missing required value for option '--server'."},
		{"after --", "configure", []string{"--", "--app", "x"}, "Unrecognized command line arguments: --app x"},
		{"bundle of unknown letters", "register-with", []string{"-fz"}, "Cannot bundle unregistered option '-z'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseOptions(mustCommand(t, tt.command), tt.args, false)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("parseOptions(%q) = %v, want %q", tt.args, err, tt.want)
			}
			if e := err.(*exitError); e.code != exitFailure {
				t.Errorf("exit code = %d, want %d", e.code, exitFailure)
			}
		})
	}
}

// TestEveryOptionParses feeds every option of every command in the table
// through the parser, by each of its names.
func TestEveryOptionParses(t *testing.T) {
	table := mustTable(t)
	for _, name := range table.names() {
		spec := table[name]
		for _, opt := range spec.optionNames() {
			o := spec.Options[opt]
			for _, alias := range append([]string{opt}, o.Aliases...) {
				args := []string{"--" + alias}
				if o.TakesValue {
					args = append(args, "v")
				}
				got, err := parseOptions(spec, args, false)
				if err != nil || !got.has(opt) {
					t.Errorf("%s %q: %v, has(%s) = %v", name, args, err, opt, got.has(opt))
				}
			}
		}
	}
}

func TestMissingRequired(t *testing.T) {
	tests := []struct {
		command string
		args    []string
		missing string
	}{
		{"register-with", []string{"--server", "https://o", "--role", "web"}, "--environment"},
		{"register-with", []string{"--env", "Prod", "--role", "web"}, "--server"},
		{"register-worker", []string{"--server", "https://o"}, "--workerpool"},
		{"set-polling-connection-count", nil, "--pollingConnectionCount"},
	}
	for _, tt := range tests {
		spec := mustCommand(t, tt.command)
		opts, err := parseOptions(spec, tt.args, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := missingRequired(spec, opts); err == nil || !strings.Contains(err.Error(), tt.missing) {
			t.Errorf("missingRequired(%s %q) = %v, want it to name %s", tt.command, tt.args, err, tt.missing)
		}
	}
	spec := mustCommand(t, "register-worker")
	opts, _ := parseOptions(spec, []string{"--server", "https://o", "--workerpool", "P"}, false)
	if err := missingRequired(spec, opts); err != nil {
		t.Errorf("missingRequired(register-worker with server and pool) = %v, want nil", err)
	}
}
