package app

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
	"github.com/tentacle-ha-wizard/wizard/web/plan"
)

// setupView is the review step's setup steps for a valid plan: its README
// read into steps (readmeSteps) and the bundle as paste scripts. The
// bundle comes through cache (planFiles), where the review's preview of
// the same plan has just put it.
func setupView(cache *previewCaches, p plan.Plan) (*templates.SetupView, error) {
	eff := p.Normalized()
	key, err := json.Marshal(eff)
	if err != nil {
		return nil, err
	}
	files, err := planFiles(cache, eff, string(key))
	if err != nil {
		return nil, err
	}
	v := &templates.SetupView{Archive: bundle.ArchivePrefix(p), File: bundle.PasteFile}
	for _, f := range files {
		if f.Path == "README.md" {
			v.Steps = readmeSteps(string(f.Content))
		}
	}
	paste, err := bundle.PasteOf(bundle.ArchivePrefix(p), files)
	if err != nil {
		return nil, err
	}
	v.Bash, v.PowerShell, v.Size, v.SHA256 = paste.Bash, paste.PowerShell, paste.Size, paste.SHA256
	v.Large = paste.Size > bundle.PasteLarge
	return v, nil
}

var numbered = regexp.MustCompile(`^(\d+)\.\s+(.*)$`)

// readmeSteps reads the bundle README's Markdown (web/bundle/readme.go
// writes it) into steps: each "## " heading starts one ("## 3. Title" a
// numbered step), and within it fenced code blocks (at any indent) become
// commands, "- " lines list items, "### " sub-headings, and other lines
// paragraphs. What comes before the first "## " (the introduction: the
// plan's summary and how to check the download) is a step numbered -1,
// without the title line and tables.
func readmeSteps(md string) []templates.SetupStep {
	// Before the first section: the introduction (how to check the
	// download), a step without a number (-1); the title line is the page's.
	steps := []templates.SetupStep{{Number: -1}}
	cur := &steps[0]
	var para []string
	var list [][]string
	flush := func() {
		if cur == nil {
			para, list = nil, nil
			return
		}
		if len(para) > 0 {
			cur.Blocks = append(cur.Blocks, templates.SetupBlock{Kind: "p", Text: inlines(strings.Join(para, " "))})
			para = nil
		}
		if len(list) > 0 {
			b := templates.SetupBlock{Kind: "ul"}
			for _, item := range list {
				b.Items = append(b.Items, inlines(strings.Join(item, " ")))
			}
			cur.Blocks = append(cur.Blocks, b)
			list = nil
		}
	}
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "## "):
			flush()
			title := strings.TrimSpace(line[3:])
			st := templates.SetupStep{Title: title}
			if m := numbered.FindStringSubmatch(title); m != nil {
				st.Number, _ = strconv.Atoi(m[1])
				st.Title = m[2]
			}
			steps = append(steps, st)
			cur = &steps[len(steps)-1]
		case strings.HasPrefix(line, "# "), strings.HasPrefix(trimmed, "|"):
			// The page's title, and tables (the page shows the files).
			flush()
		case strings.HasPrefix(trimmed, "```"):
			flush()
			indent := len(line) - len(strings.TrimLeft(line, " "))
			var code []string
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
				l := lines[i]
				if n := len(l) - len(strings.TrimLeft(l, " ")); n >= indent {
					l = l[indent:]
				}
				code = append(code, l)
			}
			cur.Blocks = append(cur.Blocks, templates.SetupBlock{Kind: "code", Lang: strings.TrimPrefix(trimmed, "```"), Code: strings.Join(code, "\n")})
		case strings.HasPrefix(line, "### "):
			flush()
			cur.Blocks = append(cur.Blocks, templates.SetupBlock{Kind: "h", Text: inlines(strings.TrimSpace(line[4:]))})
		case trimmed == "":
			flush()
		case strings.HasPrefix(line, "- "):
			if len(para) > 0 {
				flush()
			}
			list = append(list, []string{strings.TrimSpace(line[2:])})
		case len(list) > 0 && line != trimmed:
			list[len(list)-1] = append(list[len(list)-1], trimmed)
		default:
			if len(list) > 0 {
				flush()
			}
			para = append(para, trimmed)
		}
	}
	flush()
	if len(steps[0].Blocks) == 0 {
		steps = steps[1:]
	}
	return steps
}

// inlines reads the inline Markdown the README uses: `code`, **strong**
// and [text](https://…) links to documentation (docsLink); any other
// target stays text, so a plan value shaped like a link (from a stranger's
// share link) never becomes one.
func inlines(s string) []templates.Inline {
	var out []templates.Inline
	text := func(t string) {
		if t == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Kind == "" {
			out[n-1].Text += t
			return
		}
		out = append(out, templates.Inline{Text: t})
	}
	for s != "" {
		i := strings.IndexAny(s, "`*[")
		if i < 0 {
			text(s)
			break
		}
		text(s[:i])
		s = s[i:]
		switch {
		case s[0] == '`':
			if j := strings.IndexByte(s[1:], '`'); j >= 0 {
				out = append(out, templates.Inline{Kind: "code", Text: s[1 : 1+j]})
				s = s[j+2:]
				continue
			}
		case strings.HasPrefix(s, "**"):
			if j := strings.Index(s[2:], "**"); j >= 0 {
				out = append(out, templates.Inline{Kind: "strong", Text: s[2 : 2+j]})
				s = s[j+4:]
				continue
			}
		case s[0] == '[':
			if j := strings.Index(s, "]("); j > 0 {
				if k := strings.IndexByte(s[j+2:], ')'); k >= 0 {
					label, href := s[1:j], s[j+2:j+2+k]
					if docsLink(href) {
						out = append(out, templates.Inline{Kind: "link", Text: label, Href: href})
					} else {
						text(label)
					}
					s = s[j+3+k:]
					continue
				}
			}
		}
		text(s[:1])
		s = s[1:]
	}
	return out
}

// docsLink reports whether href is documentation the README may link to:
// Octopus's own docs and repositories, and Microsoft's.
func docsLink(href string) bool {
	for _, prefix := range []string{"https://octopus.com/", "https://github.com/OctopusDeploy/", "https://learn.microsoft.com/"} {
		if strings.HasPrefix(href, prefix) && !strings.ContainsAny(href, " \"<>") {
			return true
		}
	}
	return false
}
