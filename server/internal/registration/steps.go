package registration

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

type runner struct {
	p      plan.Plan
	opt    Options
	emit   func(report.Event)
	step   int
	total  int
	result Result
	// backedUp is set once Tentacle.config has been copied aside.
	backedUp bool
	config   string
}

// vars are the run-time values of the registration's commands that the
// runner knows from the plan and its options.
func (r *runner) vars() map[bundle.Var]string {
	return map[bundle.Var]string{
		bundle.VarInstance: r.p.Tentacle.Instance, bundle.VarServer: r.p.Server.URL, bundle.VarAPIKey: r.opt.APIKey,
		bundle.VarSubscription: r.p.Tentacle.SubscriptionID, bundle.VarConfig: r.config, bundle.VarAppDir: r.opt.AppDir,
		bundle.VarSpace: r.p.Server.Space,
	}
}

// cmd runs one command of the registration as a reported step; vars adds
// the run-time values the runner does not know by itself.
func (r *runner) cmd(ctx context.Context, name string, c bundle.Command, vars map[bundle.Var]string) (string, error) {
	vals := r.vars()
	for k, v := range vars {
		vals[k] = v
	}
	return r.tentacle(ctx, name, c.Argv(vals))
}

// tentacle runs one Tentacle command line as a reported step.
func (r *runner) tentacle(ctx context.Context, name string, args []string) (string, error) {
	r.step++
	ev := report.Event{Step: r.step, Total: r.total, Name: name, Command: commandLine(r.opt.Tentacle, args), Status: report.Running}
	r.send(ev)
	start := time.Now()
	out, err := r.exec(ctx, args)
	ev.Duration = time.Since(start)
	ev.Output = out
	if err != nil {
		ev.Status = report.Fail
		ev.Message = advice(name, args, err, ev.Output, r.result.Backup)
		r.send(ev)
		return ev.Output, fail(name, "%s", ev.Message)
	}
	ev.Status = report.Pass
	r.send(ev)
	return ev.Output, nil
}

func (r *runner) exec(parent context.Context, args []string) (string, error) {
	ctx, cancel := context.WithTimeout(parent, r.opt.StepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.opt.Tentacle, args...)
	cmd.Env = append(childEnv(os.Environ()), r.opt.Env...)
	cmd.Stdin = nil
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	switch {
	case parent.Err() != nil:
		return buf.String(), fmt.Errorf("cancelled because %s", cancelReason(parent))
	case ctx.Err() != nil:
		return buf.String(), fmt.Errorf("timed out after %s", r.opt.StepTimeout)
	}
	return buf.String(), err
}

// childEnv is the Tentacle's environment: ours without OCTOPUS_API_KEY,
// which Tentacle gets on its command line only (register.sh does the same
// with export -n).
func childEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, "OCTOPUS_API_KEY=") {
			out = append(out, kv)
		}
	}
	return out
}

// note reports a step that runs no command (skipped, or checked in Go).
func (r *runner) note(name string, status report.Status, msg string) {
	r.step++
	r.send(report.Event{Step: r.step, Total: r.total, Name: name, Status: status, Message: msg})
}

func (r *runner) send(ev report.Event) {
	if r.emit != nil {
		r.emit(ev)
	}
}

// backup copies the config file aside once, before the first change.
func (r *runner) backup() error {
	if r.backedUp || r.config == "" {
		return nil
	}
	r.backedUp = true
	src, err := os.Open(r.config)
	if os.IsNotExist(err) {
		r.total-- // nothing to copy: no backup step
		return nil
	}
	if err != nil {
		return fail("Back up Tentacle.config", "cannot read %s: %v", r.config, err)
	}
	defer src.Close()
	stamp := r.config + "." + r.opt.Now().UTC().Format("20060102T150405Z")
	dst := stamp + ".bak"
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	for n := 2; os.IsExist(err) && n < 100; n++ {
		dst = stamp + "-" + strconv.Itoa(n) + ".bak"
		out, err = os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	}
	if err != nil {
		return fail("Back up Tentacle.config", "cannot write %s: %v", dst, err)
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return fail("Back up Tentacle.config", "cannot write %s: %v", dst, err)
	}
	if err := out.Close(); err != nil {
		return fail("Back up Tentacle.config", "cannot write %s: %v", dst, err)
	}
	r.result.Backup = dst
	r.note("Back up Tentacle.config", report.Pass, "copied "+r.config+" to "+dst)
	return nil
}

// ErrServerStopped is the cause a host gives when it stops while a
// registration runs (context.WithCancelCause), so the step says so.
var ErrServerStopped = errors.New("the server stopped")

// cancelReason says why ctx ended: its cause when the canceller gave one.
func cancelReason(ctx context.Context) string {
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
		return cause.Error()
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "the run took too long"
	}
	return "the run was interrupted"
}

// advice turns a failed step into what to do next.
func advice(name string, args []string, err error, output, backup string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed (%v).", name, err)
	registering := len(args) > 0 && (args[0] == "register-with" || args[0] == "register-worker")
	switch {
	case strings.Contains(output, "already exists") && registering:
		// register-with: "A machine named … already exists"; register-worker:
		// "A worker named … already exists" (RegisterWorkerOperation).
		b.WriteString(" A machine or worker with this name is already registered in Octopus: pick another tentacle.name, or remove the old one (or, if it is this Tentacle's old record, register with TENTACLE_FORCE_REGISTER=1 in the scripts to update it).")
	case strings.Contains(strings.ToLower(output), "unauthorized") || strings.Contains(output, "(401)") || strings.Contains(output, " 401 "):
		b.WriteString(" The API key was refused: check OCTOPUS_API_KEY.")
	case strings.Contains(output, "not yet trusted"):
		b.WriteString(" The Tentacle does not trust the server yet: the register step must succeed first.")
	default:
		b.WriteString(" Read the output above, fix the cause and run again: finished steps are skipped on the next run.")
	}
	if backup != "" {
		b.WriteString(" The configuration before this run is saved at " + backup + ".")
	}
	return b.String()
}
