package app

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tentacle-ha-wizard/wizard/templates"
)

// TestReadmeSteps reads a README shaped like the bundle's into steps:
// the intro is an unnumbered step (-1, without its tables), numbered headings become steps, fences at any
// indent become commands (their indent removed), list items take their
// continuation lines, and only documentation links stay links.
func TestReadmeSteps(t *testing.T) {
	md := "# Title\n\nIntro `x`.\n\n| a | b |\n\n" +
		"## 1. Open the firewalls\n\n" +
		"- From the host to `a:1` (TCP 1):\n  polling.\n- See [the docs](https://octopus.com/docs/x) and [this](https://evil.example/) and [that](javascript:void).\n\n" +
		"## 2. Register\n\nRun **as root**:\n\n```bash\nsudo ./tentacle/register.sh\n```\n\n" +
		"## Other ways\n\n### Sub\n\n- If so:\n\n  ```bash\n  helm upgrade x \\\n    --reuse-values\n  ```\n"
	t1 := func(s string) []templates.Inline { return []templates.Inline{{Text: s}} }
	want := []templates.SetupStep{
		{Number: -1, Blocks: []templates.SetupBlock{{Kind: "p", Text: []templates.Inline{{Text: "Intro "}, {Kind: "code", Text: "x"}, {Text: "."}}}}},
		{Number: 1, Title: "Open the firewalls", Blocks: []templates.SetupBlock{{Kind: "ul", Items: [][]templates.Inline{
			{{Text: "From the host to "}, {Kind: "code", Text: "a:1"}, {Text: " (TCP 1): polling."}},
			{{Text: "See "}, {Kind: "link", Text: "the docs", Href: "https://octopus.com/docs/x"}, {Text: " and this and that."}},
		}}}},
		{Number: 2, Title: "Register", Blocks: []templates.SetupBlock{
			{Kind: "p", Text: []templates.Inline{{Text: "Run "}, {Kind: "strong", Text: "as root"}, {Text: ":"}}},
			{Kind: "code", Lang: "bash", Code: "sudo ./tentacle/register.sh"},
		}},
		{Title: "Other ways", Blocks: []templates.SetupBlock{
			{Kind: "h", Text: t1("Sub")},
			{Kind: "ul", Items: [][]templates.Inline{t1("If so:")}},
			{Kind: "code", Lang: "bash", Code: "helm upgrade x \\\n  --reuse-values"},
		}},
	}
	if diff := cmp.Diff(want, readmeSteps(md)); diff != "" {
		t.Errorf("readmeSteps (-want +got):\n%s", diff)
	}
}
