package bundle

import (
	"io"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteAgentValues writes Helm values for the Octopus Kubernetes agent
// (chart kubernetes-agent) with agent.serverCommsAddresses listing every
// polled address, the chart's HA setting.
func WriteAgentValues(w io.Writer, p plan.Plan) error {
	t := p.Tentacle
	y := &yamlWriter{}
	y.comment(provenance(p))
	y.comment("Helm values for the Octopus Kubernetes agent, polling every node of the cluster.")
	y.comment("The API key is not in this file: pass it at install time, for example")
	y.comment("  helm upgrade --install --atomic --create-namespace --namespace octopus-agent \\")
	y.comment("    --values values.yaml --set-string agent.serverApiKey=\"$OCTOPUS_API_KEY\" \\")
	y.comment("    " + strings.ToLower(sanitizeName(t.Name)) + " <the kubernetes-agent chart reference from your Octopus portal>")
	y.comment("or store it in a Secret and set agent.serverApiKeySecretName.")
	y.comment("At start the agent keeps only the first address below (clear-trusted-servers --keep)")
	y.comment("and adds the others with poll-server, so the first must be one an installed agent")
	y.comment("already polls. After nodes change: one helm upgrade if the first address is unchanged,")
	y.comment("otherwise two (README.md, \"Kubernetes agent: when the nodes change\").")
	y.line(0, "agent:")
	y.kv(1, "acceptEula", "Y")
	if t.Name != "" { // a fleet's values leave the name to the release
		y.kv(1, "name", t.Name)
	}
	y.kv(1, "serverUrl", p.Server.URL)
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
	if t.Kind == plan.Worker {
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
	}
	_, err := io.WriteString(w, y.String())
	return err
}

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
