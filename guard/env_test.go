package guard

import (
	"errors"
	"strings"
	"testing"
)

func TestEnvBadValues(t *testing.T) {
	cases := []struct {
		name, value, want string
	}{
		{"FNGUARD_MODE", "blok", `FNGUARD_MODE="blok": want block, monitor or off`},
		{"FNGUARD_FAIL", "maybe", `FNGUARD_FAIL="maybe": want closed or open`},
		{"FNGUARD_CATEGORY_MODES", "xss", "FNGUARD_CATEGORY_MODES"},
		{"FNGUARD_CATEGORY_MODES", "sqlx=off", "FNGUARD_CATEGORY_MODES"},
		{"FNGUARD_CATEGORY_MODES", "xss=loud", "FNGUARD_CATEGORY_MODES"},
		{"FNGUARD_LOG_LEVEL", "verbose", `FNGUARD_LOG_LEVEL="verbose"`},
		{"FNGUARD_LOG_RATE", "fast", `FNGUARD_LOG_RATE="fast"`},
		{"FNGUARD_METRICS", "prometheus", `FNGUARD_METRICS="prometheus": want auto, emf, otel or off`},
		{"FNGUARD_MAX_BODY_BYTES", "-1", `FNGUARD_MAX_BODY_BYTES="-1"`},
		{"FNGUARD_MAX_BODY_BYTES", "lots", `FNGUARD_MAX_BODY_BYTES="lots"`},
		{"FNGUARD_MAX_DEPTH", "0", `FNGUARD_MAX_DEPTH="0"`},
		{"FNGUARD_MAX_STRING_BYTES", "1x", `FNGUARD_MAX_STRING_BYTES="1x"`},
		{"FNGUARD_MAX_ELEMENTS", "many", `FNGUARD_MAX_ELEMENTS="many"`},
		{"FNGUARD_ALLOW_DUPLICATE_KEYS", "perhaps", `FNGUARD_ALLOW_DUPLICATE_KEYS="perhaps"`},
		{"FNGUARD_ALLOW_SOURCE_CIDRS", "10.0.0.0/33", `FNGUARD_ALLOW_SOURCE_CIDRS="10.0.0.0/33"`},
		{"FNGUARD_DENY_SOURCE_CIDRS", "not-an-ip", `FNGUARD_DENY_SOURCE_CIDRS="not-an-ip"`},
		{"FNGUARD_TRUSTED_HOPS", "-2", `FNGUARD_TRUSTED_HOPS="-2"`},
		{"FNGUARD_TRUSTED_PROXY_HEADER", "X Forwarded", `FNGUARD_TRUSTED_PROXY_HEADER="X Forwarded"`},
		{"FNGUARD_ALLOW_METHODS", "GET,P OST", `FNGUARD_ALLOW_METHODS="P OST"`},
		{"FNGUARD_ALLOW_CONTENT_TYPES", "json", `FNGUARD_ALLOW_CONTENT_TYPES="json"`},
		{"FNGUARD_REQUIRE_AUTHORIZER", "yes please", `FNGUARD_REQUIRE_AUTHORIZER="yes please"`},
		{"FNGUARD_REQUIRE_CLAIMS", "iss", `FNGUARD_REQUIRE_CLAIMS="iss"`},
		{"FNGUARD_WEBHOOK_STYLE", "gitlab", `FNGUARD_WEBHOOK_STYLE="gitlab"`},
		{"FNGUARD_WEBHOOK_HEADER", "bad header", `FNGUARD_WEBHOOK_HEADER="bad header"`},
		{"FNGUARD_WEBHOOK_TOLERANCE", "soon", `FNGUARD_WEBHOOK_TOLERANCE="soon"`},
		{"FNGUARD_SNS_VERIFY", "2", `FNGUARD_SNS_VERIFY="2"`},
		{"FNGUARD_EXCLUDE", "body.html=xsss", `FNGUARD_EXCLUDE="body.html=xsss"`},
		{"FNGUARD_EXCLUDE", "body.query=sqli.tautologyy", `FNGUARD_EXCLUDE="body.query=sqli.tautologyy"`},
		{"FNGUARD_DENY_PATTERNS", "[unclosed", `FNGUARD_DENY_PATTERNS="[unclosed"`},
		{"FNGUARD_DENY_PATTERNS", `{"bad":"(unclosed"}`, "FNGUARD_DENY_PATTERNS"},
		{"FNGUARD_RESPONSE_SCAN", "loud", `FNGUARD_RESPONSE_SCAN="loud"`},
		{"FNGUARD_SANITIZE_HTML", "ugc", "FNGUARD_SANITIZE_FIELDS"},
		{"FNGUARD_SANITIZE_FIELDS", "comment", "FNGUARD_SANITIZE_HTML"},
		{"FNGUARD_EGRESS_MODE", "audit", `FNGUARD_EGRESS_MODE="audit"`},
		{"FNGUARD_SCHEMAS", "POST /orders", "FNGUARD_SCHEMAS"},
		{"FNGUARD_EGRESS_ALLOW", "10.0.0.0/99", "FNGUARD_EGRESS_ALLOW"},
		{"FNGUARD_LOCKDOWN", "everything", `FNGUARD_LOCKDOWN="everything"`},
		{"FNGUARD_ACK_BLOCKED", "nope", `FNGUARD_ACK_BLOCKED="nope"`},
		{"FNGUARD_SINK_MODE", "audit", `FNGUARD_SINK_MODE="audit"`},
		{"FNGUARD_FIFO_SCOPE", "queue", `FNGUARD_FIFO_SCOPE="queue": want batch or group`},
		{"FNGUARD_STREAM_ORDER", "loose", `FNGUARD_STREAM_ORDER="loose": want strict or unordered`},
		{"FNGUARD_WEBHOOK_STYLE", "stripe", "FNGUARD_WEBHOOK_SECRET"}, // style without a secret
		{"FNGUARD_MOD", "monitor", "did you mean FNGUARD_MODE?"},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		seen[tc.name] = true
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			t.Setenv(tc.name, tc.value)
			g, err := New()
			if err == nil {
				t.Fatalf("New() accepted %s=%q (guard %v)", tc.name, tc.value, g)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *ConfigError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
			if g != nil {
				t.Fatal("a guard was returned with a configuration error")
			}
		})
	}
	// Every documented variable that takes a constrained value has a bad-value case.
	free := map[string]bool{"FNGUARD_SERVICE": true, "FNGUARD_REDACT_KEYS": true, "FNGUARD_ALLOW_ROUTES": true,
		"FNGUARD_ALLOW_EVENT_SOURCES": true, "FNGUARD_ALLOW_EVENT_TYPES": true, "FNGUARD_REQUIRE_SCOPES": true, "FNGUARD_WEBHOOK_SECRET": true}
	for _, ev := range EnvVars() {
		if !seen[ev.Name] && !free[ev.Name] {
			t.Errorf("no bad-value test for %s", ev.Name)
		}
	}
}

func TestEnvDefaults(t *testing.T) {
	g, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if g.mode != Block || g.fail != FailClosed {
		t.Errorf("mode %s fail %s, want block closed", g.mode, g.fail)
	}
	if g.maxBody != DefaultMaxBodyBytes || g.limits.MaxDepth != DefaultMaxDepth || g.limits.MaxStringBytes != DefaultMaxBodyBytes || g.limits.MaxElements != DefaultMaxBodyBytes/2+1+DefaultMaxElements {
		t.Errorf("limits %d %+v", g.maxBody, g.limits)
	}
	if g.limits.AllowDuplicateKeys || g.trustedHops != 1 || g.responseScan != ResponseScanOff || g.sanitize != nil || g.egressSet || g.lockdown != "" || g.ackBlocked {
		t.Errorf("unexpected non-default policy: %+v", g)
	}
	for _, ev := range EnvVars() {
		if ev.Doc == "" {
			t.Errorf("%s has no documentation", ev.Name)
		}
		t.Run(ev.Name, func(t *testing.T) {
			if ev.Default == "" {
				return
			}
			t.Setenv(ev.Name, ev.Default)
			if _, err := New(); err != nil {
				t.Errorf("%s=%q (the documented default) rejected: %v", ev.Name, ev.Default, err)
			}
		})
	}
}

func TestEnvValues(t *testing.T) {
	t.Setenv("FNGUARD_MODE", "monitor")
	t.Setenv("FNGUARD_CATEGORY_MODES", "xss=off, sqli=block")
	t.Setenv("FNGUARD_MAX_BODY_BYTES", "1MiB")
	t.Setenv("FNGUARD_ALLOW_SOURCE_CIDRS", "203.0.113.0/24, 2001:db8::1")
	t.Setenv("FNGUARD_ALLOW_METHODS", "get,post")
	t.Setenv("FNGUARD_EXCLUDE", "body.html=xss;headers.referer;body.q=sqli.tautology, cmdi")
	t.Setenv("FNGUARD_DENY_PATTERNS", `{"internal":"(?i)corp\\.internal"}`)
	g, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if g.mode != Monitor || g.categoryMode(XSS) != Off || g.categoryMode(SQLi) != Block || g.categoryMode(CmdI) != Monitor {
		t.Errorf("modes: global %s xss %s sqli %s cmdi %s", g.mode, g.categoryMode(XSS), g.categoryMode(SQLi), g.categoryMode(CmdI))
	}
	if g.maxBody != 1<<20 || len(g.allowCIDRs) != 2 || len(g.allowMethods) != 2 || g.allowMethods[0] != "GET" || len(g.exclusions) != 3 ||
		len(g.exclusions[2].rules) != 1 || g.exclusions[2].rules[0] != "sqli.tautology" || len(g.exclusions[2].cats) != 1 {
		t.Errorf("parsed %d %v %v %v", g.maxBody, g.allowCIDRs, g.allowMethods, g.exclusions)
	}
}

func TestOptionBeatsEnv(t *testing.T) {
	t.Setenv("FNGUARD_MODE", "monitor")
	t.Setenv("FNGUARD_ALLOW_METHODS", "GET")
	g, err := New(WithMode(Block), WithAllowMethods("POST", "PUT"))
	if err != nil {
		t.Fatal(err)
	}
	if g.mode != Block {
		t.Errorf("mode %s: the option must beat FNGUARD_MODE", g.mode)
	}
	if strings.Join(g.allowMethods, ",") != "POST,PUT" {
		t.Errorf("methods %v: the option must replace FNGUARD_ALLOW_METHODS", g.allowMethods)
	}
	g, err = New(WithoutEnv())
	if err != nil {
		t.Fatal(err)
	}
	if g.mode != Block || len(g.allowMethods) != 0 {
		t.Errorf("WithoutEnv still read the environment: %s %v", g.mode, g.allowMethods)
	}
	t.Setenv("FNGUARD_MODE", "blok")
	if _, err := New(WithoutEnv()); err != nil {
		t.Errorf("WithoutEnv must not even parse the environment: %v", err)
	}
}

func TestOptionErrors(t *testing.T) {
	cases := map[string]Option{
		"WithMode":           WithMode(Mode(9)),
		"WithCategoryMode":   WithCategoryMode("nope", Block),
		"WithFailMode":       WithFailMode(FailMode(7)),
		"WithLogger":         WithLogger(nil),
		"WithLogRate":        WithLogRate(1, -1),
		"WithMaxBodyBytes":   WithMaxBodyBytes(0),
		"WithMaxDepth":       WithMaxDepth(-1),
		"WithMaxStringBytes": WithMaxStringBytes(0),
		"WithMaxElements":    WithMaxElements(0),
		"WithTrustedHops":    WithTrustedHops(-1),
		"WithAllowMethods":   WithAllowMethods("G ET"),
		"WithWebhookSecret":  WithWebhookSecret(WebhookGeneric, []byte("s"), "", 0),
		"WithExclusion":      WithExclusion("body.x", "bogus"),
		"WithDenyPattern":    WithDenyPattern("", "x"),
		"WithSanitizeHTML":   WithSanitizeHTML("ugc"),
		"WithFIFOScope":      WithFIFOScope(FIFOScope(2)),
		"WithStreamOrder":    WithStreamOrder(StreamOrder(9)),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := New(WithoutEnv(), opt)
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("want a *ConfigError, got %v", err)
			}
		})
	}
	if _, err := New(WithoutEnv(), nil); err == nil {
		t.Error("nil option accepted")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"10": 10, "1KB": 1000, "1 KiB": 1024, "6MiB": 6 << 20, "2MB": 2000000, "5B": 5} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1.5MB", "MB", "99999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}
