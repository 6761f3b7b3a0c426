//go:build linux && !js

package bundle_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// netnsSNIPlan is unique-hostname in the test network of netnsPlans: one
// balancer port (443 on 10.200.0.1), a host name per node, the nodes
// behind it at 10.200.N.2, Node3 listening on another port. The client
// dials the balancer's address and sends each host name as the TLS
// server name, as a Tentacle does once DNS resolves the name to the
// balancer.
const netnsSNIPlan = `{"version": 1, "topology": "unique-hostname",
	"server": {"url": "https://octopus.example.com", "thumbprint": "77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6"},
	"nodes": [{"name": "Node1", "address": "polling1.octopus.example.com", "backendAddress": "10.200.1.2", "port": 10943},
		{"name": "Node2", "address": "polling2.octopus.example.com", "backendAddress": "10.200.2.2", "port": 10943},
		{"name": "Node3", "address": "polling3.octopus.example.com", "backendAddress": "10.200.3.2", "port": 10943, "listenPort": 20000}],
	"loadBalancer": {"address": "10.200.0.1", "kinds": ["nginx", "haproxy"]},
	"tentacle": {"name": "netns", "kind": "worker", "workerPools": ["Test"], "subscriptionId": "poll://abcdefghjkmnpqrst234/"}}`

// sniProxy runs one balancer kind's generated file in the balancer
// namespace: the real nginx or haproxy, in the foreground.
type sniProxy struct {
	kind  string
	write bundle.Generator
	// start writes what the proxy needs around the file into dir and
	// returns its command line.
	start func(t *testing.T, dir, file string) []string
}

var sniProxies = []sniProxy{
	{"nginx", bundle.WriteNginx, func(t *testing.T, dir, file string) []string {
		main := filepath.Join(dir, "main.conf")
		conf := fmt.Sprintf("load_module %s;\ndaemon off;\nmaster_process off;\npid %s;\nerror_log stderr;\nevents {}\ninclude %s;\n",
			nginxStreamModule, filepath.Join(dir, "nginx.pid"), file)
		if err := os.WriteFile(main, []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		return []string{testtool.Require(t, "nginx"), "-c", main, "-p", dir, "-e", "stderr"}
	}},
	// haproxy.cfg appended to a configuration with a web portal's
	// frontend, as the README says: the test asks both for an answer.
	{"haproxy", bundle.WriteHAProxy, func(t *testing.T, dir, file string) []string {
		part, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		merged := filepath.Join(dir, "haproxy.cfg")
		if err := os.WriteFile(merged, append([]byte(haproxyWebConfig), part...), 0o644); err != nil {
			t.Fatal(err)
		}
		return []string{testtool.Require(t, "haproxy"), "-db", "-f", merged}
	}},
}

// TestSNIRoutes runs the generated nginx and HAProxy configurations of a
// unique-hostname plan on a balancer namespace and connects as a
// Tentacle would: each host name, sent as the TLS server name to the one
// balancer port, reaches exactly its node, which presents its own
// certificate. A name the plan does not hold and a handshake without a
// name reach no node. HAProxy runs merged into a configuration with a web
// frontend, which still answers.
func TestSNIRoutes(t *testing.T) {
	testtool.RequireRoot(t)
	if _, err := os.Stat(nginxStreamModule); err != nil {
		testtool.Missing(t, "libnginx-mod-stream is not installed (make deps installs it)")
	}
	p, probs := plan.Decode([]byte(netnsSNIPlan))
	p = p.Normalized()
	if probs = append(probs, p.Validate()...); probs.HasErrors() {
		t.Fatalf("plan: %v", probs.Errors())
	}
	run := 0
	prefix := func() string { run++; return fmt.Sprintf("tsni%d-%d", os.Getpid(), run) }
	for _, proxy := range sniProxies {
		var conf bytes.Buffer
		if err := proxy.write(&conf, p); err != nil {
			t.Fatal(err)
		}
		t.Run(proxy.kind+"/each host name reaches its node only", func(t *testing.T) {
			for _, miss := range sniMisroutes(t, p, prefix(), proxy, conf.Bytes()) {
				t.Error(miss)
			}
		})
		// The same check on a file with two nodes swapped must fail, or it proves nothing.
		t.Run(proxy.kind+"/swapped nodes caught", func(t *testing.T) {
			swapped := strings.NewReplacer("10.200.1.2", "10.200.2.2", "10.200.2.2", "10.200.1.2").Replace(conf.String())
			if swapped == conf.String() {
				t.Fatal("nothing to swap")
			}
			if len(sniMisroutes(t, p, prefix(), proxy, []byte(swapped))) == 0 {
				t.Errorf("a file sending Node1's name to Node2 and back passed the check:\n%s", swapped)
			}
		})
	}
}

// sniMisroutes builds the test network, runs the proxy with conf on the
// balancer, and says which host names did not reach exactly their node.
func sniMisroutes(t *testing.T, p plan.Plan, prefix string, proxy sniProxy, conf []byte) []string {
	t.Helper()
	testtool.Require(t, "ip")
	ns := buildNetwork(t, prefix, len(p.Nodes))
	thumbprints := map[string]string{}
	for j, n := range p.Nodes {
		be := p.NodeBackend(j)
		thumbprints[n.Name] = serveTLS(t, ns.nodes[j], plan.HostPort(be.Address, be.Port), n.Name)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "lb.conf")
	if err := os.WriteFile(file, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	startInNetns(t, ns.lb, proxy.start(t, dir, file))
	balancer := plan.HostPort(p.LoadBalancer.Address, p.LoadBalancer.Port)
	waitListening(t, ns.client, balancer)

	var out []string
	for _, poll := range p.Polls() {
		want := p.Nodes[poll.Nodes[0]].Name
		for range 3 {
			got, thumb, err := dialTLSName(t, ns.client, balancer, poll.Host)
			switch {
			case err != nil:
				out = append(out, fmt.Sprintf("%s: %v", poll.Address(), err))
			case got != want:
				out = append(out, fmt.Sprintf("%s reached %s, want %s", poll.Address(), got, want))
			case thumb != thumbprints[want]:
				out = append(out, fmt.Sprintf("%s: %s presented certificate %s, not its own %s", poll.Address(), got, thumb, thumbprints[want]))
			}
		}
	}
	for _, name := range []string{"other.octopus.example.com", ""} {
		if got, _, err := dialTLSName(t, ns.client, balancer, name); err == nil {
			out = append(out, fmt.Sprintf("server name %q, which the plan does not hold, reached %s", name, got))
		}
	}
	if proxy.kind == "haproxy" {
		if body, err := httpGetIn(t, ns.client, "http://10.200.0.1:8080/"); err != nil || body != "web portal" {
			out = append(out, fmt.Sprintf("the web frontend beside the merged sections answered %q, %v; want \"web portal\"", body, err))
		}
	}
	return out
}

// startInNetns starts argv in the named namespace and stops it when the
// test ends; its output goes to the test log.
func startInNetns(t *testing.T, ns string, argv []string) {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, argv...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if out.Len() > 0 {
			t.Logf("%s output:\n%s", argv[0], out.String())
		}
	})
}

// waitListening waits until addr accepts a connection from namespace ns:
// the proxy has started. It gives up after many tries, which only a proxy
// that failed to start needs.
func waitListening(t *testing.T, ns, addr string) {
	t.Helper()
	var err error
	for range 300 {
		var c net.Conn
		inNetns(t, ns, func() { c, err = net.DialTimeout("tcp4", addr, time.Second) })
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the proxy never listened on %s: %v", addr, err)
}

// dialTLSName connects from the client namespace to addr, sends
// serverName as the TLS server name (none when empty), and returns the
// name the node wrote and the thumbprint of the certificate it presented.
// Like Tentacle, it trusts the certificate by thumbprint, not by name.
func dialTLSName(t *testing.T, ns, addr, serverName string) (name, thumb string, err error) {
	t.Helper()
	var raw net.Conn
	inNetns(t, ns, func() { raw, err = net.DialTimeout("tcp4", addr, 3*time.Second) })
	if err != nil {
		return "", "", err
	}
	defer raw.Close()
	_ = raw.SetDeadline(time.Now().Add(10 * time.Second))
	c := tls.Client(raw, &tls.Config{ServerName: serverName, InsecureSkipVerify: true})
	if err := c.Handshake(); err != nil {
		return "", "", err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "", "", err
	}
	return strings.TrimSpace(line), certThumbprint(c.ConnectionState().PeerCertificates[0].Raw), nil
}

// httpGetIn fetches url from namespace ns and returns the body.
func httpGetIn(t *testing.T, ns, url string) (string, error) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (c net.Conn, err error) {
			inNetns(t, ns, func() { c, err = (&net.Dialer{Timeout: 3 * time.Second}).DialContext(ctx, "tcp4", addr) })
			return c, err
		},
	}}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return string(body), err
}
