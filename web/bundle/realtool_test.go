//go:build !js

package bundle_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
	"gopkg.in/yaml.v3"
)

const nginxStreamModule = "/usr/lib/nginx/modules/ngx_stream_module.so"

// toolCheck runs one kind's file through the tool that reads it.
type toolCheck struct {
	kind   string
	check  func(t *testing.T, dir, file string, p plan.Plan) error
	broken string
}

// realChecks runs each load-balancer file through the tool that reads it.
// broken is a file that tool must reject, to prove the check really checks.
var realChecks = []toolCheck{
	{"nginx", checkNginx, "stream {\n    server {\n        listen 10943;\n        listen 10943;\n        proxy_pass 10.0.0.1:10943;\n    }\n}\n"},
	{"haproxy", checkHAProxy, "defaults\n    mode tcp\nbackend b\n    server s 10.0.0.1:10943 chekc\n"},
	{"nftables", checkNftables, "table ip t {\n\tchain c {\n\t\ttype nat hook prerouting priority dstnat;\n\t\ttcp dport 70000 dnat to 10.0.0.1:10943\n\t}\n}\n"},
	{"iptables", checkIptables, "*nat\n-A PREROUTING -p tcp -m tcp --dport 70000 -j DNAT --to-destination 10.0.0.1:10943\nCOMMIT\n"},
	{"aws-nlb", checkTerraform, "resource \"aws_lb\" \"x\" {\n  name = \"x\"\n"},
	{"azure-lb", checkScript, "#!/usr/bin/env bash\nset -euo pipefail\naz network lb show --name $1\n"},
	{"kubernetes", checkKubernetes, "---\napiVersion: v1\nkind: Service\nmetadata: {name: [x}\n"},
	// No tmsh outside a BIG-IP: the structural parser and checks of tmsh_parse_test.go.
	{"f5-bigip", checkTmshFile, "create cli transaction\ncreate ltm node /Common/a address 10.0.0.1 description \"a\" }\nsubmit cli transaction\nsave sys config\n"},
}

func TestLoadBalancerFilesPassRealTools(t *testing.T) {
	for name, p := range lbPlans(t) {
		for kind, content := range lbFiles(t, p) {
			t.Run(name+"/"+kind+"/accepted", func(t *testing.T) {
				err := realCheck(t, kind, content, p)
				if err != nil {
					t.Errorf("%s rejected:\n%v", kind, err)
				}
			})
		}
	}
	for _, rc := range realChecks {
		t.Run(rc.kind+"/broken file rejected", func(t *testing.T) {
			err := realCheck(t, rc.kind, []byte(rc.broken), plan.Plan{})
			if err == nil {
				t.Fatalf("check accepted a broken %s file:\n%s", rc.kind, rc.broken)
			}
			t.Logf("rejected as it should be: %v", err)
		})
	}
}

// realCheck writes content to a temporary directory and checks it with
// the tool of its kind.
func realCheck(t *testing.T, kind string, content []byte, p plan.Plan) error {
	t.Helper()
	for _, rc := range realChecks {
		if rc.kind != kind {
			continue
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "lb-"+kind)
		if err := os.WriteFile(file, content, 0o644); err != nil {
			t.Fatal(err)
		}
		return rc.check(t, dir, file, p)
	}
	t.Fatalf("no real-tool check for %s", kind)
	return nil
}

// runIsolated runs a tool in new user, network and mount namespaces: no
// privileges needed, nothing reaches the network, and /etc/hosts is a
// file that resolves the plan's DNS names to documentation addresses
// (192.0.2.0/24), so a config naming its nodes can be checked offline.
func runIsolated(t *testing.T, dir string, p plan.Plan, argv ...string) error {
	t.Helper()
	unshare := testtool.Require(t, "unshare")
	var hosts strings.Builder
	hosts.WriteString("127.0.0.1 localhost\n")
	for i, a := range append(planNodeAddresses(p), p.LoadBalancer.Address) {
		if a != "" && !plan.IsIP(a) {
			fmt.Fprintf(&hosts, "192.0.2.%d %s\n", i+1, a)
		}
	}
	hostsFile := filepath.Join(dir, "hosts")
	if err := os.WriteFile(hostsFile, []byte(hosts.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-Urnm", "sh", "-c", `mount --bind "$0" /etc/hosts && exec "$@"`, hostsFile}, argv...)
	return runTool(t, unshare, args...)
}

func planNodeAddresses(p plan.Plan) []string {
	var out []string
	for _, n := range p.Nodes {
		out = append(out, n.Address, n.BackendAddress)
	}
	return out
}

// runTool runs a program with a time limit; the error carries its output.
func runTool(t *testing.T, name string, args ...string) error {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return err
	}
	timer := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return nil
}

// checkNginx includes the stream block from a minimal main configuration,
// as the bundle README tells operators to.
func checkNginx(t *testing.T, dir, file string, p plan.Plan) error {
	t.Helper()
	return nginxTest(t, dir, "include "+file+";\n", p)
}

func nginxTest(t *testing.T, dir, body string, p plan.Plan) error {
	t.Helper()
	nginx := testtool.Require(t, "nginx")
	if _, err := os.Stat(nginxStreamModule); err != nil {
		testtool.Missing(t, "libnginx-mod-stream is not installed (make deps installs it)")
	}
	if !strings.Contains(body, "events") {
		body = "events {}\n" + body
	}
	main := filepath.Join(dir, "main.conf")
	conf := fmt.Sprintf("load_module %s;\npid %s;\nerror_log stderr;\n%s", nginxStreamModule, filepath.Join(dir, "nginx.pid"), body)
	if err := os.WriteFile(main, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return runIsolated(t, dir, p, nginx, "-t", "-q", "-c", main, "-p", dir, "-e", "stderr")
}

// checkTmshFile parses the commands and checks what they configure
// (tmshCheck): tmsh itself runs only on a BIG-IP.
func checkTmshFile(t *testing.T, _, file string, _ plan.Plan) error {
	t.Helper()
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tmshCheck(string(content))
	return err
}

// checkHAProxy appends the file to an existing configuration, as the
// bundle README tells operators to, and runs haproxy -c on the whole:
// with zero warnings (-dW), under defaults that would break polling were
// they to reach its sections.
func checkHAProxy(t *testing.T, dir, file string, p plan.Plan) error {
	t.Helper()
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(dir, "haproxy-merged.cfg")
	if err := os.WriteFile(merged, append([]byte(haproxyWebConfig), content...), 0o644); err != nil {
		t.Fatal(err)
	}
	return runIsolated(t, dir, p, testtool.Require(t, "haproxy"), "-c", "-dW", "-f", merged)
}

func checkNftables(t *testing.T, dir, file string, p plan.Plan) error {
	t.Helper()
	return runIsolated(t, dir, p, testtool.Require(t, "nft"), "-c", "-f", file)
}

func checkIptables(t *testing.T, dir, file string, p plan.Plan) error {
	t.Helper()
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tool := "iptables-restore"
	if bytes.Contains(content, []byte("ip6tables-restore format")) {
		tool = "ip6tables-restore"
	}
	return runIsolated(t, dir, p, testtool.Require(t, tool), "--test", file)
}

func checkScript(t *testing.T, _, file string, _ plan.Plan) error {
	t.Helper()
	if err := runTool(t, testtool.Require(t, "bash"), "-n", file); err != nil {
		return err
	}
	return runTool(t, testtool.Require(t, "shellcheck"), "--shell=bash", file)
}

// checkTerraform parses the HCL as Terraform would and checks it is in
// terraform fmt's canonical layout (Terraform itself is not a Debian
// package, and terraform validate needs the provider from the network).
func checkTerraform(t *testing.T, _, file string, _ plan.Plan) error {
	t.Helper()
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, diags := hclparse.NewParser().ParseHCL(content, file); diags.HasErrors() {
		return diags
	}
	if _, diags := hclwrite.ParseConfig(content, file, hcl.InitialPos); diags.HasErrors() {
		return diags
	}
	if formatted := hclwrite.Format(content); !bytes.Equal(formatted, content) {
		return fmt.Errorf("not in terraform fmt layout; formatted:\n%s", formatted)
	}
	return nil
}

// checkKubernetes runs yamllint, decodes every document, and runs the
// relay's nginx configuration, if any, through nginx -t.
func checkKubernetes(t *testing.T, dir, file string, p plan.Plan) error {
	t.Helper()
	if err := runTool(t, testtool.Require(t, "yamllint"), "-s", "-d", "{extends: relaxed, rules: {line-length: disable}}", file); err != nil {
		return err
	}
	content, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(content))
	for i := 1; ; i++ {
		var doc struct {
			APIVersion string `yaml:"apiVersion"`
			Kind       string
			Metadata   struct{ Name string }
			Data       map[string]string
		}
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("document %d: %w", i, err)
		}
		if doc.APIVersion == "" || doc.Kind == "" || doc.Metadata.Name == "" {
			return fmt.Errorf("document %d lacks apiVersion, kind or metadata.name", i)
		}
		if conf, ok := doc.Data["nginx.conf"]; ok {
			if err := nginxTest(t, dir, conf, p); err != nil {
				return fmt.Errorf("relay nginx.conf: %w", err)
			}
		}
	}
}
