package egress

import (
	"net/netip"
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
