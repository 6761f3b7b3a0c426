package plan

import (
	"net/netip"
	"strconv"
	"strings"
)

// checkAddress returns why s is not a DNS name or IP literal without scheme
// or port, or "" when it is one. s is already normalized (trimmed, lower case).
func checkAddress(s string) string {
	switch {
	case s == "":
		return "Enter the address: a DNS name such as octo1.example.com or an IP address."
	case strings.Contains(s, "://"):
		return "Write the address without a scheme: " + strings.SplitN(s, "://", 2)[1] + ", not " + s + "."
	case strings.ContainsAny(s, "/?#@"):
		return "Write only the host name or IP address, without a path or user name."
	case strings.ContainsAny(s, " \t\r\n\"'`\\<>{}|^%"):
		return "The address contains characters a host name cannot have (spaces, quotes or symbols)."
	}
	if strings.Contains(s, ":") {
		if a, err := netip.ParseAddr(s); err == nil && a.Is6() && a.Zone() == "" {
			return ""
		}
		if h, port, ok := strings.Cut(s, ":"); ok && !strings.Contains(port, ":") {
			return "Write the port in the port field, not in the address: " + h + " and port " + port + "."
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
