package egress

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// FuzzParseAllowList: never panics; failures are *ParseError naming the
// entry; every parsed rule round-trips through its canonical String.
func FuzzParseAllowList(f *testing.F) {
	for _, s := range []string{
		"", "*", "*:443", "api.stripe.com:443", "*.amazonaws.com", "*.s3.amazonaws.com:443",
		"10.0.0.0/8", "10.0.0.0/8:443", "[2001:db8::]/32:443", "[2001:db8::/32]:443", "2001:db8::/32",
		"::1", "[::1]:9001", "::ffff:10.0.0.1", "169.254.169.254:80", "a.example, b.example\tc.example",
		"https://x", "[", "]", "[::1", "*.", "*..", "a:b:c", "1.2.3.4/", "/8", "fe80::1%eth0", "[fe80::1%25eth0]:80",
		"xn--nxasmq6b.example", "EXAMPLE.COM.", "a.example:0443",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := ParseAllowList(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) || pe.Reason == "" || pe.What == "" {
				t.Fatalf("ParseAllowList(%q) error %#v is not a complete *ParseError", s, err)
			}
			return
		}
		for _, r := range rules {
			canon := r.String()
			again, err := ParseAllowList(canon)
			if err != nil {
				t.Fatalf("canonical %q of rule from %q does not parse: %v", canon, s, err)
			}
			if len(again) != 1 || again[0] != r {
				t.Fatalf("canonical %q of rule from %q parses to %v", canon, s, again)
			}
			if strings.ContainsAny(canon, " ,\t\n") {
				t.Fatalf("canonical %q contains a separator", canon)
			}
		}
	})
}

// FuzzCheck: Check never panics, and under "*" with every kind of wide rule
// no address that is (or embeds) a metadata endpoint is ever allowed.
func FuzzCheck(f *testing.F) {
	f.Add("metadata.google.internal", []byte{169, 254, 169, 254}, 80)
	f.Add("", []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 170, 2}, 80)
	f.Add("x.example", []byte{0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54}, 443)
	f.Add("API.example.", []byte{10, 0, 0, 1}, 65536)
	f.Add("[::1]", []byte{127, 0, 0, 1}, 1)
	rules, err := ParseAllowList("*, 0.0.0.0/0, ::/0, *.example, fd00::/8, 169.0.0.0/8")
	if err != nil {
		f.Fatal(err)
	}
	p, err := New(Config{Allow: rules})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, host string, raw []byte, port int) {
		ip, _ := netip.AddrFromSlice(raw)
		err := p.Check(host, ip, port)
		if err != nil {
			var de *DeniedError
			if !errors.As(err, &de) || de.Reason == "" {
				t.Fatalf("Check error %#v is not a complete *DeniedError", err)
			}
			return
		}
		if _, meta := metadataScope(ip.Unmap()); meta {
			t.Fatalf("metadata address %v allowed by wide rules (host %q)", ip, host)
		}
		if isMetadataName(normalizeHost(host)) {
			t.Fatalf("metadata name %q allowed by wide rules", host)
		}
	})
}
