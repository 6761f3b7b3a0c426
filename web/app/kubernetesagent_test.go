package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// TestKubernetesAgentKind walks the wizard to a Kubernetes agent: the
// Tentacle step offers the kind from plan.TargetKinds with its docs, a
// Windows agent is refused beside the OS, the review names the install
// script (no Register button) and links Octopus's pages, and the download
// holds kubernetes-agent/ and no Tentacle file.
func TestKubernetesAgentKind(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	choice := p.doc.Find(`input[name="tentacle.kind"][value="kubernetes-agent"]`)
	if choice.Length() != 1 {
		t.Fatalf("the Tentacle step offers no kubernetes-agent choice")
	}
	if got := p.doc.Find(`label[for="` + choice.AttrOr("id", "") + `"]`).Text(); !strings.Contains(got, "Kubernetes agent") || !strings.Contains(got, "Helm chart") {
		t.Errorf("the choice reads %q, want Kubernetes agent (Helm chart)", got)
	}
	if testid(p.doc, "kind-docs").Find(`a[href="https://octopus.com/docs/infrastructure/deployment-targets/kubernetes/kubernetes-agent/ha-cluster-support"]`).Length() != 1 {
		t.Error("the Tentacle step does not link the Kubernetes agent HA page")
	}

	p.form.Set("tentacle.name", "aks-prod")
	p.form.Set("tentacle.kind", "kubernetes-agent")
	p.form.Set("tentacle.os", "windows")
	p.form.Set("tentacle.environments", "Production")
	p.form.Set("tentacle.roles", "k8s")
	p = app.click(t, p, "go", "4")
	if p.step(t) != "3" || !strings.Contains(testid(p.doc, "error-tentacle.os").Text(), "A Kubernetes agent runs in a pod on the cluster's Linux nodes") {
		t.Fatalf("a Windows Kubernetes agent: step %s, error beside the OS %q", p.step(t), testid(p.doc, "error-tentacle.os").Text())
	}

	p.form.Set("tentacle.os", "linux")
	p = app.click(t, p, "go", "4")
	if p.step(t) != "4" {
		t.Fatalf("Next = step %s; summary %q", p.step(t), testid(p.doc, "error-summary").Text())
	}
	if got := testid(p.doc, "register-helm").Text(); !strings.Contains(got, "kubernetes-agent/install.sh") {
		t.Errorf("the review's register card reads %q, want kubernetes-agent/install.sh", got)
	}
	if testid(p.doc, "open-register").Length() != 0 {
		t.Error("the review offers to register a Kubernetes agent from this machine")
	}
	links := testid(p.doc, "docs-links").Find("a")
	if links.Length() != len(plan.DocLinks) {
		t.Errorf("the review links %d Octopus pages, want %d", links.Length(), len(plan.DocLinks))
	}

	v := cloneValues(p.form)
	v.Set("format", "zip")
	rec := app.post(t, "/download", v)
	if rec.Code != http.StatusOK {
		t.Fatalf("download = %d", rec.Code)
	}
	files := unzip(t, rec.Body.Bytes(), "tentacle-ha-aks-prod/")
	for _, want := range []string{"kubernetes-agent/values.yaml", "kubernetes-agent/install.sh", "README.md"} {
		if _, ok := files[want]; !ok {
			t.Errorf("the download lacks %s", want)
		}
	}
	for path := range files {
		if strings.HasPrefix(path, "tentacle/") {
			t.Errorf("the download of a Kubernetes agent holds %s", path)
		}
	}
}

// TestWindowsReviewNamesRegisterPS1: the review tells a Windows machine to
// run register.ps1, never register.sh.
func TestWindowsReviewNamesRegisterPS1(t *testing.T) {
	app := mustApp(t)
	p := app.toTentacle(t)
	p.form.Set("tentacle.name", "win01")
	p.form.Set("tentacle.os", "windows")
	p.form.Set("tentacle.kind", "worker")
	p.form.Set("tentacle.environments", "")
	p.form.Set("tentacle.roles", "")
	p.form.Set("tentacle.workerPools", "Windows pool")
	p = app.click(t, p, "go", "4")
	if p.step(t) != "4" {
		t.Fatalf("Next = step %s; summary %q", p.step(t), testid(p.doc, "error-summary").Text())
	}
	card := testid(p.doc, "register-card").Text()
	if !strings.Contains(card, "tentacle/register.ps1") || strings.Contains(card, "register.sh") {
		t.Errorf("the review's register card for a Windows worker reads %q, want register.ps1 only", card)
	}
}
