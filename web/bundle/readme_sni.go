package bundle

import (
	"strings"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// sniInstructions is unique-hostname's part of the README's balancer
// step: the DNS names, what the balancer reads, and why the nodes'
// certificates need no change.
func sniInstructions(r *mdWriter, p plan.Plan) {
	names := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		names[i] = "`" + n.Address + "`"
	}
	r.p("Each host name goes to exactly one node: the balancer reads the name the Tentacle asks for from the TLS handshake (SNI) without decrypting anything, and a name it does not know gets its connection closed.")
	r.p("")
	r.p("- **DNS**: point %s at the balancer `%s` (A/AAAA records, or CNAMEs to it), as the Tentacle host resolves them.", strings.Join(names, ", "), p.LoadBalancer.Address)
	r.p("- **Certificates**: nothing to issue. Tentacle trusts each node by the thumbprint `%s` alone and never compares a certificate's name with the host name it polls.", p.Server.Thumbprint)
	r.p("- **Port %d on the balancer** is the polling port; if the same balancer already serves HTTPS on it, see the comments at the top of each file.", p.LoadBalancer.Port)
}
