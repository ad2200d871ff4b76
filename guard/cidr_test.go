package guard

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

// TestSourceCIDRNotations: every notation of the same address matches, in
// the allow and the deny list, whichever side uses it (issue 19, item 2:
// FNGUARD_DENY_SOURCE_CIDRS=::ffff:203.0.113.0/120 let 203.0.113.5 through).
func TestSourceCIDRNotations(t *testing.T) {
	entries := []string{
		"203.0.113.0/24",
		"::ffff:203.0.113.0/120",
		"::ffff:cb00:7100/120",
		"203.0.113.5",
		"::ffff:203.0.113.5",
		"::ffff:0:0/96", // every IPv4 address
		"::/0",          // every address, mapped IPv4 included
	}
	clients := []string{"203.0.113.5", "::ffff:203.0.113.5", "::ffff:cb00:7105", "fe80::1%eth0", "203.0.114.5"}
	for _, e := range entries {
		prefix := e
		if !strings.Contains(e, "/") {
			a := netip.MustParseAddr(e)
			prefix = netip.PrefixFrom(a, a.BitLen()).String()
		}
		for _, c := range clients {
			ip := netip.MustParseAddr(c)
			inside := ip.Zone() == "" && c != "203.0.114.5" || e == "::/0" || e == "::ffff:0:0/96" && ip.Unmap().Is4()
			inv := func(i *Invocation) { i.ClientIP = ip }
			t.Run("deny "+e+" "+c, func(t *testing.T) {
				t.Setenv("FNGUARD_DENY_SOURCE_CIDRS", e)
				g, err := New(WithLogRate(-1, 0))
				if err != nil {
					t.Fatal(err)
				}
				if blocked := g.Inspect(context.Background(), httpInv(inv)).Action == ActionBlock; blocked != inside {
					t.Errorf("FNGUARD_DENY_SOURCE_CIDRS=%s, client %s: blocked=%v, want %v", e, c, blocked, inside)
				}
				g, _ = newTestGuard(t, WithDenySourceCIDRs(netip.MustParsePrefix(prefix)))
				if blocked := g.Inspect(context.Background(), httpInv(inv)).Action == ActionBlock; blocked != inside {
					t.Errorf("WithDenySourceCIDRs(%s), client %s: blocked=%v, want %v", prefix, c, blocked, inside)
				}
			})
			t.Run("allow "+e+" "+c, func(t *testing.T) {
				t.Setenv("FNGUARD_ALLOW_SOURCE_CIDRS", e)
				g, err := New(WithLogRate(-1, 0))
				if err != nil {
					t.Fatal(err)
				}
				if allowed := g.Inspect(context.Background(), httpInv(inv)).Action == ActionAllow; allowed != inside {
					t.Errorf("FNGUARD_ALLOW_SOURCE_CIDRS=%s, client %s: allowed=%v, want %v", e, c, allowed, inside)
				}
				g, _ = newTestGuard(t, WithAllowSourceCIDRs(netip.MustParsePrefix(prefix)))
				if allowed := g.Inspect(context.Background(), httpInv(inv)).Action == ActionAllow; allowed != inside {
					t.Errorf("WithAllowSourceCIDRs(%s), client %s: allowed=%v, want %v", prefix, c, allowed, inside)
				}
			})
		}
	}
}
