//go:build !js

package bundle_test

import (
	"errors"
	"regexp"
	"strings"
)

// shToken is one token of a shell script: a word, an operator or a newline.
type shToken struct {
	text string
	// literal: a word of plain characters, single-quoted parts and
	// backslash escapes only, which expands to value and nothing else.
	literal bool
	value   string
}

// shTokens splits a shell script into tokens by the POSIX quoting rules
// (single quotes, backslash, double quotes, $(...), ${...} and backquotes
// inside a word; comments dropped). It does not parse what is inside an
// expansion, which only has to split the same way for two scripts. It is the oracle for Sh and the
// structure of bash --pretty-print output.
func shTokens(src string) ([]shToken, error) {
	var out []shToken
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
		case c == '\n':
			out = append(out, shToken{text: "\n"})
			i++
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.IndexByte(";&|()<>", c) >= 0:
			j := i + 1
			for j < len(src) && strings.IndexByte(";&|<>", src[j]) >= 0 {
				j++
			}
			out = append(out, shToken{text: src[i:j]})
			i = j
		default:
			tok, n, err := shWord(src[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, tok)
			i += n
		}
	}
	return out, nil
}

// shWord reads one word at the start of s and returns it with its length.
func shWord(s string) (shToken, int, error) {
	var val strings.Builder
	literal := true
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || strings.IndexByte(";&|()<>", c) >= 0:
			return shToken{text: s[:i], literal: literal, value: val.String()}, i, nil
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return shToken{}, 0, errors.New("unterminated single quote")
			}
			val.WriteString(s[i+1 : i+1+j])
			i += j + 2
		case c == '\\':
			if i+1 >= len(s) {
				return shToken{}, 0, errors.New("backslash at the end")
			}
			val.WriteByte(s[i+1])
			i += 2
		case c == '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return shToken{}, 0, errors.New("unterminated double quote")
			}
			// Plain text in double quotes is literal too (Sh writes U+2018
			// and U+2019 so); $, ` and \ make the word an expansion.
			if inner := s[i+1 : j]; strings.ContainsAny(inner, "$`\\") {
				literal = false
			} else {
				val.WriteString(inner)
			}
			i = j + 1
		case c == '`':
			literal = false
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return shToken{}, 0, errors.New("unterminated backquote")
			}
			i += j + 2
		case c == '$' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '{'):
			literal = false
			open, close := s[i+1], byte(')')
			if open == '{' {
				close = '}'
			}
			depth, j := 0, i+1
		scan:
			for ; j < len(s); j++ {
				switch s[j] {
				case open:
					depth++
				case close:
					depth--
				case '\'':
					if k := strings.IndexByte(s[j+1:], '\''); k >= 0 {
						j += k + 1
					}
				}
				if depth == 0 {
					break scan
				}
			}
			if j >= len(s) {
				return shToken{}, 0, errors.New("unterminated $( or ${")
			}
			i = j + 1
		default:
			if c == '$' {
				literal = false
			}
			val.WriteByte(c)
			i++
		}
	}
	return shToken{text: s, literal: literal, value: val.String()}, len(s), nil
}

// shSignature is the token structure of a script: every literal word is
// W, and so is a literal default value (${NODE1_NIC:-node1-nic}, derived
// from a node name; ${TENTACLE_CONFIG:-'/etc/...'}); runs of newlines are
// one; everything else stands as written.
func shSignature(src string) (string, error) {
	toks, err := shTokens(src)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	newline := false
	for _, t := range toks {
		switch {
		case t.text == "\n":
			if !newline {
				b.WriteString("\n")
			}
			newline = true
			continue
		case t.literal:
			b.WriteString("W ")
		default:
			b.WriteString(shMaskDefault(t.text) + " ")
		}
		newline = false
	}
	return b.String(), nil
}

// shMaskDefault writes a word NAME=${NAME:-VALUE} or ${NAME:-VALUE} whose
// VALUE is one literal word with VALUE as W.
func shMaskDefault(word string) string {
	m := shDefault.FindStringSubmatch(word)
	if m == nil {
		return word
	}
	if toks, err := shTokens(m[3]); err != nil || len(toks) != 1 || !toks[0].literal {
		return word
	}
	return m[1] + "${" + m[2] + ":-W}"
}

var shDefault = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*=)?\$\{([A-Za-z_][A-Za-z0-9_]*):-(.*)\}$`)
