package guard

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// blankValues are the ways a deployment template leaves a variable set but
// empty: nothing, spaces, and lists made of separators only.
func blankValues(name string) []string {
	vs := []string{"", "   ", "\t"}
	switch name {
	case "FNGUARD_WEBHOOK_SECRET": // not a list: "," is a (poor) secret
	case "FNGUARD_SCHEMAS", "FNGUARD_EXCLUDE": // lists separated by ';'
		vs = append(vs, ";", " ; ;")
	default:
		vs = append(vs, ",", " , ,")
	}
	return vs
}

// TestEnvBlankSecuritySetting: a set-but-blank security setting must make New
// fail with a *ConfigError naming the variable, instead of silently leaving
// the control off (issue 19, item 1).
func TestEnvBlankSecuritySetting(t *testing.T) {
	for _, ev := range EnvVars() {
		if blankIsDefault(ev.Name) {
			continue
		}
		for _, v := range blankValues(ev.Name) {
			t.Run(ev.Name+"="+v, func(t *testing.T) {
				t.Setenv(ev.Name, v)
				g, err := New()
				if err == nil {
					t.Fatalf("New() accepted %s=%q: the control it configures would be off (guard %v)", ev.Name, v, g)
				}
				var ce *ConfigError
				if !errors.As(err, &ce) || ce.Var != ev.Name {
					t.Fatalf("error %v: want a *ConfigError naming %s", err, ev.Name)
				}
				if g != nil {
					t.Fatal("a guard was returned with a configuration error")
				}
			})
		}
	}
}

// TestEnvBlankWithPartner covers the combinations of the issue: a blank
// secret next to a webhook style, and a blank allowlist next to valid ones.
func TestEnvBlankWithPartner(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"FNGUARD_WEBHOOK_SECRET": "  ", "FNGUARD_WEBHOOK_STYLE": "github"}, "FNGUARD_WEBHOOK_SECRET"},
		{map[string]string{"FNGUARD_WEBHOOK_SECRET": "", "FNGUARD_WEBHOOK_STYLE": "stripe"}, "FNGUARD_WEBHOOK_SECRET"},
		{map[string]string{"FNGUARD_ALLOW_METHODS": "GET", "FNGUARD_ALLOW_SOURCE_CIDRS": " , "}, "FNGUARD_ALLOW_SOURCE_CIDRS"},
		{map[string]string{"FNGUARD_EGRESS_ALLOW": ",", "FNGUARD_EGRESS_MODE": "block"}, "FNGUARD_EGRESS_ALLOW"},
		{map[string]string{"FNGUARD_SANITIZE_HTML": "ugc", "FNGUARD_SANITIZE_FIELDS": ","}, "FNGUARD_SANITIZE_FIELDS"},
	}
	for _, tc := range cases {
		var names []string
		for k, v := range tc.env {
			names = append(names, k+"="+v)
		}
		t.Run(strings.Join(names, ","), func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			_, err := New()
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Var != tc.want {
				t.Fatalf("New() = %v; want a *ConfigError naming %s", err, tc.want)
			}
		})
	}
}

// TestEnvBlankMeansDefault: the variables documented as falling back to the
// default when blank do so, and their default is the value the policy has
// when they are unset.
func TestEnvBlankMeansDefault(t *testing.T) {
	base, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range blankMeansDefault {
		if findEnv(name) == nil {
			t.Errorf("blankMeansDefault lists %s, which is not a variable", name)
			continue
		}
		for _, v := range []string{"", "  "} {
			t.Run(name+"="+v, func(t *testing.T) {
				t.Setenv(name, v)
				g, err := New()
				if err != nil {
					t.Fatalf("%s=%q: %v", name, v, err)
				}
				if g.String() != base.String() || g.mode != base.mode || g.limits != base.limits || g.trustedHops != base.trustedHops {
					t.Errorf("%s=%q changed the policy: %v, want %v", name, v, g, base)
				}
			})
		}
	}
}

// TestEgressAllowNone: denying every outbound connection is written
// explicitly, not as an empty list.
func TestEgressAllowNone(t *testing.T) {
	t.Setenv("FNGUARD_EGRESS_ALLOW", "none")
	g, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if !g.egressSet || len(g.egressAllow) != 0 {
		t.Fatalf("none: egressSet %v allow %v; want an empty allowlist in force", g.egressSet, g.egressAllow)
	}
	t.Setenv("FNGUARD_EGRESS_ALLOW", "none,api.example.com")
	if _, err := New(); err == nil {
		t.Fatal(`"none" combined with other entries accepted`)
	}
}

// TestOptionBlankEntries: the same for options in code.
func TestOptionBlankEntries(t *testing.T) {
	cases := map[string]Option{
		"WithAllowMethods()":             WithAllowMethods(),
		"WithAllowMethods(blank)":        WithAllowMethods(" "),
		"WithAllowRoutes()":              WithAllowRoutes(),
		"WithAllowRoutes(blank)":         WithAllowRoutes("", "  "),
		"WithAllowContentTypes()":        WithAllowContentTypes(),
		"WithAllowContentTypes(blank)":   WithAllowContentTypes(" "),
		"WithAllowContentTypes(json)":    WithAllowContentTypes("json"),
		"WithAllowEventSources()":        WithAllowEventSources(),
		"WithAllowEventSources(blank)":   WithAllowEventSources(""),
		"WithAllowEventTypes()":          WithAllowEventTypes(),
		"WithAllowEventTypes(blank)":     WithAllowEventTypes("\t"),
		"WithAllowSourceCIDRs()":         WithAllowSourceCIDRs(),
		"WithAllowSourceCIDRs(zero)":     WithAllowSourceCIDRs(netip.Prefix{}),
		"WithDenySourceCIDRs()":          WithDenySourceCIDRs(),
		"WithDenySourceCIDRs(zero)":      WithDenySourceCIDRs(netip.Prefix{}),
		"WithRequireScopes()":            WithRequireScopes(),
		"WithRequireScopes(blank)":       WithRequireScopes(" "),
		"WithRequireClaims(nil)":         WithRequireClaims(nil),
		"WithRequireClaims(blank key)":   WithRequireClaims(map[string]string{" ": "x"}),
		"WithWebhookSecret(spaces)":      WithWebhookSecret(WebhookGitHub, []byte("   "), "", time.Minute),
		"WithEgressAllow()":              WithEgressAllow(),
		"WithEgressAllow(blank)":         WithEgressAllow(" ", ","),
		"WithRedactKeys()":               WithRedactKeys(),
		"WithRedactKeys(blank)":          WithRedactKeys(""),
		"WithSanitizeHTML(ugc, blank)":   WithSanitizeHTML("ugc", " "),
		"WithLockdown(blank)":            WithLockdown(" "),
		"WithTrustedProxyHeader(spaces)": WithTrustedProxyHeader("  "),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			g, err := New(WithoutEnv(), opt)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Var == "" {
				t.Fatalf("New(%s) = %v, %v; want a *ConfigError naming the option", name, g, err)
			}
		})
	}
}
