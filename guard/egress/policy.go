package egress

import (
	"context"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// RuntimeAPIEnv names the variable through which AWS Lambda tells the
// runtime where its Runtime API lives (normally 127.0.0.1:9001).
//
// The Runtime API hands out the next invocation's event and accepts its
// response, so it must stay reachable for aws-lambda-go's runtime client and
// for nothing else: a request an attacker forges through the application
// (SSRF) could otherwise read other invocations' events or answer them. The
// policy therefore treats it in two layers. At the connection level (every
// dial function: DialContext, Transport, Install, Control) a connection to
// exactly that address, dialled as the literal the variable gives, is always
// allowed, because aws-lambda-go's runtime client is a Clone of
// http.DefaultTransport with Proxy set to nil and inherits an installed
// policy's dialer; a host name that resolves to it, another loopback
// address or the unspecified address on its port is refused, even under "*".
// At the request level every transport the policy secures (Transport,
// RoundTripper, the installed DefaultTransport and its later clones) refuses
// HTTP requests to the Runtime API in any notation, whatever the allow list.
// That request check lives in the transport's Proxy hook, which is exactly
// what aws-lambda-go's client removes (Proxy = nil, so that its calls are
// never proxied); a transport the application builds the same way — a
// clone of DefaultTransport with Proxy set to nil — is treated like the
// runtime's and keeps only the connection-level check.
const RuntimeAPIEnv = "AWS_LAMBDA_RUNTIME_API"

// Denial describes one outbound connection the policy refused, or, in
// Monitor mode, would have refused.
type Denial struct {
	// Host is the host name dialled (normalised), empty for IP literals and
	// for checks made by Policy.Control; the address as given for a network
	// that is not tcp or udp.
	Host string
	// Addr is the resolved address and port; zero when the connection was
	// refused before resolution (see Port).
	Addr netip.AddrPort
	// Port is the destination port.
	Port int
	// Reason says why the rules refused it.
	Reason string
	// Network is the dial network ("tcp", "tcp4", "udp", ...).
	Network string
	// Monitored is true when the connection was let through (Monitor mode).
	Monitored bool
}

// Err returns the *DeniedError equivalent of d.
func (d Denial) Err() *DeniedError {
	return &DeniedError{Host: d.Host, Addr: d.Addr, Port: d.Port, Reason: d.Reason}
}

// Config configures New. The zero Config denies every outbound connection
// except the Lambda Runtime API (see RuntimeAPIEnv).
type Config struct {
	// Allow lists the permitted destinations (see Rule and ParseAllowList).
	Allow []Rule
	// Mode chooses between blocking and only reporting denials.
	Mode Mode
	// OnDeny, if set, is called synchronously for every denied (or, in
	// Monitor mode, would-be-denied) connection, on the dialling goroutine.
	// It must be safe for concurrent use and should return quickly. If it
	// sends anything over the network through a policed client (a log or
	// metrics exporter using http.DefaultTransport after Install), that
	// destination must be allowed, or each report triggers another denial.
	OnDeny func(ctx context.Context, d Denial)
	// Resolver resolves host names at dial time; nil means
	// net.DefaultResolver.
	Resolver *net.Resolver
	// AllowMetadata lifts the special protection of cloud metadata and
	// credential endpoints, so ordinary rules ("*", wide CIDRs, host rules)
	// apply to them. Google Cloud client libraries fetch their credentials
	// from the metadata server, so a Cloud Function that uses them needs
	// either this or an explicit "169.254.169.254:80" rule.
	AllowMetadata bool
}

// Policy is an immutable, compiled egress allow list. It is safe for
// concurrent use.
type Policy struct {
	rules         []Rule              // every rule, in order (for Rules)
	exact         map[string][]uint16 // exact host-name rules: name -> ports (0 = any)
	others        []Rule              // every rule that is not an exact host name
	mode          Mode
	onDeny        func(context.Context, Denial)
	resolver      *net.Resolver
	allowMetadata bool
	names         *nameCache
	runtime       runtimeAPI // the Lambda Runtime API, if AWS_LAMBDA_RUNTIME_API is set
}

// runtimeAPI is where the Lambda Runtime API listens.
type runtimeAPI struct {
	rule Rule       // as parsed, for Rules
	ip   netip.Addr // when given as an IP literal (the normal case)
	host string     // when given as a host name
	port uint16
}

// target reports whether a connection to host (normalised, "" for an IP
// literal) at ip:port reaches the Runtime API: its own address or name, or,
// for a loopback Runtime API, any loopback or unspecified address on its
// port (127.0.0.2, ::1, 0.0.0.0 and :: all reach a local listener).
func (r *runtimeAPI) target(host string, ip netip.Addr, port uint16) bool {
	if r.port == 0 || port != r.port {
		return false
	}
	if host != "" && host == r.host {
		return true
	}
	if !ip.IsValid() {
		return false
	}
	ip = ip.Unmap().WithZone("")
	if ip == r.ip || ip.IsUnspecified() {
		return true
	}
	return (r.ip.IsLoopback() || r.host == "localhost") && ip.IsLoopback()
}

// runtimeDial reports whether a dial to host/ip:port is the runtime client's
// own: the literal the variable gives (an IP, or the name when it is one).
func (r *runtimeAPI) runtimeDial(host string, ip netip.Addr, port uint16) bool {
	if r.port == 0 || port != r.port {
		return false
	}
	if r.host != "" {
		return host == r.host
	}
	return host == "" && ip.IsValid() && ip.Unmap().WithZone("") == r.ip
}

// New compiles cfg into a Policy. It reports a zero Rule in cfg.Allow, an
// unknown cfg.Mode, or a malformed AWS_LAMBDA_RUNTIME_API value.
func New(cfg Config) (*Policy, error) {
	if cfg.Mode != Block && cfg.Mode != Monitor {
		return nil, &ParseError{What: "Config.Mode", Entry: cfg.Mode.String(), Reason: "want Block or Monitor"}
	}
	p := &Policy{
		rules:         make([]Rule, 0, len(cfg.Allow)+1),
		mode:          cfg.Mode,
		onDeny:        cfg.OnDeny,
		resolver:      cfg.Resolver,
		allowMetadata: cfg.AllowMetadata,
		names:         newNameCache(),
	}
	if p.resolver == nil {
		p.resolver = net.DefaultResolver
	}
	for i, r := range cfg.Allow {
		if r.kind == 0 {
			return nil, &ParseError{What: "Config.Allow[" + strconv.Itoa(i) + "]", Entry: r.String(), Reason: "zero Rule; build rules with ParseAllowList"}
		}
		p.rules = append(p.rules, r)
	}
	if v := os.Getenv(RuntimeAPIEnv); v != "" {
		r, reason := parseRule(strings.TrimSpace(v))
		if reason == "" && (r.port == 0 || r.kind == kindAny || r.kind == kindWildcard || r.kind == kindPrefix && !r.prefix.IsSingleIP()) {
			reason = "want host:port, e.g. 127.0.0.1:9001"
		}
		if reason != "" {
			return nil, &ParseError{What: RuntimeAPIEnv, Entry: v, Reason: reason}
		}
		p.runtime = runtimeAPI{rule: r, port: r.port}
		if r.kind == kindPrefix {
			p.runtime.ip = r.prefix.Addr()
		} else {
			p.runtime.host = r.host
		}
	}
	p.index()
	return p, nil
}

// index splits the rules into the exact-name map and the rest, so a long
// list of host names costs one map lookup.
func (p *Policy) index() {
	p.exact = make(map[string][]uint16)
	for _, r := range p.rules {
		if r.kind == kindHost {
			p.exact[r.host] = append(p.exact[r.host], r.port)
		} else {
			p.others = append(p.others, r)
		}
	}
}

// exactAllows reports whether an exact host-name rule covers host:port.
func (p *Policy) exactAllows(host string, port uint16) bool {
	for _, rp := range p.exact[host] {
		if rp == 0 || rp == port {
			return true
		}
	}
	return false
}

// Rules returns the effective rules: cfg.Allow followed by the implicit
// Lambda Runtime API rule, if any (see RuntimeAPIEnv for what it allows).
func (p *Policy) Rules() []Rule {
	rs := append([]Rule(nil), p.rules...)
	if p.runtime.port != 0 {
		rs = append(rs, p.runtime.rule)
	}
	return rs
}

// Mode returns the policy's mode.
func (p *Policy) Mode() Mode { return p.mode }

// Denial reasons.
const (
	reasonNoMatch      = "no allow-list rule matches"
	reasonUnresolved   = "no allow-list rule can match this host name (not resolved)"
	reasonMetadataIP   = "cloud metadata/credential endpoint; allow it by IP/CIDR or set AllowMetadata"
	reasonMetadataName = "cloud metadata host name; allow its IP by IP/CIDR or set AllowMetadata"
	reasonPort         = "port out of range 1-65535"
	reasonNoIP         = "no valid IP address"
	reasonProxy        = "destination is reached through an HTTP proxy, so only host-name rules can allow it"
	reasonProxyLookup  = "destination is reached through an HTTP proxy and its address cannot be verified (not resolvable here); only an explicit host-name rule allows it"
	reasonRuntimeAPI   = "the Lambda Runtime API is reachable only by the runtime's own client (AWS_LAMBDA_RUNTIME_API)"
)

func reasonNetwork(network string) string {
	return "network " + strconv.Quote(network) + " is not policed; only tcp and udp connections are allowed"
}

// Check is the pure policy decision: may a connection to ip:port, obtained by
// resolving host, be made? host may be empty or an IP literal, in which case
// only IP/CIDR rules and "*" apply. The caller vouches that ip is what host
// resolved to for this very connection (DialContext does exactly that). It
// returns nil or a *DeniedError, whatever the Mode: the enforcement points
// apply the Mode.
func (p *Policy) Check(host string, ip netip.Addr, port int) error {
	host = normalizeHost(host)
	if host != "" && looksLikeIP(host) {
		if _, err := netip.ParseAddr(host); err == nil {
			host = ""
		}
	}
	if port < 1 || port > 65535 {
		return &DeniedError{Host: host, Addr: addrPort(ip, 0), Port: port, Reason: reasonPort}
	}
	if reason := p.decide(host, ip, uint16(port)); reason != "" {
		return &DeniedError{Host: host, Addr: addrPort(ip, uint16(port)), Port: port, Reason: reason}
	}
	return nil
}

func addrPort(ip netip.Addr, port uint16) netip.AddrPort {
	if !ip.IsValid() {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(ip.Unmap(), port)
}

// looksLikeIP is a cheap, allocation-free pre-test before netip.ParseAddr:
// IPv6 literals contain ':', IPv4 literals are digits and dots (host names
// never end in an all-numeric label).
func looksLikeIP(host string) bool {
	return strings.IndexByte(host, ':') >= 0 || looksNumeric(host)
}

// decide returns "" when allowed, else the reason. host is normalised and
// empty when unknown.
func (p *Policy) decide(host string, ip netip.Addr, port uint16) string {
	if port == 0 {
		return reasonPort
	}
	if !ip.IsValid() {
		return reasonNoIP
	}
	ip = ip.Unmap().WithZone("")
	if p.runtime.target(host, ip, port) {
		if p.runtime.runtimeDial(host, ip, port) {
			return ""
		}
		return reasonRuntimeAPI
	}
	if !p.allowMetadata {
		if scope, ok := metadataScope(ip); ok {
			if p.explicitPrefix(ip, scope, port) {
				return ""
			}
			return reasonMetadataIP
		}
		if host != "" && isMetadataName(host) {
			// As narrow as the metadata ranges themselves (169.254.0.0/16,
			// fd00:ec2::/32): a wide rule such as 169.0.0.0/8 does not
			// open a metadata name, whatever it resolves to.
			minBits := 16
			if ip.Is6() {
				minBits = 32
			}
			if p.explicitPrefix(ip, minBits, port) {
				return ""
			}
			return reasonMetadataName
		}
	}
	if host != "" && p.exactAllows(host, port) {
		return ""
	}
	for i := range p.others {
		r := &p.others[i]
		if !r.portOK(port) {
			continue
		}
		switch r.kind {
		case kindPrefix:
			if r.contains(ip) {
				return ""
			}
		case kindAny:
			return ""
		default:
			if host != "" && r.matchName(host) {
				return ""
			}
		}
	}
	return reasonNoMatch
}

// explicitPrefix reports whether an IP/CIDR rule at least minBits long covers
// ip:port. It is how metadata endpoints are "explicitly" allowed: "*" and
// short CIDRs such as 0.0.0.0/0 or fd00::/8 do not count.
func (p *Policy) explicitPrefix(ip netip.Addr, minBits int, port uint16) bool {
	for i := range p.others {
		r := &p.others[i]
		if r.kind == kindPrefix && r.portOK(port) && r.prefix.Bits() >= minBits && r.prefix.Contains(ip) {
			return true
		}
	}
	return false
}

// nameDenial returns "" when some rule could allow a connection to host (a
// normalised name, not an IP) on port once resolved, else the reason. When
// it is not "" the name is refused without a DNS query, so an
// attacker-chosen name does not even leak through a lookup.
func (p *Policy) nameDenial(host string, port uint16) string {
	if p.runtime.runtimeDial(host, netip.Addr{}, port) {
		return ""
	}
	if !p.allowMetadata && isMetadataName(host) {
		if p.anyExplicitPrefix(port) {
			return ""
		}
		return reasonMetadataName
	}
	if p.exactAllows(host, port) {
		return ""
	}
	for i := range p.others {
		r := &p.others[i]
		if r.portOK(port) && (r.kind == kindPrefix || r.matchName(host)) {
			return ""
		}
	}
	return reasonUnresolved
}

func (p *Policy) anyExplicitPrefix(port uint16) bool {
	for i := range p.others {
		r := &p.others[i]
		if r.kind == kindPrefix && r.portOK(port) && r.prefix.Bits() > 0 {
			return true
		}
	}
	return false
}

// allowsNameOnly reports whether a host-name rule allows host:port without
// knowing its address (used when an HTTP proxy resolves the name).
func (p *Policy) allowsNameOnly(host string, port uint16) string {
	if !p.allowMetadata && isMetadataName(host) {
		return reasonMetadataName
	}
	if p.exactAllows(host, port) {
		return ""
	}
	for i := range p.others {
		r := &p.others[i]
		if r.kind != kindPrefix && r.portOK(port) && r.matchName(host) {
			return ""
		}
	}
	return reasonProxy
}

// hostRuleAllows reports whether an exact or wildcard host-name rule (not
// "*") names host:port.
func (p *Policy) hostRuleAllows(host string, port uint16) bool {
	if p.exactAllows(host, port) {
		return true
	}
	for i := range p.others {
		r := &p.others[i]
		if r.kind == kindWildcard && r.portOK(port) && r.matchName(host) {
			return true
		}
	}
	return false
}

// report calls OnDeny, if set.
func (p *Policy) report(ctx context.Context, d Denial) {
	if p.onDeny != nil {
		if ctx == nil {
			ctx = context.Background()
		}
		p.onDeny(ctx, d)
	}
}

// Cloud metadata and credential endpoints. scope is the shortest prefix
// length a CIDR rule may have and still count as allowing the address
// explicitly (169.254.0.0/16 does, 0.0.0.0/0 does not).
var metadataEndpoints = []struct {
	addr  netip.Addr
	scope int
}{
	{netip.MustParseAddr("169.254.169.254"), 16}, // AWS IMDS, GCP, Azure, OCI, DigitalOcean metadata
	{netip.MustParseAddr("169.254.170.2"), 16},   // ECS task credentials (also Lambda container credentials)
	{netip.MustParseAddr("169.254.170.23"), 16},  // EKS Pod Identity agent
	{netip.MustParseAddr("fd00:ec2::254"), 32},   // AWS IMDS over IPv6
	{netip.MustParseAddr("fd00:ec2::23"), 32},    // EKS Pod Identity agent over IPv6
	{netip.MustParseAddr("100.100.100.200"), 32}, // Alibaba Cloud metadata
}

// nat64 is the well-known NAT64 prefix (RFC 6052): 64:ff9b::a9fe:a9fe reaches
// 169.254.169.254 through a NAT64 gateway.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// metadataScope reports whether ip (unmapped) is a metadata endpoint, directly
// or embedded in a NAT64 address, and the scope an explicit rule needs.
func metadataScope(ip netip.Addr) (int, bool) {
	if ip.Is6() && nat64.Contains(ip) {
		b := ip.As16()
		if _, ok := metadataScopeDirect(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})); ok {
			// Only a rule naming the NAT64 address itself is explicit.
			return 128, true
		}
	}
	return metadataScopeDirect(ip)
}

func metadataScopeDirect(ip netip.Addr) (int, bool) {
	for _, m := range metadataEndpoints {
		if m.addr == ip {
			return m.scope, true
		}
	}
	return 0, false
}

// isMetadataName reports whether a normalised host name names a metadata
// service.
func isMetadataName(host string) bool {
	switch host {
	case "metadata.google.internal", "metadata.goog", "metadata",
		"instance-data", "instance-data.ec2.internal":
		return true
	}
	return false
}
