package app

import (
	"path"
	"strings"

	"github.com/tentacle-ha-wizard/wizard/templates"
	"github.com/tentacle-ha-wizard/wizard/web/bundle"
)

// Syntax classes: comment, string, keyword, number, variable, attribute or
// key, tag, heading.
const (
	clsComment = "c"
	clsString  = "s"
	clsKeyword = "k"
	clsNumber  = "n"
	clsVar     = "v"
	clsAttr    = "a"
	clsTag     = "t"
	clsHead    = "h"
)

// langOf names the syntax of a generated file by its name; a balancer's
// file by its row in bundle.Balancers.
func langOf(name string) string {
	if b, ok := bundle.BalancerOfPath(name); ok {
		return b.Lang
	}
	switch path.Ext(name) {
	case ".sh":
		return "sh"
	case ".ps1":
		return "ps"
	case ".xml":
		return "xml"
	case ".json":
		return "json"
	case ".yaml", ".yml":
		return "yaml"
	case ".tf":
		return "hcl"
	case ".md":
		return "md"
	case ".conf", ".cfg", ".nft", ".rules":
		return "conf"
	}
	if path.Base(name) == "SHA256SUMS" {
		return "sums"
	}
	return "text"
}

// highlighter splits a file into lines of classed tokens. It is a small
// line-by-line lexer, not a parser: it only has to make generated files
// easier to read, and it never changes their text.
type highlighter struct {
	lang    string
	comment bool   // inside a block comment (<!-- -->, <# #>)
	until   string // inside a heredoc or here-string that ends with this line
	fence   bool   // inside a Markdown code fence
	out     []templates.Token
	// text is the line being lexed; emitted tokens are consecutive slices
	// of it, so tokens of one class merge without copying.
	text       string
	pos, start int // end of what was emitted; start of the last token
	first      int // index in out of the line's first token
}

// highlight returns the lines of content as tokens, and whether it ends
// with a newline.
func highlight(name string, content []byte) ([]templates.Line, bool) {
	text := string(content)
	eol := strings.HasSuffix(text, "\n")
	text = strings.TrimSuffix(text, "\n")
	if text == "" && !eol {
		return nil, false
	}
	h := highlighter{lang: langOf(name)}
	raw := strings.Split(text, "\n")
	lines := make([]templates.Line, len(raw))
	// One array holds the tokens of every line; each line is a slice of it.
	h.out = make([]templates.Token, 0, len(text)/12+len(raw))
	for i, l := range raw {
		first := len(h.out)
		h.text, h.pos, h.start, h.first = l, 0, 0, first
		h.line(l)
		lines[i].Tokens = h.out[first:len(h.out):len(h.out)]
	}
	return lines, eol
}

// emit adds the next len(text) bytes of the line as a token of class.
func (h *highlighter) emit(class, text string) {
	if text == "" {
		return
	}
	end := h.pos + len(text)
	if n := len(h.out); n > h.first && h.out[n-1].Class == class {
		h.out[n-1].Text = h.text[h.start:end]
	} else {
		h.start = h.pos
		h.out = append(h.out, templates.Token{Class: class, Text: h.text[h.pos:end]})
	}
	h.pos = end
}

func (h *highlighter) line(l string) {
	if h.until != "" {
		h.emit(clsString, l)
		if strings.TrimSpace(l) == h.until || strings.HasPrefix(l, h.until) && h.lang == "ps" {
			h.until = ""
		}
		return
	}
	switch h.lang {
	case "xml":
		h.xml(l)
	case "md":
		h.markdown(l)
	case "sums":
		hash, _, _ := strings.Cut(l, " ")
		h.emit(clsNumber, hash)
		h.emit("", l[len(hash):])
	case "text":
		h.emit("", l)
	default:
		h.code(l)
	}
}

// code lexes the hash-comment languages: shell, PowerShell, YAML, HCL,
// JSON and load-balancer configurations.
func (h *highlighter) code(l string) {
	first := true // the next word is the first of the line
	for i := 0; i < len(l); {
		c := l[i]
		rest := l[i:]
		switch {
		case h.comment:
			end := strings.Index(rest, "#>")
			if end < 0 {
				h.emit(clsComment, rest)
				return
			}
			h.emit(clsComment, rest[:end+2])
			h.comment = false
			i += end + 2
		case h.lang == "ps" && strings.HasPrefix(rest, "<#"):
			h.comment = true
			h.emit(clsComment, "<#")
			i += 2
		case (c == '#' && (i == 0 || isSpace(l[i-1])) && h.lang != "json") || (h.lang == "hcl" && strings.HasPrefix(rest, "//")):
			h.emit(clsComment, rest)
			return
		case h.lang == "ps" && (rest == "@'" || rest == `@"`):
			h.emit(clsString, rest)
			h.until = rest[1:] + "@"
			return
		case h.lang == "sh" && strings.HasPrefix(rest, "<<") && !strings.HasPrefix(rest, "<<<"):
			m := 2
			if m < len(rest) && rest[m] == '-' {
				m++
			}
			quote := m < len(rest) && (rest[m] == '\'' || rest[m] == '"')
			if quote {
				m++
			}
			start := m
			for m < len(rest) && (isWord(rest[m]) || rest[m] == '-') {
				m++
			}
			h.until = rest[start:m]
			if quote && m < len(rest) {
				m++
			}
			h.emit(clsKeyword, rest[:m])
			i += m
		case c == '"' || c == '\'':
			n := quoted(rest, h.lang)
			cls := clsString
			if h.lang == "json" && strings.HasPrefix(strings.TrimLeft(rest[n:], " "), ":") {
				cls = clsAttr
			}
			h.emit(cls, rest[:n])
			i += n
			first = false
		case c == '$' && (h.lang == "sh" || h.lang == "ps" || h.lang == "hcl"):
			n := variable(rest)
			h.emit(clsVar, rest[:n])
			i += n
			first = false
		case isDigit(c) && (i == 0 || !isWord(l[i-1])):
			n := 1
			for n < len(rest) && (isDigit(rest[n]) || rest[n] == '.') {
				n++
			}
			if n < len(rest) && isWord(rest[n]) {
				h.emit("", rest[:n])
			} else {
				h.emit(clsNumber, rest[:n])
			}
			i += n
			first = false
		case isWord(c) || (c == '-' && h.lang == "ps" && i+1 < len(l) && isLetter(l[i+1])):
			n := 1
			for n < len(rest) && (isWord(rest[n]) || rest[n] == '-' || rest[n] == '.') {
				n++
			}
			h.emit(h.wordClass(rest[:n], rest[n:], first), rest[:n])
			i += n
			first = false
		default:
			if !isSpace(c) && c != '-' && c != '*' && c != ':' {
				first = false
			}
			h.emit("", rest[:1])
			i++
		}
	}
}

func (h *highlighter) wordClass(word, after string, first bool) string {
	after = strings.TrimLeft(after, " ")
	switch h.lang {
	case "yaml":
		if strings.HasPrefix(after, ":") {
			return clsAttr
		}
		if word == "true" || word == "false" || word == "null" {
			return clsKeyword
		}
	case "json":
		if word == "true" || word == "false" || word == "null" {
			return clsKeyword
		}
	case "hcl":
		if strings.HasPrefix(after, "=") && !strings.HasPrefix(after, "==") {
			return clsAttr
		}
		if first || word == "true" || word == "false" || word == "null" {
			return clsKeyword
		}
	case "conf":
		if first {
			return clsKeyword
		}
	case "sh":
		if isShellKeyword(word) && (first || word == "in" || word == "then" || word == "do") {
			return clsKeyword
		}
	case "ps":
		if word[0] == '-' {
			return clsAttr
		}
		if isPSKeyword(word) || isCmdlet(word) {
			return clsKeyword
		}
	}
	return ""
}
