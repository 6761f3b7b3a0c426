package app

import "strings"

func isShellKeyword(w string) bool {
	switch w {
	case "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case", "esac",
		"function", "return", "exit", "set", "export", "local", "readonly", "trap", "echo", "printf", "shift", "exec":
		return true
	}
	return false
}

func isPSKeyword(w string) bool {
	switch strings.ToLower(w) {
	case "param", "function", "if", "else", "elseif", "foreach", "for", "while", "do", "switch", "return",
		"throw", "try", "catch", "finally", "exit", "begin", "process", "end", "in":
		return true
	}
	return false
}

// isCmdlet reports a PowerShell Verb-Noun name.
func isCmdlet(w string) bool {
	verb, noun, ok := strings.Cut(w, "-")
	return ok && len(verb) > 1 && len(noun) > 1 && verb[0] >= 'A' && verb[0] <= 'Z' && noun[0] >= 'A' && noun[0] <= 'Z'
}

// quoted returns the length of the quoted string at the start of s.
func quoted(s, lang string) int {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && q == '"' && lang != "ps":
			i++
		case s[i] == '`' && lang == "ps":
			i++
		case s[i] == q:
			if lang == "ps" && q == '\'' && i+1 < len(s) && s[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(s)
}

// variable returns the length of $NAME, ${...}, $env:NAME or $(...) at the
// start of s (only the "$(" of a subexpression).
func variable(s string) int {
	if len(s) > 1 && s[1] == '{' {
		depth := 0
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '{':
				depth++
			case '}':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(s)
	}
	n := 1
	for n < len(s) && (isWord(s[n]) || s[n] == ':' && n+1 < len(s) && isWord(s[n+1])) {
		n++
	}
	if n == 1 && len(s) > 1 && strings.IndexByte("?@#*!$0123456789(", s[1]) >= 0 {
		return 2
	}
	return n
}

func isSpace(c byte) bool  { return c == ' ' || c == '\t' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isWord(c byte) bool   { return isLetter(c) || isDigit(c) || c == '_' }
