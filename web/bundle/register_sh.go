package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// shVars are the script variables that hold the registration's run-time values.
var shVars = map[Var]string{
	VarInstance: `"$INSTANCE"`, VarServer: `"$SERVER"`, VarAPIKey: `"$OCTOPUS_API_KEY"`,
	VarSubscription: `"$SUBSCRIPTION_ID"`, VarConfig: `"$TENTACLE_CONFIG"`, VarAppDir: `"$TENTACLE_APP_DIR"`,
	VarKeep: `"$keep"`, VarAddress: `"$address"`, VarSpace: `"$SPACE"`, VarName: `"$NAME"`,
}

// shArgs renders arguments as bash words.
func shArgs(args []Arg) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if a.Var != Literal {
			parts[i] = shVars[a.Var]
		} else {
			parts[i] = Sh(a.Text)
		}
	}
	return strings.Join(parts, " ")
}

// regSystemdUnit is the unit Tentacle installs for an instance: the name
// with / removed and whitespace runs turned into - (LinuxServiceConfigurator).
func regSystemdUnit(instance string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(instance, "/", "")), "-") + ".service"
}

// anyName is how the scripts for any machine name the machine in comments.
const anyName = "<this machine's host name>"

// shAnyName sets NAME in register-any.sh.
func shAnyName(anyMachine bool) string {
	if !anyMachine {
		return ""
	}
	return `NAME=${TENTACLE_NAME:-$(hostname)} # the machine name in Octopus
`
}

// shAdoptID takes, for a machine registered before, the subscription id
// Tentacle gave it (register-any passes none).
const shAdoptID = `if [[ -z $SUBSCRIPTION_ID && -n ${ours_ids[0]:-} ]]; then
  SUBSCRIPTION_ID=${ours_ids[0]}
  read_trusted "$config"
fi
`

// shSpace assigns SPACE when the plan names a space.
func shSpace(p plan.Plan) string {
	if p.Server.Space == "" {
		return ""
	}
	return "SPACE=" + shValue(p.Server.Space) + "\n"
}

// shValue is s as the value of an assignment, always quoted: shellcheck
// reads an unquoted value such as a--b as mistyped arithmetic (SC2100).
func shValue(s string) string {
	if q := Sh(s); q != s {
		return q // quoted already
	}
	return "'" + s + "'" // letters, digits and -_./:=@,+% only
}

// shRun writes "run STEP ARG..." with one group of arguments a line; step
// is a bash word ("" for the command's own step name), extra follows the
// last group.
func shRun(b *strings.Builder, indent, step string, c Command, extra string) {
	if step == "" {
		step = Sh(c.Step)
	}
	lines := make([]string, len(c.Groups))
	for i, g := range c.Groups {
		lines[i] = shArgs(g)
	}
	if extra != "" {
		lines[len(lines)-1] += " " + extra
	}
	fmt.Fprintf(b, "%srun %s %s\n", indent, step, strings.Join(lines, " \\\n"+indent+"  "))
}

// WriteRegisterSh writes tentacle/register.sh for a Linux Tentacle, the
// steps of Registration in bash. It is safe to run again; its comments say
// why.
func WriteRegisterSh(w io.Writer, p plan.Plan) error { return writeRegisterSh(w, p, false) }

// WriteRegisterAnySh writes tentacle/register-any.sh of a fleet: register.sh
// for any machine like the fleet's tentacle, named after its host name (or
// $TENTACLE_NAME), with the subscription id Tentacle makes on the first
// registration; safe to bake into an image or a cloud-init.
func WriteRegisterAnySh(w io.Writer, p plan.Plan) error { return writeRegisterSh(w, p, true) }

func writeRegisterSh(w io.Writer, p plan.Plan, anyMachine bool) error {
	polls := p.Addresses()
	if len(polls) == 0 {
		return errRegNoPolls
	}
	t, reg := p.Tentacle, RegistrationOf(p)
	name := Sh(t.Name)
	if anyMachine {
		reg, name = RegistrationOfAny(p), `"$NAME"`
		p.Tentacle.Name, p.Tentacle.SubscriptionID, p.Tentacle.OS = anyName, "", plan.Linux
		t = p.Tentacle
	}
	quoted := make([]string, len(polls))
	for i, a := range polls {
		quoted[i] = Sh(a)
	}
	var b strings.Builder
	b.WriteString("#!/usr/bin/env bash\n")
	regSummary(&b, p)
	b.WriteString(`# Usage, as root, with Tentacle 8.1.1617 or later installed:
#   sudo ./register.sh   asks for the Octopus API key (input hidden)
#   sudo --preserve-env=OCTOPUS_API_KEY ./register.sh
#                        takes the key from the environment
`)
	b.WriteString(binaryScriptHeader(plan.Linux, anyMachine) + "#\n")
	regEnvironment(&b, p, "Tentacle executable [/opt/octopus/tentacle/Tentacle]", t.ConfigPath(), "/home/Octopus/Applications")
	fmt.Fprintf(&b, `%s
set -euo pipefail

TENTACLE=${TENTACLE:-/opt/octopus/tentacle/Tentacle}
TENTACLE_CONFIG=${TENTACLE_CONFIG:-%s}
TENTACLE_APP_DIR=${TENTACLE_APP_DIR:-/home/Octopus/Applications}

# From plan.json.
INSTANCE=%s
INSTANCE_JSON=%s # as list-instances --format json writes it
SERVICE_UNIT=%s
SERVER=%s
%sTHUMBPRINT=%s
SUBSCRIPTION_ID=%s
ADDRESSES=(%s)
%s`, regLiteralNote(p), Sh(t.ConfigPath()), shValue(t.Instance), shValue(regJSONString(t.Instance)),
		shValue(regSystemdUnit(t.Instance)), shValue(p.Server.URL), shSpace(p), shValue(p.Server.Thumbprint), shValue(t.SubscriptionID), strings.Join(quoted, " "), shAnyName(anyMachine))
	b.WriteString(regShFunctions)

	b.WriteString(`
# 1. The instance: create it unless list-instances shows it. Its JSON is
# indented ("InstanceName": "..."), and Tentacle matches names ignoring case.
printf '==> list-instances\n'
instances=$("$TENTACLE" list-instances --format json) || failed list-instances "$?"
instances=${instances//\": \"/\":\"}
if [[ ${instances,,} == *"\"instancename\":\"${INSTANCE_JSON,,}\""* ]]; then
  printf '    instance %s exists: keeping its configuration file\n' "$INSTANCE"
else
`)
	shRun(&b, "  ", "", reg.CreateInstance(), "")
	shRun(&b, "  ", "", reg.AppDir(), "")
	b.WriteString(`fi

# 2. Its certificate (an existing one is kept).
`)
	shRun(&b, "", "", reg.NewCertificate(), "")
	b.WriteString("\n" + regStateComment(t))
	b.WriteString(`printf '==> show-configuration\n'
config=$("$TENTACLE" ` + shArgs(reg.ShowConfiguration(true).Args()) + `) ||
  failed show-configuration "$?"
read_trusted "$config"
if ((addressless > 0)); then
  die "this Tentacle trusts a server without an address: it listens for that server. Turning listening off for polling would cut that server off; register polling in a separate instance (tentacle.instance in the plan)."
fi

# Polling mode: --noListen takes a value. Never --reset-trust: it deletes
# the subscription id the nodes know this Tentacle by.
`)
	shRun(&b, "", "", reg.Configure(false), "")
	if c, ok := reg.PollingConnections(); ok {
		shRun(&b, "", "", c, "")
	}
	b.WriteString("\n")
	if anyMachine {
		b.WriteString(shAdoptID)
	}
	b.WriteString(`registered=no
for i in ${ours[@]+"${!ours[@]}"}; do
  if [[ ${ours_ids[i]} == "${SUBSCRIPTION_ID,,}" ]]; then
    registered=yes
  elif [[ -n ${ours_ids[i]} ]]; then
    die "this Tentacle already polls ${ours[i]} as ${ours_ids[i]}, but the plan says $SUBSCRIPTION_ID. Set tentacle.subscriptionId to ${ours_ids[i]} in plan.json and generate the bundle again (or run the wizard's register command, which offers it); a second id would orphan the other entries."
  fi
done

force=()
if [[ ${TENTACLE_FORCE_REGISTER:-} == 1 ]]; then
  registered=no force=(--force)
elif [[ $registered == no && $config == *'"DisplayName"'* ]]; then
`)
	fmt.Fprintf(&b, "  printf '    Octopus already has a %s with this Tentacle'\\''s certificate: registering again with --force updates it\\n'\n", regKindNoun(t))
	b.WriteString(`  force=(--force)
elif [[ $registered == yes && $config != *'"DisplayName"'* ]]; then
`)
	fmt.Fprintf(&b, "  printf '    Octopus has no %s with this Tentacle'\\''s certificate (the XML was pasted by hand, or the machine was deleted in Octopus): registering again, updating a %s of the same name if there is one\\n'\n", regKindNoun(t), regKindNoun(t))
	b.WriteString(`  registered=no force=(--force)
fi
if [[ $registered == no ]]; then
`)
	shRun(&b, "  ", "", reg.Register(polls[0]), `${force[@]+"${force[@]}"}`)
	if anyMachine {
		b.WriteString(`  printf '==> show-configuration\n'
  config=$("$TENTACLE" ` + shArgs(reg.ShowConfiguration(false).Args()) + `) ||
    failed show-configuration "$?"
  read_trusted "$config"
` + shAdoptID)
	} else {
		b.WriteString(`  trusted+=(` + Sh(strings.ToLower(polls[0])) + `)
`)
	}
	b.WriteString(`else
  printf '    registered already as %s, and known to Octopus\n' "$SUBSCRIPTION_ID"
fi

# 4. Every address of the plan not yet trusted, the first one included:
# poll-server takes the subscription id the Tentacle already has.
for address in "${ADDRESSES[@]}"; do
  if trusts "$address"; then
    printf '    %s is trusted already\n' "$address"
  else
`)
	shRun(&b, "    ", `"poll-server $address"`, reg.PollServer(), "")
	b.WriteString(`  fi
done

# 5. Only now that every plan address is trusted, and only on request: stop
# trusting this cluster's addresses that the plan no longer lists. Other
# servers' entries are kept. clear-trusted-servers throws on a trusted
# server without an address (a listening trust), so that stops the pruning.
printf '==> show-configuration\n'
config=$("$TENTACLE" ` + shArgs(reg.ShowConfiguration(false).Args()) + `) ||
  failed show-configuration "$?"
read_trusted "$config"
for address in "${ADDRESSES[@]}"; do
  trusts "$address" || die "after registering, $address is still not trusted: run this script again"
done
stale=()
for address in ${ours[@]+"${ours[@]}"}; do
  trusted_by_plan "$address" || stale+=("$address")
done
if [[ ${TENTACLE_PRUNE:-} == 1 && ${#stale[@]} -gt 0 ]]; then
  if ((addressless > 0)); then
    die "not removing ${stale[*]}: this Tentacle also trusts a server without an address (a listening trust, added by configure --trust), and clear-trusted-servers fails on those. Remove that trust first (configure --remove-trust=THUMBPRINT), then run this script again."
  fi
  keep=$(IFS=,; printf '%s' "${ADDRESSES[*]}${others[*]+,${others[*]}}")
`)
	shRun(&b, "  ", "", reg.ClearTrustedServers(), "")
	b.WriteString(`elif [[ ${#stale[@]} -gt 0 ]]; then
  printf '    also trusted, not in the plan: %s (TENTACLE_PRUNE=1 removes them)\n' "${stale[*]}"
fi

# 6. The service reads the trusted servers when it starts. --install
# --stop --start installs or reinstalls it and (re)starts it whatever state
# it was in; service --restart would do nothing for a service that was
# never installed, and still report success.
`)
	shRun(&b, "", "", reg.Service(), "")
	b.WriteString(`# Tentacle only logs a service that fails to start: ask systemd.
if command -v systemctl >/dev/null 2>&1 && ! systemctl is-active --quiet -- "$SERVICE_UNIT"; then
  die "the service $SERVICE_UNIT is not running after service --install --stop --start: see journalctl -u $SERVICE_UNIT"
fi
`)
	fmt.Fprintf(&b, `
printf '\nDone: %%s polls %s as %%s.\n' %s "$SUBSCRIPTION_ID"
`, regCount(len(polls), "address", "addresses"), name)
	_, err := io.WriteString(w, b.String())
	return err
}
