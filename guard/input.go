package guard

import (
	"net/netip"
	"strings"
)

// The input model shared by every adapter (guardlambda, guardgcf,
// guardhttp): one derivation of the client address from a trusted proxy
// header, one cookie parser. The engine applies one header policy (see
// headerConforms) and one body decoder (see scanBody) to what they map.

// ClientAddr derives the client address from the values of a header that
// trusted proxies append to (X-Forwarded-For, or RFC 7239 Forwarded when
// header is "forwarded", in any case): the values of every occurrence, in
// order, form one comma-separated list, and the entry hops places from the
// right is the client (hops 1: the last entry, which the one trusted proxy
// appended; an entry the client wrote itself is always further left). Empty
// entries are not counted. With fewer entries than hops, the leftmost one
// is taken: what the first proxy saw. Entries may carry ports
// ("192.0.2.1:443", "[2001:db8::1]:443") or quotes; IPv4-mapped addresses
// are unmapped. An entry that is not an address, no entry at all, or hops
// < 1 give the zero Addr (unknown), which an address allowlist refuses.
func ClientAddr(values []string, header string, hops int) netip.Addr {
	if hops < 1 {
		return netip.Addr{}
	}
	forwarded := strings.EqualFold(header, "forwarded")
	n := 0
	for _, v := range values {
		for e := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(e) != "" {
				n++
			}
		}
	}
	if n == 0 {
		return netip.Addr{}
	}
	want := max(0, n-hops) // index from the left
	i := 0
	for _, v := range values {
		for e := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(e) == "" {
				continue
			}
			if i == want {
				if forwarded {
					e = forwardedFor(e)
				}
				return ParseAddr(e)
			}
			i++
		}
	}
	return netip.Addr{}
}

// ClientAddrFromHeaders is ClientAddr over the values of the header with
// the given name (compared case-insensitively) in hs.
func ClientAddrFromHeaders(hs []Param, header string, hops int) netip.Addr {
	var buf [4]string
	vs := buf[:0]
	for i := range hs {
		if strings.EqualFold(hs[i].Name, header) {
			vs = append(vs, hs[i].Value)
		}
	}
	return ClientAddr(vs, header, hops)
}

// forwardedFor extracts the for= parameter of one RFC 7239 element.
func forwardedFor(elem string) string {
	for kv := range strings.SplitSeq(elem, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if ok && strings.EqualFold(k, "for") {
			return v
		}
	}
	return ""
}

// ParseAddr parses "ip", "ip:port", "[ipv6]:port", "[ipv6]" and quoted
// forms of them, unmapped and without zone; anything else is the zero Addr.
func ParseAddr(s string) netip.Addr {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if s == "" {
		return netip.Addr{}
	}
	// Try the likely form first: a failed parse allocates its error.
	if s[0] == '[' || strings.Count(s, ":") == 1 { // [v6]:port, v4:port
		if ap, err := netip.ParseAddrPort(s); err == nil {
			return ap.Addr().Unmap().WithZone("")
		}
	} else if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone("")
	}
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return a.Unmap().WithZone("")
		}
	}
	return netip.Addr{}
}

// AppendCookies appends the cookies of one Cookie header value ("a=1;
// b=2"), or of one entry of an API Gateway payload 2.0 cookies array,
// leniently: every non-empty part is kept, invalid names and values
// included (net/http's parser would silently drop them, and the detectors
// must see them), names and values trimmed of blanks, and a value in double quotes
// unquoted, as net/http hands it to a handler.
func AppendCookies(dst []Param, v string) []Param {
	for v != "" {
		var part string
		part, v, _ = strings.Cut(v, ";")
		// blanks are trimmed, not line breaks: a name that holds one is
		// no cookie name, and its CR LF is what header injection is made
		// of ("\r\nSet-Cookie: x=1" in an API Gateway cookies entry)
		part = strings.Trim(part, " \t")
		if part == "" {
			continue
		}
		name, val, _ := strings.Cut(part, "=")
		name = strings.Trim(name, " \t")
		val = strings.Trim(val, " \t")
		if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
			val = val[1 : len(val)-1]
		}
		dst = append(dst, Param{Name: name, Value: val})
	}
	return dst
}
