//go:build linux && !js

package bundle_test

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"maps"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"golang.org/x/sys/unix"
)

// netnsPlans put the test network in a plan. It lives in namespaces the
// test creates and deletes: a client (the Tentacle) on 10.200.0.2, the
// balancer on 10.200.0.1 and 10.200.N.1, node N on 10.200.N.2. Nodes have
// no route back to the client, so replies only arrive if the balancer
// masquerades too. Node2 and Node3 listen on other ports than the
// balancer's, so the rules must translate ports as well as addresses.
var netnsPlans = map[string]string{
	"unique-port": `{"version": 1, "topology": "unique-port",
		"server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
		"nodes": [{"name": "Node1", "address": "10.200.1.2", "port": 10943},
			{"name": "Node2", "address": "10.200.2.2", "port": 10944, "listenPort": 10943},
			{"name": "Node3", "address": "10.200.3.2", "port": 10945, "listenPort": 20000}],
		"loadBalancer": {"address": "10.200.0.1", "kinds": ["nftables", "iptables"]},
		"tentacle": {"name": "netns", "kind": "worker", "workerPools": ["Test"], "subscriptionId": "poll://abcdefghjkmnpqrst234/"}}`,
	"multi-node": `{"version": 1, "topology": "multi-node",
		"server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6", "version": "2026.4.6909"},
		"nodes": [{"name": "Node1", "address": "10.200.1.2", "port": 10943},
			{"name": "Node2", "address": "10.200.2.2", "port": 10943},
			{"name": "Node3", "address": "10.200.3.2", "port": 20000}],
		"loadBalancer": {"address": "10.200.0.1", "port": 10943, "kinds": ["nftables", "iptables"]},
		"tentacle": {"name": "netns", "kind": "worker", "workerPools": ["Test"], "subscriptionId": "poll://abcdefghjkmnpqrst234/"}}`,
}

// TestNATRulesRoute applies the generated NAT rules on a balancer
// namespace and connects as a Tentacle would. Unique-port: each balancer
// port reaches its own node, and only it. Multi-node: connections take
// turns over every node. Every node presents its own TLS certificate, as
// an Octopus node would to a polling Tentacle.
func TestNATRulesRoute(t *testing.T) {
	testtool.RequireRoot(t)
	tools := []struct {
		kind  string
		write bundle.Generator
		apply []string
	}{
		{"nftables", bundle.WriteNftables, []string{"nft", "-f"}},
		{"iptables", bundle.WriteIptables, []string{"iptables-restore"}},
	}
	run := 0
	prefix := func() string { run++; return fmt.Sprintf("twiz%d-%d", os.Getpid(), run) }
	for _, topology := range []string{"unique-port", "multi-node"} {
		p, probs := plan.Decode([]byte(netnsPlans[topology]))
		p = p.Normalized()
		if probs = append(probs, p.Validate()...); probs.HasErrors() {
			t.Fatalf("%s plan: %v", topology, probs.Errors())
		}
		for _, tool := range tools {
			var rules bytes.Buffer
			if err := tool.write(&rules, p); err != nil {
				t.Fatal(err)
			}
			t.Run(topology+"/"+tool.kind+"/each port reaches its nodes only", func(t *testing.T) {
				for _, miss := range misroutes(t, p, prefix(), tool.apply, rules.Bytes()) {
					t.Error(miss)
				}
			})
			if topology != "unique-port" {
				continue
			}
			// The same check on rules with two nodes swapped must fail, or it proves nothing.
			t.Run(topology+"/"+tool.kind+"/swapped rules caught", func(t *testing.T) {
				swapped := strings.NewReplacer("10.200.1.2", "10.200.2.2", "10.200.2.2", "10.200.1.2").Replace(rules.String())
				if len(misroutes(t, p, prefix(), tool.apply, []byte(swapped))) == 0 {
					t.Errorf("rules sending Node1's port to Node2 and back passed the check:\n%s", swapped)
				}
			})
		}
	}
}

// misroutes builds the test network, applies rules on the balancer, and
// says which Tentacle addresses did not reach exactly their node.
func misroutes(t *testing.T, p plan.Plan, prefix string, apply []string, rules []byte) []string {
	t.Helper()
	for _, name := range []string{"ip", apply[0]} {
		testtool.Require(t, name)
	}
	ns := buildNetwork(t, prefix, len(p.Nodes))
	file := filepath.Join(t.TempDir(), "rules")
	if err := os.WriteFile(file, rules, 0o644); err != nil {
		t.Fatal(err)
	}
	// Applying twice must be harmless (nft replaces its table, iptables-restore the nat table).
	for range 2 {
		mustRunTool(t, "ip", append(append([]string{"netns", "exec", ns.lb}, apply...), file)...)
	}
	thumbprints := map[string]string{}
	for j, n := range p.Nodes {
		thumbprints[n.Name] = serveTLS(t, ns.nodes[j], plan.HostPort(n.Address, n.TargetPort()), n.Name)
	}
	var out []string
	for _, poll := range p.Polls() {
		// NAT picks a node per new connection, so 3 per node show the turns.
		tries := 3 * len(poll.Nodes)
		reached := map[string]int{}
		for range tries {
			got, thumb, err := dialTLS(t, ns.client, strings.TrimPrefix(poll.Address(), "https://"))
			if err != nil {
				out = append(out, fmt.Sprintf("%s: %v", poll.Address(), err))
				continue
			}
			if thumb != thumbprints[got] {
				out = append(out, fmt.Sprintf("%s: %s presented certificate %s, not its own %s", poll.Address(), got, thumb, thumbprints[got]))
			}
			reached[got]++
		}
		want := map[string]int{}
		for _, i := range poll.Nodes {
			want[p.Nodes[i].Name] = tries / len(poll.Nodes)
		}
		if !maps.Equal(reached, want) {
			out = append(out, fmt.Sprintf("%s: %d connections reached %v, want %v", poll.Address(), tries, reached, want))
		}
	}
	if _, _, err := dialTLS(t, ns.client, "10.200.0.1:10999"); err == nil {
		out = append(out, "10.200.0.1:10999, a port outside the plan, reached a node")
	}
	return out
}

type testNetwork struct {
	client, lb string
	nodes      []string
}

// buildNetwork creates the namespaces and links, deleted again when the
// test ends, whatever happens.
func buildNetwork(t *testing.T, prefix string, nodes int) testNetwork {
	t.Helper()
	n := testNetwork{client: prefix + "-client", lb: prefix + "-lb"}
	for i := 1; i <= nodes; i++ {
		n.nodes = append(n.nodes, fmt.Sprintf("%s-node%d", prefix, i))
	}
	for _, ns := range append([]string{n.client, n.lb}, n.nodes...) {
		mustRunTool(t, "ip", "netns", "add", ns)
		t.Cleanup(func() { _ = runTool(t, "ip", "netns", "del", ns) }) // runTool kills it after 30s
		mustRunTool(t, "ip", "-n", ns, "link", "set", "lo", "up")
	}
	link := func(a, aAddr, b, bAddr string) {
		mustRunTool(t, "ip", "link", "add", "wiz0", "netns", a, "type", "veth", "peer", "name", "wiz1", "netns", b)
		mustRunTool(t, "ip", "-n", a, "link", "set", "wiz0", "name", "to-"+nsShort(b))
		mustRunTool(t, "ip", "-n", b, "link", "set", "wiz1", "name", "to-"+nsShort(a))
		for _, side := range [][3]string{{a, aAddr, "to-" + nsShort(b)}, {b, bAddr, "to-" + nsShort(a)}} {
			mustRunTool(t, "ip", "-n", side[0], "addr", "add", side[1], "dev", side[2])
			mustRunTool(t, "ip", "-n", side[0], "link", "set", side[2], "up")
		}
	}
	link(n.client, "10.200.0.2/24", n.lb, "10.200.0.1/24")
	mustRunTool(t, "ip", "-n", n.client, "route", "add", "default", "via", "10.200.0.1")
	for i, node := range n.nodes {
		link(n.lb, fmt.Sprintf("10.200.%d.1/24", i+1), node, fmt.Sprintf("10.200.%d.2/24", i+1))
	}
	mustRunTool(t, "ip", "netns", "exec", n.lb, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward")
	return n
}

// nsShort is the last part of a namespace name, for interface names (at
// most 15 characters).
func nsShort(ns string) string { return ns[strings.LastIndex(ns, "-")+1:] }

func mustRunTool(t *testing.T, name string, args ...string) {
	t.Helper()
	if err := runTool(t, name, args...); err != nil {
		t.Fatal(err)
	}
}

// inNetns runs f on a thread inside the named network namespace: sockets
// f opens stay there.
func inNetns(t *testing.T, ns string, f func()) {
	t.Helper()
	runtime.LockOSThread()
	orig, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer orig.Close()
	target, err := os.Open(filepath.Join("/run/netns", ns))
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer func() {
		// A thread that cannot go back stays locked and dies with its goroutine.
		if unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
	}()
	f()
}

// serveTLS listens in a node's namespace with a certificate of its own
// and writes the node's name to every client; it returns the
// certificate's thumbprint as Tentacle computes it.
func serveTLS(t *testing.T, ns, addr, name string) string {
	t.Helper()
	cert := selfSignedCert(t, name)
	var ln net.Listener
	var err error
	inNetns(t, ns, func() { ln, err = net.Listen("tcp4", addr) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				s := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}})
				if s.Handshake() == nil {
					fmt.Fprintf(s, "%s\n", name)
				}
			}()
		}
	}()
	return certThumbprint(cert.Certificate[0])
}

// dialTLS connects from the client namespace and returns the name the
// node wrote and the thumbprint of the certificate it presented.
func dialTLS(t *testing.T, ns, addr string) (name, thumb string, err error) {
	t.Helper()
	var raw net.Conn
	inNetns(t, ns, func() { raw, err = net.DialTimeout("tcp4", addr, 3*time.Second) })
	if err != nil {
		return "", "", err
	}
	defer raw.Close()
	_ = raw.SetDeadline(time.Now().Add(5 * time.Second))
	// Like Tentacle, trust the certificate by thumbprint, not by chain.
	c := tls.Client(raw, &tls.Config{InsecureSkipVerify: true})
	if err := c.Handshake(); err != nil {
		return "", "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "", "", err
	}
	return strings.TrimSpace(line), certThumbprint(c.ConnectionState().PeerCertificates[0].Raw), nil
}

func selfSignedCert(t *testing.T, name string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// certThumbprint is the SHA-1 of the DER certificate in uppercase hex, the
// form Tentacle pins.
func certThumbprint(der []byte) string {
	return fmt.Sprintf("%X", sha1.Sum(der))
}
