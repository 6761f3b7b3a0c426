package bundle

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// errRegNoPolls is returned for a plan that gives the Tentacle nothing to poll.
var errRegNoPolls = errors.New("bundle: plan has no address to poll")

// regOption is one Tentacle option and its value, passed as two arguments.
type regOption struct{ name, value string }

// regCommand is the Tentacle command that registers the plan's kind (its
// row in plan.TargetKinds).
func regCommand(t plan.Tentacle) string { return t.KindRow().RegisterCommand }

// regMachineOptions describe the machine in Octopus: its name and space,
// then the environments, roles and tenants of a target or the pools of a
// worker, and the machine policy. Each group goes on one line of a script.
func regMachineOptions(p plan.Plan) [][]regOption {
	t := p.Tentacle
	first := []regOption{{"--name", t.Name}}
	if p.Server.Space != "" {
		first = append(first, regOption{"--space", p.Server.Space})
	}
	groups := [][]regOption{first}
	add := func(name string, values ...string) {
		var g []regOption
		for _, v := range values {
			if v != "" {
				g = append(g, regOption{name, v})
			}
		}
		if len(g) > 0 {
			groups = append(groups, g)
		}
	}
	kind := t.KindRow()
	for _, l := range plan.TentacleLists {
		if slices.Contains(kind.Lists, l.Field) {
			add(l.Option, l.Values(t)...)
		}
	}
	if slices.Contains(kind.Lists, "tentacle.tenants") { // participation goes with tenants
		add("--tenanted-deployment-participation", t.TenantedDeploymentParticipation)
	}
	add("--policy", t.Policy)
	return groups
}

// regKindNoun is how the scripts call the machine in Octopus (its row in
// plan.TargetKinds).
func regKindNoun(t plan.Tentacle) string { return t.KindRow().Noun }

// regPollLines lists the addresses and the nodes behind each, aligned, for
// the scripts' header comments: the first line starts with first, the
// others with rest.
func regPollLines(p plan.Plan, first, rest string) string {
	polls := p.Polls()
	width := 0
	for _, poll := range polls {
		width = max(width, len(poll.Address()))
	}
	var b strings.Builder
	for i, poll := range polls {
		names := make([]string, len(poll.Nodes))
		for j, n := range poll.Nodes {
			names[j] = p.Nodes[n].Name
		}
		prefix := rest
		if i == 0 {
			prefix = first
		}
		fmt.Fprintf(&b, "%s%-*s  %s\n", prefix, width, poll.Address(), strings.Join(names, ", "))
	}
	return b.String()
}

// regSpace names the space for the header comments.
func regSpace(p plan.Plan) string {
	if p.Server.Space == "" {
		return "the default space"
	}
	return "space " + p.Server.Space
}

// regJSONString is s as a JSON string body, the way list-instances writes it.
func regJSONString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// regStateComment explains, in both scripts, how a re-run decides what is
// left to do, and why it never makes a second subscription id.
func regStateComment(t plan.Tentacle) string {
	return fmt.Sprintf(`# 3. What is done already. show-configuration, given the server and the key,
# lists the trusted servers and asks Octopus for the machine with this
# Tentacle's certificate (it needs a key that may view the space's targets,
# workers, environments, tenants and machine policies). Registered means
# an entry with the plan's server thumbprint, polling (CommunicationStyle 2)
# and the plan's subscription id. %[1]s then runs only when:
#   - not registered: with --force only if Octopus already knows this
#     certificate (the entries were removed here), which updates that same
#     %[2]s; a %[2]s of the same name but another certificate
#     makes it fail, and TENTACLE_FORCE_REGISTER=1 takes it over;
#   - registered but unknown to Octopus (the XML was pasted by hand, or the
#     machine was deleted): with --force;
#   - TENTACLE_FORCE_REGISTER=1: with --force, so changed roles or
#     environments reach Octopus.
# An entry under another subscription id stops the script: the plan must
# use that id. A trust without an address stops it too: the Tentacle
# listens for that server, and polling mode would cut it off.
`, regCommand(t), regKindNoun(t))
}

// regLiteralNote tells shellcheck, when a plan value holds $ or a
// backquote, that single quotes keep them literal on purpose.
func regLiteralNote(p plan.Plan) string {
	t := p.Tentacle
	values := []string{p.Server.URL, p.Server.Space, t.Instance, t.Name, t.Policy, t.TenantedDeploymentParticipation}
	for _, list := range [][]string{t.Environments, t.Roles, t.Tenants, t.TenantTags, t.WorkerPools} {
		values = append(values, list...)
	}
	for _, v := range values {
		if strings.ContainsAny(v, "$`") {
			return "\n# Plan values are single-quoted on purpose: their $ and ` stay literal.\n# shellcheck disable=SC2016\n"
		}
	}
	return ""
}

// regMultiNodeNote tells a Tentacle that polled every node how to move to
// the single multi-node address.
func regMultiNodeNote(p plan.Plan) string {
	if p.Topology != plan.MultiNode {
		return ""
	}
	return `#
# Moving from polling every node to the load balancer: run once with
# TENTACLE_PRUNE=1. It adds the balancer first and only then stops polling
# the nodes' own addresses, so the Tentacle always trusts the cluster (never
# configure --reset-trust, which would delete the subscription id).
`
}

// regCount is n and the noun, singular or plural.
func regCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// regSummary starts a script's header: provenance and what it connects.
func regSummary(b *strings.Builder, p plan.Plan) {
	t := p.Tentacle
	fmt.Fprintf(b, `# %s
#
# Connects the Polling Tentacle on this machine to an Octopus Server HA cluster:
#   server    %s, %s
#   Tentacle  instance %s, %s %s
%s#
`, provenance(p), p.Server.URL, regSpace(p), t.Instance, regKindNoun(t), t.Name,
		regPollLines(p, "#   polls     ", "#             "))
}

// regEnvironment writes the header's list of environment variables and the
// notes on versions and re-runs; exe, config and appDir are the OS's
// defaults.
func regEnvironment(b *strings.Builder, p plan.Plan, exe, config, appDir string) {
	t := p.Tentacle
	fmt.Fprintf(b, `# Environment:
#   OCTOPUS_API_KEY   API key of an Octopus user who may add %ss;
#                     passed on Tentacle's command line only, never printed,
#                     logged or written to a file
#   TENTACLE          %s
#   TENTACLE_CONFIG   config file of the instance, if this script creates it
#                     [%s]
#   TENTACLE_APP_DIR  where packages are extracted [%s]
#   TENTACLE_PRUNE=1  once every address above is trusted, stop trusting this
#                     cluster's other addresses; other servers' entries stay
#                     (clear-trusted-servers, Tentacle 8.1.1713 or later)
#   TENTACLE_FORCE_REGISTER=1
#                     register again with --force even if registered
#                     already: an existing %s named %s
#                     is then updated (its roles and environments too)
`, regKindNoun(t), exe, config, appDir, regKindNoun(t), t.Name)
	if t.PollingConnectionCount > 0 {
		fmt.Fprintf(b, "#\n# The polling connection count (%d) needs Tentacle 9.2.4154 or later.\n", t.PollingConnectionCount)
	}
	b.WriteString(regMultiNodeNote(p))
	b.WriteString(`#
# Running it again is safe, and is how to finish after a failed step; see
# step 3 for how a re-run decides what is left to do.
`)
}
