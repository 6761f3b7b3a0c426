package bundle

import (
	"fmt"
	"io"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// regShCommand writes "run STEP ARG..." with one group of arguments a line.
func regShCommand(b *strings.Builder, indent, step string, groups ...string) {
	fmt.Fprintf(b, "%srun %s %s\n", indent, Sh(step), strings.Join(groups, " \\\n"+indent+"  "))
}

func regShOptions(opts []regOption) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = o.name + " " + Sh(o.value)
	}
	return strings.Join(parts, " ")
}

// WriteRegisterSh writes tentacle/register.sh for a Linux Tentacle: create
// or reuse the instance, register with the first address, add every other
// address with poll-server, then install or restart the service. It is safe
// to run again; the script's comments say how.
func WriteRegisterSh(w io.Writer, p plan.Plan) error {
	polls := p.Addresses()
	if len(polls) == 0 {
		return errRegNoPolls
	}
	t := p.Tentacle
	first, others := polls[0], polls[1:]
	var b strings.Builder
	b.WriteString("#!/usr/bin/env bash\n")
	regSummary(&b, p)
	b.WriteString(`# Usage, as root, with Tentacle 8.1.1617 or later installed:
#   sudo ./register.sh   asks for the Octopus API key (input hidden)
#   sudo --preserve-env=OCTOPUS_API_KEY ./register.sh
#                        takes the key from the environment
#
`)
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
SUBSCRIPTION_ID=%s
`, regLiteralNote(p), Sh(t.ConfigPath()), Sh(t.Instance), Sh(regJSONString(t.Instance)),
		Sh(regSystemdUnit(t.Instance)), Sh(p.Server.URL), Sh(t.SubscriptionID))
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
  run create-instance create-instance --instance "$INSTANCE" --config "$TENTACLE_CONFIG"
fi

# 2. Its certificate (an existing one is kept) and polling mode. --noListen
# takes a value. Never --reset-trust: it deletes the subscription id the
# nodes know this Tentacle by.
run new-certificate new-certificate --instance "$INSTANCE" --if-blank
run configure configure --instance "$INSTANCE" --noListen True --app "$TENTACLE_APP_DIR"
`)
	if c := t.PollingConnectionCount; c > 0 {
		fmt.Fprintf(&b, "run set-polling-connection-count set-polling-connection-count --instance \"$INSTANCE\" --pollingConnectionCount %d\n", c)
	}
	b.WriteString("\n" + regRerunComment(t))
	b.WriteString(`printf '==> show-configuration\n'
config=$("$TENTACLE" show-configuration --instance "$INSTANCE") || failed show-configuration "$?"
force=()
if [[ ${TENTACLE_FORCE_REGISTER:-} == 1 ]]; then
  force=(--force)
fi
if [[ $config != *"$SUBSCRIPTION_ID"* || ${#force[@]} -gt 0 ]]; then
`)
	groups := []string{regCommand(t) + ` --instance "$INSTANCE"`,
		`--server "$SERVER" --apiKey "$OCTOPUS_API_KEY"`,
		"--comms-style TentacleActive --server-comms-address " + Sh(first),
		`--server-subscription-id "$SUBSCRIPTION_ID"`}
	for _, g := range regMachineOptions(p) {
		groups = append(groups, regShOptions(g))
	}
	regShCommand(&b, "  ", regCommand(t)+" "+first, append(groups, `${force[@]+"${force[@]}"}`)...)
	b.WriteString("else\n  printf '    registered already as %s\\n' \"$SUBSCRIPTION_ID\"\n")
	regShPollServer(&b, "  ", first)
	b.WriteString("fi\n")
	for _, a := range others {
		regShPollServer(&b, "", a)
	}
	fmt.Fprintf(&b, `
# 4. On request, stop trusting addresses that are not in the plan.
if [[ ${TENTACLE_PRUNE:-} == 1 ]]; then
`)
	regShCommand(&b, "  ", "clear-trusted-servers", `clear-trusted-servers --instance "$INSTANCE"`, "--keep "+Sh(strings.Join(polls, ",")))
	fmt.Fprintf(&b, `fi

# 5. The service reads the trusted servers when it starts: install and start
# it the first time, restart it after that.
if systemctl cat -- "$SERVICE_UNIT" >/dev/null 2>&1; then
  run 'service --restart' service --instance "$INSTANCE" --restart
else
  run 'service --install --start' service --instance "$INSTANCE" --install --start
fi

printf '\nDone: %%s polls %s as %%s.\n' %s "$SUBSCRIPTION_ID"
`, regCount(len(polls), "address", "addresses"), Sh(t.Name))
	_, err := io.WriteString(w, b.String())
	return err
}

func regShPollServer(b *strings.Builder, indent, address string) {
	regShCommand(b, indent, "poll-server "+address, `poll-server --instance "$INSTANCE"`,
		`--server "$SERVER" --apiKey "$OCTOPUS_API_KEY"`,
		"--server-comms-address "+Sh(address))
}

// regShFunctions are the helpers and the checks before the first step.
const regShFunctions = `
die() {
  printf 'register.sh: %s\n' "$*" >&2
  exit 1
}

# failed STEP CODE stops the script, naming the step.
failed() {
  die "step '$1' failed (exit $2). Fix the cause and run this script again: finished steps are skipped or repeated harmlessly."
}

# run STEP ARG... prints the Tentacle command line with the API key masked,
# runs it with each argument its own word, and stops if it fails.
run() {
  local step=$1 arg shown=()
  shift
  for arg in "$@"; do
    if [[ $arg == "$OCTOPUS_API_KEY" ]]; then
      shown+=('API-***')
    else
      shown+=("$(printf '%q' "$arg")")
    fi
  done
  printf '==> %s\n    Tentacle %s\n' "$step" "${shown[*]}"
  "$TENTACLE" "$@" || failed "$step" "$?"
}

command -v -- "$TENTACLE" >/dev/null ||
  die "Tentacle not found at $TENTACLE: install the Tentacle package, or set TENTACLE to its path"

if [[ -z ${OCTOPUS_API_KEY:-} ]]; then
  [[ -t 0 ]] || die 'set OCTOPUS_API_KEY to an Octopus API key, or run this script in a terminal to be asked for it'
  read -rsp "Octopus API key for $SERVER (input hidden): " OCTOPUS_API_KEY
  printf '\n' >&2
  [[ -n $OCTOPUS_API_KEY ]] || die 'no API key given'
fi
# Tentacle gets the key as an argument; keep it out of the environment of
# the commands this script runs.
export -n OCTOPUS_API_KEY
`
