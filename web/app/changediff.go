package app

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
)

// diffContext is how many unchanged lines a change's diff shows around
// each changed one.
const diffContext = 2

// describeChange fills in what a change does and its steps in order, as
// the pack's change/README.md gives them with their commands.
func describeChange(v *templates.ChangeView, ch bundle.Change) {
	v.Added, v.Kept, v.Removed = ch.Added, ch.Kept, ch.Removed
	for _, i := range ch.AddedNodes {
		v.AddedNodes = append(v.AddedNodes, ch.To.Nodes[i].Name)
	}
	for _, i := range ch.ChangedNodes {
		v.ChangedNodes = append(v.ChangedNodes, ch.To.Nodes[i].Name)
	}
	for _, i := range ch.RetiredNodes {
		v.RetiredNodes = append(v.RetiredNodes, ch.From.Nodes[i].Name)
	}
	v.TopologyChange = ""
	if ch.TopologyChanged() {
		v.TopologyChange = string(ch.From.Topology) + " → " + string(ch.To.Topology)
	}
	var prepare []string
	for i, n := range ch.To.Nodes {
		if ch.PreparesNode(i) {
			prepare = append(prepare, "octopus-server/"+bundle.NodeScriptName(n.Name))
		}
	}
	if len(prepare) > 0 {
		v.Steps = append(v.Steps, "Prepare the nodes first, so every new address answers before a Tentacle polls it: "+strings.Join(prepare, ", ")+".")
	}
	if ch.BalancerChanged {
		v.Steps = append(v.Steps, "Apply the new load balancer files (loadbalancer/) before any Tentacle is updated.")
	}
	if len(ch.Added)+len(ch.Removed) > 0 {
		v.Steps = append(v.Steps, "Update every polling Tentacle with change/update-tentacle.sh (Linux) or .ps1 (Windows): through Octopus (Roll out, below, or tentacle-ha rollout -change DIR), or over SSH and WinRM with change/ansible/. Safe to run again; it needs Tentacle 8.1.1713 or later and no API key.")
		v.Steps = append(v.Steps, "Update each Kubernetes agent with change/kubernetes-agent.sh, naming its helm release.")
	} else {
		v.Steps = append(v.Steps, "The Tentacles poll the same addresses as before: nothing to run on them.")
	}
	if len(v.RetiredNodes) > 0 {
		v.Steps = append(v.Steps, "Retire "+strings.Join(v.RetiredNodes, ", ")+" last, once every Tentacle is updated.")
	}
}

// changeFiles compares each file of the pack with the current plan's
// bundle: new, changed (with its diff) or the same. SHA256SUMS, which
// differs whenever anything does, is left out.
func changeFiles(before map[string][]byte, pack []bundle.File) []templates.ChangeFile {
	var out []templates.ChangeFile
	for i, f := range pack {
		if f.Path == "SHA256SUMS" {
			continue
		}
		cf := templates.ChangeFile{Path: f.Path, ID: "change-file-" + strconv.Itoa(i)}
		now := splitText(f.Content)
		old, had := before[f.Path]
		switch {
		case !had:
			cf.Status, cf.Added = "new", len(now)
			for _, line := range now {
				cf.Lines = append(cf.Lines, templates.DiffLine{Kind: "add", Text: line})
			}
		case bytes.Equal(old, f.Content):
			cf.Status = "same"
		default:
			cf.Status = "changed"
			all := diffLines(splitText(old), now)
			for _, l := range all {
				switch l.Kind {
				case "add":
					cf.Added++
				case "del":
					cf.Removed++
				}
			}
			cf.Lines = withContext(all, diffContext)
		}
		out = append(out, cf)
	}
	return out
}

func splitText(b []byte) []string {
	s := strings.TrimSuffix(string(b), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// diffLines is a line diff of before and now: the lines a shortest edit
// script (changedLines, both ways) removes, inserts and keeps, in order.
func diffLines(before, now []string) []templates.DiffLine {
	ins, del := changedLines(before, now), changedLines(now, before)
	var out []templates.DiffLine
	add := func(kind, text string) { out = append(out, templates.DiffLine{Kind: kind, Text: text}) }
	i, j := 0, 0
	for i < len(before) || j < len(now) {
		switch {
		case i < len(before) && del[i]:
			add("del", before[i])
			i++
		case j < len(now) && ins[j]:
			add("add", now[j])
			j++
		case i < len(before) && j < len(now):
			// Both scripts keep a line here; when they kept different
			// ones (two equally short scripts), show a replacement.
			if before[i] == now[j] {
				add("same", now[j])
			} else {
				add("del", before[i])
				add("add", now[j])
			}
			i, j = i+1, j+1
		case i < len(before):
			add("del", before[i])
			i++
		default:
			add("add", now[j])
			j++
		}
	}
	return out
}

// withContext keeps the changed lines and n unchanged lines around each;
// each run of unchanged lines left out becomes one "gap" line.
func withContext(lines []templates.DiffLine, n int) []templates.DiffLine {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l.Kind == "same" {
			continue
		}
		for k := max(0, i-n); k <= min(len(lines)-1, i+n); k++ {
			keep[k] = true
		}
	}
	var out []templates.DiffLine
	for i := 0; i < len(lines); {
		if keep[i] {
			out = append(out, lines[i])
			i++
			continue
		}
		j := i
		for j < len(lines) && !keep[j] {
			j++
		}
		out = append(out, templates.DiffLine{Kind: "gap", Text: count(j-i, "unchanged line", "unchanged lines")})
		i = j
	}
	return out
}
