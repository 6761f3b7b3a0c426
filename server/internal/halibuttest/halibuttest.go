// Package halibuttest runs stand-ins for an Octopus Server node's polling
// port on loopback, for tests: a TLS listener that answers like Halibut's
// SecureListener (a friendly HTTP 200 page to anything that is not "MX"),
// a TLS-terminating proxy with its own CA-issued certificate, a web server
// with the node's certificate, a port that accepts and never answers, and a
// closed port.
package halibuttest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Cert is a certificate with its .NET-style thumbprint.
type Cert struct {
	TLS        tls.Certificate
	Thumbprint string
	x509       *x509.Certificate
	key        *ecdsa.PrivateKey
}

// SelfSigned makes a self-signed certificate, as Octopus Server uses.
func SelfSigned(tb testing.TB, cn string) Cert {
	tb.Helper()
	return makeCert(tb, cn, nil)
}

// IssuedBy makes a certificate signed by ca (ca must come from SelfSigned),
// like a public certificate on a TLS-terminating balancer.
func IssuedBy(tb testing.TB, cn string, ca Cert) Cert {
	tb.Helper()
	return makeCert(tb, cn, &ca)
}

func makeCert(tb testing.TB, cn string, ca *Cert) Cert {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  ca == nil,
	}
	parent, signer := tmpl, key
	if ca != nil {
		parent, signer = ca.x509, ca.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	sum := sha1.Sum(der)
	return Cert{
		TLS:        tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		Thumbprint: strings.ToUpper(hex.EncodeToString(sum[:])),
		x509:       leaf,
		key:        key,
	}
}

// Listener is a running stand-in; Port is its loopback port.
type Listener struct {
	Port int
	ln   net.Listener
	wg   sync.WaitGroup
}

// Addr is 127.0.0.1:port.
func (l *Listener) Addr() string { return l.ln.Addr().String() }

func listen(tb testing.TB) net.Listener {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return ln
}

func start(tb testing.TB, ln net.Listener, handle func(net.Conn)) *Listener {
	l := &Listener{Port: ln.Addr().(*net.TCPAddr).Port, ln: ln}
	l.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.wg.Go(func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				handle(c)
			})
		}
	})
	tb.Cleanup(func() { ln.Close(); l.wg.Wait() })
	return l
}

// Node answers like an Octopus Server polling port with cert: a
// non-MX request gets the friendly HTTP 200 page; "MX" gets MX-SERVER.
func Node(tb testing.TB, cert Cert) *Listener {
	tb.Helper()
	ln := tls.NewListener(listen(tb), &tls.Config{Certificates: []tls.Certificate{cert.TLS}, ClientAuth: tls.RequestClientCert})
	return start(tb, ln, serveHalibut)
}

func serveHalibut(c net.Conn) {
	r := bufio.NewReader(c)
	first, err := r.ReadString('\n')
	if err != nil {
		return
	}
	if strings.HasPrefix(first, "MX") {
		_, _ = io.WriteString(c, "MX-SERVER 1.0\r\n\r\n")
		return
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil || strings.TrimSpace(line) == "" {
			break
		}
	}
	_, _ = io.WriteString(c, "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Octopus Server configured successfully</p></body></html>\r\n")
}

// WebServer answers every HTTP request with status, over TLS with cert:
// a web server or proxy holding the Octopus certificate in front of the
// polling port. Halibut answers 200 to any request that is not "MX", and
// Tentacle's own probe accepts 200 or 400, so any other status means
// something else answers.
func WebServer(tb testing.TB, cert Cert, status int) *Listener {
	tb.Helper()
	ln := tls.NewListener(listen(tb), &tls.Config{Certificates: []tls.Certificate{cert.TLS}})
	return start(tb, ln, func(c net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		_ = req.Body.Close()
		body := http.StatusText(status)
		_, _ = fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", status, body, len(body), body)
	})
}

// TerminatingProxy terminates TLS with its own cert and forwards the
// plain bytes over a new TLS connection to the node at target: TLS offload.
func TerminatingProxy(tb testing.TB, cert Cert, target string) *Listener {
	tb.Helper()
	ln := tls.NewListener(listen(tb), &tls.Config{Certificates: []tls.Certificate{cert.TLS}})
	return start(tb, ln, func(c net.Conn) {
		up, err := tls.Dial("tcp", target, &tls.Config{InsecureSkipVerify: true})
		if err != nil {
			return
		}
		defer up.Close()
		go func() { _, _ = io.Copy(up, c) }()
		_, _ = io.Copy(c, up)
	})
}

// Silent accepts connections and never answers.
func Silent(tb testing.TB) *Listener {
	tb.Helper()
	return start(tb, listen(tb), func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
}

// ClosedPort returns a loopback port nothing listens on.
func ClosedPort(tb testing.TB) int {
	tb.Helper()
	ln := listen(tb)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
