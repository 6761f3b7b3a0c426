package plan

import (
	"fmt"
	"strings"
)

// FileStem is a node name made safe as a file name (the bundle writes
// octopus-server/<stem>.ps1): every character but ASCII letters, digits,
// "-", "_" and "." becomes "-", leading and trailing dots are dropped, and
// an empty result is "node". Different names can have one stem ("Node 1",
// "Node/1", "Node-1"), and file systems that ignore case make "node-1" the
// same file too; Validate refuses such plans.
func FileStem(name string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '-'
	}, name)
	clean = strings.Trim(clean, ".")
	if clean == "" {
		clean = "node"
	}
	return clean
}

// names checks the names that become parts of paths: the instance names
// (the Tentacle's config path, the server's service) and the node names
// (the node scripts' file names).
func (v *validator) names() {
	v.instance("tentacle.instance", v.p.Tentacle.Instance)
	v.instance("server.instance", v.p.Server.Instance)
	v.nodeFiles()
}

// instance refuses what would let an instance name leave its folder in
// Tentacle's config path (/etc/octopus/<instance>/tentacle-<instance>.config,
// C:\Octopus\<instance>\...) or need quoting anywhere.
func (v *validator) instance(field, s string) {
	if s == "" {
		return
	}
	if strings.Contains(s, "..") || s == "." {
		v.errorf(field, "An instance name cannot be or contain \"..\" or be \".\": it is part of the config file's path. Use letters, digits, spaces, dots, hyphens and underscores, such as %s.", DefaultTentacleInstance)
		return
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == ' ', r == '.', r == '_', r == '-':
			continue
		case r == '/' || r == '\\':
			v.errorf(field, "An instance name cannot contain %q: it is part of the config file's path, where it would name another folder.", string(r))
		default:
			v.errorf(field, "An instance name may hold only letters A-Z, digits, spaces, dots, hyphens and underscores; remove %q.", string(r))
		}
		return
	}
}

// nodeFiles refuses node names that differ but would write the same
// octopus-server/<name>.ps1 (one script would overwrite the other).
// Names equal but for case are reported by nodes already.
func (v *validator) nodeFiles() {
	nodes := v.p.Nodes
	if len(nodes) > MaxNodes {
		return
	}
	seen := make(map[string]int, len(nodes))
	for i, n := range nodes {
		key := strings.ToLower(FileStem(n.Name))
		j, dup := seen[key]
		if !dup {
			seen[key] = i
			continue
		}
		if strings.EqualFold(n.Name, nodes[j].Name) {
			continue
		}
		v.errorf(fmt.Sprintf("nodes[%d].name", i), "The names %q and %q (node %d) both become the file octopus-server/%s.ps1, so one node's script would replace the other's; give this node a name that differs in letters or digits.", n.Name, nodes[j].Name, j+1, FileStem(nodes[j].Name))
	}
}
