package app

import "strings"

// xml lexes one line of XML: comments (which may span lines), tags with
// their attributes, and text.
func (h *highlighter) xml(l string) {
	for l != "" {
		if h.comment {
			end := strings.Index(l, "-->")
			if end < 0 {
				h.emit(clsComment, l)
				return
			}
			h.emit(clsComment, l[:end+3])
			h.comment = false
			l = l[end+3:]
			continue
		}
		if strings.HasPrefix(l, "<!--") {
			h.comment = true
			continue
		}
		lt := strings.IndexByte(l, '<')
		if lt != 0 {
			if lt < 0 {
				lt = len(l)
			}
			h.emit("", l[:lt])
			l = l[lt:]
			continue
		}
		l = h.tag(l)
	}
}

// tag lexes a tag at the start of l and returns what follows it.
func (h *highlighter) tag(l string) string {
	n := 1
	for n < len(l) && (isWord(l[n]) || strings.IndexByte("/?:-.", l[n]) >= 0) {
		n++
	}
	h.emit(clsTag, l[:n])
	l = l[n:]
	for l != "" {
		switch c := l[0]; {
		case c == '>':
			h.emit(clsTag, ">")
			return l[1:]
		case (c == '/' || c == '?') && strings.HasPrefix(l[1:], ">"):
			h.emit(clsTag, l[:2])
			return l[2:]
		case c == '"' || c == '\'':
			end := strings.IndexByte(l[1:], c)
			if end < 0 {
				h.emit(clsString, l)
				return ""
			}
			h.emit(clsString, l[:end+2])
			l = l[end+2:]
		case isLetter(c):
			m := 1
			for m < len(l) && (isWord(l[m]) || l[m] == '-' || l[m] == ':') {
				m++
			}
			h.emit(clsAttr, l[:m])
			l = l[m:]
		default:
			h.emit("", l[:1])
			l = l[1:]
		}
	}
	return ""
}

// markdown lexes one line of Markdown: headings, code fences and their
// content, list markers and inline code.
func (h *highlighter) markdown(l string) {
	trimmed := strings.TrimLeft(l, " ")
	switch {
	case strings.HasPrefix(trimmed, "```"):
		h.fence = !h.fence
		h.emit(clsKeyword, l)
		return
	case h.fence:
		h.emit(clsString, l)
		return
	case strings.HasPrefix(trimmed, "#"):
		h.emit(clsHead, l)
		return
	}
	if marker := listMarker(trimmed); marker > 0 {
		indent := len(l) - len(trimmed)
		h.emit("", l[:indent])
		h.emit(clsKeyword, trimmed[:marker])
		l = trimmed[marker:]
	}
	for l != "" {
		start := strings.IndexByte(l, '`')
		if start < 0 {
			h.emit("", l)
			return
		}
		end := strings.IndexByte(l[start+1:], '`')
		if end < 0 {
			h.emit("", l)
			return
		}
		h.emit("", l[:start])
		h.emit(clsString, l[start:start+end+2])
		l = l[start+end+2:]
	}
}

// listMarker returns the length of a list marker ("- ", "12. ") at the
// start of s, or 0.
func listMarker(s string) int {
	if strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ") {
		return 2
	}
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n > 0 && strings.HasPrefix(s[n:], ". ") {
		return n + 2
	}
	return 0
}
