package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// cliJSON is every real Tentacle command and its options (a copy of the
// project's reference/tentacle-cli.json); the global options are already
// merged into each command.
//
//go:embed tentacle-cli.json
var cliJSON []byte

// optionPattern is the option syntax of Tentacle's OptionSet: a prefix of
// --, - or /, a name, and an optional value after = or :.
var optionPattern = regexp.MustCompile(`^(--|-|/)([^:=]+)(?:([:=])(.*))?$`)

// optionSpec is one option in tentacle-cli.json.
type optionSpec struct {
	Aliases    []string `json:"aliases"`
	TakesValue bool     `json:"takes_value"`
	Required   bool     `json:"required"`
}

// commandSpec is one command in tentacle-cli.json.
type commandSpec struct {
	Aliases []string              `json:"aliases"`
	Options map[string]optionSpec `json:"options"`
}

// commandTable maps command names to their options.
type commandTable map[string]commandSpec

func loadCommandTable() (commandTable, error) {
	var t commandTable
	if err := json.Unmarshal(cliJSON, &t); err != nil {
		return nil, fmt.Errorf("faketentacle: tentacle-cli.json: %w", err)
	}
	return t, nil
}

// find resolves the first argument to a command as Tentacle does: lower
// case, leading - and / trimmed, then a name or an alias.
func (t commandTable) find(arg string) (string, commandSpec, bool) {
	name := strings.ToLower(strings.TrimLeft(arg, "-/"))
	if spec, ok := t[name]; ok {
		return name, spec, true
	}
	for _, n := range t.names() {
		for _, a := range t[n].Aliases {
			if a == name {
				return n, t[n], true
			}
		}
	}
	return name, commandSpec{}, false
}

func (t commandTable) names() []string {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// lookup finds an option by its name or an alias, ignoring case.
func (c commandSpec) lookup(name string) (string, optionSpec, bool) {
	for _, canonical := range c.optionNames() {
		o := c.Options[canonical]
		if strings.EqualFold(canonical, name) {
			return canonical, o, true
		}
		for _, a := range o.Aliases {
			if strings.EqualFold(a, name) {
				return canonical, o, true
			}
		}
	}
	return "", optionSpec{}, false
}

func (c commandSpec) optionNames() []string {
	names := make([]string, 0, len(c.Options))
	for n := range c.Options {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// options is a parsed command line: every value given for each option,
// under the option's canonical name. A flag has one "" per occurrence.
type options struct {
	values     map[string][]string
	positional []string
}

func (o options) has(name string) bool { return len(o.values[name]) > 0 }

// value is the last value given: single-value options take the last one.
func (o options) value(name string) string {
	v := o.values[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// valueOr is value, or def when the option was not given.
func (o options) valueOr(name, def string) string {
	if !o.has(name) {
		return def
	}
	return o.value(name)
}

// list is every value of a repeatable option, in order.
func (o options) list(name string) []string { return o.values[name] }

// parseOptions parses arguments against a command's options the way
// Tentacle's OptionSet does. Arguments it cannot place are positional when
// the command takes them (help) and an error otherwise.
func parseOptions(spec commandSpec, args []string, positional bool) (options, error) {
	o := options{values: map[string][]string{}}
	var unrecognized []string
	pending := "" // a value option still waiting for its value
	stop := false
	for _, arg := range args {
		switch {
		case pending != "":
			o.values[pending] = append(o.values[pending], arg)
			pending = ""
		case stop:
			unrecognized = append(unrecognized, arg)
		case arg == "--":
			stop = true
		default:
			waiting, ok, err := o.option(spec, arg)
			if err != nil {
				return o, err
			}
			if !ok {
				unrecognized = append(unrecognized, arg)
			}
			pending = waiting
		}
	}
	if pending != "" {
		return o, failf(exitFailure, "Missing required value for option '--%s'.", pending)
	}
	if positional {
		o.positional = unrecognized
	} else if len(unrecognized) > 0 {
		return o, failf(exitFailure, "Unrecognized command line arguments: %s", strings.Join(unrecognized, " "))
	}
	return o, nil
}

// option applies one argument. It returns the name of a value option that
// takes the next argument as its value, and whether the argument was an
// option at all.
func (o options) option(spec commandSpec, arg string) (string, bool, error) {
	m := optionPattern.FindStringSubmatch(arg)
	if m == nil {
		return "", false, nil
	}
	prefix, name, sep, value := m[1], m[2], m[3], m[4]
	if canonical, opt, ok := spec.lookup(name); ok {
		switch {
		case !opt.TakesValue: // a value after = is ignored, as in OptionSet
			o.values[canonical] = append(o.values[canonical], "")
		case sep != "":
			o.values[canonical] = append(o.values[canonical], value)
		default:
			return canonical, true, nil
		}
		return "", true, nil
	}
	// name+ and name-: Tentacle's flag actions ignore the sign; a value
	// option gets the whole argument for + and "" for -.
	if n := len(name); n > 1 && (name[n-1] == '+' || name[n-1] == '-') {
		if canonical, opt, ok := spec.lookup(name[:n-1]); ok {
			v := ""
			if opt.TakesValue && name[n-1] == '+' {
				v = arg
			}
			o.values[canonical] = append(o.values[canonical], v)
			return "", true, nil
		}
	}
	if prefix != "-" {
		return "", false, nil
	}
	// Bundled single-letter options: -fr web is -f -r web.
	rest := name + sep + value
	for i := 0; i < len(rest); i++ {
		canonical, opt, ok := spec.lookup(rest[i : i+1])
		if !ok {
			if i == 0 {
				return "", false, nil
			}
			return "", false, failf(exitFailure, "Cannot bundle unregistered option '-%c'.", rest[i])
		}
		if !opt.TakesValue {
			o.values[canonical] = append(o.values[canonical], "")
			continue
		}
		if i+1 == len(rest) {
			return canonical, true, nil
		}
		o.values[canonical] = append(o.values[canonical], rest[i+1:])
		return "", true, nil
	}
	return "", true, nil
}

// missingRequired names the first required option not given, if any.
func missingRequired(spec commandSpec, o options) error {
	for _, name := range spec.optionNames() {
		if spec.Options[name].Required && !o.has(name) {
			return failf(exitFailure, "Missing required option --%s. Run 'Tentacle help' for the command's options.", name)
		}
	}
	return nil
}
