// Package bundle turns a valid plan into every file an operator needs: the
// Tentacle.config setting and registration scripts (or, for a Kubernetes
// agent, its Helm values and install script), load-balancer rules, the
// node-side scripts and a README of the steps,
// and writes them as a zip or tar.gz archive.
//
// Generators are deterministic: the same plan gives the same bytes (no clock,
// no environment, no map order, no randomness beyond what the plan holds).
// The package imports the standard library only and builds for js/wasm.
package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// File is one generated file of the bundle.
type File struct {
	// Path is slash-separated and relative, such as "tentacle/register.sh".
	Path string
	// Mode is the permission bits archives record (0o755 for scripts).
	Mode    int64
	Content []byte
}

// ErrNoSubscriptionID is returned for a plan without a subscription id:
// callers pick one first (plan.WithSubscriptionID) so every file agrees.
var ErrNoSubscriptionID = errors.New("bundle: plan has no subscription id")

// Generator writes one file of the bundle from a normalized, valid plan.
type Generator func(w io.Writer, p plan.Plan) error

type entry struct {
	path  string
	mode  int64
	write Generator
}

// Files generates the bundle for p, in a fixed order with SHA256SUMS last.
// p is normalized first; a plan with validation errors gives a
// *plan.InvalidError and no files.
func Files(p plan.Plan) ([]File, error) {
	p = p.Normalized()
	if probs := p.Validate(); probs.HasErrors() {
		return nil, &plan.InvalidError{Problems: probs}
	}
	for i, m := range p.Fleet {
		if m.SubscriptionID == "" {
			return nil, errFleetNoID(i, m.Name)
		}
	}
	if !p.HasFleet() && p.Tentacle.SubscriptionID == "" {
		return nil, ErrNoSubscriptionID
	}
	var files []File
	var buf bytes.Buffer
	for _, e := range entries(p) {
		buf.Reset()
		if err := e.write(&buf, p); err != nil {
			return nil, fmt.Errorf("bundle: write %s: %w", e.path, err)
		}
		files = append(files, File{Path: e.path, Mode: e.mode, Content: bytes.Clone(buf.Bytes())})
	}
	files = append(files, File{Path: "SHA256SUMS", Mode: 0o644, Content: sums(files)})
	return files, nil
}

// entries lists what the plan's bundle holds, in bundle order.
func entries(p plan.Plan) []entry {
	if p.HasFleet() {
		return fleetEntries(p)
	}
	es := []entry{
		{"README.md", 0o644, WriteReadme},
		{"plan.json", 0o644, WritePlan},
	}
	if p.Tentacle.KindRow().Helm {
		// The chart registers the agent and keeps its trusted servers
		// (agentEntries): no Tentacle scripts and no config setting.
		return append(append(es, agentEntries()...), clusterEntries(p)...)
	}
	es = append(es, entry{"tentacle/trusted-servers.xml", 0o644, WriteTrustedServers})
	if p.Tentacle.OS == plan.Windows {
		es = append(es, entry{"tentacle/register.ps1", 0o644, WriteRegisterPS1})
	} else {
		es = append(es, entry{"tentacle/register.sh", 0o755, WriteRegisterSh})
	}
	return append(es, clusterEntries(p)...)
}

// RegisterScript is the bundle file that registers the plan's machine:
// register.ps1 on Windows, register.sh on Linux, and for a kind the Helm
// chart registers, its install script.
func RegisterScript(p plan.Plan) string {
	switch {
	case p.Tentacle.KindRow().Helm:
		return "kubernetes-agent/install.sh"
	case p.Tentacle.OS == plan.Windows:
		return "tentacle/register.ps1"
	}
	return "tentacle/register.sh"
}

// agentEntries are the files of a Kubernetes agent (kind
// kubernetes-agent): its Helm values and the script that installs it.
func agentEntries() []entry {
	return []entry{
		{"kubernetes-agent/values.yaml", 0o644, WriteAgentValues},
		{"kubernetes-agent/install.sh", 0o755, WriteAgentInstallSh},
	}
}

// clusterEntries are the files of the cluster's side, once per bundle:
// the balancer and the node scripts.
func clusterEntries(p plan.Plan) []entry {
	var es []entry
	if p.Topology.HasLoadBalancer() {
		for _, b := range Balancers {
			if hasKind(p, b.Kind) {
				es = append(es, entry{b.Path(), b.Mode, b.Write})
				if b.Standalone != nil {
					es = append(es, entry{b.StandalonePath(), b.Mode, b.Standalone})
				}
			}
		}
	}
	for i, n := range p.Nodes {
		es = append(es, entry{"octopus-server/" + NodeScriptName(n.Name), 0o644, nodeScript(i)})
	}
	return es
}

func hasKind(p plan.Plan, kind string) bool {
	for _, k := range p.LoadBalancer.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// NodeScriptName is the file name of a node's script: its name with
// anything but letters, digits, '-', '_' and '.' replaced by '-'.
func NodeScriptName(name string) string { return plan.FileStem(name) + ".ps1" }

// WritePlan writes the normalized plan as JSON.
func WritePlan(w io.Writer, p plan.Plan) error { return p.Encode(w) }

// sums is SHA256SUMS in the format sha256sum -c reads, sorted by path.
func sums(files []File) []byte {
	lines := make([]string, 0, len(files))
	for _, f := range files {
		h := sha256.Sum256(f.Content)
		lines = append(lines, hex.EncodeToString(h[:])+"  "+f.Path+"\n")
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i][66:] < lines[j][66:] })
	return []byte(strings.Join(lines, ""))
}
