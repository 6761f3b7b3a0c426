package app

import (
	"net/url"
	"slices"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// draftText is what the first line of every file of a draft preview says:
// a constant, so it needs no escaping in any of the files' languages.
const draftText = "DRAFT: example values stand in for fields that are empty or not valid yet. Finish the wizard's form before you use this file."

// draftStop is the line after a script's DRAFT line: a draft script that
// is copied and run stops before it does anything.
const draftStop = "exit 1 # DRAFT: this script stops here until the form is complete."

// draftLines puts the DRAFT line first in a file of a draft preview, as a
// comment in the file's language (lang, see langOf). JSON has no
// comments: its first line, the object's "{", gains a "DRAFT" member.
// Shell and PowerShell scripts also stop at once (draftStop), and their
// first line is no longer a #! line, so a draft is not run by mistake.
// lines is not changed; the result shares its unchanged lines.
func draftLines(lang string, lines []templates.Line) []templates.Line {
	comment := func(text string) templates.Line {
		return templates.Line{Tokens: []templates.Token{{Class: clsComment, Text: text}}}
	}
	switch lang {
	case "json":
		if len(lines) > 0 && lineText(lines[0]) == "{" {
			out := slices.Clone(lines)
			out[0] = templates.Line{Changed: lines[0].Changed, Tokens: []templates.Token{
				{Text: "{"}, {Class: clsAttr, Text: `"DRAFT"`}, {Text: ": "}, {Class: clsString, Text: `"` + draftText + `"`}, {Text: ","},
			}}
			return out
		}
	case "xml", "md":
		if len(lines) > 0 && strings.HasPrefix(lineText(lines[0]), "<?xml") {
			// Nothing may come before an XML declaration: the comment
			// goes after it, on its line.
			out := slices.Clone(lines)
			out[0].Tokens = append(slices.Clip(lines[0].Tokens), templates.Token{Class: clsComment, Text: "<!-- " + draftText + " -->"})
			return out
		}
		return append([]templates.Line{comment("<!-- " + draftText + " -->")}, lines...)
	case "sh", "ps":
		stop := templates.Line{Tokens: []templates.Token{{Class: clsKeyword, Text: "exit"}, {Text: " "}, {Class: clsNumber, Text: "1"}, {Text: " "}, {Class: clsComment, Text: strings.TrimPrefix(draftStop, "exit 1 ")}}}
		return append([]templates.Line{comment("# " + draftText), stop}, lines...)
	}
	// Every other file the bundle writes (YAML, HCL, nginx, HAProxy,
	// nftables, iptables-restore, SHA256SUMS, whose checkers skip lines
	// that start with #) comments with #.
	return append([]templates.Line{comment("# " + draftText)}, lines...)
}

func lineText(l templates.Line) string {
	var b strings.Builder
	for _, t := range l.Tokens {
		b.WriteString(t.Text)
	}
	return b.String()
}

// exampleMarks are the texts of the example values draft put into the
// fields it filled, longest first: the preview marks them in the files.
// Values that are defaults rather than examples (a port, an instance
// name, a version) and empty ones are not marked.
func exampleMarks(eff plan.Plan, filled []string) []string {
	var marks []string
	add := func(s string) {
		if s != "" && !slices.Contains(marks, s) {
			marks = append(marks, s)
		}
	}
	t := eff.Tentacle
	for _, key := range filled {
		switch key {
		case "server.url":
			add(eff.Server.URL)
			if u, err := url.Parse(eff.Server.URL); err == nil {
				add(u.Host)
			}
		case "server.thumbprint":
			add(eff.Server.Thumbprint)
		case "loadBalancer.address":
			add(eff.LoadBalancer.Address)
		case "tentacle.name":
			add(t.Name)
		case "tentacle.subscriptionId":
			add(t.SubscriptionID)
		case "nodes":
			for _, n := range eff.Nodes {
				add(n.Name)
				add(n.Address)
			}
		}
		list, idx, sub, ok := splitPath(key)
		switch {
		case !ok && slices.Contains([]string{"tentacle.environments", "tentacle.roles", "tentacle.tenants", "tentacle.tenantTags", "tentacle.workerPools"}, key):
			list, idx, ok = key, -1, true
		case !ok:
			continue
		}
		var items []string
		switch list {
		case "nodes":
			if idx >= 0 && idx < len(eff.Nodes) && (sub == "name" || sub == "address") {
				n := eff.Nodes[idx]
				add(map[string]string{"name": n.Name, "address": n.Address}[sub])
			}
			continue
		case "tentacle.environments":
			items = t.Environments
		case "tentacle.roles":
			items = t.Roles
		case "tentacle.tenants":
			items = t.Tenants
		case "tentacle.tenantTags":
			items = t.TenantTags
		case "tentacle.workerPools":
			items = t.WorkerPools
		}
		for i, item := range items {
			if (idx < 0 || i == idx) && strings.Contains(strings.ToLower(item), "example") {
				add(item)
			}
		}
	}
	slices.SortStableFunc(marks, func(a, b string) int { return len(b) - len(a) })
	return marks
}

// markExamples marks the example values in highlighted lines: a token
// that holds one is split, and the value's part gets the class "ex" too.
// The text is unchanged. lines is not changed; the result shares its
// unchanged lines.
func markExamples(lines []templates.Line, marks []string) []templates.Line {
	if len(marks) == 0 {
		return lines
	}
	var out []templates.Line
	for i, l := range lines {
		spans := findMarks(lineText(l), marks)
		if len(spans) == 0 {
			continue
		}
		if out == nil {
			out = slices.Clone(lines)
		}
		out[i] = templates.Line{Changed: l.Changed, Tokens: splitMarked(l.Tokens, spans)}
	}
	if out == nil {
		return lines
	}
	return out
}

// findMarks returns the byte ranges of text that are marks, leftmost and
// then longest first, not overlapping. A mark is whole: the characters
// either side are not letters, digits, dots or hyphens of a longer name
// (node1.example.com is not marked inside node10.example.com).
func findMarks(text string, marks []string) [][2]int {
	var spans [][2]int
	for pos := 0; pos < len(text); {
		best := [2]int{-1, -1}
		for _, m := range marks {
			i := strings.Index(text[pos:], m)
			for i >= 0 && !whole(text, pos+i, pos+i+len(m)) {
				j := strings.Index(text[pos+i+1:], m)
				if j < 0 {
					i = -1
					break
				}
				i += 1 + j
			}
			if i < 0 {
				continue
			}
			if start := pos + i; best[0] < 0 || start < best[0] || start == best[0] && start+len(m) > best[1] {
				best = [2]int{start, start + len(m)}
			}
		}
		if best[0] < 0 {
			break
		}
		spans = append(spans, best)
		pos = best[1]
	}
	return spans
}

func whole(text string, start, end int) bool {
	name := func(c byte) bool { return isWord(c) || c == '-' || c == '.' }
	if start > 0 && name(text[start-1]) && name(text[start]) {
		return false
	}
	// A trailing dot ends a sentence, not a name.
	if end < len(text) && name(text[end-1]) && name(text[end]) && !(text[end] == '.' && (end+1 == len(text) || !name(text[end+1]))) {
		return false
	}
	return true
}

// splitMarked splits tokens at the spans' edges and adds "ex" to the
// class of the parts inside a span.
func splitMarked(tokens []templates.Token, spans [][2]int) []templates.Token {
	var out []templates.Token
	pos := 0
	for _, t := range tokens {
		start, end := pos, pos+len(t.Text)
		pos = end
		cut := []int{start}
		for _, s := range spans {
			for _, edge := range s {
				if edge > start && edge < end {
					cut = append(cut, edge)
				}
			}
		}
		cut = append(cut, end)
		slices.Sort(cut)
		for k := 0; k+1 < len(cut); k++ {
			a, b := cut[k], cut[k+1]
			if a == b {
				continue
			}
			part := templates.Token{Class: t.Class, Text: t.Text[a-start : b-start]}
			for _, s := range spans {
				if a >= s[0] && b <= s[1] {
					part.Class = strings.TrimSpace(part.Class + " ex")
					break
				}
			}
			out = append(out, part)
		}
	}
	return out
}
