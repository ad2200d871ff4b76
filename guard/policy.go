package guard

import (
	"io"
	"net/netip"
	"strings"
	"unsafe"

	"github.com/fnguard/fnguard/guard/verify"
)

type netipPrefix struct{ netip.Prefix }

// containsAddr reports whether a prefix covers a, whatever the notation of
// either: a client address arrives IPv4-mapped (::ffff:203.0.113.5) or with
// a zone from some front ends, and a prefix may be written IPv4-mapped
// (::ffff:203.0.113.0/120, made IPv4 by canonicalPrefix) or cover the mapped
// range from a shorter IPv6 prefix (::/0).
func containsAddr(ps []netipPrefix, a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	var mapped netip.Addr
	if a.Is4() {
		mapped = netip.AddrFrom16(a.As16())
	}
	for _, p := range ps {
		if p.Contains(a) || mapped.IsValid() && p.Contains(mapped) {
			return true
		}
	}
	return false
}

// canonicalPrefix writes a prefix in one notation: masked, and an
// IPv4-mapped IPv6 prefix that covers only IPv4 addresses (/96 or longer)
// as the IPv4 prefix it means (::ffff:203.0.113.0/120 is 203.0.113.0/24).
func canonicalPrefix(p netip.Prefix) netip.Prefix {
	p = p.Masked()
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p
}

// checkHTTP applies the allowlists and caller checks of HTTP-style sources.
func (s *scanner) checkHTTP() {
	g, inv := s.g, s.inv
	if len(g.allowMethods) > 0 {
		ok := false
		for _, m := range g.allowMethods {
			if strings.EqualFold(m, inv.Method) {
				ok = true
				break
			}
		}
		if !ok {
			s.policy(Allowlist, "allowlist.method", "method", "method "+inv.Method+" is not in FNGUARD_ALLOW_METHODS")
		}
	}
	if len(g.allowRoutes) > 0 {
		s.checkRoute()
	}
	if len(g.allowContentTypes) > 0 && len(inv.Body) > 0 {
		mt := mediaType(inv.ContentType)
		ok := false
		for _, want := range g.allowContentTypes {
			if want == mt || (strings.HasSuffix(want, "/*") && strings.HasPrefix(mt, want[:len(want)-1])) {
				ok = true
				break
			}
		}
		if !ok {
			if mt == "" {
				mt = "(none)"
			}
			s.policy(Allowlist, "allowlist.content_type", "headers.content-type", "content type "+mt+" is not in FNGUARD_ALLOW_CONTENT_TYPES")
		}
	}
	if len(g.denyCIDRs) > 0 && inv.ClientIP.IsValid() && containsAddr(g.denyCIDRs, inv.ClientIP) {
		s.policy(Allowlist, "allowlist.source_denied", "clientIp", "client "+inv.ClientIP.String()+" is in FNGUARD_DENY_SOURCE_CIDRS")
	}
	if len(g.allowCIDRs) > 0 {
		switch {
		case !inv.ClientIP.IsValid():
			s.policy(Allowlist, "allowlist.source_cidr", "clientIp", "client IP unknown and FNGUARD_ALLOW_SOURCE_CIDRS is set")
		case !containsAddr(g.allowCIDRs, inv.ClientIP):
			s.policy(Allowlist, "allowlist.source_cidr", "clientIp", "client "+inv.ClientIP.String()+" is not in FNGUARD_ALLOW_SOURCE_CIDRS")
		}
	}
	if g.requireAuthorizer {
		s.checkPrincipal()
	}
	if g.webhook != nil {
		s.checkWebhook()
	}
}

// checkRoute judges the route on what the handler routes on. A route the
// platform matched (an API Gateway resource or route key) is trusted only
// when its path parameters fill it as the decoded path would; a path
// without a platform route ($default, function URLs, ALB, net/http) is
// matched after decoding and normalisation (see normalizePath), so that
// /orders/1%2fdelete is /orders/1/delete and /orders/ is /orders.
func (s *scanner) checkRoute() {
	g, inv := s.g, s.inv
	route := inv.Route
	if route == "$default" || strings.Contains(route, "+}") {
		// The default route, or a greedy {proxy+} resource: the platform
		// matched anything, so the route is the path it passed on.
		if matchRoute(g.allowRoutes, inv.Method, route) {
			if name, ok := routeParamsSound(route, inv.PathParams); !ok {
				s.policy(Allowlist, "allowlist.route", "pathParameters."+name, "path parameter "+name+" of route "+route+" is empty or holds a '.' or '..' segment once decoded")
			}
			return
		}
		route = ""
	}
	if route != "" {
		if !matchRoute(g.allowRoutes, inv.Method, route) {
			s.policy(Allowlist, "allowlist.route", "route", "route "+inv.Method+" "+route+" is not in FNGUARD_ALLOW_ROUTES")
			return
		}
		if name, ok := routeParamsSound(route, inv.PathParams); !ok {
			s.policy(Allowlist, "allowlist.route", "pathParameters."+name,
				"path parameter "+name+" of route "+route+" is empty or spans segments once decoded, so the decoded path is another route")
		}
		return
	}
	path := normalizePath(inv.Path)
	if !matchRoute(g.allowRoutes, inv.Method, path) {
		shown := path
		if path != inv.Path {
			shown = inv.Path + " (decoded " + path + ")"
		}
		s.policy(Allowlist, "allowlist.route", "route", "route "+inv.Method+" "+shown+" is not in FNGUARD_ALLOW_ROUTES")
	}
}

func (s *scanner) checkPrincipal() {
	g, p := s.g, s.inv.Principal
	if p == nil {
		s.policy(Caller, "caller.no_authorizer", "requestContext.authorizer", "no authorizer ran on this request (FNGUARD_REQUIRE_AUTHORIZER)")
		return
	}
	for k, want := range g.requireClaims {
		if got, ok := p.Claims[k]; !ok || got != want {
			s.policy(Caller, "caller.claim", "requestContext.authorizer.claims."+k, "claim "+k+" missing or not the required value")
		}
	}
	for _, want := range g.requireScopes {
		found := false
		for _, have := range p.Scopes {
			if have == want {
				found = true
				break
			}
		}
		if !found {
			s.policy(Caller, "caller.scope", "requestContext.authorizer.scopes", "scope "+want+" missing")
		}
	}
}

func (s *scanner) checkWebhook() {
	w, inv := s.g.webhook, s.inv
	var err error
	switch w.style {
	case WebhookGitHub:
		err = verify.GitHub(w.secret, inv.Body, inv.Header("x-hub-signature-256"))
	case WebhookStripe:
		err = verify.Stripe(w.secret, inv.Body, inv.Header("stripe-signature"), w.tolerance, s.g.now())
	case WebhookGeneric:
		err = verify.Generic(w.secret, inv.Body, inv.Header(strings.ToLower(w.header)))
	}
	if err != nil {
		s.policy(Caller, "caller.webhook_signature", "headers", err.Error())
	}
}

// bytesToString views b as a string without copying. The engine never
// modifies the bytes it inspects, and the strings do not outlive Inspect
// except through findings, which copy what they keep.
func bytesToString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// stringBytes views s as bytes without copying; the engine never writes
// to them.
func stringBytes(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, limit+1))
}
