package httpguard

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard"
)

// FuzzParseQuery: any raw query parses without panicking, into at most one
// parameter per '&'-separated part, each part decoded or kept raw.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "q=%27%20OR%201%3D1--", "q=%zz&x", "&&=&=", "a[$ne]=1;b=2", "%", "+%2B+", "k=v=w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ps := ParseQuery(raw)
		i := 0
		for pair := range strings.SplitSeq(raw, "&") {
			if pair == "" {
				continue
			}
			if i >= len(ps) {
				t.Fatalf("part %q has no parameter", pair)
			}
			k, v, _ := strings.Cut(pair, "=")
			for _, c := range [][2]string{{k, ps[i].Name}, {v, ps[i].Value}} {
				rawPart, got := c[0], c[1]
				dec, err := url.QueryUnescape(rawPart)
				if (err == nil && got != dec) || (err != nil && got != rawPart) {
					t.Fatalf("part %q gave %q (decoding: %q, %v)", rawPart, got, dec, err)
				}
			}
			i++
		}
		if i != len(ps) {
			t.Fatalf("%d parameters from %d parts", len(ps), i)
		}
	})
}

// FuzzClientIP: any RemoteAddr and proxy header value gives a valid address
// or the zero Addr (unknown), never a panic; the address always comes from
// the header when the header is trusted and present.
func FuzzClientIP(f *testing.F) {
	f.Add("192.0.2.1:4000", "203.0.113.9, 198.51.100.7", 1, false)
	f.Add("[2001:db8::1]:443", `for="[2001:db8::2]:80";proto=https, for=198.51.100.1`, 2, true)
	f.Add("pipe", ",,,", 3, false)
	f.Add("", `"`, 64, true)
	f.Fuzz(func(t *testing.T, remote, header string, hops int, forwarded bool) {
		name := "X-Forwarded-For"
		if forwarded {
			name = "Forwarded"
		}
		r := &http.Request{RemoteAddr: remote, Header: http.Header{name: {header}}}
		a := ClientIP(r, name, hops%70)
		if a.IsValid() && (a.Zone() != "" || a.Is4In6()) {
			t.Fatalf("address %v not normalised", a)
		}
		b := ClientIP(r, "", hops)
		if b != guard.ParseAddr(remote) {
			t.Fatalf("without a trusted header the address must be RemoteAddr's")
		}
	})
}

// FuzzCookies: any Cookie header parses; every part with more than blanks
// (spaces and tabs: a line break or another space character is content)
// yields one cookie.
func FuzzCookies(f *testing.F) {
	for _, s := range []string{"a=1; b=2", `x="quoted"; ; y`, "=v", ";;;", "s=' OR 1=1--", "a=1;\r\nSet-Cookie: x=1", "\u2000", " \t ; \t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		cs := appendCookies(nil, v)
		n := 0
		for part := range strings.SplitSeq(v, ";") {
			if strings.Trim(part, " \t") != "" {
				n++
			}
		}
		if len(cs) != n {
			t.Fatalf("%d cookies from %d non-empty parts", len(cs), n)
		}
	})
}
