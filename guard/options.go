package guard

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Option configures a Guard. Options are sealed: only this package makes
// them. An option given to New beats the matching FNGUARD_* variable, which
// beats the default.
type Option interface {
	apply(*config) error
}

type optionFunc func(*config) error

func (f optionFunc) apply(c *config) error { return f(c) }

// WithoutEnv makes New ignore every FNGUARD_* environment variable.
func WithoutEnv() Option { return withoutEnv{} }

type withoutEnv struct{}

func (withoutEnv) apply(c *config) error { c.noEnv = true; return nil }

// WithMode sets the global mode (FNGUARD_MODE).
func WithMode(m Mode) Option {
	return optionFunc(func(c *config) error {
		if m > Off {
			return &ConfigError{Var: "WithMode", Value: m.String(), Want: "block, monitor or off"}
		}
		c.mode = m
		return nil
	})
}

// WithCategoryMode overrides the mode for one category
// (FNGUARD_CATEGORY_MODES), e.g. WithCategoryMode(guard.XSS, guard.Monitor).
// Off disables the category's detector entirely.
func WithCategoryMode(cat Category, m Mode) Option {
	return optionFunc(func(c *config) error {
		if !knownCategory(cat) {
			return &ConfigError{Var: "WithCategoryMode", Value: string(cat), Want: "a category: " + categoryList()}
		}
		if m > Off {
			return &ConfigError{Var: "WithCategoryMode", Value: m.String(), Want: "block, monitor or off"}
		}
		c.catModes[cat] = m
		return nil
	})
}

// WithFailMode sets what happens when inspection fails (FNGUARD_FAIL).
func WithFailMode(f FailMode) Option {
	return optionFunc(func(c *config) error {
		if f > FailOpen {
			return &ConfigError{Var: "WithFailMode", Value: f.String(), Want: "closed or open"}
		}
		c.fail = f
		return nil
	})
}

// WithLogger sends fnguard's log lines to l (wrapped so that everything
// fnguard writes is redacted). Default: JSON lines on stdout.
func WithLogger(l *zap.Logger) Option {
	return optionFunc(func(c *config) error {
		if l == nil {
			return &ConfigError{Var: "WithLogger", Value: "nil", Want: "a *zap.Logger"}
		}
		c.logger = l
		return nil
	})
}

// WithSlog sends fnguard's own log lines (decisions, adapter messages)
// through l instead of fnguard's zap logger writing to stdout (which stays
// the default): they take l's handler, format and destination, redacted
// like every fnguard line. A nil l is a *ConfigError.
func WithSlog(l *slog.Logger) Option {
	return optionFunc(func(c *config) error {
		if l == nil {
			return &ConfigError{Var: "WithSlog", Value: "nil", Want: "a *slog.Logger"}
		}
		c.slog = l
		return nil
	})
}

// WithLogLevel sets the level of fnguard's default logger (FNGUARD_LOG_LEVEL).
func WithLogLevel(l zapcore.Level) Option {
	return optionFunc(func(c *config) error { c.logLevel, c.logLevelSet = l, true; return nil })
}

// WithService names the service in log lines (FNGUARD_SERVICE; defaults to
// POWERTOOLS_SERVICE_NAME, K_SERVICE or the function name).
func WithService(name string) Option {
	return optionFunc(func(c *config) error { c.service = name; return nil })
}

// WithLogRate limits finding log lines per second per instance
// (FNGUARD_LOG_RATE); a negative rate means unlimited.
func WithLogRate(perSecond float64, burst int) Option {
	return optionFunc(func(c *config) error {
		if burst < 0 {
			return &ConfigError{Var: "WithLogRate", Value: fmt.Sprint(burst), Want: "a burst >= 0"}
		}
		c.logRate, c.logBurst = perSecond, burst
		return nil
	})
}

// WithTracerProvider sets where span events go; default otel.GetTracerProvider().
// fnguard never starts spans: it adds an event to the span in the context.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) error { c.tracerProvider = tp; return nil })
}

// WithMeterProvider sets where metrics go; default otel.GetMeterProvider().
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) error { c.meterProvider = mp; return nil })
}

// WithRedactKeys adds key patterns whose values are masked in every log line
// (FNGUARD_REDACT_KEYS).
func WithRedactKeys(keys ...string) Option {
	return optionFunc(func(c *config) error {
		ks, err := optionList("WithRedactKeys", keys)
		c.redactKeys = append(c.redactKeys, ks...)
		return err
	})
}

// WithMaxBodyBytes caps the decoded body size (FNGUARD_MAX_BODY_BYTES, default
// 6 MiB, the Lambda synchronous payload limit). Larger bodies are rejected with 413.
func WithMaxBodyBytes(n int64) Option {
	return optionFunc(func(c *config) error {
		if n <= 0 {
			return &ConfigError{Var: "WithMaxBodyBytes", Value: fmt.Sprint(n), Want: "a positive number of bytes"}
		}
		c.maxBody = n
		return nil
	})
}

// WithMaxDepth caps JSON and XML nesting (FNGUARD_MAX_DEPTH, default 64).
func WithMaxDepth(n int) Option {
	return optionFunc(func(c *config) error {
		if n <= 0 {
			return &ConfigError{Var: "WithMaxDepth", Value: fmt.Sprint(n), Want: "a positive depth"}
		}
		c.maxDepth = n
		return nil
	})
}

// WithMaxStringBytes caps the length of any one string or key
// (FNGUARD_MAX_STRING_BYTES; default the body limit, at least 1 MiB, so any
// JSON body under the body limit is accepted).
func WithMaxStringBytes(n int) Option {
	return optionFunc(func(c *config) error {
		if n <= 0 {
			return &ConfigError{Var: "WithMaxStringBytes", Value: fmt.Sprint(n), Want: "a positive number of bytes"}
		}
		c.maxString = n
		return nil
	})
}

// WithMaxElements caps the number of JSON values, query parameters, headers
// and records in one event (FNGUARD_MAX_ELEMENTS; default half the body limit
// plus 100000, so any JSON body under the body limit is accepted).
func WithMaxElements(n int) Option {
	return optionFunc(func(c *config) error {
		if n <= 0 {
			return &ConfigError{Var: "WithMaxElements", Value: fmt.Sprint(n), Want: "a positive count"}
		}
		c.maxElements = n
		return nil
	})
}

// WithDuplicateKeys allows repeated keys in one JSON object
// (FNGUARD_ALLOW_DUPLICATE_KEYS). By default they are rejected, because
// parsers disagree on which one wins.
func WithDuplicateKeys(allow bool) Option {
	return optionFunc(func(c *config) error { c.allowDupKeys = allow; return nil })
}

// WithAllowSourceCIDRs admits only clients whose IP is in one of the prefixes
// (FNGUARD_ALLOW_SOURCE_CIDRS).
func WithAllowSourceCIDRs(prefixes ...netip.Prefix) Option {
	return optionFunc(func(c *config) error {
		ps, err := optionPrefixes("WithAllowSourceCIDRs", prefixes)
		c.allowCIDRs = append(fresh(c, "allowCIDRs", c.allowCIDRs), ps...)
		return err
	})
}

// WithDenySourceCIDRs refuses clients whose IP is in one of the prefixes
// (FNGUARD_DENY_SOURCE_CIDRS). Deny wins over allow.
func WithDenySourceCIDRs(prefixes ...netip.Prefix) Option {
	return optionFunc(func(c *config) error {
		ps, err := optionPrefixes("WithDenySourceCIDRs", prefixes)
		c.denyCIDRs = append(fresh(c, "denyCIDRs", c.denyCIDRs), ps...)
		return err
	})
}

// WithTrustedHops sets how many proxies in front of the function append to
// X-Forwarded-For (FNGUARD_TRUSTED_HOPS, default 1 for ALB: the load balancer
// itself). The client IP is the entry that many hops from the right.
func WithTrustedHops(n int) Option {
	return optionFunc(func(c *config) error {
		if n < 0 {
			return &ConfigError{Var: "WithTrustedHops", Value: fmt.Sprint(n), Want: "a count >= 0"}
		}
		c.trustedHops = n
		return nil
	})
}

// WithTrustedProxyHeader names a header that a trusted proxy sets to the
// client IP, for net/http and Cloud Functions (FNGUARD_TRUSTED_PROXY_HEADER),
// e.g. "X-Forwarded-For" behind Google's front end.
func WithTrustedProxyHeader(name string) Option {
	return optionFunc(func(c *config) error {
		if name != "" { // "" means none, the default
			if err := validToken(name); err != nil {
				return &ConfigError{Var: "WithTrustedProxyHeader", Value: name, Want: "an HTTP header name, or \"\" for none", Err: err}
			}
		}
		c.proxyHeader = name
		return nil
	})
}

// WithAllowMethods admits only these HTTP methods (FNGUARD_ALLOW_METHODS).
func WithAllowMethods(methods ...string) Option {
	return optionFunc(func(c *config) error {
		methods, err := optionList("WithAllowMethods", methods)
		if err != nil {
			return err
		}
		for _, m := range methods {
			if err := validToken(m); err != nil {
				return &ConfigError{Var: "WithAllowMethods", Value: m, Want: "an HTTP method", Err: err}
			}
			c.allowMethods = append(fresh(c, "allowMethods", c.allowMethods), upperASCII(m))
		}
		return nil
	})
}

// WithAllowRoutes admits only these routes (FNGUARD_ALLOW_ROUTES): API Gateway
// resources or route keys ("GET /orders/{id}", "/orders/*"), or request paths
// for sources without routes. '*' matches within a path segment, '**' across
// segments.
func WithAllowRoutes(routes ...string) Option {
	return optionFunc(func(c *config) error {
		rs, err := optionList("WithAllowRoutes", routes)
		c.allowRoutes = append(fresh(c, "allowRoutes", c.allowRoutes), rs...)
		return err
	})
}

// WithAllowContentTypes admits only bodies of these media types
// (FNGUARD_ALLOW_CONTENT_TYPES), e.g. "application/json", "text/*".
func WithAllowContentTypes(types ...string) Option {
	return optionFunc(func(c *config) error {
		ts, err := optionList("WithAllowContentTypes", types)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if !strings.Contains(t, "/") {
				return &ConfigError{Var: "WithAllowContentTypes", Value: t, Want: "media types like application/json or text/*"}
			}
		}
		c.allowContentTypes = append(fresh(c, "allowContentTypes", c.allowContentTypes), ts...)
		return nil
	})
}

// WithAllowEventSources admits only records from these sources
// (FNGUARD_ALLOW_EVENT_SOURCES): ARN globs such as
// "arn:aws:sqs:eu-west-1:123456789012:orders-*", EventBridge sources, or
// CloudEvent sources ("//pubsub.googleapis.com/projects/p/topics/*").
//
// An entry "account:<id>" (digits, '*' allowed) restricts the sending AWS
// account instead: it is matched against Record.Account (EventBridge's
// "account") or the account field of an ARN source (SQS, SNS, DynamoDB,
// Kinesis). With both kinds listed a record must pass both; with account
// entries listed, a record whose account is unknown (an S3 bucket ARN, a
// CloudEvent) is rejected, so list those sources' functions without them.
func WithAllowEventSources(globs ...string) Option {
	return optionFunc(func(c *config) error {
		gs, err := optionList("WithAllowEventSources", globs)
		c.allowEventSources = append(fresh(c, "allowEventSources", c.allowEventSources), gs...)
		return err
	})
}

// WithAllowEventTypes admits only these event types (FNGUARD_ALLOW_EVENT_TYPES):
// S3 event names, EventBridge detail-types or CloudEvent types, as globs.
func WithAllowEventTypes(globs ...string) Option {
	return optionFunc(func(c *config) error {
		gs, err := optionList("WithAllowEventTypes", globs)
		c.allowEventTypes = append(fresh(c, "allowEventTypes", c.allowEventTypes), gs...)
		return err
	})
}

// WithRequireAuthorizer refuses HTTP invocations on which no API Gateway
// authorizer (JWT, Lambda, IAM or Cognito) ran (FNGUARD_REQUIRE_AUTHORIZER).
func WithRequireAuthorizer() Option {
	return optionFunc(func(c *config) error { c.requireAuthorizer = true; return nil })
}

// WithRequireClaims requires authorizer claims with these exact values
// (FNGUARD_REQUIRE_CLAIMS="iss=https://issuer,aud=my-api"). Implies an authorizer.
func WithRequireClaims(claims map[string]string) Option {
	return optionFunc(func(c *config) error {
		if len(claims) == 0 {
			return &ConfigError{Var: "WithRequireClaims", Want: "at least one claim: an empty map would require nothing"}
		}
		if c.requireClaims == nil {
			c.requireClaims = map[string]string{}
		}
		for k, v := range claims {
			if strings.TrimSpace(k) == "" {
				return &ConfigError{Var: "WithRequireClaims", Value: k + "=" + v, Want: "non-blank claim names"}
			}
			c.requireClaims[k] = v
		}
		c.requireAuthorizer = true
		return nil
	})
}

// WithRequireScopes requires every one of these OAuth scopes
// (FNGUARD_REQUIRE_SCOPES). Implies an authorizer.
func WithRequireScopes(scopes ...string) Option {
	return optionFunc(func(c *config) error {
		ss, err := optionList("WithRequireScopes", scopes)
		c.requireScopes = append(fresh(c, "requireScopes", c.requireScopes), ss...)
		c.requireAuthorizer = true
		return err
	})
}

// WebhookStyle is the signature scheme of an incoming webhook.
type WebhookStyle uint8

const (
	WebhookGitHub  WebhookStyle = iota + 1 // X-Hub-Signature-256: sha256=<hex HMAC of body>
	WebhookStripe                          // Stripe-Signature: t=<unix>,v1=<hex HMAC of "t.body">
	WebhookGeneric                         // <header>: <hex or base64 HMAC-SHA256 of body>, optional "sha256=" prefix
)

// WithWebhookSecret requires HTTP bodies to carry a valid HMAC-SHA256
// signature (FNGUARD_WEBHOOK_SECRET, FNGUARD_WEBHOOK_STYLE,
// FNGUARD_WEBHOOK_HEADER, FNGUARD_WEBHOOK_TOLERANCE). header is used by the
// generic style only; tolerance bounds the Stripe timestamp age (default 5m).
func WithWebhookSecret(style WebhookStyle, secret []byte, header string, tolerance time.Duration) Option {
	return optionFunc(func(c *config) error {
		if len(bytes.TrimSpace(secret)) == 0 {
			return &ConfigError{Var: "WithWebhookSecret", Value: "", Want: "a non-blank secret"}
		}
		if style < WebhookGitHub || style > WebhookGeneric {
			return &ConfigError{Var: "WithWebhookSecret", Value: fmt.Sprint(style), Want: "WebhookGitHub, WebhookStripe or WebhookGeneric"}
		}
		if style == WebhookGeneric && header == "" {
			return &ConfigError{Var: "WithWebhookSecret", Value: "", Want: "a header name for the generic style"}
		}
		c.webhook = &webhookConfig{style: style, secret: secret, header: header, tolerance: tolerance}
		return nil
	})
}

// WithSNSSignatureVerification verifies the signature of every SNS message
// (FNGUARD_SNS_VERIFY). fetch retrieves a signing certificate by URL; nil
// means HTTPS GET, only from sns.<region>.amazonaws.com, cached per URL.
func WithSNSSignatureVerification(fetch func(url string) ([]byte, error)) Option {
	return optionFunc(func(c *config) error {
		c.snsVerify = true
		c.snsFetch = fetch
		return nil
	})
}

// WithExclusion stops the given categories or rules (all when none are
// given) from being reported at locations matching the glob
// (FNGUARD_EXCLUDE), e.g. WithExclusion("body.html", guard.XSS) for a field
// that may hold markup, WithExclusion("body.query", "sqli.tautology") for
// one rule (the ids are listed by detect.Rules and in guard/detect/RULES.md),
// or WithExclusion("body.items[*].note") for free text. '*' matches within a
// segment, '**' any suffix. An unknown category or rule id is a
// *ConfigError.
func WithExclusion(location string, cats ...Category) Option {
	return optionFunc(func(c *config) error {
		ex, err := newExclusion(location, cats)
		if err != nil {
			return &ConfigError{Var: "WithExclusion", Value: location, Want: "a location glob and known categories or rule ids", Err: err}
		}
		c.exclusions = append(fresh(c, "exclusions", c.exclusions), ex)
		return nil
	})
}

// WithDenyPattern adds a deny rule (an RE2 regular expression matched against
// every decoded string) reported as category Custom (FNGUARD_DENY_PATTERNS).
// The option links package regexp itself; FNGUARD_DENY_PATTERNS needs
// import _ "github.com/fnguard/fnguard/guard/pattern".
func WithDenyPattern(id, pattern string) Option {
	return optionFunc(func(c *config) error {
		if id == "" {
			return &ConfigError{Var: "WithDenyPattern", Value: pattern, Want: "a rule id"}
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return &ConfigError{Var: "WithDenyPattern", Value: id + "=" + pattern, Want: "valid RE2 patterns", Err: err}
		}
		c.denyRules = append(c.denyRules, denyRule{id: "custom." + id, pattern: pattern, find: re.FindString})
		return nil
	})
}

// WithResponseScan scans responses for the function's own credentials and
// secret-looking values (FNGUARD_RESPONSE_SCAN=block|scrub).
func WithResponseScan(r ResponseScan) Option {
	return optionFunc(func(c *config) error { c.responseScan = r; return nil })
}

// WithSanitizeHTML cleans the named JSON body fields with an HTML policy
// ("strict" or "ugc") before the handler sees them (FNGUARD_SANITIZE_HTML,
// FNGUARD_SANITIZE_FIELDS). It needs
// import _ "github.com/fnguard/fnguard/guard/sanitize" somewhere in the
// program; New fails if it is missing.
func WithSanitizeHTML(policy string, fields ...string) Option {
	return optionFunc(func(c *config) error {
		fs, err := optionList("WithSanitizeHTML", fields)
		c.sanitizePolicy = policy
		c.sanitizeFields = append(fresh(c, "sanitizeFields", c.sanitizeFields), fs...)
		return err
	})
}

// WithSchemas validates HTTP JSON bodies against a JSON Schema chosen by
// route (FNGUARD_SCHEMAS), typically a *schema.Set from package
// github.com/fnguard/fnguard/guard/schema built with schema.Load or
// schema.LoadFS (embedded files work). Route patterns are matched like
// WithAllowRoutes, the most specific first; a body that does not conform is
// rejected with 400 at the failing location (body.items[2].qty). Empty
// bodies are not validated: put the method in the route ("POST /orders") to
// require one. A nil set removes the schemas FNGUARD_SCHEMAS configured.
func WithSchemas(s SchemaSet) Option {
	return optionFunc(func(c *config) error {
		c.schemas, c.schemasEnv = s, ""
		return nil
	})
}

// WithEgressAllow restricts outbound connections once Protect (or a
// middleware's first invocation) installs the egress policy
// (FNGUARD_EGRESS_ALLOW): host names with wildcards, IPs and CIDRs, optional ports.
func WithEgressAllow(entries ...string) Option {
	return optionFunc(func(c *config) error {
		c.egressSet = true
		if len(entries) == 1 && strings.EqualFold(strings.TrimSpace(entries[0]), "none") {
			c.egressAllow = fresh(c, "egressAllow", c.egressAllow)[:0]
			return nil
		}
		if len(entries) == 0 {
			return &ConfigError{Var: "WithEgressAllow", Want: `at least one entry (host, IP, CIDR or *), or "none" to deny every destination`}
		}
		for _, e := range entries {
			if len(strings.FieldsFunc(e, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })) == 0 {
				return &ConfigError{Var: "WithEgressAllow", Value: e, Want: "non-blank entries (host, IP, CIDR or *)"}
			}
		}
		c.egressAllow = append(fresh(c, "egressAllow", c.egressAllow), entries...)
		return nil
	})
}

// WithLockdown turns on process lockdown (FNGUARD_LOCKDOWN), e.g. "exec" to
// forbid starting child processes after initialisation.
func WithLockdown(spec string) Option {
	return optionFunc(func(c *config) error {
		if strings.TrimSpace(spec) == "" {
			return &ConfigError{Var: "WithLockdown", Value: spec, Want: `"exec", or "off" for none`}
		}
		c.lockdown = spec
		return nil
	})
}

// optionList trims the entries of a list option and refuses an empty list or
// a blank entry: an allowlist given no entries would leave its control off.
func optionList(opt string, items []string) ([]string, error) {
	if len(items) == 0 {
		return nil, &ConfigError{Var: opt, Want: "at least one entry: an empty list would leave the control off"}
	}
	out := make([]string, len(items))
	for i, s := range items {
		if out[i] = strings.TrimSpace(s); out[i] == "" {
			return nil, &ConfigError{Var: opt, Value: s, Want: "non-blank entries"}
		}
	}
	return out, nil
}

// optionPrefixes refuses an empty list and invalid (zero) prefixes, and
// writes each prefix in its canonical notation.
func optionPrefixes(opt string, ps []netip.Prefix) ([]netip.Prefix, error) {
	if len(ps) == 0 {
		return nil, &ConfigError{Var: opt, Want: "at least one prefix: an empty list would leave the control off"}
	}
	out := make([]netip.Prefix, len(ps))
	for i, p := range ps {
		if !p.IsValid() {
			return nil, &ConfigError{Var: opt, Value: p.String(), Want: "valid prefixes"}
		}
		out[i] = canonicalPrefix(p)
	}
	return out, nil
}

// WithSinkMode sets what a sink finding does (FNGUARD_SINK_MODE): Block
// (the default) refuses the SQL statement, program start, file open or
// outbound request; Monitor records it and lets it run; Off turns the sink
// checks off. It is independent of WithMode and WithCategoryMode, which
// govern input findings: WithMode(Monitor) with the sinks in Block is the
// low-false-positive setup.
func WithSinkMode(m Mode) Option {
	return optionFunc(func(c *config) error {
		if m > Off {
			return &ConfigError{Var: "WithSinkMode", Value: m.String(), Want: "Block, Monitor or Off"}
		}
		c.sinkMode = m
		return nil
	})
}

// SinkMode returns the mode of sink findings (FNGUARD_SINK_MODE); Off when
// the guard itself is off.
func (g *Guard) SinkMode() Mode {
	if g == nil || g.mode == Off {
		return Off
	}
	return g.sinkMode
}

// beginOptions marks the end of the environment: from now on, the first
// option that sets a list replaces what the environment put there (an
// explicit option beats the environment), and later ones add to it.
func (c *config) beginOptions() { c.touched = map[string]bool{} }

func fresh[T any](c *config, name string, cur []T) []T {
	if c.touched == nil || c.touched[name] {
		return cur
	}
	c.touched[name] = true
	return nil
}

// WithFIFOScope sets which records of an SQS FIFO batch fail after a failed
// record (FNGUARD_FIFO_SCOPE): every later record of the batch
// (FIFOScopeBatch, the default) or only the later records of the same
// message group (FIFOScopeGroup). Either way they are not handed to the
// handler and are reported in batchItemFailures.
func WithFIFOScope(s FIFOScope) Option {
	return optionFunc(func(c *config) error {
		if s > FIFOScopeGroup {
			return &ConfigError{Var: "WithFIFOScope", Value: strconv.Itoa(int(s)), Want: "FIFOScopeBatch or FIFOScopeGroup"}
		}
		c.fifoScope = s
		return nil
	})
}

// WithStreamOrder sets what a failed record of a Kinesis or DynamoDB stream
// does to the later records of its shard (FNGUARD_STREAM_ORDER):
// StreamOrderStrict (default) fails them too, StreamOrderUnordered hands
// them to the handler.
func WithStreamOrder(o StreamOrder) Option {
	return optionFunc(func(c *config) error {
		if o > StreamOrderUnordered {
			return &ConfigError{Var: "WithStreamOrder", Value: strconv.Itoa(int(o)), Want: "StreamOrderStrict or StreamOrderUnordered"}
		}
		c.streamOrder = o
		return nil
	})
}
