package guard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fnguard/fnguard/guard/detect"
)

// globMatch matches s against a pattern in which '*' matches any run of
// characters other than sep, and '**' any run at all (sep 0: '*' matches
// anything). It runs in O(len(pattern)*len(s)) at worst, without recursion.
func globMatch(pattern, s string, sep byte) bool {
	// Iterative matcher with backtracking to the last star.
	px, sx := 0, 0
	starP, starS := -1, -1
	starAny := false
	for sx < len(s) {
		if px < len(pattern) && pattern[px] == '*' {
			any := sep == 0
			if px+1 < len(pattern) && pattern[px+1] == '*' {
				any = true
				px++
			}
			starP, starS, starAny = px, sx, any
			px++
			continue
		}
		if px < len(pattern) && (pattern[px] == s[sx]) {
			px++
			sx++
			continue
		}
		if starP >= 0 && (starAny || s[starS] != sep) {
			starS++
			sx = starS
			px = starP + 1
			continue
		}
		return false
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

func matchAnyGlob(globs []string, s string) bool {
	for _, g := range globs {
		if globMatch(g, s, 0) {
			return true
		}
	}
	return false
}

func checkGlob(p string) error {
	if strings.TrimSpace(p) == "" {
		return errors.New("empty pattern")
	}
	return nil
}

// matchRoute matches "METHOD /path" or "/path" globs against a route. Path
// parameters in the pattern ({id}) match one segment; in the route they are
// compared literally, so "/orders/{id}" matches the resource "/orders/{id}".
func matchRoute(globs []string, method, route string) bool {
	if m, r, ok := strings.Cut(route, " "); ok && strings.HasPrefix(r, "/") { // HTTP API route key
		method, route = m, r
	}
	for _, g := range globs {
		pm, pp, hasMethod := strings.Cut(g, " ")
		if !hasMethod {
			pp = g
		} else if pm != "*" && pm != "ANY" && !strings.EqualFold(pm, method) {
			continue
		}
		if route == "$default" && pp == "$default" {
			return true
		}
		if globMatch(paramsToStars(pp), route, '/') || globMatch(pp, route, '/') {
			return true
		}
	}
	return false
}

// paramsToStars turns "/orders/{id}" into "/orders/*" and "{proxy+}" into "**".
func paramsToStars(p string) string {
	if strings.IndexByte(p, '{') < 0 {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '{' {
			j := strings.IndexByte(p[i:], '}')
			if j > 0 {
				if p[i+j-1] == '+' {
					b.WriteString("**")
				} else {
					b.WriteByte('*')
				}
				i += j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// exclusion suppresses findings of some categories or rules at matching
// locations.
type exclusion struct {
	glob  string
	cats  []Category // nil and rules nil: all
	rules []string   // built-in rule ids (detect.Rules)
}

// newExclusion builds an exclusion; each name is a category ("xss") or a
// built-in rule id ("sqli.tautology").
func newExclusion(loc string, names []Category) (exclusion, error) {
	if loc == "" {
		return exclusion{}, errors.New("empty location")
	}
	ex := exclusion{glob: loc}
	for _, c := range names {
		switch {
		case knownCategory(c):
			ex.cats = append(ex.cats, c)
		case strings.IndexByte(string(c), '.') > 0:
			if !detect.IsRule(string(c)) && !isProtocolRule(string(c)) {
				return exclusion{}, errors.New("unknown rule id " + string(c) + " (see guard/detect/RULES.md for the rule ids)")
			}
			ex.rules = append(ex.rules, string(c))
		default:
			return exclusion{}, errors.New("unknown category " + string(c) + " (want one of " + categoryList() + ", or a rule id such as sqli.tautology)")
		}
	}
	return ex, nil
}

// excluded reports whether a finding of cat (reported by rule) at loc is
// excepted. Location globs: '*' matches within a segment
// ("body.items[*].note"), '**' any rest ("body.html.**"); a glob also
// covers everything below it ("body.html" covers "body.html.title").
func (g *Guard) excluded(loc []byte, cat Category, rule string) bool {
	if len(g.exclusions) == 0 {
		return false
	}
	l := bytesToString(loc)
	for _, ex := range g.exclusions {
		if ex.cats != nil || ex.rules != nil {
			hit := false
			for _, c := range ex.cats {
				if c == cat {
					hit = true
					break
				}
			}
			for _, r := range ex.rules {
				if r == rule {
					hit = true
					break
				}
			}
			if !hit {
				continue
			}
		}
		if globMatch(ex.glob, l, '.') || strings.HasPrefix(l, ex.glob+".") || strings.HasPrefix(l, ex.glob+"[") {
			return true
		}
	}
	return false
}

// checkAccountGlob accepts an AWS account id pattern: digits and '*' only,
// at most 12 digits.
func checkAccountGlob(p string) error {
	if p == "" {
		return errors.New("empty account id: account ids are 12 digits")
	}
	digits := 0
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '*':
		default:
			return fmt.Errorf("account ids are 12 digits, got %q", p)
		}
	}
	if digits > 12 || (digits < 12 && !strings.Contains(p, "*")) {
		return fmt.Errorf("account ids are 12 digits, got %q", p)
	}
	return nil
}

// recordAccount is the account a record was sent from: Record.Account, or
// the account field of an ARN source (arn:partition:service:region:account:
// resource). S3 bucket ARNs and non-ARN sources have none.
func recordAccount(r *Record) string {
	if r.Account != "" {
		return r.Account
	}
	rest, ok := strings.CutPrefix(r.EventSource, "arn:")
	if !ok {
		return ""
	}
	for range 3 { // partition, service, region
		i := strings.IndexByte(rest, ':')
		if i < 0 {
			return ""
		}
		rest = rest[i+1:]
	}
	i := strings.IndexByte(rest, ':')
	if i < 0 {
		return ""
	}
	return rest[:i]
}

// normalizePath returns the path a router sees: percent-escapes decoded
// once (%2f is a '/' to a handler that routes on the decoded path), empty
// and "." segments dropped ("//", "/./"), ".." resolved (never above the
// root) and the trailing slash dropped, as API Gateway does when it picks
// a resource. Case is kept: API Gateway and net/http route case-sensitively.
// A path that needs none of this is returned as is, without allocating.
func normalizePath(p string) string {
	if p == "" {
		return p
	}
	clean := p[0] == '/' && (len(p) == 1 || p[len(p)-1] != '/')
	for i := 0; i < len(p) && clean; i++ {
		switch p[i] {
		case '%', '\\':
			clean = false
		case '/':
			if i+1 < len(p) && (p[i+1] == '/' || p[i+1] == '.') {
				clean = false
			}
		}
	}
	if clean {
		return p
	}
	dec := pathUnescape(p)
	segs := make([]string, 0, 8)
	for _, seg := range strings.Split(dec, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
	}
	return "/" + strings.Join(segs, "/")
}

// pathUnescape decodes %XX escapes; a malformed escape is kept as sent.
func pathUnescape(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// routeParamsSound reports whether the path parameters of an invocation
// that a platform routed to a template ("/orders/{id}") fill that template
// as the decoded path would: a {name} parameter is one non-empty segment
// (not "." or "..", no '/'), a {name+} parameter one or more such segments.
// A parameter that breaks this ("1/delete" from /orders/1%2fdelete,
// "../admin" from /orders/..%2fadmin) means the handler, routing on the
// decoded path, is not at the route the platform matched. It returns the
// offending parameter's name.
func routeParamsSound(route string, ps []Param) (string, bool) {
	for rest := route; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return "", true
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", true
		}
		name := rest[i+1 : i+j]
		rest = rest[i+j+1:]
		greedy := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		for k := range ps {
			if ps[k].Name != name {
				continue
			}
			v := ps[k].Value
			if v == "" {
				return name, false
			}
			if !greedy && strings.IndexByte(v, '/') >= 0 {
				return name, false
			}
			for _, seg := range strings.Split(v, "/") {
				if seg == "." || seg == ".." || (seg == "" && !greedy) {
					return name, false
				}
			}
		}
	}
}
