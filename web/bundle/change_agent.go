package bundle

import (
	"fmt"
	"io"
	"strings"
)

// WriteAgentChangeSh writes change/kubernetes-agent.sh: for each helm
// release of an Octopus Kubernetes agent given as an argument, helm
// upgrade --reuse-values with the new agent.serverCommsAddresses, ordered
// so that the address the agent keeps at start is one it polls already
// (two upgrades when no new address is).
func WriteAgentChangeSh(w io.Writer, c Change) error {
	addrs := c.To.Addresses()
	quoted := make([]string, len(addrs))
	for i, a := range addrs {
		quoted[i] = Sh(a)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `#!/usr/bin/env bash
# %s
#
# Moves Octopus Kubernetes agents (the kubernetes-agent helm chart) of this
# cluster to the new node list: helm upgrade --reuse-values with
# agent.serverCommsAddresses, for each agent release given as an argument.
#
`, ConfComment(changeProvenance(c)))
	b.WriteString(strings.ReplaceAll(changeAddressLines(c, "# "), "# \n", "#\n"))
	fmt.Fprintf(&b, `#
# When the agent's pod starts it keeps only its first address
# (clear-trusted-servers --keep) and adds the others with poll-server
# --reuse-server-thumbprint, which copies its identity from the first server
# it trusts. So the first address must be one the agent polls today:
#   - if a new address is one it polls today, that one goes first: one
#     upgrade;
#   - if none is (node 1 replaced, a move to multi-node), two upgrades: the
#     agent's current first address in front of the new ones, waited for
#     (--wait: the pod is ready once it has configured them), then the new
#     addresses alone.
# An agent installed with agent.serverCommsAddress (one address) keeps that
# one at start; it is replaced the same way.
#
# Usage:
#   ./kubernetes-agent.sh RELEASE...
#
# Environment:
#   AGENT_CHART          the kubernetes-agent chart reference (required):
#                        %s
#   AGENT_CHART_VERSION  the chart version [the one the release runs now]
#   AGENT_NAMESPACE      the namespace of the releases [octopus-agent-RELEASE,
#                        as install.sh and Octopus's install command name it]
#   AGENT_TIMEOUT        how long each upgrade may take to be ready [10m]
#   HELM                 the helm executable [helm]
#   DRY_RUN=1            print the helm upgrades without running them
set -euo pipefail

HELM=${HELM:-helm}
TIMEOUT=${AGENT_TIMEOUT:-10m}
AGENT_CHART=${AGENT_CHART:-}

# From plan.json: every address an agent of the cluster polls from now on.
`, ConfComment(AgentChartHint))
	fmt.Fprintf(&b, "ADDRESSES=(%s)\n", strings.Join(quoted, " "))
	b.WriteString(agentChangeBody)
	_, err := io.WriteString(w, b.String())
	return err
}

const agentChangeBody = `
die() {
  printf 'kubernetes-agent.sh: %s\n' "$*" >&2
  exit 1
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

# read_release RELEASE sets single (agent.serverCommsAddress), list
# (agent.serverCommsAddresses) and version (the chart version it runs).
read_release() {
  local values rest item
  values=$("$HELM" get values "$1" --namespace "$NAMESPACE" --all --output json) ||
    die "helm get values $1 --namespace $NAMESPACE failed: is $1 a release in $NAMESPACE (AGENT_NAMESPACE)?"
  values=${values//[[:space:]]/}
  single='' list=()
  if [[ $values =~ \"serverCommsAddress\":\"([^\"]+)\" ]]; then
    single=${BASH_REMATCH[1]}
  fi
  if [[ $values =~ \"serverCommsAddresses\":\[((\"[^\"]*\",?)*)\] ]]; then
    rest=${BASH_REMATCH[1]}
    while [[ $rest =~ ^\"([^\"]*)\",?(.*) ]]; do
      item=${BASH_REMATCH[1]} rest=${BASH_REMATCH[2]}
      list+=("$item")
    done
  fi
  version=${AGENT_CHART_VERSION:-}
  if [[ -z $version ]]; then
    values=$("$HELM" list --namespace "$NAMESPACE" --filter "^$1\$" --output json) || die "helm list --namespace $NAMESPACE failed"
    if [[ $values =~ \"chart\":[[:space:]]*\"[^\"]*-([0-9][^\"]*)\" ]]; then
      version=${BASH_REMATCH[1]}
    fi
  fi
}

# upgrade RELEASE SETTING... runs one helm upgrade that keeps every other value.
upgrade() {
  local release=$1 setting args
  shift
  args=(upgrade "$release" "$AGENT_CHART" --namespace "$NAMESPACE" --reuse-values --wait --timeout "$TIMEOUT")
  if [[ -n $version ]]; then
    args+=(--version "$version")
  fi
  for setting in "$@"; do
    args+=(--set "$setting")
  done
  printf '==> %s %s\n' "$HELM" "${args[*]}"
  if [[ ${DRY_RUN:-} != 1 ]]; then
    "$HELM" "${args[@]}" || die "helm upgrade $release failed: fix the cause and run this script again for $release"
  fi
}

addresses() {
  local IFS=,
  printf 'agent.serverCommsAddresses={%s}' "$*"
}

[[ -n $AGENT_CHART ]] ||
  die 'set AGENT_CHART to the kubernetes-agent chart reference of the helm command on Octopus'"'"'s Kubernetes agent installation page (README.md)'
(($# > 0)) || die "give the helm release of each agent: kubernetes-agent.sh RELEASE... (helm list --all-namespaces lists them)"

for release in "$@"; do
  NAMESPACE=${AGENT_NAMESPACE:-octopus-agent-$release}
  read_release "$release"
  polled=(${single:+"$single"} ${list[@]+"${list[@]}"})
  ((${#polled[@]} > 0)) ||
    die "$release has neither agent.serverCommsAddress nor agent.serverCommsAddresses: it is not a polling agent of an HA cluster"
  printf '%s polls %s\n' "$release" "${polled[*]}"
  if [[ -n $single ]]; then
    # The agent keeps agent.serverCommsAddress and adds the whole list.
    upgrade "$release" "$(addresses "${ADDRESSES[@]}")"
    if ! listed "$single" "${ADDRESSES[@]}"; then
      upgrade "$release" "agent.serverCommsAddress=${ADDRESSES[0]}"
    fi
    continue
  fi
  anchor=''
  for address in "${ADDRESSES[@]}"; do
    if listed "$address" "${polled[@]}"; then
      anchor=$address
      break
    fi
  done
  if [[ -n $anchor ]]; then
    ordered=("$anchor")
    for address in "${ADDRESSES[@]}"; do
      [[ $address == "$anchor" ]] || ordered+=("$address")
    done
    upgrade "$release" "$(addresses "${ordered[@]}")"
  else
    upgrade "$release" "$(addresses "${polled[0]}" "${ADDRESSES[@]}")"
    upgrade "$release" "$(addresses "${ADDRESSES[@]}")"
  fi
done
`
