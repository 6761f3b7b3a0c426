package bundle

import (
	"fmt"
	"io"
	"strings"
)

// WriteUpdateTentacleSh writes change/update-tentacle.sh: on any Linux
// Tentacle of the cluster, poll-server --reuse-server-thumbprint for each
// new address, clear-trusted-servers --keep the new addresses and every
// other server's, then a detached restart (systemd-run), and one JSON line
// as its result. It needs no API key, so Octopus can run it as a script
// task on the very Tentacle it updates.
func WriteUpdateTentacleSh(w io.Writer, c Change) error {
	addrs := c.To.Addresses()
	quoted := make([]string, len(addrs))
	for i, a := range addrs {
		quoted[i] = Sh(a)
	}
	var b strings.Builder
	b.WriteString("#!/usr/bin/env bash\n")
	b.WriteString(strings.ReplaceAll(changeSummary(c, "Linux", "# "), "# \n", "#\n"))
	fmt.Fprintf(&b, `#
# Usage, as root (Octopus runs it as the Tentacle's user, root by default):
#   sudo ./update-tentacle.sh
#
# Environment:
#   TENTACLE           the Tentacle executable [/opt/octopus/tentacle/Tentacle]
#   TENTACLE_INSTANCE  the instance [Tentacle, else the only instance there is]
#   TENTACLE_RESTART   auto: restart the service when something changed;
#                      always; never (a container, or you restart it) [auto]
#   TENTACLE_RESTART_DELAY
#                      seconds before the detached restart [%d]
#
# The last line it prints is its result, as JSON:
#   {"ok":true,"added":[...],"removed":[...],"restart":"scheduled"}
# restart is "scheduled", "not-needed" (nothing changed) or "skipped"
# (TENTACLE_RESTART=never); a failure prints {"ok":false,"error":"..."}
# and exits 1.
set -euo pipefail

TENTACLE=${TENTACLE:-/opt/octopus/tentacle/Tentacle}
INSTANCE=${TENTACLE_INSTANCE:-}
RESTART=${TENTACLE_RESTART:-auto}
DELAY=${TENTACLE_RESTART_DELAY:-%d}

# From plan.json: the cluster's certificate thumbprint, and every address a
# Tentacle of the cluster polls from now on.
THUMBPRINT=%s
ADDRESSES=(%s)
`, DefaultRestartDelaySeconds, DefaultRestartDelaySeconds, Sh(c.To.Server.Thumbprint), strings.Join(quoted, " "))
	b.WriteString(updateShFunctions)
	b.WriteString(updateShSteps)
	_, err := io.WriteString(w, b.String())
	return err
}

// updateShFunctions are the helpers of update-tentacle.sh.
const updateShFunctions = `
# fail MESSAGE says why the script stops, prints its result line, and stops.
fail() {
  printf 'update-tentacle.sh: %s\n' "$1" >&2
  printf '{"ok":false,"error":%s}\n' "$(json_string "$1")"
  exit 1
}

# json_string TEXT prints TEXT as a JSON string.
json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "${s//[[:cntrl:]]/ }"
}

# json_list ITEM... prints the items as a JSON array.
json_list() {
  local out='' item
  for item in "$@"; do
    out+=${out:+,}$(json_string "$item")
  done
  printf '[%s]' "$out"
}

# tentacle ARG... prints a Tentacle command, runs it, and stops if it fails.
tentacle() {
  printf '==> Tentacle %s\n' "$*"
  "$TENTACLE" "$@" ||
    fail "Tentacle $1 failed (exit $?). Fix the cause and run this script again: it carries on from what the Tentacle trusts now."
}

# listed ITEM LIST...: ITEM is in LIST, ignoring case and a final /.
listed() {
  local item=${1%/} entry
  shift
  for entry in "$@"; do
    entry=${entry%/}
    if [[ ${entry,,} == "${item,,}" ]]; then
      return 0
    fi
  done
  return 1
}

# read_trusted reads Tentacle.Communication.TrustedOctopusServers from
# show-configuration, printed as a JSON array or as a string holding one,
# and sets:
#   ours         addresses of this cluster's polling entries (its thumbprint,
#                CommunicationStyle 2, a subscription id), in their order
#   others       addresses of every other entry: other servers', always kept
#   addressless  how many entries have no address (listening trusts)
#   first_ours   yes when the first entry is one of ours: poll-server
#                --reuse-server-thumbprint copies the first entry's identity
read_trusted() {
  local config flat entry address n=0
  config=$("$TENTACLE" show-configuration --instance "$INSTANCE") ||
    fail "Tentacle show-configuration --instance $INSTANCE failed (exit $?)"
  flat=${config//\\\"/\"}
  flat=${flat//[[:space:]]/}
  ours=() others=() addressless=0 first_ours=no
  shopt -s nocasematch
  if [[ $flat =~ \"trustedoctopusservers\":\"?\[(.*) ]]; then
    flat=${BASH_REMATCH[1]}
  else
    flat=''
  fi
  while [[ $flat =~ ^\{([^{}]*)\},?(.*) ]]; do
    entry=${BASH_REMATCH[1]} flat=${BASH_REMATCH[2]} address='' n=$((n + 1))
    if [[ $entry =~ \"address\":\"([^\"]*)\" ]]; then
      address=${BASH_REMATCH[1]}
    fi
    if [[ -z $address ]]; then
      addressless=$((addressless + 1))
    elif [[ $entry =~ \"thumbprint\":\""$THUMBPRINT"\" && $entry =~ \"communicationstyle\":(2|\"tentacleactive\")(,|$) && $entry =~ \"subscriptionid\":\"poll: ]]; then
      ours+=("$address")
      if ((n == 1)); then
        first_ours=yes
      fi
    else
      others+=("$address")
    fi
  done
  shopt -u nocasematch
}
`

// updateShSteps is the body of update-tentacle.sh.
const updateShSteps = `
[[ $RESTART == auto || $RESTART == always || $RESTART == never ]] ||
  fail "TENTACLE_RESTART is '$RESTART': use auto, always or never"
[[ $DELAY =~ ^[0-9]+$ ]] || fail "TENTACLE_RESTART_DELAY is '$DELAY': give a number of seconds"
command -v -- "$TENTACLE" >/dev/null ||
  fail "Tentacle not found at $TENTACLE: set TENTACLE to its path"

# 1. The instance: TENTACLE_INSTANCE, else Tentacle (Tentacle's own
# default), else the only instance there is.
listing=$("$TENTACLE" list-instances --format json) ||
  fail "Tentacle list-instances failed (exit $?): is $TENTACLE a Tentacle?"
instances=()
while [[ $listing =~ \"InstanceName\"[[:space:]]*:[[:space:]]*\"([^\"]*)\"(.*) ]]; do
  instances+=("${BASH_REMATCH[1]}")
  listing=${BASH_REMATCH[2]}
done
names=$(IFS=,; printf '%s' "${instances[*]-}")
if [[ -n $INSTANCE ]]; then
  listed "$INSTANCE" ${instances[@]+"${instances[@]}"} ||
    fail "this machine has no Tentacle instance $INSTANCE (instances: ${names:-none})"
elif listed Tentacle ${instances[@]+"${instances[@]}"}; then
  INSTANCE=Tentacle
elif ((${#instances[@]} == 1)); then
  INSTANCE=${instances[0]}
elif ((${#instances[@]} == 0)); then
  fail "this machine has no Tentacle instance: the Tentacle was never set up. Register it with the bundle's tentacle/register.sh first."
else
  fail "this machine has more than one Tentacle instance ($names): set TENTACLE_INSTANCE to the one that polls this cluster"
fi

# 2. What it polls now, and what is left to do. Nothing changes before
# every check has passed.
read_trusted
((${#ours[@]} > 0)) ||
  fail "Tentacle instance $INSTANCE does not poll this cluster: it trusts no polling entry with thumbprint $THUMBPRINT. Register it first with the bundle's tentacle/register.sh (which needs the API key); this script moves registered Tentacles only."
missing=() stale=()
for address in "${ADDRESSES[@]}"; do
  listed "$address" ${ours[@]+"${ours[@]}"} || missing+=("$address")
done
for address in ${ours[@]+"${ours[@]}"}; do
  listed "$address" "${ADDRESSES[@]}" || stale+=("$address")
done
if ((${#missing[@]} > 0)) && [[ $first_ours != yes ]]; then
  fail "the first server Tentacle instance $INSTANCE trusts is not this cluster, and poll-server --reuse-server-thumbprint copies the identity of the first one. Nothing was changed. Update this Tentacle with the new plan's tentacle/register.sh and TENTACLE_PRUNE=1 instead (it needs the API key)."
fi
if ((${#stale[@]} > 0 && addressless > 0)); then
  fail "not removing ${stale[*]}: Tentacle instance $INSTANCE also trusts a server without an address (a listening trust, added by configure --trust), and clear-trusted-servers fails on those. Nothing was changed. Remove that trust first (Tentacle configure --instance $INSTANCE --remove-trust THUMBPRINT), then run this script again."
fi

# 3. Every new address, under the identity the Tentacle already has.
for address in ${missing[@]+"${missing[@]}"}; do
  tentacle poll-server --instance "$INSTANCE" --reuse-server-thumbprint --server-comms-address "$address"
done

# 4. Only once every new address is trusted: this cluster's addresses the
# new plan no longer lists go, every other server's entries stay, and the
# Tentacle never ends up trusting nothing.
if ((${#stale[@]} > 0)); then
  read_trusted
  for address in "${ADDRESSES[@]}"; do
    listed "$address" ${ours[@]+"${ours[@]}"} || fail "after poll-server, $address is still not trusted: run this script again"
  done
  keep=$(IFS=,; printf '%s' "${ADDRESSES[*]}${others[*]+,${others[*]}}")
  tentacle clear-trusted-servers --instance "$INSTANCE" --keep "$keep"
fi
read_trusted
for address in "${ADDRESSES[@]}"; do
  listed "$address" ${ours[@]+"${ours[@]}"} || fail "after the update, $address is not trusted: run this script again"
done
for address in ${ours[@]+"${ours[@]}"}; do
  listed "$address" "${ADDRESSES[@]}" || fail "after the update, $address is still trusted: run this script again"
done

# 5. The service reads the trusted servers when it starts. The restart is
# detached, a transient systemd timer, so that it outlives this script:
# inside an Octopus task the Tentacle runs this script, and stopping the
# Tentacle directly would end the script before the start.
changed=no
if ((${#missing[@]} + ${#stale[@]} > 0)); then
  changed=yes
fi
restart=not-needed
if [[ $RESTART == always || ($RESTART == auto && $changed == yes) ]]; then
  exe=$(command -v -- "$TENTACLE")
  [[ $exe == /* ]] || exe=$PWD/$exe
  command -v systemd-run >/dev/null ||
    fail "the trusted servers are updated, but there is no systemd-run to restart the Tentacle detached. Restart it yourself: $exe service --instance $INSTANCE --stop --start"
  printf '==> systemd-run --on-active=%ss %s service --instance %s --stop --start\n' "$DELAY" "$exe" "$INSTANCE"
  systemd-run --on-active="${DELAY}s" --description="Tentacle HA Wizard: restart Tentacle instance $INSTANCE" \
    -- "$exe" service --instance "$INSTANCE" --stop --start ||
    fail "the trusted servers are updated, but systemd-run failed (exit $?). Run this script again with TENTACLE_RESTART=always, or restart the Tentacle yourself: $exe service --instance $INSTANCE --stop --start"
  printf '    the Tentacle restarts in %s seconds, after this script has ended\n' "$DELAY"
  restart=scheduled
elif [[ $changed == yes ]]; then
  restart=skipped
fi
printf '{"ok":true,"added":%s,"removed":%s,"restart":"%s"}\n' \
  "$(json_list ${missing[@]+"${missing[@]}"})" "$(json_list ${stale[@]+"${stale[@]}"})" "$restart"
`
