package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// whitespace is what LinuxServiceConfigurator turns into - in a unit name.
var whitespace = regexp.MustCompile(`\s+`)

// unitName is the systemd unit of an instance: / removed, whitespace runs
// made -, then .service.
func unitName(instanceName string) string {
	return whitespace.ReplaceAllString(strings.ReplaceAll(instanceName, "/", ""), "-") + ".service"
}

// serviceState is the simulated service of one instance.
type serviceState struct {
	Unit      string   `json:"Unit"`
	Installed bool     `json:"Installed"`
	Running   bool     `json:"Running"`
	Events    []string `json:"Events"` // install, start, restart, stop, ... as they happened
}

func servicePath(in instance) string {
	return filepath.Join(filepath.Dir(in.ConfigurationFilePath), "fake-service-"+unitName(in.Name)+".json")
}

func loadService(in instance) (*serviceState, error) {
	st := &serviceState{Unit: unitName(in.Name)}
	data, err := os.ReadFile(servicePath(in))
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	return st, json.Unmarshal(data, st)
}

func (st *serviceState) save(in instance) error {
	data, err := marshalJSON(st, "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(servicePath(in), []byte(data), 0o644)
}

// service runs the flags in Tentacle's order (both OSes): restart, stop,
// uninstall, install, reconfigure, start. A restart or start of a service
// that is not installed logs but does not fail the command, and with
// FAKE_TENTACLE_OS=windows a restart leaves a stopped service stopped
// (WindowsServiceConfigurator.RestartService), exit 0 either way.
func service(inv *invocation) error {
	o := inv.opts
	var targets []instance
	switch name := o.value("instance"); {
	case name == "*":
		if o.has("install") || o.has("reconfigure") || o.has("uninstall") {
			return failf(exitFailure, "--instance=* can only be used for --start, --stop, and --restart flags")
		}
		list, err := listInstances(inv.home)
		if err != nil {
			return err
		}
		targets = list
	case o.has("instance"):
		in, err := findInstance(inv.home, name)
		if err != nil {
			return err
		}
		targets = []instance{in}
	default:
		in, err := currentInstance(inv.home)
		if err != nil {
			return err
		}
		targets = []instance{in}
	}
	for _, in := range targets {
		st, err := loadService(in)
		if err != nil {
			return err
		}
		inv.applyService(st, o)
		if err := st.save(in); err != nil {
			return err
		}
	}
	return nil
}

func (inv *invocation) applyService(st *serviceState, o options) {
	event := func(e string) { st.Events = append(st.Events, e) }
	windows := inv.getenv("FAKE_TENTACLE_OS") == "windows"
	if o.has("restart") {
		switch {
		case !st.Installed && windows:
			// WindowsServiceConfigurator.RestartService: no controller.
			fmt.Fprintf(inv.stdout, "Restart requested for service %s, but service controller was not found. Skipping.\n", st.Unit)
		case !st.Installed:
			// LinuxServiceConfigurator: systemctl fails, Tentacle logs and exits 0.
			fmt.Fprintln(inv.stderr, "The service could not be restarted")
		case windows && !st.Running:
			// TryStopService found nothing to stop: no start either.
			fmt.Fprintf(inv.stdout, "Service %s wasn't restarted as it is not running.\n", st.Unit)
		default:
			st.Running = true
			event("restart")
			fmt.Fprintln(inv.stdout, "Service has been restarted")
		}
	}
	if o.has("stop") && st.Installed {
		st.Running = false
		event("stop")
	}
	if o.has("uninstall") {
		st.Installed, st.Running = false, false
		event("uninstall")
	}
	if o.has("install") || o.has("reconfigure") {
		switch {
		case o.has("reconfigure") && !windows:
			// LinuxServiceConfigurator stops, removes and re-adds the unit.
			st.Running = false
			event("reconfigure")
		case o.has("reconfigure") || (windows && st.Installed):
			// Windows turns --install of an existing service into
			// Reconfigure: sc config, the service keeps running.
			event("reconfigure")
		default:
			event("install")
		}
		st.Installed = true
		fmt.Fprintf(inv.stdout, "Service installed: %s\n", strings.TrimSuffix(st.Unit, ".service"))
	}
	if o.has("start") {
		switch {
		case inv.getenv("FAKE_TENTACLE_SERVICE_FAILS") == "1":
			// A unit that fails to start: Tentacle logs it and exits 0.
			fmt.Fprintf(inv.stderr, "Could not start the systemd service: %s\n", st.Unit)
		case !st.Installed:
			fmt.Fprintf(inv.stderr, "Could not start the systemd service: %s\n", st.Unit)
		case !st.Running:
			st.Running = true
			event("start")
			fmt.Fprintf(inv.stdout, "Service started: %s\n", st.Unit)
		}
	}
}

// unitServices lists the instances whose systemd unit is unit ("Tentacle"
// or "Tentacle.service"), each with its simulated service.
func unitServices(home, unit string) ([]instance, []*serviceState, error) {
	if !strings.Contains(unit, ".") {
		unit += ".service"
	}
	list, err := listInstances(home)
	if err != nil {
		return nil, nil, err
	}
	var ins []instance
	var sts []*serviceState
	for _, in := range list {
		if unitName(in.Name) != unit {
			continue
		}
		st, err := loadService(in)
		if err != nil {
			return nil, nil, err
		}
		ins, sts = append(ins, in), append(sts, st)
	}
	return ins, sts, nil
}

// systemctlIsActive answers "systemctl is-active [--quiet] [--] UNIT":
// exit 0 when the unit runs, 3 (and "inactive") when not, as systemd does.
func systemctlIsActive(args []string, home string) error {
	for _, unit := range args {
		if unit == "--quiet" || unit == "-q" || unit == "--" {
			continue
		}
		_, sts, err := unitServices(home, unit)
		if err != nil {
			return err
		}
		for _, st := range sts {
			if st.Installed && st.Running {
				return nil
			}
		}
		return &exitError{code: 3, msg: "inactive"}
	}
	return failf(exitFailure, "faketentacle (as systemctl): is-active needs a unit")
}

// runSystemctl answers "systemctl cat [--] UNIT...": the unit file of an
// installed service, or exit 1 with systemd's message; and is-active.
func runSystemctl(args []string, h host) error {
	home := h.getenv(homeVariable)
	if home == "" {
		return failf(exitFailure, "faketentacle (as systemctl): set %s", homeVariable)
	}
	if len(args) >= 2 && args[0] == "is-active" {
		return systemctlIsActive(args[1:], home)
	}
	if len(args) < 2 || args[0] != "cat" {
		return failf(exitFailure, "faketentacle (as systemctl): only 'systemctl cat UNIT' and 'systemctl is-active [--quiet] UNIT' are simulated")
	}
	for _, unit := range args[1:] {
		if unit == "--" {
			continue
		}
		ins, sts, err := unitServices(home, unit)
		if err != nil {
			return err
		}
		found := false
		for i, st := range sts {
			if st.Installed {
				found = true
				fmt.Fprintf(h.stdout, "# /etc/systemd/system/%s\n[Service]\nExecStart=Tentacle run --instance=%s --noninteractive\n", unitName(ins[i].Name), ins[i].Name)
			}
		}
		if !found {
			return failf(exitFailure, "No files found for %s.", unit)
		}
	}
	return nil
}
