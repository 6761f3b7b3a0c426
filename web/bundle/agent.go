package bundle

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// AgentChartHint says where the kubernetes-agent chart's reference is:
// Octopus's docs install the chart from an OCI registry ("helm upgrade
// --install ... oci://<registry>/octopusdeploy/kubernetes-agent" on the
// installation and HA pages, plan.DocAgentInstall and plan.DocAgentHA;
// the chart's source is OctopusDeploy/helm-charts charts/kubernetes-agent).
// This project writes no package registry's host name into its files, so
// the scripts take the reference from AGENT_CHART, which the operator
// copies from that page (or from the install command Octopus shows for a
// new agent), and refuse to run without it.
const AgentChartHint = "the chart reference (oci://…/octopusdeploy/kubernetes-agent) of the helm command on Octopus's Kubernetes agent installation page, " + plan.DocAgentInstall

// AgentChartVersion pins the chart's major version, as Octopus's automated
// installation page asks ("Always specify the major version ... e.g.
// version = "2.*.*"", plan.DocAgentInstall): a new major version may change
// the values' schema. 3 is the major version of charts/kubernetes-agent
// (Chart.yaml version 3.13.2 at the time of writing).
const AgentChartVersion = "3.*.*"

// AgentEULA is where the Customer Agreement that agent.acceptEula accepts
// is published (the chart's values.yaml: "Setting to Y accepts the
// [Customer Agreement](https://octopus.com/company/legal)").
const AgentEULA = "https://octopus.com/company/legal"

// AgentRelease is the Helm release name of the plan's agent: the machine
// name in lower case with anything but letters, digits and '-' made '-',
// at most 40 characters so that the namespace (AgentNamespace) stays a
// DNS label of at most 63.
func AgentRelease(p plan.Plan) string {
	r := strings.ToLower(sanitizeName(p.Tentacle.Name))
	if len(r) > 40 {
		r = strings.TrimRight(r[:40], "-")
	}
	return r
}

// AgentNamespace is the namespace the agent is installed in.
func AgentNamespace(p plan.Plan) string { return "octopus-agent-" + AgentRelease(p) }

// WriteAgentValues writes kubernetes-agent/values.yaml, the Helm values of
// an Octopus Kubernetes agent (kind kubernetes-agent, a deployment target;
// kubernetes-worker, a worker) that polls every node: agent.serverCommsAddresses lists every polled address, the
// chart's HA setting (charts/kubernetes-agent/values.yaml: "The polling
// communication URLs of the target Octopus Servers when running in High
// Availability (HA)"). It holds no secret and does not accept the EULA.
func WriteAgentValues(w io.Writer, p plan.Plan) error {
	t := p.Tentacle
	y := &yamlWriter{}
	y.comment(provenance(p))
	y.comment("Helm values for the Octopus " + t.KindRow().Noun + ", polling every node of the HA cluster.")
	y.comment("Install with ./install.sh beside this file (README.md), which runs:")
	for _, l := range agentInstallLines(p, "<Y once you have read it>") {
		y.comment("  " + l)
	}
	y.comment("agent.acceptEula is not set here: Y accepts Octopus's Customer Agreement,")
	y.comment(AgentEULA + " ; read it, then set it yourself (AGENT_ACCEPT_EULA=Y).")
	y.comment("The API key is not in this file either: install.sh stores it in a Secret")
	y.comment("and sets agent.serverApiKeySecretName.")
	y.comment("serverCommsAddresses is plural, a list of every node's address; the singular")
	y.comment("serverCommsAddress stays empty. Octopus's HA page: \"The new property name is")
	y.comment("agent.serverCommsAddresses. Note that \"Addresses\" is plural.\" (" + plan.DocAgentHA + ")")
	y.comment("At start the agent keeps only the first address below (clear-trusted-servers --keep)")
	y.comment("and adds the others with poll-server, so after nodes change upgrade with")
	y.comment("--reuse-values as README.md shows (\"Kubernetes agent: when the nodes change\").")
	y.line(0, "agent:")
	y.kv(1, "name", t.Name)
	y.kv(1, "serverUrl", p.Server.URL)
	y.kv(1, "serverCommsAddress", "")
	y.list(1, "serverCommsAddresses", p.Addresses())
	if p.Server.Space != "" {
		y.kv(1, "space", p.Server.Space)
	}
	if t.Policy != "" {
		y.kv(1, "machinePolicyName", t.Policy)
	}
	if t.PollingConnectionCount > 0 {
		y.line(1, "pollingConnectionCount: "+strconv.Itoa(t.PollingConnectionCount))
	}
	if t.KindRow().Takes("tentacle.workerPools") {
		// A Kubernetes worker (Octopus's Kubernetes worker automated
		// installation: agent.worker.enabled, agent.worker.initial.workerPools).
		y.line(1, "deploymentTarget:")
		y.line(2, "enabled: false")
		y.line(1, "worker:")
		y.line(2, "enabled: true")
		y.line(2, "initial:")
		y.list(3, "workerPools", t.WorkerPools)
	} else {
		y.line(1, "deploymentTarget:")
		y.line(2, "enabled: true")
		y.line(2, "initial:")
		y.list(3, "environments", t.Environments)
		y.list(3, "tags", t.Roles)
		y.list(3, "tenants", t.Tenants)
		y.list(3, "tenantTags", t.TenantTags)
		if t.TenantedDeploymentParticipation != "" {
			y.kv(3, "tenantedDeploymentParticipation", t.TenantedDeploymentParticipation)
		}
		y.line(1, "worker:")
		y.line(2, "enabled: false")
	}
	_, err := io.WriteString(w, y.String())
	return err
}

// agentInstallLines is the helm command install.sh runs, one argument
// group a line, with eula for agent.acceptEula.
func agentInstallLines(p plan.Plan, eula string) []string {
	return []string{
		"helm upgrade --install --atomic --create-namespace \\",
		"  --namespace " + Sh(AgentNamespace(p)) + " --version '" + AgentChartVersion + "' \\",
		"  --values values.yaml --set agent.acceptEula=" + eula + " \\",
		"  --set agent.serverApiKeySecretName=" + Sh(AgentRelease(p)+"-api-key") + " \\",
		"  " + Sh(AgentRelease(p)) + " \"$AGENT_CHART\"",
	}
}

// WriteAgentInstallSh writes kubernetes-agent/install.sh: it stops unless
// AGENT_ACCEPT_EULA is Y, stores the API key in a Secret (from standard
// input, so it is in no command line), and runs helm upgrade --install
// with values.yaml and the chart reference Octopus's docs give.
func WriteAgentInstallSh(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, `#!/usr/bin/env bash
# %s
#
# Installs the Octopus Kubernetes agent with Helm, polling every node of the
# Octopus Server HA cluster (values.yaml beside this script), as Octopus's
# docs install it:
#   %s
#   %s
# Run it where kubectl and helm reach the cluster the agent deploys to.
#
# Usage:
#   AGENT_ACCEPT_EULA=Y ./install.sh
#
# Environment:
#   AGENT_CHART          the chart reference: %s
#   AGENT_ACCEPT_EULA    Y accepts Octopus's Customer Agreement (the chart's
#                        agent.acceptEula), %s
#                        Read it first; the script stops unless this is Y.
#   OCTOPUS_API_KEY      the API key that registers the agent; asked for
#                        (hidden) when not set. It goes only into the Secret
#                        RELEASE-api-key (agent.serverApiKeySecretName).
#   AGENT_RELEASE        the helm release [%s]
#   AGENT_NAMESPACE      its namespace [%s]
#   AGENT_CHART_VERSION  the chart version [%s: the major version Octopus's
#                        docs say to pin]
#   HELM, KUBECTL        the executables [helm, kubectl]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HELM=${HELM:-helm}
KUBECTL=${KUBECTL:-kubectl}
RELEASE=${AGENT_RELEASE:-%s}
NAMESPACE=${AGENT_NAMESPACE:-%s}
VERSION=${AGENT_CHART_VERSION:-'%s'}
CHART=${AGENT_CHART:-}
CHART_HINT=%s
SECRET=$RELEASE-api-key
`, ConfComment(provenance(p)), plan.DocAgentHA, plan.DocAgentInstall, ConfComment(AgentChartHint), AgentEULA,
		Sh(AgentRelease(p)), Sh(AgentNamespace(p)), AgentChartVersion,
		Sh(AgentRelease(p)), Sh(AgentNamespace(p)), AgentChartVersion, Sh(AgentChartHint))
	b.WriteString(agentInstallBody)
	_, err := io.WriteString(w, b.String())
	return err
}

const agentInstallBody = `
die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

[[ -n $CHART ]] || die "set AGENT_CHART to $CHART_HINT"

if [[ ${AGENT_ACCEPT_EULA:-} != Y ]]; then
  die "set AGENT_ACCEPT_EULA=Y to accept Octopus's Customer Agreement (https://octopus.com/company/legal) once you have read it; the agent does not start without it"
fi

if [[ -z ${OCTOPUS_API_KEY:-} ]]; then
  read -rsp 'Octopus API key: ' OCTOPUS_API_KEY
  printf '\n' >&2
fi
[[ -n $OCTOPUS_API_KEY ]] || die "no API key (OCTOPUS_API_KEY)"

# The namespace and the Secret first: the chart's pre-install pod reads the
# key from the Secret (data.api-key, agent.serverApiKeySecretName). The key
# travels through a pipe from a shell builtin, never in a command line.
"$KUBECTL" create namespace "$NAMESPACE" --dry-run=client --output yaml |
  "$KUBECTL" apply --filename -
printf '%s' "$OCTOPUS_API_KEY" |
  "$KUBECTL" create secret generic "$SECRET" --namespace "$NAMESPACE" --from-file=api-key=/dev/stdin --dry-run=client --output yaml |
  "$KUBECTL" apply --filename -

"$HELM" upgrade --install --atomic --create-namespace \
  --namespace "$NAMESPACE" --version "$VERSION" \
  --values "$HERE/values.yaml" --set agent.acceptEula=Y \
  --set "agent.serverApiKeySecretName=$SECRET" \
  "$RELEASE" "$CHART"
`

// yamlWriter builds block YAML; every scalar goes through YAMLString and
// every comment through YAMLComment, so no value can change the structure.
type yamlWriter struct{ strings.Builder }

func (y *yamlWriter) comment(s string) { y.WriteString("# " + YAMLComment(s) + "\n") }

func (y *yamlWriter) line(depth int, s string) {
	y.WriteString(strings.Repeat("  ", depth) + s + "\n")
}

func (y *yamlWriter) kv(depth int, key, value string) { y.line(depth, key+": "+YAMLString(value)) }

func (y *yamlWriter) list(depth int, key string, items []string) {
	if len(items) == 0 {
		y.line(depth, key+": []")
		return
	}
	y.line(depth, key+":")
	for _, s := range items {
		y.line(depth+1, "- "+YAMLString(s))
	}
}

// sanitizeName keeps letters, digits and '-' for names used in file names
// and commands.
func sanitizeName(s string) string {
	out := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		}
		return '-'
	}, s)
	out = strings.Trim(out, "-")
	if out == "" {
		return "tentacle"
	}
	return out
}
