package guard

import (
	"context"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Rules of outbound HTTP (SSRF) sink findings.
const (
	ruleHTTPMetadata    = "http.metadata"    // a cloud metadata endpoint
	ruleHTTPLoopback    = "http.loopback"    // 127.0.0.0/8, ::1
	ruleHTTPPrivate     = "http.private"     // RFC 1918, unique-local fc00::/7, CGNAT 100.64.0.0/10
	ruleHTTPLinkLocal   = "http.link_local"  // 169.254.0.0/16, fe80::/10
	ruleHTTPUnspecified = "http.unspecified" // 0.0.0.0, ::
	ruleHTTPUnresolved  = "http.unresolved"  // a host from input that does not resolve (monitor only)
)

var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OCI...
	netip.MustParseAddr("169.254.170.2"),   // ECS task metadata and credentials
	netip.MustParseAddr("fd00:ec2::254"),   // AWS IMDS over IPv6
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// internalRule names why ip must not be reached with a host from input, or
// returns "".
func internalRule(ip netip.Addr) string {
	ip = ip.Unmap().WithZone("")
	for _, m := range metadataAddrs {
		if ip == m {
			return ruleHTTPMetadata
		}
	}
	switch {
	case ip.IsLoopback():
		return ruleHTTPLoopback
	case ip.IsUnspecified():
		return ruleHTTPUnspecified
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return ruleHTTPLinkLocal
	case ip.IsPrivate() || cgnat.Contains(ip):
		return ruleHTTPPrivate
	}
	return ""
}

// lookuper resolves host names (net.Resolver).
type lookuper interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// resolver is the lookup used by the SSRF checks (a variable for tests).
var resolver lookuper = net.DefaultResolver

// hostFromInput reports whether input supplies the host of u: the input is
// the host (with or without a port), a URL with that host, or it occurs in
// the URL's text over the host.
func hostFromInput(u *url.URL, full, input string) bool {
	host := u.Hostname()
	if host == "" || len(input) < MinSinkInput {
		return false
	}
	if strings.EqualFold(input, host) || strings.EqualFold(input, u.Host) {
		return true
	}
	if strings.Contains(input, "//") {
		if iu, err := url.Parse(strings.TrimSpace(input)); err == nil && strings.EqualFold(iu.Hostname(), host) {
			return true
		}
	}
	// The host's span in the URL as written.
	a := strings.Index(full, "//")
	if a < 0 {
		return false
	}
	a += 2
	if at := strings.IndexByte(full[a:], '@'); at >= 0 && at < strings.IndexAny(full[a:]+"/", "/?#") {
		a += at + 1
	}
	h := strings.Index(strings.ToLower(full[a:]), strings.ToLower(host))
	if h < 0 {
		return false
	}
	hs, he := a+h, a+h+len(host)
	for off, n := 0, 0; n < 8; n++ {
		i := strings.Index(full[off:], input)
		if i < 0 {
			return false
		}
		s := off + i
		if s < he && s+len(input) > hs {
			return true
		}
		off = s + 1
	}
	return false
}

// taintedHost is a host that came from an input in one invocation.
type taintedHost struct {
	host  string
	which int // the input
}

func (s *scope) taint(host string, which int) {
	s.hostMu.Lock()
	defer s.hostMu.Unlock()
	for _, t := range s.tainted {
		if t.host == host {
			return
		}
	}
	s.tainted = append(s.tainted, taintedHost{host: strings.Clone(host), which: which})
}

func (s *scope) taintedBy(host string) (int, bool) {
	s.hostMu.Lock()
	defer s.hostMu.Unlock()
	for _, t := range s.tainted {
		if strings.EqualFold(t.host, host) {
			return t.which, true
		}
	}
	return -1, false
}

// checkRequest is the per-request SSRF check: it runs for every request
// and every redirect hop with an invocation in its context. A host from
// input (or a redirect from one) is resolved and every address checked.
// It returns the input's index when the host came from input.
func (s *scope) checkRequest(req *http.Request) (which int, err error) {
	u := req.URL
	if u == nil || u.Hostname() == "" {
		return -1, nil
	}
	host := u.Hostname()
	s.mu.RLock()
	if s.ended {
		s.mu.RUnlock()
		return -1, nil
	}
	s.once.Do(s.collect)
	which = -1
	full := u.String()
	for i := range s.inputs {
		if hostFromInput(u, full, s.inputs[i].val) {
			which = i
			break
		}
	}
	s.mu.RUnlock()
	if which < 0 {
		// A redirect whose chain started at a host from input.
		for r := req.Response; r != nil && r.Request != nil; r = r.Request.Response {
			if w, ok := s.taintedBy(r.Request.URL.Hostname()); ok {
				which = w
				break
			}
		}
	}
	if which < 0 {
		return -1, nil
	}
	s.taint(host, which)
	rule, addr := s.resolveCheck(req.Context(), host)
	if rule == "" {
		return which, nil
	}
	return which, s.reportHTTP(req.Context(), which, rule, u.Redacted()+" ("+addr+")")
}

// resolveCheck resolves host and returns the rule of the first internal
// address, or "" when every address is public.
func (s *scope) resolveCheck(ctx context.Context, host string) (rule, addr string) {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return internalRule(ip), ip.String()
	}
	ips, err := resolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return "", "" // the connection fails anyway; the dial check sees any later answer
	}
	for _, ip := range ips {
		if r := internalRule(ip); r != "" {
			return r, ip.String()
		}
	}
	return "", ""
}

// reportHTTP records an SSRF finding (under the scope's read lock).
func (s *scope) reportHTTP(ctx context.Context, which int, rule, stmt string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ended || which < 0 || which >= len(s.inputs) {
		return nil
	}
	return s.report(ctx, SinkHTTP, rule, which, stmt, SinkInjection)
}

// ssrfDial wraps a dial function: a connection to a host that came from
// input is made only to addresses checked at connect time (the resolved
// IPs are dialled as literals, so a second DNS answer cannot differ).
func ssrfDial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		s := scopeFrom(ctx)
		if s == nil {
			return dial(ctx, network, addr)
		}
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return dial(ctx, network, addr)
		}
		which, ok := s.taintedBy(host)
		if !ok {
			return dial(ctx, network, addr)
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else if ips, err = resolver.LookupNetIP(ctx, "ip", host); err != nil {
			return nil, err
		}
		for _, ip := range ips {
			if r := internalRule(ip); r != "" {
				if err := s.reportHTTP(ctx, which, r, "connect "+host+" ("+ip.String()+")"); err != nil {
					return nil, err
				}
			}
		}
		var first error
		for _, ip := range ips {
			c, err := dial(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return c, nil
			}
			if first == nil {
				first = err
			}
		}
		if first == nil {
			first = &net.DNSError{Err: "no addresses", Name: host}
		}
		return nil, first
	}
}

// secureTransport puts the SSRF checks on t in place: the Proxy hook (run
// for every request and redirect hop, kept-alive connection or not) and
// the dial hook (connect time).
func (g *Guard) secureTransport(t *http.Transport, proxyHook bool) {
	if proxyHook {
		g.hookProxy(t)
	}
	dial := t.DialContext
	if dial == nil {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	t.DialContext = ssrfDial(dial)
}

// hookProxy runs the per-request check from t's Proxy hook, which the
// Transport calls for every request, redirect hops included.
func (g *Guard) hookProxy(t *http.Transport) {
	proxy := t.Proxy
	t.Proxy = func(req *http.Request) (*url.URL, error) {
		if s := scopeFrom(req.Context()); s != nil { // whichever guard attached the invocation
			if _, err := s.checkRequest(req); err != nil {
				return nil, err
			}
		}
		if proxy != nil {
			return proxy(req)
		}
		return nil, nil
	}
}

var (
	ssrfInstallMu sync.Mutex
	ssrfInstalled = map[http.RoundTripper]bool{} // transports already checked: once per process, whatever the guard
)

// installSSRF secures http.DefaultTransport in place (Protect). The hooks
// serve every guard (the invocation in a request's context names its
// guard), so the transport is wrapped once however many guards a process
// builds.
func (g *Guard) installSSRF() {
	ssrfInstallMu.Lock()
	defer ssrfInstallMu.Unlock()
	if ssrfInstalled[http.DefaultTransport] {
		return
	}
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		g.secureTransport(t, true)
		t.CloseIdleConnections()
		ssrfInstalled[t] = true
		return
	}
	rt := &ssrfTransport{base: http.DefaultTransport}
	http.DefaultTransport = rt
	ssrfInstalled[rt] = true
}

// Transport wraps base with the outbound-request (SSRF) sink check: a
// request whose context carries an invocation (http.NewRequestWithContext
// with the handler's ctx) and whose host came from one of its inputs — the
// whole URL, its authority, or the host alone — or that is a redirect from
// such a host, goes only to public addresses. Loopback, private,
// link-local, unique-local, unspecified and cloud metadata addresses are
// refused with a *BlockedError (errors.Is(err, ErrBlocked), inside the
// *url.Error the client returns). The check runs per request, so a
// kept-alive connection or a redirect gets no free pass: the host is
// resolved and checked, the connection's remote address is checked when
// it is obtained, and a clone of an *http.Transport base dials only the
// checked addresses (DNS rebinding does not help). Hosts the program chose
// itself are left to the egress allowlist (FNGUARD_EGRESS_ALLOW).
//
// The middlewares install the same check on http.DefaultTransport before
// the first invocation (Protect). Give Transport to clients that build
// their own transport, such as the AWS SDK for Go v2:
//
//	client := &http.Client{Transport: g.Transport(nil)}
//
// base nil means http.DefaultTransport. A nil guard, or a guard whose mode
// or FNGUARD_SINK_MODE is off, returns base unchanged.
func (g *Guard) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	if g == nil || g.mode == Off || g.sinkMode == Off {
		return base
	}
	if t, ok := base.(*http.Transport); ok {
		c := t.Clone()
		g.secureTransport(c, false) // RoundTrip checks each request; the clone's dial checks connections
		return &ssrfTransport{g: g, base: c, cloned: true}
	}
	return &ssrfTransport{g: g, base: base}
}

type ssrfTransport struct {
	g      *Guard
	base   http.RoundTripper
	cloned bool // base is a clone whose dial checks new connections
}

// RoundTrip implements http.RoundTripper.
func (t *ssrfTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	s := scopeFrom(req.Context())
	if s == nil || t.g != nil && s.g != t.g {
		return t.base.RoundTrip(req)
	}
	which, err := s.checkRequest(req)
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	if which < 0 {
		return t.base.RoundTrip(req)
	}
	// The peer of a reused connection is checked when the connection is
	// handed to this request, before anything is written on it.
	var blocked error
	var mu sync.Mutex
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if t.cloned && !info.Reused || !t.noProxy(req) {
			return
		}
		ap, err := netip.ParseAddrPort(info.Conn.RemoteAddr().String())
		if err != nil {
			return
		}
		if r := internalRule(ap.Addr()); r != "" {
			mu.Lock()
			blocked = s.reportHTTP(req.Context(), which, r, req.URL.Redacted()+" (connected to "+ap.Addr().String()+")")
			mu.Unlock()
			if blocked != nil {
				_ = info.Conn.Close()
			}
		}
	}}
	resp, err := t.base.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	mu.Lock()
	defer mu.Unlock()
	if blocked != nil {
		if resp != nil && resp.Body != nil {
			_ = resp.Body.Close()
		}
		return nil, blocked
	}
	return resp, err
}

// noProxy reports whether req goes straight to its host (no proxy in the
// environment), so that the connection's peer is the host itself.
func (t *ssrfTransport) noProxy(req *http.Request) bool {
	u, err := http.ProxyFromEnvironment(req)
	return err == nil && u == nil
}
