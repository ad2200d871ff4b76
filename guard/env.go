package guard

import (
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/telemetry"
)

var (
	errEmpty    = errors.New("empty value")
	errNotToken = errors.New("not an HTTP token")
)

// EnvVar documents one FNGUARD_* environment variable.
type EnvVar struct {
	Name    string
	Default string
	Doc     string
	set     func(c *config, v string) error
}

// EnvVars lists every environment variable New reads, with its default.
func EnvVars() []EnvVar { return append([]EnvVar(nil), envVars...) }

var envVars = []EnvVar{
	{"FNGUARD_MODE", "block", "block, monitor or off", func(c *config, v string) error {
		m, err := ParseMode(v)
		c.mode = m
		return want(err, "block, monitor or off")
	}},
	{"FNGUARD_FAIL", "closed", "closed or open: what an internal inspection error does", func(c *config, v string) error {
		f, err := ParseFailMode(v)
		c.fail = f
		return want(err, "closed or open")
	}},
	{"FNGUARD_CATEGORY_MODES", "", "per-category modes, e.g. xss=monitor,ssrf=off", func(c *config, v string) error {
		for _, item := range splitList(v, ',') {
			k, val, ok := strings.Cut(item, "=")
			cat := Category(strings.ToLower(strings.TrimSpace(k)))
			if !ok || !knownCategory(cat) {
				return &ConfigError{Value: item, Want: "category=mode pairs with a category among " + categoryList()}
			}
			m, err := ParseMode(val)
			if err != nil {
				return &ConfigError{Value: item, Want: "category=mode pairs with a mode among block, monitor, off"}
			}
			c.catModes[cat] = m
		}
		return nil
	}},
	{"FNGUARD_LOG_LEVEL", "info", "debug, info, warn or error", func(c *config, v string) error {
		l, err := zapcore.ParseLevel(strings.ToLower(v))
		if err != nil || l > zapcore.ErrorLevel {
			return &ConfigError{Want: "debug, info, warn or error"}
		}
		c.logLevel, c.logLevelSet = l, true
		return nil
	}},
	{"FNGUARD_METRICS", "auto", "auto, emf, otel or off: auto is OpenTelemetry when the application installed a MeterProvider, else CloudWatch EMF on Lambda, else none", func(c *config, v string) error {
		m, err := telemetry.ParseMetrics(v)
		if err != nil {
			return &ConfigError{Want: "auto, emf, otel or off"}
		}
		c.metrics = m
		return nil
	}},
	{"FNGUARD_SERVICE", "", "service name in log lines (default POWERTOOLS_SERVICE_NAME, K_SERVICE or the function name)", func(c *config, v string) error {
		c.service = v
		return nil
	}},
	{"FNGUARD_LOG_RATE", "20", "finding log lines per second per instance (burst 50); -1 for unlimited", func(c *config, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || (f < 0 && f != -1) || f != f {
			return &ConfigError{Want: "a number of lines per second >= 0, or -1 for unlimited"}
		}
		c.logRate = f
		if f == 0 {
			c.logRate = -2 // explicit zero: log no findings at all (counted as suppressed)
		}
		return nil
	}},
	{"FNGUARD_REDACT_KEYS", "", "extra key patterns whose values are masked in logs, comma-separated", func(c *config, v string) error {
		keys, err := nonEmptyList(v, ',')
		c.redactKeys = append(c.redactKeys, keys...)
		return err
	}},
	{"FNGUARD_MAX_BODY_BYTES", "6291456", "largest decoded body accepted (413 above)", func(c *config, v string) error {
		n, err := parseSize(v)
		if err != nil || n <= 0 {
			return &ConfigError{Want: "a positive number of bytes (suffixes KB, MB, KiB, MiB allowed)"}
		}
		c.maxBody = n
		return nil
	}},
	{"FNGUARD_MAX_DEPTH", "64", "deepest JSON or XML nesting accepted", intVar(func(c *config, n int) { c.maxDepth = n }, 1, 1<<20, "a depth from 1 to 1048576")},
	{"FNGUARD_MAX_STRING_BYTES", "", "longest single string or key accepted (default: FNGUARD_MAX_BODY_BYTES, at least 1 MiB)", func(c *config, v string) error {
		n, err := parseSize(v)
		if err != nil || n <= 0 || n > 1<<31 {
			return &ConfigError{Want: "a positive number of bytes"}
		}
		c.maxString = int(n)
		return nil
	}},
	{"FNGUARD_MAX_ELEMENTS", "", "most JSON values, parameters and records in one event (default: FNGUARD_MAX_BODY_BYTES/2 + 100000, so any JSON body under the body limit fits)", intVar(func(c *config, n int) { c.maxElements = n }, 1, 1<<30, "a positive count")},
	{"FNGUARD_ALLOW_DUPLICATE_KEYS", "false", "accept JSON objects with repeated keys", boolVar(func(c *config, b bool) { c.allowDupKeys = b })},
	{"FNGUARD_ALLOW_SOURCE_CIDRS", "", "client IP allowlist, e.g. 203.0.113.0/24,2001:db8::/32", func(c *config, v string) error {
		p, err := parsePrefixes(v)
		c.allowCIDRs = append(c.allowCIDRs, p...)
		return err
	}},
	{"FNGUARD_DENY_SOURCE_CIDRS", "", "client IP denylist (wins over the allowlist)", func(c *config, v string) error {
		p, err := parsePrefixes(v)
		c.denyCIDRs = append(c.denyCIDRs, p...)
		return err
	}},
	{"FNGUARD_TRUSTED_HOPS", "1", "proxies that append to X-Forwarded-For in front of an ALB or HTTP server", intVar(func(c *config, n int) { c.trustedHops = n }, 0, 64, "a count from 0 to 64")},
	{"FNGUARD_TRUSTED_PROXY_HEADER", "", "header a trusted proxy sets to the client IP (net/http, Cloud Functions)", func(c *config, v string) error {
		if err := validToken(v); err != nil {
			return &ConfigError{Want: "an HTTP header name", Err: err}
		}
		c.proxyHeader = v
		return nil
	}},
	{"FNGUARD_ALLOW_METHODS", "", "HTTP methods allowed, e.g. GET,POST", func(c *config, v string) error {
		ms, err := nonEmptyList(v, ',')
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := validToken(m); err != nil {
				return &ConfigError{Value: m, Want: "HTTP methods separated by commas", Err: err}
			}
			c.allowMethods = append(c.allowMethods, upperASCII(m))
		}
		return nil
	}},
	{"FNGUARD_ALLOW_ROUTES", "", "routes allowed (API Gateway resource/route key or path globs), comma-separated", func(c *config, v string) error {
		rs, err := nonEmptyList(v, ',')
		c.allowRoutes = append(c.allowRoutes, rs...)
		return err
	}},
	{"FNGUARD_ALLOW_CONTENT_TYPES", "", "body media types allowed, e.g. application/json,text/*", func(c *config, v string) error {
		ts, err := nonEmptyList(v, ',')
		if err != nil {
			return err
		}
		for _, t := range ts {
			if !strings.Contains(t, "/") {
				return &ConfigError{Value: t, Want: "media types like application/json or text/*"}
			}
			c.allowContentTypes = append(c.allowContentTypes, strings.ToLower(t))
		}
		return nil
	}},
	{"FNGUARD_ALLOW_EVENT_SOURCES", "", "ARN/source globs records may come from; account:<id> entries restrict the sending AWS account", func(c *config, v string) error {
		ss, err := nonEmptyList(v, ',')
		c.allowEventSources = append(c.allowEventSources, ss...)
		return err
	}},
	{"FNGUARD_ALLOW_EVENT_TYPES", "", "event type globs allowed (S3 event names, EventBridge detail-types, CloudEvent types)", func(c *config, v string) error {
		ts, err := nonEmptyList(v, ',')
		c.allowEventTypes = append(c.allowEventTypes, ts...)
		return err
	}},
	{"FNGUARD_REQUIRE_AUTHORIZER", "false", "refuse HTTP invocations no API Gateway authorizer ran on", boolVar(func(c *config, b bool) { c.requireAuthorizer = b })},
	{"FNGUARD_REQUIRE_CLAIMS", "", "authorizer claims required, e.g. iss=https://id.example.com,aud=orders", func(c *config, v string) error {
		items, err := nonEmptyList(v, ',')
		if err != nil {
			return err
		}
		for _, item := range items {
			k, val, ok := strings.Cut(item, "=")
			if !ok || strings.TrimSpace(k) == "" {
				return &ConfigError{Value: item, Want: "claim=value pairs separated by commas"}
			}
			if c.requireClaims == nil {
				c.requireClaims = map[string]string{}
			}
			c.requireClaims[strings.TrimSpace(k)] = strings.TrimSpace(val)
		}
		c.requireAuthorizer = c.requireAuthorizer || len(c.requireClaims) > 0
		return nil
	}},
	{"FNGUARD_REQUIRE_SCOPES", "", "OAuth scopes required, comma-separated", func(c *config, v string) error {
		scopes, err := nonEmptyList(v, ',')
		c.requireScopes = append(c.requireScopes, scopes...)
		c.requireAuthorizer = c.requireAuthorizer || len(c.requireScopes) > 0
		return err
	}},
	{"FNGUARD_WEBHOOK_SECRET", "", "HMAC-SHA256 secret of signed webhooks (see FNGUARD_WEBHOOK_STYLE)", func(c *config, v string) error {
		if c.webhook == nil {
			c.webhook = &webhookConfig{style: WebhookGitHub}
		}
		c.webhook.secret = []byte(v)
		return nil
	}},
	{"FNGUARD_WEBHOOK_STYLE", "", "github (the default once a secret is set), stripe or generic", func(c *config, v string) error {
		if c.webhook == nil {
			c.webhook = &webhookConfig{}
		}
		switch strings.ToLower(v) {
		case "github":
			c.webhook.style = WebhookGitHub
		case "stripe":
			c.webhook.style = WebhookStripe
		case "generic":
			c.webhook.style = WebhookGeneric
		default:
			return &ConfigError{Want: "github, stripe or generic"}
		}
		return nil
	}},
	{"FNGUARD_WEBHOOK_HEADER", "", "signature header of the generic webhook style", func(c *config, v string) error {
		if err := validToken(v); err != nil {
			return &ConfigError{Want: "an HTTP header name", Err: err}
		}
		if c.webhook == nil {
			c.webhook = &webhookConfig{}
		}
		c.webhook.header = v
		return nil
	}},
	{"FNGUARD_WEBHOOK_TOLERANCE", "", "(default 5m) largest age of a Stripe-style signature timestamp", func(c *config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return &ConfigError{Want: "a positive duration such as 5m"}
		}
		if c.webhook == nil {
			c.webhook = &webhookConfig{}
		}
		c.webhook.tolerance = d
		return nil
	}},
	{"FNGUARD_SNS_VERIFY", "false", "verify SNS message signatures", boolVar(func(c *config, b bool) { c.snsVerify = b })},
	{"FNGUARD_EXCLUDE", "", "per-location exceptions: location=name,name;location (everything), where a name is a category or a rule id, e.g. body.html=xss;body.query=sqli.tautology", func(c *config, v string) error {
		for _, item := range splitList(v, ';') {
			loc, cats, _ := strings.Cut(item, "=")
			var cs []Category
			for _, s := range splitList(cats, ',') {
				if s == "*" {
					cs = nil
					break
				}
				cs = append(cs, Category(strings.ToLower(strings.TrimSpace(s))))
			}
			ex, err := newExclusion(strings.TrimSpace(loc), cs)
			if err != nil {
				return &ConfigError{Value: item, Want: "location=category-or-rule-id,... entries separated by ';'", Err: err}
			}
			c.exclusions = append(c.exclusions, ex)
		}
		return nil
	}},
	{"FNGUARD_DENY_PATTERNS", "", `extra deny rules as a JSON object of id to RE2 pattern, e.g. {"internal-host":"(?i)\\.corp\\.internal"} (needs import _ "github.com/fnguard/fnguard/guard/pattern")`, func(c *config, v string) error {
		var m map[string]string
		if err := json.Unmarshal([]byte(v), &m); err != nil {
			return &ConfigError{Want: `a JSON object {"rule-id":"pattern"}`, Err: err}
		}
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if id == "" {
				return &ConfigError{Want: "non-empty rule ids"}
			}
			c.denyRules = append(c.denyRules, denyRule{id: "custom." + id, pattern: m[id]}) // compiled by New (guard/pattern)
		}
		return nil
	}},
	{"FNGUARD_RESPONSE_SCAN", "off", "off, block or scrub: responses carrying credentials", func(c *config, v string) error {
		r, err := ParseResponseScan(v)
		c.responseScan = r
		return want(err, "off, block or scrub")
	}},
	{"FNGUARD_SANITIZE_HTML", "", "strict or ugc: HTML-sanitise FNGUARD_SANITIZE_FIELDS (needs guard/sanitize linked)", func(c *config, v string) error {
		p := strings.ToLower(v)
		if p != "strict" && p != "ugc" {
			return &ConfigError{Want: "strict or ugc"}
		}
		c.sanitizePolicy = p
		return nil
	}},
	{"FNGUARD_SANITIZE_FIELDS", "", "JSON body fields to sanitise, e.g. comment,user.bio,items[*].note", func(c *config, v string) error {
		fs, err := nonEmptyList(v, ',')
		c.sanitizeFields = append(c.sanitizeFields, fs...)
		return err
	}},
	{"FNGUARD_SCHEMAS", "", "JSON Schema per route for HTTP bodies: POST /orders=schemas/order.json;PUT /orders/*=schemas/order.json (needs guard/schema linked)", func(c *config, v string) error {
		c.schemasEnv = v
		return nil
	}},
	{"FNGUARD_EGRESS_ALLOW", "", "outbound allowlist: hosts (wildcards), IPs, CIDRs, optional :port; none denies every destination; unset means no egress control", func(c *config, v string) error {
		c.egressSet = true
		if strings.EqualFold(v, "none") {
			return nil
		}
		entries, err := nonEmptyList(v, ',')
		if err != nil {
			return &ConfigError{Want: "at least one entry (host, IP, CIDR or *), or none to deny every destination"}
		}
		for _, e := range entries {
			if strings.EqualFold(e, "none") {
				return &ConfigError{Value: e, Want: "none alone, not combined with other entries"}
			}
		}
		c.egressAllow = append(c.egressAllow, entries...)
		return nil
	}},
	{"FNGUARD_EGRESS_MODE", "", "block or monitor for egress (default: FNGUARD_MODE)", func(c *config, v string) error {
		s := strings.ToLower(v)
		if s != "block" && s != "monitor" {
			return &ConfigError{Want: "block or monitor"}
		}
		c.egressMode = s
		return nil
	}},
	{"FNGUARD_LOCKDOWN", "", "exec: forbid child processes after initialisation (Linux seccomp)", func(c *config, v string) error {
		c.lockdown = v
		return nil
	}},
	{"FNGUARD_SINK_MODE", "block", "block, monitor or off for sink findings (sqlguard, execguard, fsguard, outbound HTTP); independent of FNGUARD_MODE=monitor", func(c *config, v string) error {
		m, err := ParseMode(v)
		c.sinkMode = m
		return want(err, "block, monitor or off")
	}},
	{"FNGUARD_FIFO_SCOPE", "batch", "SQS FIFO queues: after a failed record, fail every later record of the batch (batch) or of its message group only (group)", func(c *config, v string) error {
		s, err := ParseFIFOScope(v)
		c.fifoScope = s
		return want(err, "batch or group")
	}},
	{"FNGUARD_STREAM_ORDER", "strict", "Kinesis and DynamoDB streams: after a failed record, fail the later records of its shard (strict) or hand them to the handler (unordered)", func(c *config, v string) error {
		o, err := ParseStreamOrder(v)
		c.streamOrder = o
		return want(err, "strict or unordered")
	}},
	{"FNGUARD_ACK_BLOCKED", "false", "CloudEvents: acknowledge and drop blocked events instead of returning an error", boolVar(func(c *config, b bool) { c.ackBlocked = b })},
}

func want(err error, w string) error {
	if err != nil {
		return &ConfigError{Want: w}
	}
	return nil
}

func intVar(set func(*config, int), lo, hi int, w string) func(*config, string) error {
	return func(c *config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return &ConfigError{Want: w}
		}
		set(c, n)
		return nil
	}
}

func boolVar(set func(*config, bool)) func(*config, string) error {
	return func(c *config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return &ConfigError{Want: "true or false"}
		}
		set(c, b)
		return nil
	}
}

func parseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, err
	}
	if n > (1<<62)/mult {
		return 0, errors.New("too large")
	}
	return n * mult, nil
}

func parsePrefixes(v string) ([]netip.Prefix, error) {
	items, err := nonEmptyList(v, ',')
	if err != nil {
		return nil, err
	}
	var out []netip.Prefix
	for _, s := range items {
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, &ConfigError{Value: s, Want: "CIDR prefixes or IP addresses", Err: err}
			}
			a = a.WithZone("")
			out = append(out, canonicalPrefix(netip.PrefixFrom(a, a.BitLen())))
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, &ConfigError{Value: s, Want: "CIDR prefixes or IP addresses", Err: err}
		}
		out = append(out, canonicalPrefix(p))
	}
	return out, nil
}

// nonEmptyList is splitList for variables that configure a control: a value
// made only of separators and spaces is an error, not an empty list that
// would leave the control off.
func nonEmptyList(v string, sep byte) ([]string, error) {
	items := splitList(v, sep)
	if len(items) == 0 {
		return nil, &ConfigError{Want: "at least one entry (the value holds only separators and spaces)"}
	}
	return items, nil
}

// splitList splits on sep, trims spaces and drops empty items.
func splitList(v string, sep byte) []string {
	var out []string
	for _, s := range strings.Split(v, string(sep)) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// applyEnv reads FNGUARD_* variables through lookup. Unknown FNGUARD_*
// variables are an error: a misspelt variable must not silently leave a
// function with weaker protection than its owner configured.
func (c *config) applyEnv(environ []string) error {
	for _, kv := range environ {
		name, val, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "FNGUARD_") {
			continue
		}
		ev := findEnv(name)
		if ev == nil {
			return &ConfigError{Var: name, Value: val, Want: "a known variable" + suggest(name)}
		}
		if strings.TrimSpace(val) == "" {
			if blankIsDefault(name) {
				continue // set but empty: the default, which is the strict or cosmetic value
			}
			return &ConfigError{Var: name, Value: val, Want: "a value: set but blank would leave this control off (unset the variable to turn it off)"}
		}
		if err := ev.set(c, strings.TrimSpace(val)); err != nil {
			var ce *ConfigError
			if errors.As(err, &ce) {
				ce.Var = name
				if ce.Value == "" {
					ce.Value = val
				}
				return ce
			}
			return &ConfigError{Var: name, Value: val, Err: err}
		}
	}
	return nil
}

func findEnv(name string) *EnvVar {
	for i := range envVars {
		if envVars[i].Name == name {
			return &envVars[i]
		}
	}
	return nil
}

// suggest names the known variable closest to a misspelt one.
func suggest(name string) string {
	best, bestD := "", 4
	for _, ev := range envVars {
		if d := editDistance(name, ev.Name); d < bestD {
			best, bestD = ev.Name, d
		}
	}
	if best == "" {
		return " (see guard.EnvVars or the README)"
	}
	return " (did you mean " + best + "?)"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func environ() []string { return os.Environ() }

// blankMeansDefault lists the variables that fall back to their default when
// set but blank (empty or spaces): their default is the strict value (mode
// block, fail closed, the size limits, no exceptions) or they are cosmetic
// (log level, service name, log rate). Every other variable configures a
// control that is off while unset (an allowlist, a required signature or
// authorizer, egress, lockdown, response scanning...), so a blank value, or a
// list of separators only, is a *ConfigError naming it rather than a control
// silently left off. Variables added later fail when blank unless listed here.
var blankMeansDefault = [...]string{
	"FNGUARD_MODE",
	"FNGUARD_FAIL",
	"FNGUARD_CATEGORY_MODES",
	"FNGUARD_LOG_LEVEL",
	"FNGUARD_SERVICE",
	"FNGUARD_METRICS",
	"FNGUARD_LOG_RATE",
	"FNGUARD_MAX_BODY_BYTES",
	"FNGUARD_MAX_DEPTH",
	"FNGUARD_MAX_STRING_BYTES",
	"FNGUARD_MAX_ELEMENTS",
	"FNGUARD_ALLOW_DUPLICATE_KEYS",
	"FNGUARD_TRUSTED_HOPS",
	"FNGUARD_TRUSTED_PROXY_HEADER",
	"FNGUARD_WEBHOOK_TOLERANCE",
	"FNGUARD_EXCLUDE",
	"FNGUARD_EGRESS_MODE",
	"FNGUARD_ACK_BLOCKED",
	"FNGUARD_SINK_MODE",
	"FNGUARD_FIFO_SCOPE",
	"FNGUARD_STREAM_ORDER",
}

// blankIsDefault reports whether name is listed in blankMeansDefault (a
// list rather than a map: a map literal is built by code at every cold
// start, and this is asked only about variables set blank).
func blankIsDefault(name string) bool {
	for _, n := range blankMeansDefault {
		if n == name {
			return true
		}
	}
	return false
}
