//go:build !js

package bundle_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"gopkg.in/yaml.v3"
)

const agentCase = "unique-port-kubernetes-agent"

// chartValueKeys are the value paths of the kubernetes-agent chart that
// values.yaml may set, copied by hand from OctopusDeploy/helm-charts
// charts/kubernetes-agent/values.yaml (chart 3.13.2, commit 8d95e6a): a
// key outside this list would be one the chart ignores.
var chartValueKeys = []string{
	"agent.name", "agent.acceptEula", "agent.serverUrl", "agent.serverCommsAddress", "agent.serverCommsAddresses",
	"agent.serverSubscriptionId", "agent.space", "agent.machinePolicyName", "agent.pollingConnectionCount",
	"agent.deploymentTarget.enabled", "agent.deploymentTarget.initial.environments", "agent.deploymentTarget.initial.tags",
	"agent.deploymentTarget.initial.tenantedDeploymentParticipation", "agent.deploymentTarget.initial.tenants",
	"agent.deploymentTarget.initial.tenantTags", "agent.deploymentTarget.initial.defaultNamespace",
	"agent.worker.enabled", "agent.worker.initial.workerPools",
}

// leafPaths lists the dotted paths of the mapping's leaves (a list is a leaf).
func leafPaths(prefix string, v any, out *[]string) {
	m, ok := v.(map[string]any)
	if !ok {
		*out = append(*out, prefix)
		return
	}
	for k, child := range m {
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		leafPaths(p, child, out)
	}
}

// TestAgentValues reads kubernetes-agent/values.yaml with yamllint and a
// YAML parser and checks it against literals written from the case's
// JSON: every node's address in the plural serverCommsAddresses, the
// singular key empty, the deployment target's lists, no EULA accepted and
// no secret, and only keys the chart has.
func TestAgentValues(t *testing.T) {
	content, doc := agentValues(t, agentCase)
	want := map[string]any{"agent": map[string]any{
		"name":                   "AKS Prod_01",
		"serverUrl":              "https://octopus.example.com",
		"serverCommsAddress":     "",
		"serverCommsAddresses":   []any{"https://polling.example.com:10943", "https://polling.example.com:10944", "https://polling.example.com:10945"},
		"space":                  "Platform",
		"pollingConnectionCount": 3,
		"deploymentTarget": map[string]any{
			"enabled": true,
			"initial": map[string]any{
				"environments":                    []any{"Production"},
				"tags":                            []any{"k8s", "api"},
				"tenants":                         []any{"Acme Corp"},
				"tenantTags":                      []any{},
				"tenantedDeploymentParticipation": "TenantedOrUntenanted",
			},
		},
		"worker": map[string]any{"enabled": false},
	}}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("values.yaml (-want +got):\n%s", diff)
	}
	checkChartKeys(t, content, doc)
}

// TestKubernetesWorkerValues: the same chart as a worker, its pools in
// agent.worker.initial.workerPools and the deployment target off.
func TestKubernetesWorkerValues(t *testing.T) {
	content, doc := agentValues(t, "unique-address-kubernetes-worker")
	want := map[string]any{"agent": map[string]any{
		"name":                 "k8s-workers",
		"serverUrl":            "https://octopus.example.com",
		"serverCommsAddress":   "",
		"serverCommsAddresses": []any{"https://octo1.example.com:10943", "https://octo2.example.com:10943"},
		"deploymentTarget":     map[string]any{"enabled": false},
		"worker": map[string]any{
			"enabled": true,
			"initial": map[string]any{"workerPools": []any{"Kubernetes Pool", "Default Worker Pool"}},
		},
	}}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("values.yaml (-want +got):\n%s", diff)
	}
	checkChartKeys(t, content, doc)
}

// agentValues is a case's kubernetes-agent/values.yaml, passed through
// yamllint, and its parse.
func agentValues(t *testing.T, name string) (string, map[string]any) {
	t.Helper()
	content := contents(mustFiles(t, name))["kubernetes-agent/values.yaml"]
	file := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(testtool.Require(t, "yamllint"), "-s", "-d", "{extends: relaxed, rules: {line-length: disable}}", file).CombinedOutput(); err != nil {
		t.Fatalf("yamllint: %v\n%s", err, out)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(content), &doc); err != nil {
		t.Fatal(err)
	}
	return content, doc
}

// checkChartKeys wants only keys the chart has, and neither the EULA nor
// a secret.
func checkChartKeys(t *testing.T, content string, doc map[string]any) {
	t.Helper()
	var paths []string
	leafPaths("", doc, &paths)
	sort.Strings(paths)
	for _, p := range paths {
		if !slices.Contains(chartValueKeys, p) {
			t.Errorf("values.yaml sets %s, which the kubernetes-agent chart does not have", p)
		}
	}
	for _, banned := range []string{"acceptEula:", "serverApiKey", "bearerToken", "password"} {
		if strings.Contains(content, "\n  "+banned) || strings.Contains(content, "\n    "+banned) {
			t.Errorf("values.yaml sets %s; the user sets the EULA and the secret", banned)
		}
	}
}

// agentFakeHelm records helm's arguments, one per line, then a separator.
const agentFakeHelm = `#!/usr/bin/env bash
printf '%s\n' "$@" >>"$CALLS/helm"
printf -- '--\n' >>"$CALLS/helm"
`

// agentFakeKubectl runs the real kubectl for client-side "create" (which
// writes a manifest and talks to no cluster) and records what "apply"
// would send to the cluster.
const agentFakeKubectl = `#!/usr/bin/env bash
printf '%s\n' "$*" >>"$CALLS/kubectl"
case $1 in
  create) KUBECONFIG=/nonexistent exec "$REAL_KUBECTL" "$@" ;;
  apply) { cat; printf -- '---\n'; } >>"$CALLS/applied" ;;
  *) exit 3 ;;
esac
`

// TestAgentInstallSh checks kubernetes-agent/install.sh with bash -n and
// shellcheck, then runs it against a fake helm and a kubectl whose
// "create" is the real kubectl: without AGENT_ACCEPT_EULA=Y it stops
// before any command; with it the cluster receives the namespace and a
// Secret whose data.api-key is the key (the chart's serverApiKeySecretName
// contract), the key is in no command line, and helm runs exactly the
// documented install.
func TestAgentInstallSh(t *testing.T) {
	bash := testtool.Require(t, "bash")
	kubectl := testtool.Require(t, "kubectl")
	files := contents(mustFiles(t, agentCase))
	dir := t.TempDir()
	for name, content := range map[string]string{
		"install.sh":  files["kubernetes-agent/install.sh"],
		"values.yaml": files["kubernetes-agent/values.yaml"],
		"bin/helm":    agentFakeHelm,
		"bin/kubectl": agentFakeKubectl,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "install.sh")
	if out, err := exec.Command(bash, "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	if out, err := exec.Command(testtool.Require(t, "shellcheck"), "--shell=bash", script).CombinedOutput(); err != nil {
		t.Fatalf("shellcheck: %v\n%s", err, out)
	}
	const key = "API-TESTKEY0123456789"
	const chart = "oci://charts.invalid/octopusdeploy/kubernetes-agent"
	run := func(eula, chart string) (string, error) {
		calls := t.TempDir()
		cmd := exec.Command(bash, script)
		cmd.Env = []string{"PATH=" + filepath.Join(dir, "bin") + ":/usr/bin:/bin", "CALLS=" + calls, "REAL_KUBECTL=" + kubectl,
			"OCTOPUS_API_KEY=" + key, "AGENT_ACCEPT_EULA=" + eula, "HOME=" + calls}
		if chart != "" {
			cmd.Env = append(cmd.Env, "AGENT_CHART="+chart)
		}
		out, err := cmd.CombinedOutput()
		if strings.Contains(string(out), key) {
			t.Errorf("install.sh printed the API key:\n%s", out)
		}
		return calls, err
	}

	t.Run("no EULA, no install", func(t *testing.T) {
		for _, eula := range []string{"", "N", "y", "yes"} {
			calls, err := run(eula, chart)
			if err == nil {
				t.Errorf("AGENT_ACCEPT_EULA=%q: install.sh succeeded, want it to stop", eula)
			}
			if entries, _ := os.ReadDir(calls); len(entries) > 0 {
				t.Errorf("AGENT_ACCEPT_EULA=%q: install.sh ran commands before stopping", eula)
			}
		}
	})

	t.Run("no chart reference, no install", func(t *testing.T) {
		calls, err := run("Y", "")
		if err == nil {
			t.Error("install.sh without AGENT_CHART succeeded, want it to stop")
		}
		if entries, _ := os.ReadDir(calls); len(entries) > 0 {
			t.Error("install.sh without AGENT_CHART ran commands before stopping")
		}
	})

	t.Run("install", func(t *testing.T) {
		calls, err := run("Y", chart)
		if err != nil {
			t.Fatalf("install.sh: %v", err)
		}
		read := func(name string) string {
			b, err := os.ReadFile(filepath.Join(calls, name))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		// The two commands of a pipeline start together, so their calls
		// are compared in sorted order; what each pipeline applied is in
		// order below.
		wantKubectl := []string{
			"apply --filename -",
			"apply --filename -",
			"create namespace octopus-agent-aks-prod-01 --dry-run=client --output yaml",
			"create secret generic aks-prod-01-api-key --namespace octopus-agent-aks-prod-01 --from-file=api-key=/dev/stdin --dry-run=client --output yaml",
		}
		gotKubectl := strings.Split(strings.TrimSuffix(read("kubectl"), "\n"), "\n")
		sort.Strings(gotKubectl)
		if diff := cmp.Diff(wantKubectl, gotKubectl); diff != "" {
			t.Errorf("kubectl calls (-want +got):\n%s", diff)
		}
		wantHelm := strings.Join([]string{"upgrade", "--install", "--atomic", "--create-namespace",
			"--namespace", "octopus-agent-aks-prod-01", "--version", "3.*.*",
			"--values", filepath.Join(dir, "values.yaml"), "--set", "agent.acceptEula=Y",
			"--set", "agent.serverApiKeySecretName=aks-prod-01-api-key",
			"aks-prod-01", chart, "--"}, "\n") + "\n"
		if diff := cmp.Diff(wantHelm, read("helm")); diff != "" {
			t.Errorf("helm call (-want +got):\n%s", diff)
		}
		if strings.Contains(read("kubectl")+read("helm"), key) {
			t.Errorf("the API key is in a command line")
		}
		var docs []map[string]any
		dec := yaml.NewDecoder(strings.NewReader(read("applied")))
		for {
			var d map[string]any
			if err := dec.Decode(&d); err != nil {
				break
			}
			if d != nil {
				docs = append(docs, d)
			}
		}
		want := []map[string]any{
			{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"creationTimestamp": nil, "name": "octopus-agent-aks-prod-01"}, "spec": map[string]any{}, "status": map[string]any{}},
			// base64 of API-TESTKEY0123456789, under data.api-key as the
			// chart's serverApiKeySecretName asks.
			{"apiVersion": "v1", "kind": "Secret", "data": map[string]any{"api-key": "QVBJLVRFU1RLRVkwMTIzNDU2Nzg5"}, "metadata": map[string]any{"creationTimestamp": nil, "name": "aks-prod-01-api-key", "namespace": "octopus-agent-aks-prod-01"}},
		}
		if diff := cmp.Diff(want, docs); diff != "" {
			t.Errorf("manifests applied (-want +got):\n%s", diff)
		}
	})
}
