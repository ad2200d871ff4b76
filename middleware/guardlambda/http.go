package guardlambda

import (
	"net/netip"
	"strings"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// mapHTTP maps API Gateway (REST and HTTP APIs), function URL and ALB
// events: every client-controlled string (path, query, headers, cookies,
// path parameters, body) plus what the policy checks (method, route, client
// IP, authorizer).
func (st *state) mapHTTP(g *guard.Guard) *rejection {
	e, inv := &st.env, &st.inv
	var rej *rejection
	switch st.kind {
	case kindRESTv1, kindALB:
		inv.Method, _ = e.httpMethod.Str()
		if rej = st.str(&inv.Path, "path", e.path); rej != nil {
			return rej
		}
		alb := st.kind == kindALB
		if rej = st.multiParams(&st.headers, "headers", e.multiHeaders, e.headers, true, false); rej != nil {
			return rej
		}
		// ALB does not decode query strings; API Gateway does.
		if rej = st.multiParams(&st.query, "queryStringParameters", e.multiQuery, e.query, false, alb); rej != nil {
			return rej
		}
		if alb {
			st.albMulti = e.multiHeaders.Kind() == jsontree.Object
			inv.ClientIP = forwardedFor(st.headers, g)
		} else {
			if v, _ := e.version.Str(); v == "1.0" {
				inv.Source = guard.SourceAPIGatewayHTTP // HTTP API, payload format 1.0
			}
			inv.Proto, _ = e.rcProtocol.Str()
			inv.Route, _ = e.resource.Str()
			if inv.Route == "" {
				inv.Route, _ = e.rcResourcePath.Str()
			}
			inv.ClientIP = parseIP(e.rcIdentity.Get("sourceIp"))
			st.authorizerV1(e.rcAuthorizer, e.rcIdentity)
			if id, ok := e.rcRequestID.Str(); ok {
				st.attrs = append(st.attrs, guard.Param{Name: "apigateway.request_id", Value: id})
			}
		}
	case kindHTTPv2, kindFunctionURL:
		h := e.rcHTTP
		inv.Method, _ = h.Get("method").Str()
		inv.Proto, _ = h.Get("protocol").Str()
		inv.RawQuery, _ = e.rawQueryString.Str()
		if rej = st.str(&inv.Path, "rawPath", e.rawPath); rej != nil {
			return rej
		}
		if inv.Path == "" {
			inv.Path, _ = h.Get("path").Str()
		}
		if st.kind == kindHTTPv2 {
			inv.Route, _ = e.routeKey.Str()
			if id, ok := e.rcRequestID.Str(); ok {
				st.attrs = append(st.attrs, guard.Param{Name: "apigateway.request_id", Value: id})
			}
		}
		if rej = st.multiParams(&st.headers, "headers", jsontree.Value{}, e.headers, true, false); rej != nil {
			return rej
		}
		if rej = st.queryV2(e.rawQueryString, e.query); rej != nil {
			return rej
		}
		cs := e.cookies
		switch cs.Kind() {
		case jsontree.Array:
			for i, c := range cs.Elems() {
				s, ok := c.Str()
				if !ok {
					if c.Kind() == jsontree.Null {
						continue
					}
					return badShape(string(jsontree.AppendIndex([]byte("cookies"), i)), "a string", c)
				}
				st.cookies = parseCookies(st.cookies, s)
			}
		case jsontree.Null, jsontree.Invalid:
		default:
			return badShape("cookies", "an array of strings", cs)
		}
		inv.ClientIP = parseIP(h.Get("sourceIp"))
		st.authorizerV2(e.rcAuthorizer)
	}
	for i := range st.headers {
		switch st.headers[i].Name {
		case "cookie":
			st.cookies = parseCookies(st.cookies, st.headers[i].Value)
		case "content-type":
			if inv.ContentType == "" {
				inv.ContentType = st.headers[i].Value
			}
		}
	}
	switch pp := e.pathParams; {
	case st.kind == kindRESTv1 || st.kind == kindHTTPv2:
		if rej = st.strMap(&st.pathParams, "pathParameters", pp, false, false); rej != nil {
			return rej
		}
	default:
		// ALB and function URL events have no path parameters, and their
		// structs no such field: whatever string a hand-made event puts
		// there is inspected all the same.
		for k, v := range pp.Members() {
			if s, ok := v.Str(); ok {
				st.pathParams = append(st.pathParams, guard.Param{Name: k, Value: s})
			}
		}
	}
	if rej = st.mapBody(); rej != nil {
		return rej
	}
	inv.Headers, inv.Query, inv.Cookies, inv.PathParams, inv.Attrs = st.headers, st.query, st.cookies, st.pathParams, st.attrs
	return nil
}

// str reads an optional string member.
func (st *state) str(dst *string, loc string, v jsontree.Value) *rejection {
	switch v.Kind() {
	case jsontree.String:
		*dst, _ = v.Str()
	case jsontree.Null, jsontree.Invalid:
	default:
		return badShape(loc, "a string", v)
	}
	return nil
}

func (st *state) mapBody() *rejection {
	b := st.env.body
	switch b.Kind() {
	case jsontree.String:
	case jsontree.Null, jsontree.Invalid:
		return nil
	default:
		return badShape("body", "a string", b)
	}
	st.body = b
	s, _ := b.Str()
	enc := st.env.isBase64
	switch enc.Kind() {
	case jsontree.Bool:
		st.bodyB64, _ = enc.Bool()
	case jsontree.Null, jsontree.Invalid:
	default:
		return badShape("isBase64Encoded", "a boolean", enc)
	}
	if !st.bodyB64 {
		st.inv.Body = stringBytes(s)
		return nil
	}
	dec, ok := st.a.b64(s)
	if !ok {
		return &rejection{status: 400, rule: "validation.invalid_base64", loc: "body",
			reason: "body: isBase64Encoded is true but the body is not valid base64"}
	}
	st.inv.Body = dec
	return nil
}

// multiParams maps a multi-value map (name -> [values]) and its single-value
// twin (name -> value). API Gateway and ALB fill both consistently (the
// single map holds the last value), so a single value is inspected again
// only when it is not the last value of the same name in the multi map, as
// in a hand-made event. lowerNames lower-cases names (headers); decode
// percent-decodes names and values (ALB query strings, which the load
// balancer passes on undecoded).
func (st *state) multiParams(dst *[]guard.Param, loc string, multi, single jsontree.Value, lowerNames, decode bool) *rejection {
	mloc := "multiValueHeaders"
	if loc != "headers" {
		mloc = "multiValueQueryStringParameters"
	}
	switch multi.Kind() {
	case jsontree.Object:
	case jsontree.Null, jsontree.Invalid:
		return st.strMap(dst, loc, single, lowerNames, decode)
	default:
		return badShape(mloc, "an object", multi)
	}
	// The multi map's members in order with their last values, for the
	// single map, which API Gateway writes in the same order: its k-th
	// member is looked up in the multi map only when the k-th name differs
	// (keys are unique: the parser refuses duplicates).
	var lasts [16]lastValue
	n := 0
	for k, vs := range multi.Members() {
		name := st.name(k, lowerNames, decode)
		lv := lastValue{name: k}
		switch vs.Kind() {
		case jsontree.Array:
			for _, e := range vs.Elems() {
				s, ok := e.Str()
				lv.last, lv.ok = s, true
				if !ok {
					if e.Kind() == jsontree.Null {
						continue
					}
					return badShape(st.a.loc(mloc, k, "[]"), "strings", e)
				}
				*dst = append(*dst, guard.Param{Name: name, Value: st.value(s, decode)})
			}
		case jsontree.String:
			s, _ := vs.Str()
			*dst = append(*dst, guard.Param{Name: name, Value: st.value(s, decode)})
		case jsontree.Null:
		default:
			return badShape(st.a.loc(mloc, k, ""), "an array of strings", vs)
		}
		if n < len(lasts) {
			lasts[n] = lv
		}
		n++
	}
	switch single.Kind() {
	case jsontree.Object:
	case jsontree.Null, jsontree.Invalid:
		return nil
	default:
		return badShape(loc, "an object", single)
	}
	j := 0
	for k, v := range single.Members() {
		j++
		s, ok := v.Str()
		if !ok {
			if v.Kind() == jsontree.Null {
				continue
			}
			return badShape(st.a.loc(loc, k, ""), "a string", v)
		}
		var same bool
		if i := j - 1; i < min(n, len(lasts)) && sameName(lasts[i].name, k) {
			same = lasts[i].ok && sameName(lasts[i].last, s)
		} else {
			same = lastValueIs(multi, k, s)
		}
		if !same {
			*dst = append(*dst, guard.Param{Name: st.name(k, lowerNames, decode), Value: st.value(s, decode)})
		}
	}
	return nil
}

// lastValue is a member of a multi-value map: its name and, when it is a
// non-empty array (ok), what lastValueIs compares with: its last
// element's string ("" for another kind).
type lastValue struct {
	name, last string
	ok         bool
}

// lastValueIs reports whether multi[k] ends with s.
func lastValueIs(multi jsontree.Value, k, s string) bool {
	vs := multi.Get(k)
	if vs.Kind() != jsontree.Array || vs.Len() == 0 {
		return false
	}
	last, _ := vs.At(vs.Len() - 1).Str()
	return last == s
}

// strMap maps a name -> string map.
func (st *state) strMap(dst *[]guard.Param, loc string, m jsontree.Value, lowerNames, decode bool) *rejection {
	switch m.Kind() {
	case jsontree.Object:
	case jsontree.Null, jsontree.Invalid:
		return nil
	default:
		return badShape(loc, "an object", m)
	}
	for k, v := range m.Members() {
		s, ok := v.Str()
		if !ok {
			if v.Kind() == jsontree.Null {
				continue
			}
			return badShape(st.a.loc(loc, k, ""), "a string", v)
		}
		*dst = append(*dst, guard.Param{Name: st.name(k, lowerNames, decode), Value: st.value(s, decode)})
	}
	return nil
}

func (st *state) name(k string, lower, decode bool) string {
	if decode {
		k = st.value(k, true)
	}
	if lower {
		return st.a.lowerName(k)
	}
	return k
}

// value percent-decodes s when decode is set; a malformed escape leaves s as
// sent (the detectors decode what they can themselves).
func (st *state) value(s string, decode bool) string {
	if !decode {
		return s
	}
	out, _ := st.a.unescape(s, true)
	return out
}

// queryV2 parses the raw query string of a payload 2.0 event (complete and
// in order, unlike queryStringParameters, which joins repeated parameters
// with commas) and inspects queryStringParameters entries that do not match
// it.
func (st *state) queryV2(raw, single jsontree.Value) *rejection {
	if rej := st.str(new(string), "rawQueryString", raw); rej != nil {
		return rej
	}
	rq, _ := raw.Str()
	first := len(st.query)
	for rq != "" {
		var pair string
		pair, rq, _ = strings.Cut(rq, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		st.query = append(st.query, guard.Param{Name: st.value(k, true), Value: st.value(v, true)})
	}
	switch single.Kind() {
	case jsontree.Object:
	case jsontree.Null, jsontree.Invalid:
		return nil
	default:
		return badShape("queryStringParameters", "an object", single)
	}
	parsed := st.query[first:]
	for k, v := range single.Members() {
		s, ok := v.Str()
		if !ok {
			if v.Kind() == jsontree.Null {
				continue
			}
			return badShape(st.a.loc("queryStringParameters", k, ""), "a string", v)
		}
		if !joinedIs(parsed, k, s) {
			st.query = append(st.query, guard.Param{Name: k, Value: s})
		}
	}
	return nil
}

// joinedIs reports whether s is the comma-joined list of the values of
// parameter k in ps, which is how API Gateway fills queryStringParameters.
func joinedIs(ps []guard.Param, k, s string) bool {
	n := 0
	for i := range ps {
		if ps[i].Name != k {
			continue
		}
		if n > 0 {
			if s == "" || s[0] != ',' {
				return false
			}
			s = s[1:]
		}
		if !strings.HasPrefix(s, ps[i].Value) {
			return false
		}
		s = s[len(ps[i].Value):]
		n++
	}
	return n > 0 && s == ""
}

// parseCookies appends the cookies of a Cookie header (or of one entry of
// a payload 2.0 cookies array) with the engine's one cookie parser.
func parseCookies(dst []guard.Param, h string) []guard.Param {
	return guard.AppendCookies(dst, h)
}

func parseIP(v jsontree.Value) netip.Addr {
	s, _ := v.Str()
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// forwardedFor finds the client address in the trusted proxy header
// (FNGUARD_TRUSTED_PROXY_HEADER, X-Forwarded-For by default: the load
// balancer appends to it) with the engine's one derivation
// (guard.ClientAddr), so that the same header and hop count give the same
// client here and behind net/http.
func forwardedFor(headers []guard.Param, g *guard.Guard) netip.Addr {
	h := g.TrustedProxyHeader()
	if h == "" {
		h = "x-forwarded-for"
	}
	return guard.ClientAddrFromHeaders(headers, h, g.TrustedHops())
}

// authorizerV1 maps requestContext.authorizer of a REST API (Cognito user
// pool claims, a Lambda authorizer's principalId and context) or, without
// one, the IAM caller of requestContext.identity.
func (st *state) authorizerV1(auth, id jsontree.Value) {
	if auth.Kind() == jsontree.Object && auth.Len() > 0 {
		p := st.newPrincipal()
		if c := auth.Get("claims"); c.Kind() == jsontree.Object {
			st.addClaims(c)
		}
		for k, v := range auth.Members() {
			switch k {
			case "claims", "scopes", "integrationLatency":
				continue
			}
			st.claims[k] = scalar(v)
		}
		p.ID = st.claims["principalId"]
		if p.ID == "" {
			p.ID = st.claims["sub"]
		}
		st.scopes(auth.Get("scopes"))
		return
	}
	if arn, _ := id.Get("userArn").Str(); arn != "" {
		p := st.newPrincipal()
		p.ID = arn
		for _, k := range [...]string{"userArn", "accountId", "caller", "user", "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId"} {
			if s, ok := id.Get(k).Str(); ok {
				st.claims[k] = s
			}
		}
	}
}

// authorizerV2 maps requestContext.authorizer of a payload 2.0 event: jwt
// (claims and scopes), lambda (the authorizer's context) or iam.
func (st *state) authorizerV2(auth jsontree.Value) {
	if auth.Kind() != jsontree.Object || auth.Len() == 0 {
		return
	}
	p := st.newPrincipal()
	if jwt := auth.Get("jwt"); jwt.Kind() == jsontree.Object {
		st.addClaims(jwt.Get("claims"))
		p.ID = st.claims["sub"]
		st.scopes(jwt.Get("scopes"))
	}
	if l := auth.Get("lambda"); l.Kind() == jsontree.Object {
		st.addClaims(l)
		if p.ID == "" {
			p.ID = st.claims["principalId"]
		}
	}
	if iam := auth.Get("iam"); iam.Kind() == jsontree.Object {
		st.addClaims(iam)
		if p.ID == "" {
			p.ID = st.claims["userArn"]
		}
	}
	if p.ID == "" {
		if s, ok := auth.Get("principalId").Str(); ok {
			p.ID = s
		}
	}
}

func (st *state) newPrincipal() *guard.Principal {
	if st.claims == nil {
		st.claims = make(map[string]string, 8)
	}
	st.principal = guard.Principal{Claims: st.claims}
	st.inv.Principal = &st.principal
	return &st.principal
}

func (st *state) addClaims(c jsontree.Value) {
	for k, v := range c.Members() {
		st.claims[k] = scalar(v)
	}
}

// scopes reads an array of scopes, or else splits the space-separated
// "scope" claim of an OAuth access token.
func (st *state) scopes(arr jsontree.Value) {
	p := &st.principal
	if arr.Kind() == jsontree.Array {
		for _, e := range arr.Elems() {
			if s, ok := e.Str(); ok {
				p.Scopes = append(p.Scopes, s)
			}
		}
		return
	}
	if sc := st.claims["scope"]; sc != "" {
		p.Scopes = strings.Fields(sc)
	}
}

// scalar renders a claim value: strings unescaped, null empty, anything else
// as its JSON text (API Gateway passes numbers, booleans and arrays this way).
func scalar(v jsontree.Value) string {
	switch v.Kind() {
	case jsontree.String:
		s, _ := v.Str()
		return s
	case jsontree.Null:
		return ""
	}
	return bytesString(v.Raw())
}
