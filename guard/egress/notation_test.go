package egress

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// TestCheckNotations: an allow rule and a destination written in different
// notations of the same address (IPv4, IPv4-mapped IPv6, hex-mapped, with a
// zone) give the same decision (issue 19, item 2).
func TestCheckNotations(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	rules := []string{"203.0.113.0/24", "::ffff:203.0.113.0/120", "[::ffff:203.0.113.0/120]:443", "::ffff:cb00:7100/120", "203.0.113.5", "::ffff:203.0.113.5", "[::ffff:203.0.113.5]:443", "::ffff:0:0/96"}
	ips := []string{"203.0.113.5", "::ffff:203.0.113.5", "::ffff:cb00:7105"}
	for _, r := range rules {
		p := mustPolicy(t, r, Config{})
		for _, s := range ips {
			if err := p.Check("", netip.MustParseAddr(s), 443); err != nil {
				t.Errorf("rule %s, destination %s: %v; want allowed", r, s, err)
			}
		}
		if err := p.Check("", netip.MustParseAddr("203.0.114.5"), 443); err == nil && r != "::ffff:0:0/96" {
			t.Errorf("rule %s allowed 203.0.114.5", r)
		}
	}
	// A zone does not change the address.
	p := mustPolicy(t, "fe80::/10", Config{})
	if err := p.Check("", netip.MustParseAddr("fe80::1%eth0"), 443); err != nil {
		t.Errorf("zoned link-local address: %v", err)
	}
	// Metadata stays denied in every notation, even under a mapped "everything" rule.
	p = mustPolicy(t, "::ffff:0:0/96", Config{})
	for _, s := range []string{"169.254.169.254", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "64:ff9b::a9fe:a9fe"} {
		if err := p.Check("", netip.MustParseAddr(s), 80); err == nil {
			t.Errorf("metadata %s allowed under ::ffff:0:0/96", s)
		}
	}
	// And a mapped single-address rule opens it, as the IPv4 one does.
	p = mustPolicy(t, "::ffff:169.254.169.254", Config{})
	if err := p.Check("", netip.MustParseAddr("169.254.169.254"), 80); err != nil {
		t.Errorf("explicit mapped metadata rule: %v", err)
	}
}

// TestRuntimeAPIOnlyByItsLiteral: the Runtime API address is allowed at the
// connection level only as the literal AWS_LAMBDA_RUNTIME_API gives (what
// aws-lambda-go's client dials); a name resolving to it, another loopback
// address or the unspecified address on its port is refused even under "*",
// and a secured transport refuses HTTP requests to it in every notation.
func TestRuntimeAPIOnlyByItsLiteral(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "127.0.0.1:9001")
	p := mustPolicy(t, "*", Config{})
	cases := []struct {
		host, ip string
		port     int
		allowed  bool
	}{
		{"", "127.0.0.1", 9001, true},
		{"", "::ffff:127.0.0.1", 9001, true},
		{"localhost", "127.0.0.1", 9001, false},
		{"rebind.example", "127.0.0.1", 9001, false},
		{"", "127.0.0.2", 9001, false},
		{"", "::1", 9001, false},
		{"", "0.0.0.0", 9001, false},
		{"", "::", 9001, false},
		{"", "127.0.0.1", 9002, true}, // another port: "*" decides
	}
	for _, c := range cases {
		err := p.Check(c.host, netip.MustParseAddr(c.ip), c.port)
		if (err == nil) != c.allowed {
			t.Errorf("Check(%q, %s, %d) = %v; want allowed=%v", c.host, c.ip, c.port, err, c.allowed)
		}
	}
	for _, u := range []string{"http://127.0.0.1:9001/2018-06-01/runtime/invocation/next", "http://[::ffff:7f00:1]:9001/x", "http://0.0.0.0:9001/x", "http://[::1]:9001/x", "http://127.1.2.3:9001/x"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		_, err := p.RoundTripper(&countingRT{}).RoundTrip(req)
		if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), "Runtime API") {
			t.Errorf("RoundTripper %s: %v; want a Runtime API denial", u, err)
		}
		req, _ = http.NewRequest(http.MethodGet, u, nil)
		if _, err := p.Transport(testTransport()).RoundTrip(req); !errors.Is(err, ErrDenied) {
			t.Errorf("Transport %s: %v; want a denial", u, err)
		}
	}
}
