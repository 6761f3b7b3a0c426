package app_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNodeWebURL: step 2 carries each node's own web URL in multi-node,
// keeps it through row moves and topology changes, and shows its problem
// beside the field.
func TestNodeWebURL(t *testing.T) {
	app := mustApp(t)
	p := app.click(t, app.open(t), "go", "2")
	if n := testid(p.doc, "field-nodes[0].webUrl").Length(); n != 0 {
		t.Errorf("unique-address without web URLs shows %d web URL cells, want none", n)
	}
	p = app.click(t, p, "go", "1")
	p.form.Set("topology", "multi-node")
	p = app.click(t, p, "go", "2")
	if n := testid(p.doc, "field-nodes[1].webUrl").Length(); n != 1 {
		t.Fatalf("multi-node shows %d web URL cells for node 2, want 1", n)
	}
	// Two nodes (the third row removed).
	p.form["nodes.name"] = []string{"a", "b"}
	p.form["nodes.address"] = []string{"10.0.0.1", "10.0.0.2"}
	p.form["nodes.port"] = []string{"", ""}
	p.form["nodes.webUrl"] = []string{"https://a.internal", "http://10.0.0.2:8080"}
	p = app.click(t, p, "op", "up-node-1")
	if got, want := p.form["nodes.webUrl"], []string{"http://10.0.0.2:8080", "https://a.internal"}; !cmp.Equal(got, want) {
		t.Errorf("web URLs after moving row 2 up = %q, want %q", got, want)
	}

	p = app.click(t, p, "go", "1")
	p.form.Set("topology", "unique-address")
	p = app.click(t, p, "go", "2")
	if n := testid(p.doc, "field-nodes[0].webUrl").Length(); n != 1 {
		t.Errorf("unique-address whose plan has web URLs shows %d web URL cells for node 1, want 1", n)
	}
	var got []string
	for _, n := range planOf(t, p.doc).Nodes {
		got = append(got, n.WebURL)
	}
	if want := []string{"http://10.0.0.2:8080", "https://a.internal"}; !cmp.Equal(got, want) {
		t.Errorf("plan webUrl after a topology change = %q, want %q", got, want)
	}

	p.form["nodes.webUrl"] = []string{"b.internal", ""}
	p = app.click(t, p, "go", "3")
	if p.step(t) != "2" {
		t.Fatalf("a web URL without a scheme advanced to step %s", p.step(t))
	}
	want := "Error: Enter an absolute web address that starts with https:// or http://: https://b.internal."
	if got := testid(p.doc, "error-nodes[0].webUrl").Text(); got != want {
		t.Errorf("error beside node 1 web URL = %q, want %q", got, want)
	}
}
