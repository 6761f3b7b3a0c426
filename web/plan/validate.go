package plan

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// maxText bounds every free-text value; Octopus names are far shorter.
const maxText = 200

// Validate normalizes the plan and reports every problem at once, errors
// and warnings, each with the field path a form can show it beside.
func (p Plan) Validate() Problems {
	v := validator{p: p.Normalized()}
	v.characters()
	v.version()
	v.topology()
	v.server()
	v.nodes()
	v.loadBalancer()
	if v.p.HasFleet() {
		v.fleet()
	} else {
		v.tentacle()
		v.windows() // windows.go
	}
	v.names()
	return v.out
}

type validator struct {
	p   Plan
	out Problems
	bad map[string]bool // fields (or lists) whose one problem is reported
}

func (v *validator) errorf(field, format string, args ...any) {
	if v.silenced(field) {
		return
	}
	v.out = append(v.out, Problem{Field: field, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

// errorFix is an error whose message suggests fix, a value of the field
// that passes validation ("" for none).
func (v *validator) errorFix(field, fix, msg string) {
	if v.silenced(field) {
		return
	}
	v.out = append(v.out, Problem{Field: field, Severity: Error, Message: msg, Fix: fix})
}

func (v *validator) warnf(field, format string, args ...any) {
	if v.silenced(field) {
		return
	}
	v.out = append(v.out, Problem{Field: field, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) version() {
	if v.p.Version != Version {
		v.errorf("version", "This plan has format version %d; this wizard reads version %d.", v.p.Version, Version)
	}
}

func (v *validator) topology() {
	_, known := v.p.Topology.Row()
	switch {
	case known:
	case v.p.Topology == "":
		v.errorf("topology", "Choose a topology: %s.", topologyChoices())
	default:
		v.errorf("topology", "Unknown topology %q; choose %s.", string(v.p.Topology), topologyChoices())
	}
}

func (v *validator) server() {
	s := v.p.Server
	v.serverURL(s.URL)
	switch {
	case s.Thumbprint == "":
		v.errorf("server.thumbprint", "Enter the Octopus Server certificate thumbprint (40 hexadecimal digits, shown under Configuration > Thumbprint).")
	case len(s.Thumbprint) != 40:
		v.errorf("server.thumbprint", "A thumbprint is 40 hexadecimal digits (0-9, A-F); this one has %d characters.", len([]rune(s.Thumbprint)))
	case !isHex(s.Thumbprint):
		v.errorf("server.thumbprint", "A thumbprint is 40 hexadecimal digits (0-9, A-F); %s is not a hexadecimal digit.", nonHex(s.Thumbprint))
	}
	v.text("server.space", s.Space)
	v.text("server.instance", s.Instance)
	if s.Version != "" {
		if _, ok := ParseServerVersion(s.Version); !ok {
			v.errorf("server.version", "Write the Octopus Server version as numbers separated by dots, such as %s.", MultiNodeMinVersion)
		}
	}
}

func (v *validator) serverURL(raw string) {
	const field = "server.url"
	if raw == "" {
		v.errorf(field, "Enter the Octopus Server web address, such as https://octopus.example.com.")
		return
	}
	if !v.webURL(field, raw) {
		return
	}
	if instance, ok := CloudInstance(raw); ok {
		// Octopus Cloud runs its own nodes: a Tentacle polls one address,
		// the instance URL prefixed with polling. on port 443 (Octopus docs,
		// "Polling Tentacles over port 443", DocPolling443).
		v.errorf(field, "This is an Octopus Cloud instance: Octopus runs its nodes, so there is no HA cluster of yours to plan. Register the Tentacle with Octopus's own steps and --server-comms-address https://polling.%s.octopus.app (port 443); see %s.", instance, DocPolling443)
		return
	}
	if strings.HasPrefix(strings.ToLower(raw), "http:") {
		v.warnf(field, "The server address uses http://; the API key travels in clear text during registration. Use https:// if the server offers it.")
	}
}

// CloudInstance reports whether the web address is an Octopus Cloud
// instance (a host under octopus.app) and returns the instance's name, the
// part before .octopus.app.
func CloudInstance(raw string) (instance string, ok bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	name, found := strings.CutSuffix(host, ".octopus.app")
	if !found || name == "" {
		return "", false
	}
	return strings.TrimPrefix(name, "polling."), true
}

// webURL checks an absolute http(s) web address without credentials,
// query or fragment (server.url, nodes[i].webUrl) and reports whether it
// is one.
func (v *validator) webURL(field, raw string) bool {
	msg, fix := webURLProblem(raw)
	if msg == "" {
		return true
	}
	if fix != "" {
		if m, _ := webURLProblem(fix); m == "" {
			// Suggest the corrected address only when it passes in turn.
			v.errorFix(field, fix, strings.TrimSuffix(strings.TrimSuffix(msg, "."), ", such as https://octopus.example.com")+": "+fix+".")
			return false
		}
	}
	v.errorf(field, "%s", msg)
	return false
}

// webURLProblem returns why raw is not an absolute http(s) web address
// without credentials, query or fragment, or "", and raw with that
// corrected (which the caller checks in turn before suggesting it).
func webURLProblem(raw string) (msg, fix string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		msg = "Enter an absolute web address that starts with https:// or http://, such as https://octopus.example.com."
		if raw != "" && !strings.Contains(raw, "://") {
			fix = "https://" + strings.TrimLeft(raw, "/")
		}
	case u.Scheme != "https" && u.Scheme != "http":
		msg = fmt.Sprintf("The web address must start with https:// or http://, not %s://.", u.Scheme)
		if _, rest, ok := strings.Cut(raw, "://"); ok {
			fix = "https://" + rest
		}
	case u.User != nil:
		msg = "Remove the user name and password from the address; credentials never belong in a plan."
		w := *u
		w.User = nil
		fix = w.String()
	case u.RawQuery != "" || u.Fragment != "":
		msg = "Remove the query string or fragment from the web address."
		w := *u
		w.RawQuery, w.ForceQuery, w.Fragment, w.RawFragment = "", false, "", ""
		fix = w.String()
	case addressProblem(strings.ToLower(u.Hostname())) != "":
		msg = "The host of the web address is not valid: " + addressProblem(strings.ToLower(u.Hostname()))
	case u.Port() != "" && !validPort(atoi(u.Port())):
		msg = "The port in the web address must be a number from 1 to 65535."
	}
	return msg, fix
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func (v *validator) nodes() {
	nodes := v.p.Nodes
	switch {
	case len(nodes) == 0:
		v.errorf("nodes", "Add the Octopus Server nodes: a polling Tentacle must poll every node of the cluster.")
		return
	case len(nodes) > MaxNodes:
		v.errorf("nodes", "A plan can have at most %d nodes; this one has %d.", MaxNodes, len(nodes))
		return
	case len(nodes) == 1:
		v.warnf("nodes", "Only one node: this is not a High Availability cluster. Add every node of the cluster so the Tentacle polls them all.")
	}
	names := map[string]int{}
	addrs := map[string]int{}
	ports := map[int]int{}
	targets := map[string]int{}
	behind := v.p.Topology.HasLoadBalancer()
	for i, n := range nodes {
		f := fmt.Sprintf("nodes[%d]", i)
		v.text(f+".name", n.Name)
		if j, dup := names[strings.ToLower(n.Name)]; dup {
			v.errorf(f+".name", "The name %s is already used by node %d; give every node its own name.", n.Name, j+1)
		} else {
			names[strings.ToLower(n.Name)] = i
		}
		addrOK := v.address(f+".address", n.Address)
		backendOK := v.backendAddress(i, addrOK)
		if n.WebURL != "" {
			v.webURL(f+".webUrl", n.WebURL)
		}
		v.port(f+".port", n.Port)
		if n.ListenPort != 0 {
			v.port(f+".listenPort", n.ListenPort)
			if !behind {
				v.warnf(f+".listenPort", "A separate listen port only applies behind a load balancer; in unique-address the Tentacle polls the node's port directly, so this is ignored.")
			}
		}
		// What must differ between nodes is what gives each topology its
		// name, with its own sentences: behaviour, not a fact of the table.
		switch v.p.Topology {
		case UniqueAddress:
			if j, dup := addrs[n.Address]; dup && addrOK {
				v.errorf(f+".address", "The address %s is already used by %s; in unique-address topology every node needs its own address.", n.Address, nodes[j].Name)
			} else if addrOK {
				addrs[n.Address] = i
			}
			if i > 0 && n.Port != nodes[0].Port && validPort(n.Port) {
				v.warnf(f+".port", "Port %d differs from %s's port %d; the documented setup uses the same port (%d) on every node.", n.Port, nodes[0].Name, nodes[0].Port, DefaultPort)
			}
		case UniqueHostname:
			// Names compare case-insensitively: Normalized lower-cased them.
			if j, dup := addrs[n.Address]; dup && addrOK {
				v.errorf(f+".address", "The host name %s is already used by %s; in unique-hostname topology every node needs its own name, as the balancer tells the nodes apart by it.", n.Address, nodes[j].Name)
			} else if addrOK {
				addrs[n.Address] = i
			}
		case UniquePort:
			if j, dup := ports[n.Port]; dup && validPort(n.Port) {
				v.errorf(f+".port", "Port %d is already used by %s; in unique-port topology every node needs its own port.", n.Port, nodes[j].Name)
			} else {
				ports[n.Port] = i
			}
		}
		v.listenMove(f, i)
		if behind && addrOK && backendOK && validPort(n.TargetPort()) {
			key := HostPort(v.p.NodeBackend(i).Address, n.TargetPort())
			if j, dup := targets[key]; dup {
				v.errorf(f+".address", "%s and %s both point at %s; the balancer must send each node's traffic to that node alone.", nodes[j].Name, n.Name, key)
			} else {
				targets[key] = i
			}
		}
	}
}

func (v *validator) loadBalancer() {
	lb := v.p.LoadBalancer
	if !v.p.Topology.HasLoadBalancer() {
		if lb.Address != "" || len(lb.Kinds) > 0 {
			v.warnf("loadBalancer", "unique-address topology needs no load balancer; these settings are ignored.")
		}
		return
	}
	if lb.Address == "" {
		v.errorf("loadBalancer.address", "Enter the load balancer's address: in %s topology every Tentacle polls it.", v.p.Topology)
	} else {
		v.address("loadBalancer.address", lb.Address)
	}
	switch {
	case v.p.Topology.RoutesByName() && !validPort(lb.Port):
		v.errorf("loadBalancer.port", "A port is a number from 1 to 65535; %d is not.", lb.Port)
	case v.p.Topology.RoutesByName():
		// 443 is what this topology is for: no warning about the web port.
	case v.p.Topology.BalancerPort():
		v.port("loadBalancer.port", lb.Port)
	}
	v.minVersion()
	if len(lb.Kinds) == 0 {
		v.warnf("loadBalancer.kinds", "Choose at least one load balancer kind to get its configuration in the bundle.")
	}
	for i, k := range lb.Kinds {
		f := fmt.Sprintf("loadBalancer.kinds[%d]", i)
		if !slices.Contains(LoadBalancerKinds, k) {
			v.errorf(f, "Unknown load balancer kind %q; choose from %s.", k, strings.Join(LoadBalancerKinds, ", "))
			continue
		}
		if v.p.Topology.RoutesByName() {
			v.sniKindLimits(f, k) // validate_hostname.go
			continue
		}
		v.kindLimits(f, k)
	}
}

// kindLimits reports what a balancer kind cannot express for this plan.
func (v *validator) kindLimits(field, kind string) {
	if lb := v.p.LoadBalancer.Address; kind == "f5-bigip" && lb != "" && !IsIP(lb) && addressProblem(lb) == "" {
		v.warnf(field, "An F5 BIG-IP virtual server listens on an IP address, and %s is a name: f5-bigip.tmsh has its virtual servers listen on 0.0.0.0 (any IPv4 address of the BIG-IP) until you put in the address %s resolves to, as the file's first lines say.", lb, lb)
	}
	for j, n := range v.p.Nodes {
		if n.Address == "" || IsIP(n.Address) || addressProblem(n.Address) != "" {
			continue
		}
		switch kind {
		case "nftables":
			v.warnf(field, "nftables forwards to IP addresses; %s (node %d) is resolved once when the rules load. Use the node's IP address for rules that stay right.", n.Address, j+1)
			return
		case "iptables":
			v.errorf(field, "iptables can only forward to IP addresses, and %s (node %d) is a name: enter the nodes' IP addresses or choose another balancer kind.", n.Address, j+1)
			return
		}
	}
	if kind == "nftables" || kind == "iptables" {
		for j, n := range v.p.Nodes {
			if IsIP(n.Address) && IsIP(v.p.Nodes[0].Address) && IsIPv6(n.Address) != IsIPv6(v.p.Nodes[0].Address) {
				v.errorf(field, "%s cannot forward between IPv4 and IPv6, but node 1 (%s) and node %d (%s) are of different families: give every node an address of one family, or choose nginx or HAProxy, which can.", kind, v.p.Nodes[0].Address, j+1, n.Address)
				return
			}
		}
	}
	if kind == "azure-lb" && v.p.Topology == MultiNode {
		for j, n := range v.p.Nodes {
			if n.TargetPort() != v.p.Nodes[0].TargetPort() {
				v.errorf(field, "An Azure load-balancing rule sends to one backend port, but node %d listens on %d and node 1 on %d: give every node the same port.", j+1, n.TargetPort(), v.p.Nodes[0].TargetPort())
				return
			}
		}
	}
}

// minVersion checks the server version against the topology's
// MinVersion. The sentences name multi-node polling and Redis: multi-node
// is the only topology with a minimum version (a second one would give
// its row the words to use here).
func (v *validator) minVersion() {
	row, _ := v.p.Topology.Row()
	if row.MinVersion == "" {
		return
	}
	if v.p.Server.Version == "" {
		v.warnf("server.version", "Multi-node polling needs Octopus Server %s or later with Redis; enter the server version to check it.", row.MinVersion)
		return
	}
	got, ok := ParseServerVersion(v.p.Server.Version)
	min, _ := ParseServerVersion(row.MinVersion)
	if ok && got.Less(min) {
		v.errorf("server.version", "Octopus Server %s does not support multi-node polling (it needs %s or later); choose %s, or upgrade the server.", v.p.Server.Version, row.MinVersion, sentenceList(topologiesFor(got)))
	}
}

// address checks a node or balancer address and reports whether it is valid.
func (v *validator) address(field, a string) bool {
	portField := "the port field"
	if v.p.Topology.RoutesByName() && strings.HasPrefix(field, "nodes[") && strings.HasSuffix(field, "].address") {
		// A node's host name shares the balancer's port; its own port
		// field is where the balancer forwards to.
		portField = "the balancer's port field (loadBalancer.port)"
	}
	if msg, fix := checkAddress(a, portField); msg != "" {
		v.errorFix(field, fix, msg)
		return false
	}
	return true
}

func validPort(n int) bool { return n >= 1 && n <= 65535 }

func (v *validator) port(field string, n int) {
	switch {
	case !validPort(n):
		v.errorf(field, "A port is a number from 1 to 65535; %d is not.", n)
	case n == 80 || n == 443:
		v.warnf(field, "Port %d is the web port Tentacle uses to register with the server; polling usually uses %d and up.", n, DefaultPort)
	}
}

func (v *validator) list(field string, items []string) {
	for i, s := range items {
		v.text(fmt.Sprintf("%s[%d]", field, i), s)
	}
}

// text checks a free-text value that reaches the Tentacle command line.
func (v *validator) text(field, s string) {
	switch {
	case len(s) > maxText:
		v.errorf(field, "This value is %d characters long; the limit is %d.", len(s), maxText)
	case strings.HasPrefix(s, "-"):
		v.errorf(field, "A value cannot start with \"-\": the Tentacle command line would read it as an option.")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		v.errorf(field, "Remove the line breaks, tabs or other control characters from this value.")
	}
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

func nonHex(s string) string {
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'A' || r > 'F') {
			return strconv.Quote(string(r))
		}
	}
	return ""
}
