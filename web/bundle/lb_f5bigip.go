package bundle

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// WriteF5BIGIP writes loadbalancer/f5-bigip.tmsh: tmsh commands for an F5
// BIG-IP LTM, a node per Octopus Server node, then for each polling port a
// pool (with the built-in TCP monitor) and a TCP virtual server sending
// that port to it: one pool per node for unique-port, one pool of every
// node for multi-node.
//
// The virtual servers carry the tcp profile only, never a client-ssl or
// server-ssl profile: Octopus documents that polling Tentacles need the
// balancer to pass TCP through (octopus.com/docs/administration/
// high-availability/polling-tentacles-with-ha; its load-balancer pages
// choose network, not HTTP(S), balancers for polling Tentacles, and its
// WebSockets page says "SSL offloading is not supported"), because Halibut
// runs TLS end to end and each side checks the other's certificate
// thumbprint. source-address-translation automap (SNAT to the BIG-IP's
// self IP) lets the replies return through the BIG-IP whatever the nodes'
// default gateway is.
//
// Syntax, from F5's tmsh reference (clouddocs.f5.com/cli/tmsh-reference,
// modules ltm pool, ltm node, ltm virtual, ltm monitor): a pool member is
// node_name:port inside members add { }; an IPv6 address takes its port
// after a period, not a colon ("ipv6 address[.port]", as the reference
// writes destinations), so a virtual server on 2001:db8::10 port 10943 has
// destination 2001:db8::10.10943. Members are named after their node,
// with a colon, as F5's own Ansible module names members of named nodes
// (F5Networks/f5-ansible, bigip_pool_member.py, full_name: the period is
// only for members named by an IPv6 address). Every object is created in
// the partition /Common, written out in full.
//
// tmsh create fails when the object exists (F5's tmsh::stateless page:
// "an attempt to create an object that already exists in the
// configuration results in an error"). The commands run as one cli
// transaction, so a second run changes nothing and says which object
// exists; the undo lines at the end delete what the file created, for a
// clean re-run after the plan changes.
func WriteF5BIGIP(w io.Writer, p plan.Plan) error {
	var b strings.Builder
	lbHeader(&b, "#", p,
		"F5 BIG-IP LTM (tmsh) for Octopus polling Tentacles: TCP virtual servers without any SSL",
		"profile, so TLS stays end to end between Tentacle and the Octopus Server.",
		"Apply on the BIG-IP as an administrator, from bash (comment and blank lines left out):",
		"    grep -Ev '^(#|$)' f5-bigip.tmsh | tmsh",
		"The commands form one cli transaction: if one fails (an object already exists), none is",
		"applied. To apply a changed plan, first delete what the last run created with the undo",
		"lines at the end of the file that created it:",
		"    sed -n 's/^# undo: //p' f5-bigip.tmsh | tmsh",
		"A BIG-IP has one node per address: if a node already stands at one of these addresses",
		"(the Octopus web portal's pool, say), the transaction fails; use that node's name in",
		"the pool lines instead and leave out the create ltm node line.",
		"The tcp profile closes connections idle for 300 seconds; as with the AWS NLB's 350, an idle",
		"polling connection still carries the server's periodic empty requests.")
	if lbHasNames(p) {
		lbComment(&b, "#", "Nodes given by name (fqdn) need DNS servers on the BIG-IP (tmsh list sys dns).")
	}
	addr := p.LoadBalancer.Address
	if !plan.IsIP(addr) {
		lbComment(&b, "#", "A virtual server listens on an IP address, not a name: these listen on 0.0.0.0 with mask any")
		lbComment(&b, "#", "(any IPv4 address on the BIG-IP's VLANs). Put the address "+addr+" resolves to in place")
		lbComment(&b, "#", "of 0.0.0.0 and delete mask any; write an IPv6 address with a period before the port.")
	}

	ids := lbIDs(p, '_')
	nodes := make([]string, len(p.Nodes))
	for i := range p.Nodes {
		name, err := tmshName("nodes["+strconv.Itoa(i)+"].name", "octopus_"+ids[i])
		if err != nil {
			return err
		}
		nodes[i] = name
	}
	var undo []string
	b.WriteString("\ncreate cli transaction\n")
	for _, r := range p.Routes() {
		base := "octopus_cluster"
		field := "nodes"
		if len(r.Backends) == 1 {
			base, field = "octopus_"+ids[r.Backends[0].Node], "nodes["+strconv.Itoa(r.Backends[0].Node)+"].name"
		}
		pool, err := tmshName(field, base+"_pool")
		if err != nil {
			return err
		}
		virtual, err := tmshName(field, base+"_vs")
		if err != nil {
			return err
		}
		b.WriteString("\n")
		// "Port N, " first: a comment line never starts with a node name,
		// so no name can make a line that reads as one of the undo lines.
		lbComment(&b, "#", "Port "+strconv.Itoa(r.ListenPort)+", "+lbRouteNote(p, r))
		var members []string
		for _, be := range r.Backends {
			node := nodes[be.Node]
			target := "address " + be.Address
			if !plan.IsIP(be.Address) {
				target = "fqdn { name " + be.Address + " }"
			}
			fmt.Fprintf(&b, "create ltm node %s %s description %s\n", node, target, TmshString("Octopus Server node "+be.Name))
			members = append(members, node+":"+strconv.Itoa(be.Port))
			undo = append(undo, "delete ltm node "+node)
		}
		mode := ""
		if len(r.Backends) > 1 {
			mode = " load-balancing-mode least-connections-member"
		}
		fmt.Fprintf(&b, "create ltm pool %s%s monitor /Common/tcp members add { %s }\n", pool, mode, strings.Join(members, " "))
		fmt.Fprintf(&b, "create ltm virtual %s destination %s ip-protocol tcp profiles add { /Common/tcp } pool %s source-address-translation { type automap }\n",
			virtual, tmshDestination(addr, r.ListenPort), pool)
		undo = append(undo, "delete ltm virtual "+virtual, "delete ltm pool "+pool)
	}
	b.WriteString("\nsubmit cli transaction\nsave sys config\n\n")
	lbComment(&b, "#", "Undo: delete every object above, in one transaction (virtual servers, then pools, then nodes).")
	undo = append(append([]string{"create cli transaction"}, sortUndo(undo)...), "submit cli transaction", "save sys config")
	for _, u := range undo {
		b.WriteString("# undo: " + u + "\n")
	}
	return lbFlush(w, &b)
}

// sortUndo orders delete lines so that nothing is deleted while another
// object still uses it: virtual servers, then pools, then nodes.
func sortUndo(lines []string) []string {
	var out []string
	for _, kind := range []string{"delete ltm virtual ", "delete ltm pool ", "delete ltm node "} {
		for _, l := range lines {
			if strings.HasPrefix(l, kind) {
				out = append(out, l)
			}
		}
	}
	return out
}

// tmshDestination is a virtual server's address and port as tmsh writes
// them: a.b.c.d:port, an IPv6 address then a period and the port, and for
// a balancer known by name the IPv4 wildcard 0.0.0.0 with mask any (the
// file's header says to replace it).
func tmshDestination(addr string, port int) string {
	switch {
	case strings.Contains(addr, ":"):
		return addr + "." + strconv.Itoa(port)
	case plan.IsIP(addr):
		return addr + ":" + strconv.Itoa(port)
	}
	return "0.0.0.0:" + strconv.Itoa(port) + " mask any"
}

// tmshNamePattern is what the wizard writes as a tmsh object name (after
// the partition, /Common/): ASCII letters, digits and _ starting with a
// letter. BIG-IP accepts more (F5's DevCentral article "BIG-IP
// Configuration Object Naming Conventions" names objects like
// www.example.com_http_vs and net-0.0.0.0-0), but a name with . or : could
// read as an address or a port in node:port, and this subset needs no
// quoting anywhere in tmsh.
var tmshNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,126}$`)

// tmshName is /Common/name, or an error naming the plan field it came
// from when name is not a tmsh name (lbIDs makes them so; this keeps a
// future change from writing one that is not).
func tmshName(field, name string) (string, error) {
	if !tmshNamePattern.MatchString(name) {
		return "", fmt.Errorf("bundle: %s: %q is not a valid BIG-IP object name", field, name)
	}
	return "/Common/" + name, nil
}
