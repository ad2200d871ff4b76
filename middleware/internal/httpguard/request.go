package httpguard

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
)

// Platform describes where requests come from; the adapters fill it once.
type Platform struct {
	// Source is the invocation source (guard.SourceHTTP, guard.SourceGCFHTTP).
	Source guard.Source
	// Adapter names the middleware ("guardhttp", "guardgcf") in panic
	// reports and log lines.
	Adapter string
	// ExecutionIDHeader, when set, is the canonical name of a header that
	// carries the platform's execution id (Cloud Functions:
	// "Function-Execution-Id"). It is preferred as the request id and added
	// to the attributes as "execution_id".
	ExecutionIDHeader string
	// FunctionName is the function or service name for logs.
	FunctionName string
	// Attrs are static telemetry attributes added to every invocation
	// (k_service, function_target, ...).
	Attrs []guard.Param
}

// Map fills inv from r: everything but the body. proxyHeader is the
// canonical name of the header a trusted proxy sets to the client address
// ("" for none) and hops the number of trusted proxies (see ClientIP).
func Map(inv *guard.Invocation, r *http.Request, p *Platform, proxyHeader string, hops int) {
	mapInto(inv, nil, r, p, proxyHeader, hops)
}

// mapInto is Map with buf as the backing array of the query, header and
// cookie parameters (reused across requests); it returns the grown buffer.
func mapInto(inv *guard.Invocation, buf []guard.Param, r *http.Request, p *Platform, proxyHeader string, hops int) []guard.Param {
	inv.Source = p.Source
	inv.FunctionName = p.FunctionName
	inv.Method = r.Method
	inv.Proto = r.Proto
	inv.RequestID, inv.TraceID = requestIDs(r, p)
	inv.SpanID = spanID(r.Header, inv.TraceID)
	inv.Attrs = p.Attrs
	if p.ExecutionIDHeader != "" {
		if id := r.Header.Get(p.ExecutionIDHeader); validID(id) {
			inv.Attrs = append(slices.Clip(p.Attrs), guard.Param{Name: "execution_id", Value: id})
		}
	}
	if fn := lambdaFunctionName(r.Context()); fn != "" && inv.FunctionName == "" {
		inv.FunctionName = fn
	}
	inv.ClientIP = ClientIP(r, proxyHeader, hops)
	buf = buf[:0]
	if r.URL != nil {
		inv.Path = r.URL.EscapedPath()
		if strings.IndexByte(r.RequestURI, '#') >= 0 && strings.HasPrefix(r.RequestURI, "/") {
			// A raw fragment in the request target (no client sends one):
			// the path as sent, where EscapedPath would show it as %23.
			inv.Path, _, _ = strings.Cut(r.RequestURI, "?")
		}
		inv.RawQuery = r.URL.RawQuery
		buf = appendQuery(buf, r.URL.RawQuery)
	}
	nq := len(buf)
	buf = appendHeaders(buf, r.Header)
	if r.Host != "" {
		// Go accepts ' ( ) ; = in a Host; the engine judges it by the
		// host grammar and inspects what does not conform.
		buf = append(buf, guard.Param{Name: "host", Value: r.Host})
	}
	for _, v := range r.TransferEncoding {
		// net/http moves Transfer-Encoding out of the header map; the
		// engine's protocol checks read it (a GET with a chunked body).
		buf = append(buf, guard.Param{Name: "transfer-encoding", Value: v})
	}
	nh := len(buf) - nq
	for _, v := range r.Header["Cookie"] {
		buf = appendCookies(buf, v)
	}
	inv.Query = sub(buf, 0, nq)
	inv.Headers = sub(buf, nq, nq+nh)
	slices.SortStableFunc(inv.Headers, func(a, b guard.Param) int { return strings.Compare(a.Name, b.Name) })
	inv.Cookies = sub(buf, nq+nh, len(buf))
	inv.ContentType = get(r.Header, "Content-Type")
	return buf
}

// get is h.Get(key) for a key in canonical form (a constant here): the
// header's first value, looked up without Get's canonicalisation of the key,
// which checks it byte by byte each time.
func get(h http.Header, key string) string {
	if vs := h[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// sub returns buf[i:j] with its capacity clipped, or nil when empty.
func sub(buf []guard.Param, i, j int) []guard.Param {
	if i == j {
		return nil
	}
	return buf[i:j:j]
}

// ParseQuery splits a raw query string into one Param per name=value pair,
// in order, decoding each part like a form value. A part whose escapes are
// malformed ("%zz") is kept as raw text, so that the detectors still see it
// (url.ParseQuery would drop it). Empty pairs are skipped.
func ParseQuery(raw string) []guard.Param {
	if raw == "" {
		return nil
	}
	return appendQuery(make([]guard.Param, 0, strings.Count(raw, "&")+1), raw)
}

func appendQuery(dst []guard.Param, raw string) []guard.Param {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		dst = append(dst, guard.Param{Name: unescape(k), Value: unescape(v)})
	}
	return dst
}

func unescape(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// Headers returns the request headers, names lower-cased and one Param per
// value, sorted by name (values of one name keep their order), and the
// cookies of the Cookie headers (which are not repeated among the headers).
//
// The Host (r.Host) is among them as "host": net/http accepts ' ( ) ; = in
// it. The engine judges it by the host grammar, so that a well-formed name
// (127.0.0.1:8080 in local runs, an internal name behind a proxy) is never
// taken for an SSRF target, and inspects one that does not conform.
func Headers(r *http.Request) (headers, cookies []guard.Param) {
	n := 0
	for k, vs := range r.Header {
		if k != "Cookie" && k != "Host" {
			n += len(vs)
		}
	}
	if r.Host != "" {
		n++
	}
	if n > 0 {
		headers = appendHeaders(make([]guard.Param, 0, n), r.Header)
		if r.Host != "" {
			headers = append(headers, guard.Param{Name: "host", Value: r.Host})
		}
		slices.SortStableFunc(headers, func(a, b guard.Param) int { return strings.Compare(a.Name, b.Name) })
	}
	for _, v := range r.Header["Cookie"] {
		cookies = appendCookies(cookies, v)
	}
	return headers, cookies
}

// appendHeaders appends every header value but the Cookie and Host ones.
func appendHeaders(dst []guard.Param, h http.Header) []guard.Param {
	for k, vs := range h {
		if k == "Cookie" || k == "Host" {
			continue
		}
		name := lowerName(k)
		for _, v := range vs {
			dst = append(dst, guard.Param{Name: name, Value: v})
		}
	}
	return dst
}

// appendCookies parses one Cookie header value with the engine's one
// cookie parser (guard.AppendCookies).
func appendCookies(dst []guard.Param, v string) []guard.Param {
	return guard.AppendCookies(dst, v)
}

// lowerName lower-cases a header name without allocating for the common
// canonical names.
func lowerName(k string) string {
	switch k {
	case "Accept":
		return "accept"
	case "Accept-Encoding":
		return "accept-encoding"
	case "Accept-Language":
		return "accept-language"
	case "Authorization":
		return "authorization"
	case "Cache-Control":
		return "cache-control"
	case "Connection":
		return "connection"
	case "Content-Length":
		return "content-length"
	case "Content-Type":
		return "content-type"
	case "Forwarded":
		return "forwarded"
	case "Function-Execution-Id":
		return "function-execution-id"
	case "Origin":
		return "origin"
	case "Referer":
		return "referer"
	case "Traceparent":
		return "traceparent"
	case "Tracestate":
		return "tracestate"
	case "User-Agent":
		return "user-agent"
	case "X-Cloud-Trace-Context":
		return "x-cloud-trace-context"
	case "X-Forwarded-For":
		return "x-forwarded-for"
	case "X-Forwarded-Proto":
		return "x-forwarded-proto"
	case "X-Request-Id":
		return "x-request-id"
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(k)
		}
	}
	return k
}

// ClientIP returns the client address of r. Without a trusted proxy header
// (proxyHeader "") or with hops < 1 it is the address of r.RemoteAddr (with
// or without a port; lambdaurl sets a bare IP). With one, it is taken from
// that header: the values of every occurrence of the header are joined in
// order as a comma-separated list (X-Forwarded-For style; each proxy
// appends the address it received the request from) and the entry hops
// places from the right is the client: hops 1 takes the last entry, which
// the one trusted proxy appended. When the list is shorter than hops the
// first entry is taken. RFC 7239 Forwarded entries ("for=192.0.2.1") and
// addresses with ports ("192.0.2.1:443", "[2001:db8::1]:443") are
// understood. An entry that is not an IP address gives the zero Addr
// (unknown), which an address allowlist refuses; when the header is absent
// the connection's address is used.
func ClientIP(r *http.Request, proxyHeader string, hops int) netip.Addr {
	if proxyHeader != "" && hops > 0 {
		if vs := r.Header[proxyHeader]; len(vs) > 0 {
			return guard.ClientAddr(vs, proxyHeader, hops)
		}
	}
	return guard.ParseAddr(r.RemoteAddr)
}

// requestIDs picks the request id and the trace id of r. The request id is,
// in order: the platform execution id header, the Lambda request id (for
// Function URLs through aws-lambda-go's lambdaurl), X-Request-Id, the trace
// id of X-Cloud-Trace-Context or traceparent, or else a random id, so that
// the id in a 403 answer always matches fnguard's log line. Ids are
// client-controlled: only short ids made of safe characters are used.
func requestIDs(r *http.Request, p *Platform) (reqID, traceID string) {
	h := r.Header
	traceID = cloudTrace(get(h, "X-Cloud-Trace-Context"))
	if traceID == "" {
		traceID = traceparent(get(h, "Traceparent"))
	}
	if traceID == "" {
		if s, ok := r.Context().Value("x-amzn-trace-id").(string); ok && validID(s) {
			traceID = s
		}
	}
	if p.ExecutionIDHeader != "" {
		if id := h.Get(p.ExecutionIDHeader); validID(id) {
			return id, traceID
		}
	}
	if lc, ok := lambdacontext.FromContext(r.Context()); ok && validID(lc.AwsRequestID) {
		return lc.AwsRequestID, traceID
	}
	if id := get(h, "X-Request-Id"); validID(id) {
		return id, traceID
	}
	if traceID != "" {
		return traceID, traceID
	}
	return NewID(), traceID
}

func lambdaFunctionName(ctx context.Context) string {
	if _, ok := lambdacontext.FromContext(ctx); ok {
		return lambdacontext.FunctionName
	}
	return ""
}

// NewID returns a random 16-hex-digit id.
func NewID() string {
	return strconv.FormatUint(rand.Uint64()|1<<63, 16)
}

// ValidID reports whether s is usable as an id in logs and answers: 1 to
// 128 bytes of letters, digits and . _ - : / = + @.
func ValidID(s string) bool { return validID(s) }

func validID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '.', c == '_', c == '-', c == ':', c == '/', c == '=', c == '+', c == '@':
		default:
			return false
		}
	}
	return true
}

// cloudTrace returns the trace id of "TRACE_ID/SPAN_ID;o=1".
func cloudTrace(v string) string {
	if v == "" {
		return ""
	}
	id, _, _ := strings.Cut(v, "/")
	id, _, _ = strings.Cut(id, ";")
	if isHex(id, 1, 32) {
		return id
	}
	return ""
}

// spanID returns the caller's span id, as 16 lower-case hex digits, from
// the header that gave traceID: X-Cloud-Trace-Context
// ("TRACE_ID/SPAN_ID;o=1", SPAN_ID an unsigned decimal number) or
// traceparent ("00-TRACE_ID-SPAN_ID-FLAGS", SPAN_ID hex). "" when that
// header has none, or a zero or malformed one.
func spanID(h http.Header, traceID string) string {
	if traceID == "" {
		return ""
	}
	if v := get(h, "X-Cloud-Trace-Context"); v != "" && cloudTrace(v) == traceID {
		return cloudSpan(v)
	}
	if v := get(h, "Traceparent"); traceparent(v) == traceID {
		return TraceParentSpan(v)
	}
	return ""
}

// cloudSpan converts the decimal span id of an X-Cloud-Trace-Context value
// to the 16 hex digits Cloud Logging's spanId takes.
func cloudSpan(v string) string {
	_, s, ok := strings.Cut(v, "/")
	if !ok {
		return ""
	}
	s, _, _ = strings.Cut(s, ";")
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return ""
	}
	out := strconv.FormatUint(n, 16)
	return strings.Repeat("0", 16-len(out)) + out
}

// TraceParentSpan returns the parent (span) id of a W3C traceparent value,
// lower-cased, or "" when it is not one or the id is zero.
func TraceParentSpan(v string) string {
	if traceparent(v) == "" || len(v) < 55 || v[52] != '-' {
		return ""
	}
	if id := v[36:52]; isHex(id, 16, 16) && id != "0000000000000000" {
		return strings.ToLower(id)
	}
	return ""
}

// TraceParent returns the trace id of a W3C traceparent value
// ("00-TRACEID-SPANID-FLAGS"), or "" when it is not one.
func TraceParent(v string) string { return traceparent(v) }

func traceparent(v string) string {
	if len(v) < 55 || v[2] != '-' || v[35] != '-' {
		return ""
	}
	if id := v[3:35]; isHex(id, 32, 32) && id != "00000000000000000000000000000000" {
		return id
	}
	return ""
}

func isHex(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
