package egress

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/http/httpproxy"
)

// TestProxyJudgesResolvedTarget: with HTTP_PROXY set, the connection goes to
// the proxy, which resolves the real destination itself. The policy must
// judge that destination before handing the request over: a name that
// resolves to a metadata address is refused even under "*", and a name the
// policy cannot resolve is refused under "*" (which cannot vouch for it)
// while an explicit host-name rule still allows it (issue 19, item 4). The
// proxy is a real HTTP server on 127.0.0.1 and the proxy function reads
// HTTP_PROXY from the environment at each request.
func TestProxyJudgesResolvedTarget(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	proxy, seen := proxyServer(t)
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("HTTPS_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	fromEnv := func(r *http.Request) (*url.URL, error) { return httpproxy.FromEnvironment().ProxyFunc()(r.URL) }
	_, pport, _ := net.SplitHostPort(proxy.Listener.Addr().String())

	tests := []struct {
		name   string
		allow  string
		url    string
		reason string // "" = reaches the proxy
	}{
		{"name resolving to metadata under *", "*", "http://meta.test/latest/meta-data/iam/", "metadata"},
		{"name resolving to IMDSv6 under *", "*", "http://v6meta.test/latest/", "metadata"},
		{"one metadata address among others", "*", "http://mixed.test/", "metadata"},
		{"metadata name by name", "*", "http://metadata.google.internal/computeMetadata/v1/", "metadata"},
		{"unresolvable name under *", "*", "http://nowhere.test/", "cannot be verified"},
		{"ordinary name under *", "*", "http://far.test/", ""},
		{"name resolving to metadata under its own host rule", "meta.test, 127.0.0.1:" + pport, "http://meta.test/", "metadata"},
		{"explicit host rule, unresolvable here", "nowhere.test, 127.0.0.1:" + pport, "http://nowhere.test/", ""},
		{"cidr rule does not allow a proxied name", "10.0.0.0/8, 127.0.0.1:" + pport, "http://far.test/", reasonProxy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			p := mustPolicy(t, tt.allow, Config{Resolver: dns.resolver(), OnDeny: rec.onDeny})
			base := testTransport()
			base.Proxy = fromEnv
			client := &http.Client{Transport: p.Transport(base)}
			n := len(seen())
			body, err := get(t, client, tt.url)
			if tt.reason == "" {
				if err != nil || body != "proxied" {
					t.Fatalf("GET via proxy = %q, %v; want it proxied", body, err)
				}
				return
			}
			if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("GET via proxy = %q, %v; want a denial containing %q", body, err, tt.reason)
			}
			if len(seen()) != n {
				t.Fatalf("denied request reached the proxy: %v", seen()[n:])
			}
			if len(rec.all()) != 1 {
				t.Fatalf("OnDeny called %d times, want 1", len(rec.all()))
			}
		})
	}
	t.Run("monitor lets it through and reports", func(t *testing.T) {
		var rec recorder
		p := mustPolicy(t, "*", Config{Mode: Monitor, Resolver: dns.resolver(), OnDeny: rec.onDeny})
		base := testTransport()
		base.Proxy = fromEnv
		body, err := get(t, &http.Client{Transport: p.Transport(base)}, "http://meta.test/")
		if err != nil || body != "proxied" {
			t.Fatalf("monitor: %q, %v", body, err)
		}
		if d := rec.all(); len(d) != 1 || !d[0].Monitored || !strings.Contains(d[0].Reason, "metadata") {
			t.Fatalf("monitor denials %+v", d)
		}
	})
}
