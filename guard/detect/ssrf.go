package detect

import "net/netip"

// Server-side request forgery, judged on URL-valued text: a URL (scheme://
// authority) at the start of the value or right after a delimiter such as
// '=' or a quote, or a whole value that is host[:port][/path]. Hosts are
// parsed in every notation inet_aton accepts (decimal 2852039166, hex
// 0xA9FEA9FE, octal 0251.0376.0251.0376, short forms 127.1, mixes) and as
// IPv6 (including IPv4-mapped/compatible and NAT64 forms); names cover
// localhost, cloud metadata services and wildcard-DNS rebinding services.
// Prose that mentions localhost is not a URL value and passes; cloud
// metadata addresses and non-HTTP fetch schemes (gopher://, dict://, ...)
// are flagged anywhere.

const lambdaRuntimePort = 9001

// ipv4Rule classifies an IPv4 address ("" when public).
func ipv4Rule(a uint32, port int) string {
	switch {
	case a == 0xA9FEA9FE, a == 0xA9FEAA02, a == 0x646464C8, a == 0xC00000C0:
		// 169.254.169.254 (AWS/GCP/Azure/...), 169.254.170.2 (ECS task
		// credentials), 100.100.100.200 (Alibaba), 192.0.0.192 (Oracle).
		return "ssrf.metadata"
	case a>>16 == 0xA9FE:
		return "ssrf.link_local"
	case a>>24 == 127, a>>24 == 0:
		if port == lambdaRuntimePort {
			return "ssrf.lambda_runtime"
		}
		return "ssrf.loopback"
	case a>>24 == 10, a>>20 == 0xAC1, a>>16 == 0xC0A8, a>>22 == 0x64<<2|1, a>>17 == 0xC612>>1:
		// 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT), 198.18/15
		return "ssrf.private"
	}
	return ""
}

// parseIPv4 parses host in inet_aton syntax: 1 to 4 dot-separated parts,
// each decimal, octal (leading 0) or hex (0x); the last part fills the
// remaining bytes. A single trailing dot is accepted.
func parseIPv4(h []byte) (uint32, int, bool) {
	if len(h) > 0 && h[len(h)-1] == '.' {
		h = h[:len(h)-1]
	}
	if len(h) == 0 || len(h) > 64 {
		return 0, 0, false
	}
	var parts [4]uint64
	np := 0
	i := 0
	wide := false
	for {
		if np == 4 {
			return 0, 0, false
		}
		j := i
		var v uint64
		base := uint64(10)
		if j+1 < len(h) && h[j] == '0' && (h[j+1] == 'x' || h[j+1] == 'X') {
			base = 16
			j += 2
		} else if j < len(h) && h[j] == '0' && j+1 < len(h) && h[j+1] != '.' {
			base = 8
			j++
		}
		d := j
		for j < len(h) && h[j] != '.' {
			c := h[j]
			var dv uint64
			switch {
			case isDigit(c):
				dv = uint64(c - '0')
			case base == 16 && isHex(c):
				dv = uint64(unhex(c))
			default:
				return 0, 0, false
			}
			if dv >= base {
				return 0, 0, false
			}
			if v > 1<<59 {
				return 0, 0, false
			}
			v = v*base + dv
			if v > 0xFFFFFFFF {
				// Some resolvers keep only the low 32 bits of an
				// oversized integer (http://7147006462 is 169.254.169.254).
				if np > 0 {
					return 0, 0, false
				}
				wide = true
			}
			j++
		}
		if j == d && base != 8 && !(base == 16) {
			return 0, 0, false
		}
		parts[np] = v
		np++
		if j >= len(h) {
			break
		}
		i = j + 1
		if i >= len(h) {
			return 0, 0, false
		}
	}
	var a uint64
	if wide && np != 1 {
		return 0, 0, false
	}
	switch np {
	case 1:
		a = parts[0] & 0xFFFFFFFF
	case 2:
		if parts[0] > 0xFF || parts[1] > 0xFFFFFF {
			return 0, 0, false
		}
		a = parts[0]<<24 | parts[1]
	case 3:
		if parts[0] > 0xFF || parts[1] > 0xFF || parts[2] > 0xFFFF {
			return 0, 0, false
		}
		a = parts[0]<<24 | parts[1]<<16 | parts[2]
	case 4:
		for _, p := range parts {
			if p > 0xFF {
				return 0, 0, false
			}
		}
		a = parts[0]<<24 | parts[1]<<16 | parts[2]<<8 | parts[3]
	}
	return uint32(a), np, true
}

// ipv6Rule classifies a bracketed IPv6 literal's content.
func ipv6Rule(h []byte, port int) string {
	if len(h) == 0 || len(h) > 64 {
		return ""
	}
	// strip a zone
	for i, c := range h {
		if c == '%' {
			h = h[:i]
			break
		}
	}
	addr, err := netip.ParseAddr(string(h))
	if err != nil || !addr.Is6() {
		return ""
	}
	if addr.Is4In6() {
		v4 := addr.Unmap().As4()
		return ipv4Rule(uint32(v4[0])<<24|uint32(v4[1])<<16|uint32(v4[2])<<8|uint32(v4[3]), port)
	}
	b := addr.As16()
	allZero := func(x []byte) bool {
		for _, c := range x {
			if c != 0 {
				return false
			}
		}
		return true
	}
	switch {
	case addr.IsLoopback(), addr.IsUnspecified():
		if port == lambdaRuntimePort {
			return "ssrf.lambda_runtime"
		}
		return "ssrf.loopback"
	case b == [16]byte{0xfd, 0x00, 0x0e, 0xc2, 14: 0x02, 15: 0x54}:
		return "ssrf.metadata" // fd00:ec2::254 (AWS IMDS over IPv6)
	case allZero(b[:12]):
		// IPv4-compatible ::a.b.c.d
		return ipv4Rule(uint32(b[12])<<24|uint32(b[13])<<16|uint32(b[14])<<8|uint32(b[15]), port)
	case b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && allZero(b[4:12]):
		// NAT64 64:ff9b::/96
		return ipv4Rule(uint32(b[12])<<24|uint32(b[13])<<16|uint32(b[14])<<8|uint32(b[15]), port)
	case addr.IsLinkLocalUnicast():
		return "ssrf.link_local"
	case addr.IsPrivate():
		return "ssrf.private"
	}
	return ""
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// nameRule classifies a DNS name.
func nameRule(h []byte, port int) string {
	if len(h) > 0 && h[len(h)-1] == '.' {
		h = h[:len(h)-1]
	}
	// Most names are public: decide from the last label which checks apply.
	last := h
	if d := lastDot(h); d >= 0 {
		last = h[d+1:]
	}
	suffixChecks := true
	switch string(last) {
	case "me", "io", "direct", "name", "pw", "st", "internal", "local", "localhost", "localdomain", "svc", "goog", "default", "us", "ms":
	case "com", "net", "org":
		suffixChecks = false
	default:
		if len(last) != len(h) {
			return embeddedIPGeneric(h, port)
		}
		suffixChecks = false
	}
	switch string(h) {
	case "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "localtest.me", "lvh.me", "vcap.me",
		"lacolhost.com", "127-0-0-1.org", "localh.st", "spoofed.burpcollaborator.net", "0", "local":
		if port == lambdaRuntimePort {
			return "ssrf.lambda_runtime"
		}
		return "ssrf.loopback"
	case "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
		"metadata.packet.net", "metadata.tencentyun.com", "metadata.platformequinix.com", "rancher-metadata", "metadata.internal":
		return "ssrf.metadata"
	case "kubernetes.default", "kubernetes.default.svc", "kubernetes":
		return "ssrf.internal_host"
	}
	if !suffixChecks {
		return embeddedIPGeneric(h, port)
	}
	for _, s := range [...]string{".localhost", ".localtest.me", ".lvh.me", ".vcap.me", ".localh.st"} {
		if hasSuffix(h, s) {
			return "ssrf.loopback"
		}
	}
	for _, s := range [...]string{".nip.io", ".xip.io", ".sslip.io", ".nip.direct", ".xip.name", ".traefik.me", ".backname.io", ".localdomain.pw",
		".rbndr.us", ".1u.ms", ".lock.cmpxchg8b.com", ".rebind.network", ".make-1-2-3-4-rr.1u.ms"} {
		if hasSuffix(h, s) {
			pre := h[:len(h)-len(s)]
			// the embedded address is the last four dotted or dashed labels,
			// or a label of eight hex digits, or a dashed IPv6 address
			if r := embeddedIPRule(pre, port); r != "" {
				return r
			}
			if r := embeddedHexOr6Rule(pre, port); r != "" {
				return r
			}
		}
	}
	for _, s := range [...]string{".internal", ".svc.cluster.local", ".cluster.local", ".ec2.internal", ".compute.internal"} {
		if hasSuffix(h, s) {
			return "ssrf.internal_host"
		}
	}
	return ""
}

// embeddedIPRule finds an internal IPv4 address written (dotted or dashed)
// at the end of a rebinding-service name prefix.
func embeddedIPRule(pre []byte, port int) string {
	var buf [64]byte
	if len(pre) > len(buf) {
		pre = pre[len(pre)-len(buf):]
	}
	n := copy(buf[:], pre)
	for i := 0; i < n; i++ {
		if buf[i] == '-' {
			buf[i] = '.'
		}
	}
	s := buf[:n]
	// take the longest dotted-quad suffix
	dots := 0
	start := 0
	for i := n - 1; i >= 0; i-- {
		if s[i] == '.' {
			dots++
			if dots == 4 {
				start = i + 1
				break
			}
		}
	}
	if a, np, ok := parseIPv4(s[start:]); ok && np == 4 {
		if r := ipv4Rule(a, port); r != "" {
			return r
		}
	}
	if a, _, ok := parseIPv4(s); ok {
		return ipv4Rule(a, port)
	}
	return ""
}

// hostRule classifies one authority candidate "host[:port]".
func hostRule(h []byte, bare bool) string {
	port := -1
	var host []byte
	if len(h) > 0 && h[0] == '[' {
		e := indexByte(h, ']')
		if e < 0 {
			return ""
		}
		host = h[1:e]
		if e+1 < len(h) && h[e+1] == ':' {
			port = parsePort(h[e+2:])
		}
		return ipv6Rule(host, port)
	}
	e := 0
	for e < len(h) && (isAlnum(h[e]) || h[e] == '.' || h[e] == '-' || h[e] == '_') {
		e++
	}
	host = h[:e]
	if e < len(h) && h[e] == ':' {
		port = parsePort(h[e+1:])
	}
	if len(host) == 0 {
		return ""
	}
	if a, np, ok := parseIPv4(host); ok {
		if bare && np != 4 {
			return ""
		}
		r := ipv4Rule(a, port)
		if r == "" && !bare && !canonicalIPv4(host) {
			// 0102.0146.0007.00000223, 0x42.0x66.7.147, 1113982867: a
			// public address spelled to dodge filters
			return "ssrf.obfuscated_ip"
		}
		if bare && r == "ssrf.private" && port < 0 {
			return ""
		}
		return r
	}
	r := nameRule(host, port)
	if bare && r == "ssrf.internal_host" {
		return ""
	}
	return r
}

// canonicalIPv4 reports plain dotted-decimal a.b.c.d without leading zeros.
func canonicalIPv4(h []byte) bool {
	parts := 0
	for i := 0; i < len(h); {
		j := i
		for j < len(h) && isDigit(h[j]) {
			j++
		}
		if j == i || j-i > 3 || (h[i] == '0' && j-i > 1) {
			return false
		}
		parts++
		if j == len(h) {
			break
		}
		if h[j] != '.' {
			return false
		}
		i = j + 1
	}
	return parts == 4
}

func parsePort(b []byte) int {
	p := 0
	i := 0
	for i < len(b) && isDigit(b[i]) && i < 6 {
		p = p*10 + int(b[i]-'0')
		i++
	}
	if i == 0 {
		return -1
	}
	return p
}

// authorityEnd returns the end of the authority that starts at i.
func authorityEnd(b []byte, i int) int {
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '/', '?', '#', '\\', ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '`', '{', '}', '|', '^', ')', ',', ';':
			return j
		}
	}
	return len(b)
}

// authorityRule checks every '@'-separated candidate of an authority (the
// "http://google.com@127.0.0.1" parser-confusion trick).
func authorityRule(auth []byte) string {
	best := ""
	for len(auth) > 0 {
		at := indexByte(auth, '@')
		part := auth
		if at >= 0 {
			part = auth[:at]
			auth = auth[at+1:]
		} else {
			auth = nil
		}
		// userinfo "user:pass" is not a host; only judge parts that look
		// like host[:port]
		if r := hostRule(part, false); r != "" && (best == "" || rulePriority(r) > rulePriority(best)) {
			best = r
		}
	}
	return best
}

func rulePriority(r string) int {
	switch r {
	case "ssrf.metadata":
		return 5
	case "ssrf.lambda_runtime":
		return 4
	case "ssrf.loopback":
		return 3
	case "ssrf.link_local":
		return 2
	}
	return 1
}

func dangerousScheme(s []byte) bool {
	switch string(s) {
	case "gopher", "dict", "ldap", "ldaps", "ldapi", "tftp", "netdoc", "jar", "file", "expect", "phar", "sftp", "smb", "telnet", "ssh2.exec", "ssh2.shell", "rmi", "iiop", "corba", "jnlp", "mailto_":
		return true
	}
	return false
}

// isSchemeByte: the bytes of a URL scheme (letters, digits, '+', '-', '.').
var isSchemeByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['+'], t['-'], t['.'] = true, true, true
	return t
}()

func detectSSRF(st *state) hit {
	b := st.n
	// Metadata endpoints and the Lambda runtime API, in any context.
	if h := metadataText(b, st.cls, st.kw&gSSRF != 0 || noGates); h.rule != "" {
		return h
	}
	if st.cls&kColon != 0 {
		for p := indexFrom(b, "://", 0); p >= 0; p = indexNear(b, "://", p+3) {
			s := p
			for s > 0 && p-s < 16 && isSchemeByte[b[s-1]] {
				s--
			}
			scheme := b[s:p]
			if len(scheme) == 0 {
				continue
			}
			if dangerousScheme(scheme) {
				return hit{rule: "ssrf.scheme", frag: around(b, s, p+40)}
			}
			if s >= 4 && hasAt(b, s-4, "jar:") {
				return hit{rule: "ssrf.scheme", frag: around(b, s-4, p+40)}
			}
			// context: the URL is the value, or follows a delimiter
			pre := s - 1
			for pre >= 0 && (b[pre] == ' ' || b[pre] == '\t') && s-pre < 3 && pre > 0 && !isAlnum(b[pre-1]) {
				pre--
			}
			urlValue := pre < 0 || allSpaceOrQuote(b[:s])
			if !urlValue {
				switch b[pre] {
				case '=', '"', '\'', '(', '<', '[', ',', '@', ':', '{', '|', '`', ';', '>', '&', '?':
					urlValue = true
				}
			}
			if !urlValue {
				continue
			}
			a := p + 3
			e := authorityEnd(b, a)
			if r := authorityRule(b[a:e]); r != "" {
				return hit{rule: r, frag: around(b, s, e+16)}
			}
			if e < len(b) && (b[e] == '\t' || b[e] == '\n' || b[e] == '\r') {
				// A URL parser removes ASCII tab and newline anywhere
				// (WHATWG URL): http://loca<TAB>lhost/ is localhost.
				var buf [256]byte
				n := 0
				for k := a; k < len(b) && n < len(buf); k++ {
					c := b[k]
					if c == '\t' || c == '\n' || c == '\r' {
						continue
					}
					if k == authorityEnd(b[:k+1], k) {
						break
					}
					buf[n] = c
					n++
				}
				if r := authorityRule(buf[:n]); r != "" {
					return hit{rule: r, frag: around(b, s, e+24)}
				}
			}
			// backslash confusion: http://127.1.1.1:80\@127.2.2.2/
			if e < len(b) && b[e] == '\\' {
				e2 := authorityEnd(b, e+1)
				if r := authorityRule(b[e+1 : e2]); r != "" {
					return hit{rule: r, frag: around(b, s, e2+16)}
				}
			}
		}
		for _, sch := range [...]string{"jar:", "netdoc:"} {
			if st.kw&gSSRF == 0 && !noGates {
				break
			}
			if i := indexFrom(b, sch, 0); i >= 0 && (i == 0 || !isIdent(b[i-1])) { // a whole word: not "__jar:"
				j := i + len(sch)
				if j < len(b) && (isLetter(b[j]) || b[j] == '/') {
					return hit{rule: "ssrf.scheme", frag: around(b, i, j+32)}
				}
			}
		}
	}
	// A whole value that is host[:port][/path].
	if h := bareHostSSRF(bufString(st.n), st.cls); h.rule != "" {
		return h
	}
	// A scheme-relative URL ("//127.0.0.1/admin"): the page's or the
	// client's scheme is used, the host is what counts.
	if i := schemeRelLead(b); i > 0 {
		e := authorityEnd(b, i)
		if r := authorityRule(b[i:e]); r != "" && (e == len(b) || b[e] == '/' || b[e] == '?' || b[e] == '#' || b[e] == '\\') {
			// a URL: its authority ends the value or starts a path,
			// query or fragment ("//1 item", "//localhost is a name" are
			// comments and prose)
			return hit{rule: r, frag: around(b, i-2, e+16)}
		}
	}
	return hit{}
}

// schemeRelLead returns the index of the authority of a whole value that
// is a scheme-relative URL ("//host/..."; blanks and line breaks, any
// number of them, as a URL parser strips them, and up to four quotes may
// lead), else 0.
func schemeRelLead[T ~string | ~[]byte](b T) int {
	i, quotes := 0, 0
	for i < len(b) && (isSpace(b[i]) || quotes < 4 && (b[i] == '"' || b[i] == '\'')) {
		if !isSpace(b[i]) {
			quotes++
		}
		i++
	}
	if i+2 < len(b) && b[i] == '/' && b[i+1] == '/' && b[i+2] != '/' && b[i+2] != ' ' {
		return i + 2
	}
	return 0
}

// metadataText finds cloud metadata endpoints and the Lambda runtime API
// written anywhere in b. Literal searches are grouped behind cheap anchors.
func metadataText(b []byte, cls uint32, words bool) hit {
	type lit struct{ s, rule string }
	// A path literal ('/...') matches anywhere; a name matches as a whole
	// label run: no letter, digit, '-' or '_' on either side (so
	// "metadata.google.internal0" is another name, as the keyword gate
	// reads it).
	try := func(list ...lit) hit {
		for _, m := range list {
			for i := indexFrom(b, m.s, 0); i >= 0; i = indexFrom(b, m.s, i+1) {
				e := i + len(m.s)
				if m.s[0] != '/' && (i > 0 && isNameByte(b[i-1]) || e < len(b) && isNameByte(b[e])) {
					continue
				}
				return hit{rule: m.rule, frag: around(b, i, e+16)}
			}
		}
		return hit{}
	}
	if cls&kDigit != 0 && cls&(kDot|kColon) != 0 {
		// anchored on '1' and 'f' (IndexByte is cheap; the literals are not)
		for i := indexByte(b, '1'); i >= 0; {
			if (i == 0 || !isAlnum(b[i-1])) && (hasAt(b, i, "169.254.169.254") || hasAt(b, i, "169.254.170.2") || hasAt(b, i, "100.100.100.200")) {
				return hit{rule: "ssrf.metadata", frag: around(b, i, i+32)}
			}
			k := indexByte(b[i+1:], '1')
			if k < 0 {
				break
			}
			i += 1 + k
		}
		if cls&kColon != 0 {
			for i := indexByte(b, 'f'); i >= 0; {
				if e := i + len("fd00:ec2::254"); hasAt(b, i, "fd00:ec2::254") && (e == len(b) || !isHex(b[e]) && b[e] != ':') && (i == 0 || !isHex(b[i-1]) && b[i-1] != ':') {
					// the whole address: "fd00:ec2::2540" is another one
					return hit{rule: "ssrf.metadata", frag: around(b, i, i+32)}
				}
				k := indexByte(b[i+1:], 'f')
				if k < 0 {
					break
				}
				i += 1 + k
			}
		}
	}
	if !words {
		return hit{}
	}
	if cls&kSlash != 0 {
		if indexFrom(b, "meta", 0) >= 0 {
			if h := try(lit{"/latest/meta-data", "ssrf.metadata"}, lit{"/computemetadata/", "ssrf.metadata"},
				lit{"/metadata/instance", "ssrf.metadata"}, lit{"/metadata/v1", "ssrf.metadata"},
				lit{"/metadata/identity", "ssrf.metadata"}, lit{"setcommoninstancemetadata", "ssrf.metadata"}); h.rule != "" {
				return h
			}
		}
		if indexFrom(b, "/latest/", 0) >= 0 || indexFrom(b, "/opc/", 0) >= 0 || indexFrom(b, "/openstack/", 0) >= 0 {
			if h := try(lit{"/latest/user-data", "ssrf.metadata"}, lit{"/latest/api/token", "ssrf.metadata"},
				lit{"/opc/v1/instance", "ssrf.metadata"}, lit{"/opc/v2/instance", "ssrf.metadata"},
				lit{"/openstack/latest", "ssrf.metadata"}); h.rule != "" {
				return h
			}
		}
		if cls&kDigit != 0 {
			if h := try(lit{"/2018-06-01/runtime/", "ssrf.lambda_runtime"}); h.rule != "" {
				return h
			}
		}
	}
	if indexFrom(b, "metadata.google.internal", 0) >= 0 {
		return try(lit{"metadata.google.internal", "ssrf.metadata"})
	}
	if cls&kUnder != 0 {
		return try(lit{"aws_lambda_runtime_api", "ssrf.lambda_runtime"})
	}
	return hit{}
}

// isNameByte reports whether c continues a host label or a variable name.
func isNameByte(c byte) bool { return isAlnum(c) || c == '-' || c == '_' }

func allSpaceOrQuote(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '"' && c != '\'' && c != '\t' {
			return false
		}
	}
	return true
}

// bareHostSSRF judges a value that is nothing but host[:port][/path]. It
// accepts raw (not yet folded) input.
func bareHostSSRF(s string, cls uint32) hit {
	if cls&(kSpace|kCtl) != 0 || len(s) < 3 || len(s) > 300 || cls&(kDot|kColon|kBracket) == 0 && len(s) != 9 {
		return hit{}
	}
	// fail fast: the host part must be made of host characters, and its
	// last label must be numeric (an address), bracketed (IPv6), or one
	// that internal names use.
	hostEnd, lastDot := len(s), -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '/' || c == '?' || c == '#' || c == ':' && s[0] != '[' {
			hostEnd = i
			break
		}
		if !(isAlnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']') {
			return hit{}
		}
		if c == '.' {
			lastDot = i
		}
	}
	if s[0] != '[' && !bareHostCandidate(s[lastDot+1:hostEnd], s[:hostEnd]) {
		return hit{}
	}
	var buf [300]byte
	n := 0
	for i := 0; i < len(s); i++ {
		buf[n] = lower(s[i])
		n++
	}
	b := buf[:n]
	e := 0
	for e < n && b[e] != '/' && b[e] != '?' && b[e] != '#' {
		e++
	}
	h := b[:e]
	if len(h) == 0 {
		return hit{}
	}
	// must be entirely a host[:port]
	k := 0
	if h[0] == '[' {
		k = indexByte(h, ']') + 1
		if k == 0 {
			return hit{}
		}
	} else {
		for k < len(h) && (isAlnum(h[k]) || h[k] == '.' || h[k] == '-' || h[k] == '_') {
			k++
		}
	}
	if k < len(h) {
		if h[k] != ':' || parsePort(h[k+1:]) < 0 || k+1+digitsLen(h[k+1:]) != len(h) {
			return hit{}
		}
	}
	if r := hostRule(h, true); r != "" {
		return hit{rule: r, frag: append([]byte(nil), b[:e]...)}
	}
	return hit{}
}

// bareHostCandidate reports whether a host whose last label is last may be
// internal: an IPv4 address in any notation, or a name under a suffix used
// by loopback, metadata or rebinding names.
func bareHostCandidate(last, host string) bool {
	if len(last) == 0 {
		return len(host) > 0
	}
	if isDigit(last[0]) {
		return true
	}
	var buf [16]byte
	if len(last) > len(buf) {
		return false
	}
	for i := 0; i < len(last); i++ {
		buf[i] = lower(last[i])
	}
	switch string(buf[:len(last)]) {
	case "localhost", "localdomain", "internal", "local", "me", "io", "st", "goog", "direct", "name", "pw", "svc",
		"metadata", "instance-data", "ip6-localhost", "ip6-loopback", "kubernetes", "default", "rancher-metadata":
		return true
	}
	return false
}

func digitsLen(b []byte) int {
	i := 0
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	return i
}

// embeddedHexOr6Rule finds, in the labels a wildcard-DNS or rebinding
// service answers for, an internal address written as eight hex digits
// (7f000001.nip.io, magic-0a000001, 7f000001.c0a80001.rbndr.us) or as an
// IPv6 address with '-' for ':' (--1.sslip.io, fe80--1.sslip.io).
func embeddedHexOr6Rule(pre []byte, port int) string {
	best := ""
	for len(pre) > 0 {
		lab := pre
		d := indexByte(pre, '.')
		if d >= 0 {
			lab, pre = pre[:d], pre[d+1:]
		} else {
			pre = nil
		}
		// the address may follow a name and a dash: magic-7f000001
		cand := lab
		if k := lastDash(lab); k >= 0 && len(lab)-k-1 == 8 {
			cand = lab[k+1:]
		}
		if len(cand) == 8 && allHex(cand) {
			var a uint32
			for _, c := range cand {
				a = a<<4 | uint32(unhex(c))
			}
			if r := ipv4Rule(a, port); r != "" && (best == "" || rulePriority(r) > rulePriority(best)) {
				best = r
			}
			continue
		}
		if indexFrom(lab, "--", 0) >= 0 || countByte(lab, '-') >= 7 {
			var buf [64]byte
			if len(lab) <= len(buf) {
				n := copy(buf[:], lab)
				for i := 0; i < n; i++ {
					if buf[i] == '-' {
						buf[i] = ':'
					}
				}
				if r := ipv6Rule(buf[:n], port); r != "" && (best == "" || rulePriority(r) > rulePriority(best)) {
					best = r
				}
			}
		}
	}
	return best
}

// embeddedIPGeneric is the rule for names under any domain: a host whose
// leading labels are a whole internal IPv4 address, dotted
// (10.0.0.1.rebind.example.net) or as one dashed label
// (127-0-0-1.attacker.example), resolves there under every rebinding
// service design. Digits inside a label ("web-01", "10-things",
// "cdn-10-0-0-1") are ordinary names and pass; so do public addresses.
func embeddedIPGeneric(h []byte, port int) string {
	// dotted: four numeric labels, then at least two more
	dots, i := 0, 0
	for ; i < len(h) && dots < 4; i++ {
		c := h[i]
		if c == '.' {
			dots++
		} else if !isDigit(c) {
			break
		}
	}
	if dots == 4 && countByte(h[i:], '.') >= 1 {
		if a, np, ok := parseIPv4(h[:i-1]); ok && np == 4 && canonicalIPv4(h[:i-1]) {
			if r := ipv4Rule(a, port); r != "" {
				return r
			}
		}
	}
	// dashed: the first label is exactly a dashed quad
	d := indexByte(h, '.')
	if d < 7 || d > 15 || countByte(h[d+1:], '.') < 1 || countByte(h[:d], '-') != 3 {
		return ""
	}
	var buf [16]byte
	n := copy(buf[:], h[:d])
	for k := 0; k < n; k++ {
		if buf[k] == '-' {
			buf[k] = '.'
		} else if !isDigit(buf[k]) {
			return ""
		}
	}
	if a, np, ok := parseIPv4(buf[:n]); ok && np == 4 && canonicalIPv4(buf[:n]) {
		return ipv4Rule(a, port)
	}
	return ""
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func lastDash(b []byte) int {
	for k := len(b) - 1; k >= 0; k-- {
		if b[k] == '-' {
			return k
		}
	}
	return -1
}

func countByte(b []byte, c byte) int {
	n := 0
	for _, x := range b {
		if x == c {
			n++
		}
	}
	return n
}
