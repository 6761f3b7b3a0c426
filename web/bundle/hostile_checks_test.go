//go:build !js

package bundle_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/internal/testtool"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

func (as *artifacts) checkYAML(t *testing.T) {
	arts := as.ofKind("yaml")
	for _, a := range arts {
		sig, err := yamlSignature(a.content)
		if err != nil {
			a.fail("yaml.v3", "%v", err)
		}
		a.sig = sig
	}
	as.count("yaml.v3", len(arts))
	if len(arts) > 0 {
		yamllint := testtool.Require(t, "yamllint")
		blame(arts, runBatch([]string{yamllint, "-f", "parsable", "-s", "-d", "{extends: relaxed, rules: {line-length: disable}}"}, files(arts), 200), "yamllint")
		as.count("yamllint", len(arts))
	}
}

func (as *artifacts) checkXML(t *testing.T) {
	arts := as.ofKind("xml")
	for _, a := range arts {
		sig, err := xmlSignature(a.content)
		if err != nil {
			a.fail("encoding/xml", "%v", err)
		}
		a.sig = sig
	}
	if len(arts) > 0 {
		blame(arts, runBatch([]string{testtool.Require(t, "xmllint"), "--noout"}, files(arts), 500), "xmllint")
		as.count("xmllint", len(arts))
	}
}

func (as *artifacts) checkHCL(t *testing.T) {
	arts := as.ofKind("tf")
	for _, a := range arts {
		sig, err := hclSignature(a.content)
		if err == nil {
			err = checkTerraform(t, "", a.file, plan.Plan{})
		}
		if err != nil {
			a.fail("hcl", "%v", err)
		}
		a.sig = sig
	}
	as.count("hcl", len(arts))
}

var sumsLine = regexp.MustCompile(`^[0-9a-f]{64}  [A-Za-z0-9._/-]+$`)

func (as *artifacts) checkJSON(*testing.T) {
	for _, a := range as.ofKind("json") {
		sig, err := jsonSignature(a.content)
		if err != nil {
			a.fail("encoding/json", "%v", err)
		}
		a.sig = sig
	}
	for _, a := range as.ofKind("sums") {
		seen := map[string]bool{}
		lines := strings.Split(strings.TrimSuffix(string(a.content), "\n"), "\n")
		for _, l := range lines {
			if !sumsLine.MatchString(l) || seen[l[66:]] {
				a.fail("sums", "line %q is malformed or repeats a path", l)
			}
			seen[l[min(66, len(l)):]] = true
		}
		a.sig = fmt.Sprint(len(lines))
	}
	as.count("encoding/json", len(as.ofKind("json")))
}

// confTools are the load-balancer checks, run unprivileged in new user and
// network namespaces as realtool_test.go does.
var confTools = map[string]struct{ tool, cmd string }{
	"nginx":    {"nginx", `nginx -t -q -c "$f.main" -p "${f%/*}" -e stderr`},
	"haproxy":  {"haproxy", `haproxy -c -q -f "$f"`},
	"nft":      {"nft", `nft -c -f "$f"`},
	"iptables": {"iptables-restore", `iptables-restore --test "$f"`},
}

func (as *artifacts) checkConf(kind string) func(*testing.T) {
	return func(t *testing.T) {
		arts := as.ofKind(kind)
		if len(arts) == 0 {
			return
		}
		ct := confTools[kind]
		testtool.Require(t, ct.tool)
		unshare := testtool.Require(t, "unshare")
		if kind == "nginx" {
			if _, err := os.Stat(nginxStreamModule); err != nil {
				testtool.Missing(t, "libnginx-mod-stream is not installed (make deps installs it)")
			}
			for _, a := range arts {
				main := fmt.Sprintf("load_module %s;\npid %s.pid;\nerror_log stderr;\nevents {}\ninclude %s;\n", nginxStreamModule, a.file, a.file)
				if err := os.WriteFile(a.file+".main", []byte(main), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		runBatch([]string{unshare, "-Urn", "sh", "-c", loopScript(ct.cmd), "sh"}, files(arts), 2000)
		for _, a := range arts {
			readLoop(a, ct.tool)
			a.sig = confSignature(a.content)
		}
		as.count(ct.tool, len(arts))
	}
}

// checkTmsh reads f5-bigip.tmsh with the structural tmsh parser (there is
// no tmsh off a BIG-IP): a parse error or a failed check is the file's
// problem, and the signature shows an injected command, property or block.
func (as *artifacts) checkTmsh(*testing.T) {
	arts := as.ofKind("tmsh")
	for _, a := range arts {
		sig, err := tmshSignature(string(a.content))
		if err != nil {
			a.fail("tmsh-parser", "%v", err)
		} else if _, err := tmshCheck(string(a.content)); err != nil {
			a.fail("tmsh-check", "%v", err)
		}
		a.sig = sig
	}
	as.count("tmsh-parser", len(arts))
}
