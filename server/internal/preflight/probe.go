package preflight

import (
	"bufio"
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tentacle-ha-wizard/wizard/server/internal/octopus"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"github.com/tentacle-ha-wizard/wizard/web/report"
)

// probe is what one polled address showed.
type probe struct {
	checks []report.Check
	// identity is what the address presented (certificate and handshake
	// answer), to tell nodes apart; empty when the probe failed.
	identity string
	ok       bool
}

// Thumbprint is the .NET form of a certificate's thumbprint: uppercase hex
// SHA-1 of the DER bytes, as Halibut compares it.
func Thumbprint(cert *x509.Certificate) string {
	sum := sha1.Sum(cert.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

func nodeNames(p plan.Plan, poll plan.Poll) string {
	names := make([]string, len(poll.Nodes))
	for i, n := range poll.Nodes {
		names[i] = p.Nodes[n].Name
	}
	return strings.Join(names, ", ")
}

func probeAddress(ctx context.Context, p plan.Plan, poll plan.Poll, opt Options) probe {
	target := poll.Address()
	who := nodeNames(p, poll)
	hostport := plan.HostPort(poll.Host, poll.Port)
	var pr probe

	tcp := report.Check{Name: "TCP connect", Target: target}
	var conn net.Conn
	timed(&tcp, func() {
		dctx, cancel := context.WithTimeout(ctx, opt.Timeout)
		defer cancel()
		var err error
		conn, err = opt.Dial(dctx, "tcp", hostport)
		if err != nil {
			tcp.Status, tcp.Message = report.Fail, fmt.Sprintf("%s (%s) cannot be reached: %s. Check the firewall%s and that the node listens on %d.", hostport, who, octopus.DialReason(err), lbHint(p), poll.Port)
			return
		}
		tcp.Status, tcp.Message = report.Pass, fmt.Sprintf("%s (%s) accepts connections", hostport, who)
	})
	pr.checks = append(pr.checks, tcp)
	if conn == nil {
		return pr
	}
	defer conn.Close()

	tlsCheck := report.Check{Name: "TLS handshake", Target: target}
	var tc *tls.Conn
	var leaf *x509.Certificate
	timed(&tlsCheck, func() {
		cfg := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12} // the thumbprint is checked below, as Halibut does
		if !plan.IsIP(poll.Host) {
			cfg.ServerName = poll.Host
		}
		tc = tls.Client(conn, cfg)
		_ = tc.SetDeadline(time.Now().Add(opt.Timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			tlsCheck.Status, tlsCheck.Message = report.Fail, fmt.Sprintf("no TLS handshake with %s (%s): %s. Something other than Octopus Server answers on this port, or it never answered.", hostport, who, handshakeReason(err))
			tc = nil
			return
		}
		certs := tc.ConnectionState().PeerCertificates
		if len(certs) == 0 {
			tlsCheck.Status, tlsCheck.Message = report.Fail, "the server presented no certificate"
			tc = nil
			return
		}
		leaf = certs[0]
		tlsCheck.Status, tlsCheck.Message = report.Pass, fmt.Sprintf("TLS %s with %s", tlsVersion(tc.ConnectionState().Version), who)
	})
	pr.checks = append(pr.checks, tlsCheck)
	if tc == nil {
		return pr
	}

	thumb := report.Check{Name: "Server thumbprint", Target: target}
	presented := Thumbprint(leaf)
	if presented == p.Server.Thumbprint {
		thumb.Status, thumb.Message = report.Pass, fmt.Sprintf("%s presents the Octopus Server certificate %s", who, presented)
	} else {
		thumb.Status, thumb.Message = report.Fail, fmt.Sprintf("%s presents certificate %s (subject %q, issued by %q), but the plan expects %s. %s",
			who, presented, leaf.Subject.String(), leaf.Issuer.String(), p.Server.Thumbprint, mismatchCause(leaf, poll.Port))
	}
	pr.checks = append(pr.checks, thumb)

	hs := report.Check{Name: "Handshake probe", Target: target}
	var body string
	timed(&hs, func() {
		status, b, err := postHandshake(tc, poll.Host, opt.Timeout)
		body = b
		switch {
		case err != nil:
			hs.Status, hs.Message = report.Fail, fmt.Sprintf("POST /handshake got no HTTP answer from %s: %s. Tentacle's registration makes this same probe and would fail.", who, handshakeReason(err))
		case status == http.StatusOK || status == http.StatusBadRequest:
			hs.Status, hs.Message = report.Pass, fmt.Sprintf("POST /handshake answered %d, as Octopus Server does", status)
		default:
			hs.Status, hs.Message = report.Fail, fmt.Sprintf("POST /handshake answered %d; Octopus Server answers 200 or 400. A web server or proxy is in the path.", status)
		}
	})
	pr.checks = append(pr.checks, hs)
	pr.ok = thumb.Status == report.Pass && hs.Status == report.Pass
	pr.identity = presented + "\x00" + body
	return pr
}

// postHandshake sends Tentacle's connectivity probe over an established TLS
// connection and returns the status code and the first bytes of the body.
func postHandshake(tc *tls.Conn, host string, timeout time.Duration) (int, string, error) {
	_ = tc.SetDeadline(time.Now().Add(timeout))
	req := "POST /handshake HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(tc, req); err != nil {
		return 0, "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(tc), nil)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, string(b), nil
}

func mismatchCause(leaf *x509.Certificate, port int) string {
	switch {
	case port == 443 || port == 80:
		return "Port " + fmt.Sprint(port) + " is the web port; polling uses the comms port (10943 by default)."
	case leaf.Subject.String() != leaf.Issuer.String():
		return "A CA-issued certificate here means TLS offload: a load balancer or proxy terminates TLS. Octopus Server's own certificate is self-signed; pass TCP through instead."
	default:
		return "The address reaches a different Octopus Server, or a proxy with its own certificate, or the wrong port; check the balancer maps this port to the right node."
	}
}

func lbHint(p plan.Plan) string {
	if p.Topology.HasLoadBalancer() {
		return ", the load balancer's rules"
	}
	return ""
}

func handshakeReason(err error) string {
	var rec tls.RecordHeaderError
	switch {
	case octopus.IsTimeout(err):
		return "no answer before the timeout"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return "the connection was closed"
	case errors.As(err, &rec):
		return "the answer is not TLS (plain HTTP or another protocol)"
	}
	return "protocol error"
}

func tlsVersion(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "1.3"
	case tls.VersionTLS12:
		return "1.2"
	}
	return fmt.Sprintf("0x%04x", v)
}

// distinctNodes checks, in unique-port, that no two ports reach the same
// node, as far as the answers can tell nodes apart.
func distinctNodes(polls []plan.Poll, probes []probe, byName bool) report.Check {
	// unique-port tells nodes apart by port; unique-hostname by the host
	// name the balancer reads from the TLS handshake, on one port.
	what, whats, name := "port", "ports", func(pl plan.Poll) string { return strconv.Itoa(pl.Port) }
	if byName {
		what, whats, name = "host name", "host names", func(pl plan.Poll) string { return pl.Host }
	}
	c := report.Check{Name: "One node per " + what, Target: "load balancer"}
	seen := map[string]int{}
	identities := map[string]bool{}
	for _, pr := range probes {
		if pr.ok {
			identities[pr.identity] = true
		}
	}
	if len(identities) < 2 {
		c.Status, c.Message = report.Skip, fmt.Sprintf("every %s answers alike (HA nodes share one certificate), so the answers cannot show which node is behind which %s; the generated balancer rules map each %s to one node", what, what, what)
		return c
	}
	for i, pr := range probes {
		if !pr.ok {
			continue
		}
		if j, dup := seen[pr.identity]; dup {
			c.Status, c.Message = report.Fail, fmt.Sprintf("%s %s and %s reach the same node; the balancer must send each %s to its own node", whats, name(polls[j]), name(polls[i]), what)
			return c
		}
		seen[pr.identity] = i
	}
	c.Status, c.Message = report.Pass, fmt.Sprintf("%d %s reach %d different nodes", len(seen), whats, len(seen))
	return c
}
