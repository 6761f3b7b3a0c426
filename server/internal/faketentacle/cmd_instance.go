package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// createInstance: --config defaults to <home>/Tentacle.config and --home to
// the config file's folder; a missing config file is created empty; the
// index records the instance only when --instance or --config was given.
func createInstance(inv *invocation) error {
	name := inv.opts.valueOr("instance", defaultInstance)
	config, home := inv.opts.value("config"), inv.opts.value("home")
	if home == "" {
		home = "."
		if config != "" {
			home = filepath.Dir(config)
		}
	}
	if config == "" {
		config = filepath.Join(home, "Tentacle.config")
	}
	config, err := filepath.Abs(config)
	if err != nil {
		return err
	}
	if home, err = filepath.Abs(home); err != nil {
		return err
	}
	if _, err := os.Stat(config); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(inv.stdout, "Creating empty configuration file: %s\n", config)
		if err := os.MkdirAll(filepath.Dir(config), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(config, []byte(emptyConfig), 0o600); err != nil {
			return err
		}
	}
	s, err := loadSettings(config)
	if err != nil {
		return err
	}
	s.set(keyHome, home)
	if err := s.save(); err != nil {
		return err
	}
	if inv.opts.has("instance") || inv.opts.has("config") {
		if err := registerInstance(inv.home, instance{Name: name, ConfigurationFilePath: config}); err != nil {
			return err
		}
		fmt.Fprintf(inv.stdout, "Saving instance: %s\n", name)
	}
	return nil
}

// deleteInstance removes the index entry and keeps the config file.
func deleteInstance(inv *invocation) error {
	name := inv.opts.value("instance")
	if name == "" {
		in, err := currentInstance(inv.home)
		if err != nil {
			return err
		}
		name = in.Name
	} else if _, err := findInstance(inv.home, name); err != nil {
		return err
	}
	if err := os.Remove(instanceFile(inv.home, name)); err != nil {
		return err
	}
	fmt.Fprintf(inv.stdout, "Deleted instance: %s\n", name)
	return nil
}

// listInstancesCommand prints text by default or an indented JSON array of
// {InstanceName, ConfigurationFilePath}, with no final newline.
func listInstancesCommand(inv *invocation) error {
	format := inv.opts.valueOr("format", "text")
	list, err := listInstances(inv.home)
	if err != nil {
		return err
	}
	switch strings.ToLower(format) {
	case "json":
		type row struct {
			InstanceName          string
			ConfigurationFilePath string
		}
		rows := []row{}
		for _, in := range list {
			rows = append(rows, row{in.Name, in.ConfigurationFilePath})
		}
		out, err := marshalJSON(rows, "  ")
		if err != nil {
			return err
		}
		fmt.Fprint(inv.stdout, out)
	case "text":
		if len(list) == 0 {
			fmt.Fprint(inv.stdout, "No instances installed")
		}
		for _, in := range list {
			fmt.Fprintf(inv.stdout, "Instance '%s' uses configuration '%s'.\n", in.Name, in.ConfigurationFilePath)
		}
	default:
		return failf(exitFailure, "The format '%s' is not supported. Try text or json.", format)
	}
	return nil
}

// fakeVersion is the Tentacle release the fake's option tables come from.
const fakeVersion = "9.2.4285"

func version(inv *invocation) error {
	switch format := inv.opts.valueOr("format", "text"); strings.ToLower(format) {
	case "text":
		fmt.Fprintln(inv.stdout, fakeVersion)
	case "json":
		fmt.Fprintf(inv.stdout, "{\"InformationalVersion\":\"%s+fake\",\"MajorMinorPatch\":\"%s\",\"NuGetVersion\":\"%s\"}\n", fakeVersion, fakeVersion, fakeVersion)
	default:
		return failf(exitFailure, "The format '%s' is not supported. Try text or json.", format)
	}
	return nil
}

// help lists the commands, or one command's options.
func help(w io.Writer, table commandTable, opts options) error {
	if len(opts.positional) == 0 {
		printHelp(w, table)
		return nil
	}
	name, spec, ok := table.find(opts.positional[0])
	if !ok {
		return failf(exitUnknownCommand, "Command '%s' is not supported", name)
	}
	fmt.Fprintf(w, "Usage: Tentacle %s [<options>]\n\n", name)
	for _, o := range spec.optionNames() {
		value := ""
		if spec.Options[o].TakesValue {
			value = "=VALUE"
		}
		fmt.Fprintf(w, "      --%s%s\n", o, value)
	}
	return nil
}

func printHelp(w io.Writer, table commandTable) {
	fmt.Fprintf(w, "Usage: Tentacle <command> [<options>]  (faketentacle, a test double of Tentacle %s)\n\nCommands:\n", fakeVersion)
	for _, n := range table.names() {
		fmt.Fprintf(w, "  %s\n", n)
	}
}
