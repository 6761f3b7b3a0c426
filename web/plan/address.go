package plan

import (
	"net/netip"
	"strconv"
	"strings"
)

// checkAddress returns why s is not a DNS name or IP literal without scheme
// or port, or "" when it is one, and the corrected address when the
// message suggests one (it always passes checkAddress itself). s is
// already normalized (trimmed, lower case). portField names where a port
// written into s belongs ("the port field").
func checkAddress(s, portField string) (msg, fix string) {
	msg = addressProblem(s)
	if msg == "" || s == "" {
		return msg, ""
	}
	host, port := hostOf(s)
	if host == s || host == "" || addressProblem(host) != "" {
		if strings.Contains(s, "://") || strings.ContainsAny(s, "/?#@") {
			// The host left over is not an address either: say what to
			// remove, and suggest nothing.
			return "Write only the host name or IP address, without a scheme, path, port or user name.", ""
		}
		return msg, ""
	}
	msg = "Write only the host name or IP address: " + host
	switch n, err := strconv.Atoi(port); {
	case err == nil && validPort(n):
		msg += ", and " + port + " in " + portField
	case port != "":
		msg += ", and the port in " + portField
	}
	// The input is not repeated: it is in the field, and may hold a
	// user name and password.
	return msg + ".", host
}

// hostOf takes the host and the port out of what was written as a URL or
// host:port: it drops a scheme, a user name, a path, a query and a
// fragment, and the brackets of an IPv6 literal with a port.
func hostOf(s string) (host, port string) {
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if rest, ok := strings.CutPrefix(s, "["); ok {
		h, after, ok := strings.Cut(rest, "]")
		if !ok {
			return s, ""
		}
		p, _ := strings.CutPrefix(after, ":")
		return h, p
	}
	if strings.Count(s, ":") == 1 {
		h, p, _ := strings.Cut(s, ":")
		return h, p
	}
	return s, ""
}

// addressProblem returns why s is not a DNS name or IP literal without
// scheme or port, or "".
func addressProblem(s string) string {
	switch {
	case s == "":
		return "Enter the address: a DNS name such as octo1.example.com or an IP address."
	case strings.Contains(s, "://"):
		return "Write the address without a scheme."
	case strings.ContainsAny(s, "/?#@"):
		return "Write only the host name or IP address, without a path or user name."
	case strings.ContainsAny(s, " \t\r\n\"'`\\<>{}|^%"):
		return "The address contains characters a host name cannot have (spaces, quotes or symbols)."
	}
	if strings.Contains(s, ":") {
		if a, err := netip.ParseAddr(s); err == nil && a.Is6() && a.Zone() == "" {
			return ""
		}
		if _, port, ok := strings.Cut(s, ":"); ok && !strings.Contains(port, ":") {
			return "Write the port in the port field, not in the address."
		}
		return "This is not a valid IPv6 address."
	}
	if looksNumeric(s) {
		if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
			return ""
		}
		return "This is not a valid IPv4 address (four numbers 0 to 255 separated by dots)."
	}
	if len(s) > 253 {
		return "A DNS name can be at most 253 characters long."
	}
	for _, label := range strings.Split(s, ".") {
		if msg := checkLabel(label); msg != "" {
			return msg
		}
	}
	return ""
}

func checkLabel(l string) string {
	if l == "" {
		return "The address has an empty part between dots."
	}
	if len(l) > 63 {
		return "Each part of a DNS name between dots can be at most 63 characters long."
	}
	if l[0] == '-' || l[len(l)-1] == '-' {
		return "A part of a DNS name cannot start or end with a hyphen (" + l + ")."
	}
	for _, r := range l {
		if r >= 0x80 {
			return "Write international names in their ASCII (xn--) form; " + strconv.QuoteRune(r) + " is not allowed."
		}
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "A DNS name may contain only letters, digits and hyphens; " + strconv.QuoteRune(r) + " is not allowed."
		}
	}
	return ""
}

// looksNumeric reports whether s is made of digits and dots only, so that it
// is meant as an IPv4 literal rather than a name.
func looksNumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

// IsIP reports whether the address is an IP literal (not a DNS name).
func IsIP(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// IsIPv6 reports whether the address is an IPv6 literal.
func IsIPv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && !a.Is4In6()
}
