// Package registration drives the real Tentacle command line through the
// same sequence as the bundle's register.sh, one step at a time: each
// argument its own argv element (never a shell), every step reported as it
// runs with the API key masked, Tentacle.config copied aside before the
// first change, and a re-run that converges (addresses already trusted are
// skipped, addresses no longer in the plan are removed, the subscription id
// never changes). Afterwards the Tentacle's trusted servers are compared
// with the plan and the machine is looked up in Octopus.
package registration

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// Default Tentacle binaries per OS.
const (
	DefaultLinuxTentacle   = bundle.LinuxTentacleExe
	DefaultWindowsTentacle = bundle.WindowsTentacleExe
)

// DefaultTentacle is the binary's usual place on this OS: the Windows
// installer's C:\Program Files\Octopus Deploy\Tentacle\Tentacle.exe
// (OctopusTentacle installer/Octopus.Tentacle.Installer/Product.wxs:
// INSTALLLOCATION is ProgramFiles64Folder\Octopus Deploy\Tentacle on x64,
// recorded as InstallLocation under HKLM\Software\Octopus\Tentacle; give
// -tentacle for another folder), and the Linux
// packages' /opt/octopus/tentacle/Tentacle. On both, the driver runs it
// with os/exec: an argument vector, never a shell. On Windows Go composes
// the one command line CreateProcess takes by syscall.EscapeArg's rules,
// which Tentacle.exe's .NET runtime splits back (CommandLineToArgvW's
// rules) into the very same arguments: windows_argv_test.go proves it for
// every hostile value the plan accepts.
func DefaultTentacle() string {
	if runtime.GOOS == "windows" {
		return DefaultWindowsTentacle
	}
	return DefaultLinuxTentacle
}

// DefaultConfigHelp says where a new instance's config file goes when
// -config is not given, for this OS's Tentacle (plan.Tentacle.ConfigPath
// picks it by the plan's tentacle.os).
func DefaultConfigHelp() string {
	if runtime.GOOS == "windows" {
		return `default C:\Octopus\Tentacle.config for the instance named Tentacle, else C:\Octopus\<instance>\Tentacle-<instance>.config, as Tentacle Manager makes them`
	}
	return "default /etc/octopus/<instance>/tentacle-<instance>.config"
}

// Options configure a run.
type Options struct {
	// Tentacle is the binary's path.
	Tentacle string
	// APIKey authenticates register-with and poll-server; never logged.
	APIKey string
	// ConfigPath is where a new instance's config goes; empty means the
	// packaged default, /etc/octopus/<instance>/tentacle-<instance>.config.
	ConfigPath string
	// AppDir is the Tentacle's application folder; empty leaves it as is.
	AppDir string
	// DryRun prints the commands (key masked) and runs nothing.
	DryRun bool
	// ForceRegister registers again with --force even when the Tentacle is
	// registered and known to Octopus (TENTACLE_FORCE_REGISTER=1 in the
	// scripts), so changed roles or environments reach Octopus.
	ForceRegister bool
	// Env is added to the Tentacle's environment.
	Env []string
	// StepTimeout bounds each command; zero means two minutes.
	StepTimeout time.Duration
	// HTTPClient reaches the Octopus API for verification.
	HTTPClient *http.Client
	// Now names the config backup; nil means time.Now.
	Now func() time.Time
}

// Result is what a run leaves behind.
type Result struct {
	// Backup is where Tentacle.config was copied before the first change.
	Backup string
	// Trusted are the Tentacle's polling addresses afterwards.
	Trusted []string
	// Health is the machine's health in Octopus, when it could be looked up.
	Health string
	// ExistingSubscriptionID is set when the run stopped because the
	// Tentacle already polls this cluster under another subscription id:
	// the id it has (tentacle.subscriptionId in the plan should be it).
	ExistingSubscriptionID string
}

// ErrStepFailed is returned (wrapped) when a step fails; the run stops.
var ErrStepFailed = errors.New("registration: step failed")

// Run registers the Tentacle for p, reporting every step to emit.
func Run(ctx context.Context, p plan.Plan, opt Options, emit func(report.Event)) (Result, error) {
	p = p.Normalized()
	if probs := p.Validate(); probs.HasErrors() {
		return Result{}, &plan.InvalidError{Problems: probs}
	}
	if k := p.Tentacle.KindRow(); k.Helm {
		// The kubernetes-agent chart registers the agent when it installs
		// it; there is no Tentacle on this machine to run commands with.
		return Result{}, fmt.Errorf("registration: a %s registers itself when its Helm chart is installed; run kubernetes-agent/install.sh from the bundle where kubectl and helm reach the cluster", k.Noun)
	}
	if p.Tentacle.SubscriptionID == "" {
		return Result{}, errors.New("registration: the plan has no subscription id; generate the bundle first and use its plan.json")
	}
	if opt.Tentacle == "" {
		opt.Tentacle = DefaultTentacle()
	}
	if opt.StepTimeout <= 0 {
		opt.StepTimeout = 2 * time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.APIKey == "" && !opt.DryRun {
		return Result{}, errors.New("registration: an API key is needed (OCTOPUS_API_KEY)")
	}
	// The one boundary where the key is masked: every event and the error
	// leave the run through it.
	secret := report.Secret(opt.APIKey)
	r := &runner{p: p, opt: opt, emit: secret.Emitter(emit)}
	if opt.DryRun {
		r.dryRun()
		return Result{}, nil
	}
	res, err := r.run(ctx)
	return res, secret.Error(err)
}

// commandLine renders argv for people, values quoted; the value of
// --apiKey always shows as report.Masked, even in a dry run without a key.
func commandLine(bin string, args []string) string {
	parts := []string{quote(bin)}
	for i, a := range args {
		if i > 0 && strings.EqualFold(args[i-1], "--apiKey") {
			parts = append(parts, report.Masked)
			continue
		}
		parts = append(parts, quote(a))
	}
	return strings.Join(parts, " ")
}

func quote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'$`\\|&;<>()*?[]#~") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(s) + `"`
}

func fail(step string, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrStepFailed, step, fmt.Sprintf(format, args...))
}
