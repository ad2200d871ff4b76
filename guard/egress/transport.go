package egress

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Transport returns a clone of base whose connections go through the policy:
// DialContext is wrapped (see [Policy.DialContext]; base's own DialContext or
// Dial, if any, still performs the actual connection, to pinned IP literals),
// so a redirect to a denied host fails when its connection is dialled.
//
// Because a custom DialTLSContext/DialTLS would open connections the policy
// never sees, the clone has them cleared and lets the Transport do TLS itself
// with base.TLSClientConfig. If base uses an HTTP proxy, the proxy's address
// must be allowed, and since the proxy resolves the real destination, that
// destination must be allowed by a host-name rule (or be an allowed IP
// literal); the clone's Proxy function enforces this. base nil means
// http.DefaultTransport (or net/http's defaults if DefaultTransport has been
// replaced by something that is not an *http.Transport).
func (p *Policy) Transport(base *http.Transport) *http.Transport {
	if base == nil {
		if dt, ok := http.DefaultTransport.(*http.Transport); ok {
			base = dt
		} else {
			base = newDefaultTransport()
		}
	}
	t := base.Clone()
	p.secure(t)
	return t
}

// newDefaultTransport mirrors net/http's DefaultTransport.
func newDefaultTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           defaultDialer().DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

// secure rewires t's dial and proxy hooks in place.
func (p *Policy) secure(t *http.Transport) {
	dial := t.DialContext
	//lint:ignore SA1019 a transport configured with the legacy hook keeps it, behind the policy
	if legacy := t.Dial; dial == nil && legacy != nil {
		dial = func(_ context.Context, network, addr string) (net.Conn, error) { return legacy(network, addr) }
	}
	if dial == nil {
		dial = defaultDialer().DialContext
	}
	t.DialContext = p.wrapDial(dial)
	//lint:ignore SA1019 cleared on purpose: it would bypass the policy
	t.Dial = nil
	t.DialTLSContext = nil
	//lint:ignore SA1019 cleared on purpose: it would bypass the policy
	t.DialTLS = nil
	// Always hooked, even without a proxy: the hook is where requests to
	// the Lambda Runtime API are refused (see RuntimeAPIEnv).
	t.Proxy = p.wrapProxy(t.Proxy)
}

// wrapProxy is the per-request hook of a secured transport (http.Transport
// calls Proxy on the requesting goroutine before every round trip, pooled
// connection or not). It refuses requests to the Lambda Runtime API, and
// judges the real destination of proxied requests: the proxy resolves and
// connects to it, so the dial check only ever sees the proxy.
func (p *Policy) wrapProxy(proxy func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		host, port, ok := urlHostPort(req.URL)
		if ok {
			if d, denied := p.runtimeRequest(host, port); denied && !fromLambdaRuntimeClient() {
				if err := p.refuseRequest(req, d); err != nil {
					return nil, err
				}
				ok = false // reported once (Monitor): no second report below
			}
		}
		if proxy == nil {
			return nil, nil
		}
		u, err := proxy(req)
		if err != nil || u == nil || !ok {
			return u, err
		}
		if d, denied := p.judgeProxied(req, host, port); denied {
			if err := p.refuseRequest(req, d); err != nil {
				return nil, err
			}
		}
		return u, nil
	}
}

// lambdaRuntimeClients prefix the methods of aws-lambda-go's Runtime API
// client (lambda/runtime_api_client.go) and of its Extensions API client
// (lambda/extensions_api_client.go: lambda.WithEnableSIGTERM registers an
// internal extension at start), which share the Runtime API's address.
var lambdaRuntimeClients = [...]string{
	"github.com/aws/aws-lambda-go/lambda.(*runtimeAPIClient).",
	"github.com/aws/aws-lambda-go/lambda.(*extensionAPIClient).",
}

// fromLambdaRuntimeClient reports whether the request whose Proxy hook is
// running is sent by aws-lambda-go's own Runtime API client. From v1.55.0
// that client uses a clone of DefaultTransport with Proxy set to nil, so
// its requests never reach this hook; before, it sends through
// http.DefaultTransport itself, whose installed hook would refuse the
// runtime loop's own "next" and "response" calls and stall the function.
// http.Transport calls Proxy on the goroutine sending the request, so the
// client's frames are on this stack; application code (an SSRF) has no
// such frame. It runs only for requests addressed to the Runtime API.
func fromLambdaRuntimeClient() bool {
	var pcs [48]uintptr
	n := runtime.Callers(3, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		for _, c := range lambdaRuntimeClients {
			if strings.HasPrefix(f.Function, c) {
				return true
			}
		}
		if !more {
			return false
		}
	}
}

// refuseRequest reports d and returns the error to fail the request with,
// nil in Monitor mode.
func (p *Policy) refuseRequest(req *http.Request, d Denial) error {
	d.Monitored = p.mode == Monitor
	p.reportOnce(req.Context(), d)
	if d.Monitored {
		return nil
	}
	return d.Err()
}

// runtimeRequest refuses an HTTP request addressed to the Lambda Runtime API
// in any notation (see RuntimeAPIEnv). Names that resolve to it are refused
// when dialled (decide), or in judgeProxied when a proxy would resolve them.
func (p *Policy) runtimeRequest(host string, port uint16) (Denial, bool) {
	ip, isIP := parseIPHost(host)
	if isIP {
		host = ""
	}
	if !p.runtime.target(host, ip, port) {
		return Denial{}, false
	}
	d := Denial{Host: host, Port: int(port), Reason: reasonRuntimeAPI, Network: "tcp"}
	if isIP {
		d.Addr = netip.AddrPortFrom(ip.Unmap().WithZone(""), port)
	}
	return d, true
}

// judgeProxied decides a request the proxy will carry to host:port. An IP
// literal is decided in full. A name must be allowed by name (a host-name
// rule or "*"; metadata names never), and then every address it resolves to
// here must pass the address check, so a name pointing at a metadata
// endpoint, or at the Runtime API, is refused even under "*". A name that
// does not resolve here cannot be verified: only an explicit host-name rule
// (exact or wildcard, the owner's own choice) lets it through. The proxy
// resolves the name again; a name whose answers differ between here and the
// proxy (DNS rebinding against the proxy) is beyond what an in-process check
// can see, so keep wide rules such as "*" away from functions that use a
// proxy, or enforce the same allowlist in the proxy.
func (p *Policy) judgeProxied(req *http.Request, host string, port uint16) (Denial, bool) {
	d := Denial{Host: host, Port: int(port), Network: "tcp"}
	if ip, isIP := parseIPHost(host); isIP {
		d.Host, d.Addr, d.Reason = "", netip.AddrPortFrom(ip.Unmap().WithZone(""), port), p.decide("", ip, port)
		return d, d.Reason != ""
	}
	if d.Reason = p.allowsNameOnly(host, port); d.Reason != "" {
		return d, true
	}
	ips, err := p.resolver.LookupNetIP(req.Context(), "ip", host)
	if err != nil || len(ips) == 0 {
		if p.hostRuleAllows(host, port) {
			return d, false
		}
		d.Reason = reasonProxyLookup
		return d, true
	}
	p.names.add(host, ips)
	for _, ip := range ips {
		if reason := p.decide(host, ip, port); reason != "" {
			d.Addr, d.Reason = netip.AddrPortFrom(ip.Unmap().WithZone(""), port), reason
			return d, true
		}
	}
	return d, false
}

// RoundTripper wraps base with a pre-check of each request's URL: an IP
// literal is decided in full, a host name is refused at once when no rule can
// allow it (no DNS query, and a clear *DeniedError inside the *url.Error the
// client returns). Names that some rule might allow are passed to base, whose
// dialer must do the address check: give it a [Policy.Transport] (base nil
// does exactly that). Every redirect hop is a new RoundTrip, so redirects are
// pre-checked too.
func (p *Policy) RoundTripper(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = p.Transport(nil)
	}
	return &roundTripper{p: p, base: base}
}

type roundTripper struct {
	p    *Policy
	base http.RoundTripper
}

var errNoURL = errors.New("egress: request has no URL")

// RoundTrip implements http.RoundTripper.
func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		closeBody(req)
		return nil, errNoURL
	}
	d, denied := rt.p.precheck(req.URL)
	if denied {
		d.Monitored = rt.p.mode == Monitor
		rt.p.report(req.Context(), d)
		if !d.Monitored {
			closeBody(req)
			return nil, d.Err()
		}
		req = req.WithContext(context.WithValue(req.Context(), reportedKey{rt.p}, d.key()))
	}
	return rt.base.RoundTrip(req)
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// precheck decides what can be decided from the URL alone.
func (p *Policy) precheck(u *url.URL) (Denial, bool) {
	host, port, ok := urlHostPort(u)
	if !ok {
		return Denial{}, false // let the base transport report the malformed URL
	}
	if d, denied := p.runtimeRequest(host, port); denied {
		return d, true
	}
	if ip, isIP := parseIPHost(host); isIP {
		if reason := p.decide("", ip, port); reason != "" {
			return Denial{Addr: netip.AddrPortFrom(ip.Unmap().WithZone(""), port), Port: int(port), Reason: reason, Network: "tcp"}, true
		}
		return Denial{}, false
	}
	if reason := p.nameDenial(host, port); reason != "" {
		return Denial{Host: host, Port: int(port), Reason: reason, Network: "tcp"}, true
	}
	return Denial{}, false
}

// urlHostPort returns the normalised host and the port of u (explicit, or
// the scheme's default).
func urlHostPort(u *url.URL) (string, uint16, bool) {
	host := normalizeHost(u.Hostname())
	if host == "" {
		return "", 0, false
	}
	ps := u.Port()
	if ps == "" {
		switch u.Scheme {
		case "http", "ws":
			return host, 80, true
		case "https", "wss":
			return host, 443, true
		}
		return "", 0, false
	}
	n, err := strconv.ParseUint(ps, 10, 16)
	if err != nil || n == 0 {
		return "", 0, false
	}
	return host, uint16(n), true
}

func parseIPHost(host string) (netip.Addr, bool) {
	if !looksLikeIP(host) {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(host)
	return ip, err == nil
}

var installMu sync.Mutex

// Install applies the policy process-wide, for code that uses
// http.DefaultTransport, and returns a function that undoes it (safe to call
// more than once; undo nested installs in reverse order).
//
// When http.DefaultTransport is an *http.Transport (the normal case) Install
// rewires that very object in place, like [Policy.Transport] does to its
// clone, and closes its idle connections so nothing dialled before stays in
// use. Because it is the same object, this covers http.DefaultClient, the
// http.Get family, every client built with Transport: http.DefaultTransport
// (even before Install), and every Clone() of DefaultTransport made after
// Install. If DefaultTransport was replaced by another RoundTripper, Install
// replaces the variable with [Policy.RoundTripper] around it (URL pre-check
// only; connections by name are then not pinned).
//
// Call Install during start-up, before other goroutines use
// DefaultTransport: the Transport's fields are not synchronised.
//
// Not covered: transports built from scratch, notably the AWS SDK for Go v2,
// whose default client builds its own http.Transport (aws/transport/http
// defaultHTTPTransport) and must be given one, e.g.
// config.WithHTTPClient(&http.Client{Transport: p.Transport(nil)}); clones
// made before Install; net.Dial and net.Dialer used directly (use
// Policy.DialContext or Policy.Control there); cgo and child processes; DNS
// lookups themselves (net.DefaultResolver is left alone: policing its
// resolver connections would not stop a lookup through the allowed resolver
// from carrying data, while DialContext already refuses names no rule can
// allow before any lookup).
//
// The AWS Lambda runtime: aws-lambda-go's runtime loop (lambda.Start) makes
// its Runtime API client from http.DefaultTransport.Clone() with Proxy nil.
// If Install ran first, that clone inherits the policy's dialer, which always
// allows the AWS_LAMBDA_RUNTIME_API address as that literal; its Proxy hook,
// which refuses requests to the Runtime API from every other secured
// transport (DefaultTransport included), is what the runtime's clone drops.
// If Install runs after lambda.Start, the runtime's clone is untouched.
// Either way the runtime loop keeps working and the application's own
// requests cannot reach the Runtime API.
func (p *Policy) Install() (restore func()) {
	installMu.Lock()
	defer installMu.Unlock()
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		//lint:ignore SA1019 the deprecated hooks are saved to be restored
		dial, dialTLS := t.Dial, t.DialTLS
		saved := struct {
			dialContext, dialTLSContext func(context.Context, string, string) (net.Conn, error)
			dial, dialTLS               func(string, string) (net.Conn, error)
			proxy                       func(*http.Request) (*url.URL, error)
		}{t.DialContext, t.DialTLSContext, dial, dialTLS, t.Proxy}
		p.secure(t)
		t.CloseIdleConnections()
		var once sync.Once
		return func() {
			once.Do(func() {
				installMu.Lock()
				defer installMu.Unlock()
				t.DialContext, t.DialTLSContext = saved.dialContext, saved.dialTLSContext
				//lint:ignore SA1019 restoring the original values
				t.Dial, t.DialTLS = saved.dial, saved.dialTLS
				t.Proxy = saved.proxy
				t.CloseIdleConnections()
			})
		}
	}
	orig := http.DefaultTransport
	http.DefaultTransport = p.RoundTripper(orig)
	var once sync.Once
	return func() {
		once.Do(func() {
			installMu.Lock()
			defer installMu.Unlock()
			http.DefaultTransport = orig
		})
	}
}
