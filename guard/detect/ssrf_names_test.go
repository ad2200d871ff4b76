package detect

import (
	"strings"
	"testing"
)

// TestEmbeddedAddressNames: names that embed an internal address in a
// label, under wildcard-DNS services and under any domain.
func TestEmbeddedAddressNames(t *testing.T) {
	cases := []struct{ host, want string }{
		{"10.1.2.3.nip.io", "ssrf.private"},
		{"10-1-2-3.sslip.io", "ssrf.private"},
		{"0a010203.nip.io", "ssrf.private"},
		{"x-0a010203.nip.io", "ssrf.private"},
		{"7f000001.c0a80001.rbndr.us", "ssrf.loopback"},
		{"a9fea9fe.sslip.io", "ssrf.metadata"},
		{"--1.sslip.io", "ssrf.loopback"},
		{"fe80--1.sslip.io", "ssrf.link_local"},
		{"fd00-ec2--254.sslip.io", "ssrf.metadata"},
		{"169.254.169.254.my-rebinder.example", "ssrf.metadata"},
		{"127-0-0-1.evil.example", "ssrf.loopback"},
		{"192-168-0-1.evil.example.co.uk", "ssrf.private"},
		{"8.8.8.8.nip.io", ""},
		{"08080808.nip.io", ""},
		{"2001-db8--1.sslip.io", ""},
		{"web-01.example.com", ""},
		{"10-things.com", ""},
		{"cdn-10-0-0-1.example.net", ""},
		{"10.0.0.1.com", ""}, // one label after the address: a numeric-looking name, not a rebinder
		{"deadbeef.example.com", ""},
		{"1.2.3.4.example.org", ""},
		{"0010.0.0.1.example.org", ""},
	}
	for _, c := range cases {
		t.Run(c.host, func(t *testing.T) {
			if got := nameRule([]byte(c.host), -1); got != c.want {
				t.Fatalf("nameRule(%q) = %q, want %q", c.host, got, c.want)
			}
		})
	}
}

// FuzzNameRule: host judging never panics, reports only SSRF rules, and
// a name with no hex digit is never judged to embed an address, except
// the unspecified IPv6 address "--" (::).
func FuzzNameRule(f *testing.F) {
	for _, s := range []string{"10.0.0.1.nip.io", "--1.sslip.io", "7f000001.rbndr.us", "127-0-0-1.a.b", "a.b.c", "-.-.-", "ff--ff.sslip.io"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h := []byte(strings.ToLower(s))
		r := nameRule(h, -1)
		if r != "" && !strings.HasPrefix(r, "ssrf.") {
			t.Fatalf("nameRule(%q) = %q", s, r)
		}
		r1, r2 := embeddedIPGeneric(h, -1), embeddedHexOr6Rule(h, -1)
		if (r1 != "" || r2 != "") && !strings.ContainsAny(s, "0123456789abcdefABCDEF") && !strings.Contains(s, "--") {
			t.Fatalf("embedded address found in %q without hex digits: %q %q", s, r1, r2)
		}
	})
}
