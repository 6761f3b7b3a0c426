package plan

import (
	"net/netip"
	"strconv"
	"strings"
)

// CanonicalIPv6 writes an IPv6 address the way .NET's System.Uri writes
// the host of https://[addr]:port/ (IPv6AddressHelper.ParseCanonicalName),
// because that string is the Address Tentacle stores in
// TrustedOctopusServers and compares with clear-trusted-servers --keep:
// lower-case hex without leading zeros, the longest run of two or more zero
// groups (the first on a tie) written "::" (RFC 5952 section 4), and the
// last 32 bits in dotted form for the IPv4-compatible (::a.b.c.d),
// IPv4-mapped (::ffff:a.b.c.d), SIIT (::ffff:0:a.b.c.d) and ISATAP
// (…:0:5efe:a.b.c.d) forms, as .NET's ShouldHaveIpv4Embedded decides.
// netip's String agrees except for the dotted forms other than
// IPv4-mapped, which it writes in hex. The zone is dropped, as Uri drops
// it from the host; plans refuse zones anyway.
func CanonicalIPv6(a netip.Addr) string {
	b := a.As16()
	var g [8]uint16
	for i := range g {
		g[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	start, end := zeroRun(g)
	embedded := embedsIPv4(g)
	var sb strings.Builder
	for i := 0; i < 8; i++ {
		if embedded && i == 6 {
			sb.WriteString(":" + strconv.Itoa(int(b[12])) + "." + strconv.Itoa(int(b[13])) + "." + strconv.Itoa(int(b[14])) + "." + strconv.Itoa(int(b[15])))
			break
		}
		if i == start {
			sb.WriteByte(':')
		}
		if start >= 0 && start <= i && end == 8 {
			sb.WriteByte(':')
			break
		}
		if start >= 0 && start <= i && i < end {
			continue
		}
		if i != 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(g[i]), 16))
	}
	return sb.String()
}

// zeroRun is the longest run of at least two zero groups, first on a tie,
// as [start, end); (-1, 0) when there is none.
func zeroRun(g [8]uint16) (start, end int) {
	best, bestStart, cur := 0, -1, 0
	for i, v := range g {
		if v != 0 {
			cur = 0
			continue
		}
		cur++
		if cur > best {
			best, bestStart = cur, i-cur+1
		}
	}
	if best < 2 {
		return -1, 0
	}
	return bestStart, bestStart + best
}

// embedsIPv4 is .NET's ShouldHaveIpv4Embedded.
func embedsIPv4(g [8]uint16) bool {
	if g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[6] != 0 {
		if g[4] == 0 && (g[5] == 0 || g[5] == 0xffff) {
			return true
		}
		if g[4] == 0xffff && g[5] == 0 {
			return true
		}
	}
	return g[4] == 0 && g[5] == 0x5efe
}
