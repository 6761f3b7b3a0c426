//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// bigPlan is the largest plan the wizard takes: MaxNodes nodes, every
// balancer kind; its /api/v1/files answer is about 2 MB of JSON.
func bigPlan(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(casesDir, "unique-port-all-kinds.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, probs := plan.Decode(data)
	if probs.HasErrors() {
		t.Fatal(probs)
	}
	n := p.Nodes[0]
	p.Nodes = nil
	for i := range plan.MaxNodes {
		m := n
		m.Name = fmt.Sprintf("Node%d", i+1)
		m.Address = fmt.Sprintf("10.0.%d.%d", 2+i/200, 10+i%200)
		m.Port, m.ListenPort = 10943+i, plan.DefaultPort
		p.Nodes = append(p.Nodes, m)
	}
	var b bytes.Buffer
	if err := p.Encode(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestServeStopsGracefully starts the real binary, begins a bundle
// download whose request is still arriving (100 Continue received, half
// its body sent), sends
// SIGTERM, and waits until the server has stopped listening. The process
// is still running then: it cannot have answered a request it has not
// read. The rest of the body goes out, the answer (2 MB) is read through a
// small receive buffer, and it must be whole; then the server exits 0. The
// debug endpoint (-debug-addr) answers with expvar's variables meanwhile.
func TestServeStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "tentacle-ha")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-debug-addr", "127.0.0.1:0")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
	})
	lines := bufio.NewScanner(stdout)
	var addr, debugURL string
	for (addr == "" || debugURL == "") && lines.Scan() {
		line := lines.Text()
		if rest, ok := strings.CutPrefix(line, "Tentacle HA Wizard on http://"); ok {
			addr = strings.TrimSuffix(rest, "/")
		}
		if rest, ok := strings.CutPrefix(line, "Debug variables (expvar) on "); ok {
			debugURL = rest
		}
	}
	if addr == "" || debugURL == "" {
		t.Fatalf("serve printed no address (wizard %q, debug %q); stderr: %s", addr, debugURL, stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()

	res, err := http.Get(debugURL)
	if err != nil {
		t.Fatal(err)
	}
	var vars struct {
		Goroutines int    `json:"goroutines"`
		RSS        uint64 `json:"rss_bytes"`
		MemStats   struct{ HeapAlloc uint64 }
	}
	err = json.NewDecoder(res.Body).Decode(&vars)
	res.Body.Close()
	if err != nil || vars.Goroutines < 2 || vars.RSS < 1<<20 || vars.MemStats.HeapAlloc == 0 {
		t.Errorf("/debug/vars = %+v, %v; want goroutines, rss_bytes and memstats", vars, err)
	}

	body := bigPlan(t)
	// A small receive buffer: the 2 MB answer is read a few KB at a time.
	dialer := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	conn, err := dialer.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Expect: 100-continue: the server answers 100 Continue when the
	// handler starts reading the body, the proof that it has accepted the
	// connection and is serving this request (a connection still waiting
	// in the listen queue would just be reset by the shutdown).
	head := fmt.Sprintf("POST /api/v1/files HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAccept-Encoding: identity\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	half := len(body) / 2
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReaderSize(conn, 4096)
	cont, err := http.ReadResponse(r, nil)
	if err != nil || cont.StatusCode != http.StatusContinue {
		t.Fatalf("want 100 Continue first: %v %v", cont, err)
	}
	if _, err := conn.Write(body[:half]); err != nil {
		t.Fatal(err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Shutdown closes the listener first: once a new connection is
	// refused, the server is stopping.
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case err := <-exited:
		t.Fatalf("the server exited (%v) with a request half read; stderr: %s", err, stderr.String())
	default:
	}

	if _, err := conn.Write(body[half:]); err != nil {
		t.Fatalf("the rest of the request: %v", err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("the answer broke off after %d bytes: %v", len(got), err)
	}
	var files []struct {
		Path    string `json:"path"`
		Content string `json:"content"`
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("answer %d: %.300s", resp.StatusCode, got)
	}
	if err := json.Unmarshal(got, &files); err != nil {
		var wrapped struct {
			Files json.RawMessage `json:"files"`
		}
		if err2 := json.Unmarshal(got, &wrapped); err2 != nil {
			t.Fatalf("the answer (%d bytes) is not whole JSON: %v", len(got), err)
		}
	}
	if len(got) < 1<<20 {
		t.Errorf("the answer is %d bytes, want the 2 MB bundle", len(got))
	}
	if resp.ContentLength >= 0 && int64(len(got)) != resp.ContentLength {
		t.Errorf("read %d bytes of a Content-Length %d", len(got), resp.ContentLength)
	}
	if err := <-exited; err != nil {
		t.Errorf("after SIGTERM the server exited with %v, want 0; stderr: %s", err, stderr.String())
	}
}
