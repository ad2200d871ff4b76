package egress

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode"
)

// Limits that bound the work ParseAllowList does on hostile input.
const (
	// MaxRules is the largest number of entries ParseAllowList accepts.
	MaxRules = 1024
	// maxEntryLen bounds one entry: a 253-byte name plus ":65535" and some
	// slack for bracketed IPv6 prefixes.
	maxEntryLen = 300
	maxHostLen  = 253
	maxLabelLen = 63
)

type ruleKind uint8

const (
	kindAny      ruleKind = iota + 1 // "*": every destination except cloud metadata
	kindHost                         // exact host name
	kindWildcard                     // "*.suffix": any name strictly below suffix
	kindPrefix                       // IP address or CIDR
)

// Rule is one parsed allow-list entry. Build rules with [ParseAllowList]; the
// zero Rule matches nothing.
//
// Accepted forms (port optional everywhere, 1-65535):
//
//   - any destination except cloud metadata endpoints
//     *:443                   any destination on port 443
//     api.stripe.com:443      exactly this host name (case-insensitive, trailing dot ignored)
//     *.amazonaws.com         any name below amazonaws.com, at any depth, but not amazonaws.com itself
//     10.1.2.3, 10.1.2.3:5432 one IPv4 address
//     10.0.0.0/8, 10.0.0.0/8:443
//     2001:db8::1, [2001:db8::1]:443
//     2001:db8::/32, [2001:db8::]/32:443, [2001:db8::/32]:443
type Rule struct {
	kind   ruleKind
	host   string // kindHost: the name; kindWildcard: the suffix with its leading dot (".amazonaws.com")
	prefix netip.Prefix
	port   uint16 // 0: any port
}

// String returns the canonical text of the rule; ParseAllowList(r.String())
// yields r again.
func (r Rule) String() string {
	var s string
	switch r.kind {
	case kindAny:
		s = "*"
	case kindHost:
		s = r.host
	case kindWildcard:
		s = "*" + r.host
	case kindPrefix:
		if r.prefix.IsSingleIP() {
			s = r.prefix.Addr().String()
			if r.port != 0 && r.prefix.Addr().Is6() {
				s = "[" + s + "]"
			}
		} else {
			s = r.prefix.String()
			if r.port != 0 && r.prefix.Addr().Is6() {
				s = "[" + r.prefix.Addr().String() + "]/" + strconv.Itoa(r.prefix.Bits())
			}
		}
	default:
		return "<invalid rule>"
	}
	if r.port != 0 {
		s += ":" + strconv.Itoa(int(r.port))
	}
	return s
}

// contains reports whether the prefix of an IP/CIDR rule covers ip, an
// unmapped address without zone, in any notation: an IPv4 address also
// matches an IPv6 prefix that covers its IPv4-mapped form (::/0,
// ::ffff:0:0/96).
func (r *Rule) contains(ip netip.Addr) bool {
	if r.prefix.Contains(ip) {
		return true
	}
	return ip.Is4() && r.prefix.Addr().Is6() && r.prefix.Contains(netip.AddrFrom16(ip.As16()))
}

// portOK reports whether the rule covers port.
func (r *Rule) portOK(port uint16) bool { return r.port == 0 || r.port == port }

// matchName reports whether a host-name rule covers the (normalised) name.
func (r *Rule) matchName(name string) bool {
	switch r.kind {
	case kindAny:
		return true
	case kindHost:
		return name == r.host
	case kindWildcard:
		// name must be strictly longer than the suffix so "*.example.com"
		// does not match "example.com" or ".example.com".
		return len(name) > len(r.host) && strings.HasSuffix(name, r.host)
	}
	return false
}

// ParseAllowList parses a comma- and/or whitespace-separated list of rules, as
// found in FNGUARD_EGRESS_ALLOW. Empty entries are skipped; an empty string
// yields no rules (which, given to New, denies everything). The first bad
// entry is reported as a *ParseError naming it and its 1-based position.
func ParseAllowList(s string) ([]Rule, error) {
	entries := strings.FieldsFunc(s, func(c rune) bool { return c == ',' || unicode.IsSpace(c) })
	if len(entries) > MaxRules {
		return nil, &ParseError{
			What:   "allow list",
			Entry:  truncate(s, 64),
			Reason: strconv.Itoa(len(entries)) + " entries; at most " + strconv.Itoa(MaxRules) + " are accepted",
		}
	}
	rules := make([]Rule, 0, len(entries))
	for i, e := range entries {
		r, reason := parseRule(e)
		if reason != "" {
			return nil, &ParseError{What: "allow-list entry " + strconv.Itoa(i+1), Entry: truncate(e, maxEntryLen), Reason: reason}
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// parseRule parses one non-empty entry; a non-empty reason reports failure.
func parseRule(e string) (Rule, string) {
	if len(e) > maxEntryLen {
		return Rule{}, "longer than " + strconv.Itoa(maxEntryLen) + " bytes"
	}
	if strings.Contains(e, "://") {
		return Rule{}, "looks like a URL; write host[:port], e.g. api.example.com:443"
	}
	if strings.IndexByte(e, '%') >= 0 {
		return Rule{}, "zoned IPv6 addresses (with %zone) are not supported"
	}
	if e[0] == '[' {
		return parseBracketed(e)
	}
	host, port := e, uint16(0)
	switch strings.Count(e, ":") {
	case 0:
	case 1:
		i := strings.IndexByte(e, ':')
		host = e[:i]
		var reason string
		if port, reason = parsePort(e[i+1:]); reason != "" {
			return Rule{}, reason
		}
	default:
		// Only a bare IPv6 address or prefix has several colons; with a port
		// it must be bracketed.
		r, ok, reason := parseIPOrPrefix(e)
		if !ok && reason == "" {
			reason = "not a valid IPv6 address or prefix (an IPv6 address with a port must be bracketed, e.g. [2001:db8::1]:443)"
		}
		return r, reason
	}
	if host == "" {
		return Rule{}, "missing host before the port"
	}
	if host == "*" {
		return Rule{kind: kindAny, port: port}, ""
	}
	if r, ok, reason := parseIPOrPrefix(host); ok || reason != "" {
		r.port = port
		return r, reason
	}
	return parseHostRule(host, port)
}

// parseBracketed handles "[v6]", "[v6]:port", "[v6]/bits", "[v6]/bits:port",
// "[v6/bits]" and "[v6/bits]:port".
func parseBracketed(e string) (Rule, string) {
	end := strings.IndexByte(e, ']')
	if end < 0 {
		return Rule{}, "missing closing ']'"
	}
	inside, rest := e[1:end], e[end+1:]
	if strings.HasPrefix(rest, "/") {
		if strings.IndexByte(inside, '/') >= 0 {
			return Rule{}, "prefix length given twice"
		}
		bits := rest[1:]
		rest = ""
		if i := strings.IndexByte(bits, ':'); i >= 0 {
			bits, rest = bits[:i], bits[i:]
		}
		inside += "/" + bits
	}
	var port uint16
	if rest != "" {
		if rest[0] != ':' {
			return Rule{}, "unexpected " + strconv.Quote(rest) + " after ']'"
		}
		var reason string
		if port, reason = parsePort(rest[1:]); reason != "" {
			return Rule{}, reason
		}
	}
	r, ok, reason := parseIPOrPrefix(inside)
	if reason != "" {
		return Rule{}, reason
	}
	if !ok {
		return Rule{}, "brackets must contain an IPv6 address or prefix, found " + strconv.Quote(inside)
	}
	if strings.IndexByte(inside, ':') < 0 {
		return Rule{}, "brackets are only for IPv6 addresses; write IPv4 without them"
	}
	r.port = port
	return r, ""
}

// parseIPOrPrefix returns ok=true for a valid IP or CIDR, a reason for an
// IP/CIDR that is recognisably malformed, and neither for anything that is not
// IP-shaped (a host name).
func parseIPOrPrefix(s string) (Rule, bool, string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		if _, err := netip.ParseAddr(s[:i]); err != nil {
			if looksNumeric(s[:i]) || strings.IndexByte(s[:i], ':') >= 0 {
				return Rule{}, false, "invalid IP address in CIDR: " + strconv.Quote(s[:i])
			}
			return Rule{}, false, "a host name cannot have a '/'; CIDR rules need an IP address"
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return Rule{}, false, "invalid CIDR prefix length " + strconv.Quote(s[i+1:])
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			// ::ffff:203.0.113.0/120 is 203.0.113.0/24: one notation, so
			// it matches destinations however they are written.
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		if m := p.Masked(); m != p {
			return Rule{}, false, "host bits set in CIDR; did you mean " + m.String() + "?"
		}
		return Rule{kind: kindPrefix, prefix: p}, true, ""
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		if looksNumeric(s) {
			return Rule{}, false, "invalid IPv4 address"
		}
		return Rule{}, false, ""
	}
	a = a.Unmap()
	return Rule{kind: kindPrefix, prefix: netip.PrefixFrom(a, a.BitLen())}, true, ""
}

// looksNumeric reports whether s consists of digits and dots only, i.e. is
// meant as an IPv4 address (a host name's last label is never all-numeric).
func looksNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && c != '.' {
			return false
		}
	}
	return true
}

func parsePort(s string) (uint16, string) {
	if s == "" {
		return 0, "empty port after ':'"
	}
	if len(s) > 5 {
		return 0, "port " + strconv.Quote(s) + " out of range 1-65535"
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, "port " + strconv.Quote(s) + " is not a number"
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > 65535 {
		return 0, "port " + strconv.Quote(s) + " out of range 1-65535"
	}
	return uint16(n), ""
}

// parseHostRule validates an exact or wildcard host name.
func parseHostRule(host string, port uint16) (Rule, string) {
	name := strings.ToLower(host)
	wildcard := strings.HasPrefix(name, "*.")
	if wildcard {
		name = name[2:]
	}
	if strings.IndexByte(name, '*') >= 0 {
		return Rule{}, "wildcard '*' is only allowed as the whole first label, e.g. *.example.com"
	}
	name = strings.TrimSuffix(name, ".")
	if reason := validHostName(name); reason != "" {
		return Rule{}, reason
	}
	if wildcard {
		return Rule{kind: kindWildcard, host: "." + name, port: port}, ""
	}
	return Rule{kind: kindHost, host: name, port: port}, ""
}

// validHostName checks a lower-cased name without trailing dot.
func validHostName(name string) string {
	if name == "" {
		return "empty host name"
	}
	if len(name) > maxHostLen {
		return "host name longer than " + strconv.Itoa(maxHostLen) + " bytes"
	}
	last := ""
	for label := range strings.SplitSeq(name, ".") {
		if label == "" {
			return "empty label in host name"
		}
		if len(label) > maxLabelLen {
			return "label " + strconv.Quote(truncate(label, 16)) + " longer than 63 bytes"
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return "label " + strconv.Quote(label) + " starts or ends with '-'"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "invalid character " + strconv.QuoteRune(rune(c)) + " in host name"
			}
		}
		last = label
	}
	if looksNumeric(last) {
		return "not a valid IP address, and a host name cannot end in an all-numeric label"
	}
	return ""
}

// normalizeHost lower-cases a host, strips IPv6 brackets and one trailing dot.
// It allocates only when the host has upper-case letters.
func normalizeHost(host string) string {
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	host = strings.TrimSuffix(host, ".")
	for i := 0; i < len(host); i++ {
		if c := host[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(host)
		}
	}
	return host
}
