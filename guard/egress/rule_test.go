package egress

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAllowListValid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // canonical String() of each rule
	}{
		{"empty", "", []string{}},
		{"separators only", " , ,\n\t", []string{}},
		{"any", "*", []string{"*"}},
		{"any with port", "*:443", []string{"*:443"}},
		{"exact host", "api.stripe.com:443", []string{"api.stripe.com:443"}},
		{"host normalised", "API.Stripe.COM.", []string{"api.stripe.com"}},
		{"wildcard", "*.amazonaws.com", []string{"*.amazonaws.com"}},
		{"wildcard deep with port", "*.s3.amazonaws.com:443", []string{"*.s3.amazonaws.com:443"}},
		{"underscore label", "_svc.example.com", []string{"_svc.example.com"}},
		{"ipv4", "10.1.2.3", []string{"10.1.2.3"}},
		{"ipv4 port", "10.1.2.3:5432", []string{"10.1.2.3:5432"}},
		{"ipv4 cidr", "10.0.0.0/8", []string{"10.0.0.0/8"}},
		{"ipv4 cidr port", "10.0.0.0/8:443", []string{"10.0.0.0/8:443"}},
		{"ipv6 bare", "2001:db8::1", []string{"2001:db8::1"}},
		{"ipv6 bracketed", "[2001:db8::1]", []string{"2001:db8::1"}},
		{"ipv6 port", "[2001:DB8::1]:443", []string{"[2001:db8::1]:443"}},
		{"ipv6 cidr", "2001:db8::/32", []string{"2001:db8::/32"}},
		{"ipv6 cidr port outside", "[2001:db8::]/32:443", []string{"[2001:db8::]/32:443"}},
		{"ipv6 cidr port inside", "[2001:db8::/32]:443", []string{"[2001:db8::]/32:443"}},
		{"ipv6 cidr brackets no port", "[2001:db8::]/32", []string{"2001:db8::/32"}},
		{"mapped ipv4 unmapped", "::ffff:10.0.0.1", []string{"10.0.0.1"}},
		{"mapped prefix unmapped", "::ffff:10.0.0.0/104", []string{"10.0.0.0/8"}},
		{"mapped prefix bracketed port", "[::ffff:10.0.0.0/104]:443", []string{"10.0.0.0/8:443"}},
		{"metadata ip", "169.254.169.254:80", []string{"169.254.169.254:80"}},
		{"list mixed separators", "api.stripe.com:443, *.amazonaws.com\n10.0.0.0/8 ,[::1]:9001",
			[]string{"api.stripe.com:443", "*.amazonaws.com", "10.0.0.0/8", "[::1]:9001"}},
		{"port bounds", "a.example:1,b.example:65535", []string{"a.example:1", "b.example:65535"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := ParseAllowList(tt.in)
			if err != nil {
				t.Fatalf("ParseAllowList(%q): %v", tt.in, err)
			}
			got := make([]string, len(rules))
			for i, r := range rules {
				got[i] = r.String()
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("ParseAllowList(%q) = %q, want %q", tt.in, got, tt.want)
			}
			// Canonical text parses back to the same rules.
			again, err := ParseAllowList(strings.Join(got, ","))
			if err != nil {
				t.Fatalf("re-parse %q: %v", got, err)
			}
			for i := range again {
				if again[i] != rules[i] {
					t.Fatalf("round trip of %q changed rule %d: %#v vs %#v", tt.in, i, again[i], rules[i])
				}
			}
		})
	}
}

func TestParseAllowListInvalid(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		what   string // ParseError.What
		entry  string // ParseError.Entry
		reason string // substring of ParseError.Reason
	}{
		{"port too big", "api.stripe.com:99999", "allow-list entry 1", "api.stripe.com:99999", "out of range"},
		{"port zero", "a.example:0", "allow-list entry 1", "a.example:0", "out of range"},
		{"port not number", "a.example:https", "allow-list entry 1", "a.example:https", "not a number"},
		{"empty port", "a.example:", "allow-list entry 1", "a.example:", "empty port"},
		{"missing host", ":443", "allow-list entry 1", ":443", "missing host"},
		{"second entry named", "ok.example, bad_*.example", "allow-list entry 2", "bad_*.example", "wildcard"},
		{"inner wildcard", "api.*.example.com", "allow-list entry 1", "api.*.example.com", "wildcard"},
		{"suffix wildcard", "example.*", "allow-list entry 1", "example.*", "wildcard"},
		{"bare wildcard dot", "*.", "allow-list entry 1", "*.", "empty host name"},
		{"url", "https://api.stripe.com", "allow-list entry 1", "https://api.stripe.com", "URL"},
		{"path", "example.com/x", "allow-list entry 1", "example.com/x", "cannot have a '/'"},
		{"bad ipv4", "10.0.0.256", "allow-list entry 1", "10.0.0.256", "invalid IPv4"},
		{"numeric tld", "10.0.0", "allow-list entry 1", "10.0.0", "invalid IPv4"},
		{"host bits", "10.1.0.0/8", "allow-list entry 1", "10.1.0.0/8", "did you mean 10.0.0.0/8"},
		{"bad prefix len", "10.0.0.0/33", "allow-list entry 1", "10.0.0.0/33", "prefix length"},
		{"bad prefix len with port", "10.0.0.0/33:443", "allow-list entry 1", "10.0.0.0/33:443", "prefix length"},
		{"ipv6 port unbracketed", "2001:db8::1:443x", "allow-list entry 1", "2001:db8::1:443x", "must be bracketed"},
		{"bracket v4", "[10.0.0.1]:80", "allow-list entry 1", "[10.0.0.1]:80", "only for IPv6"},
		{"bracket unclosed", "[::1:80", "allow-list entry 1", "[::1:80", "missing closing"},
		{"bracket junk", "[::1]x", "allow-list entry 1", "[::1]x", "unexpected"},
		{"bracket name", "[example.com]:80", "allow-list entry 1", "[example.com]:80", "IPv6 address or prefix"},
		{"double prefix", "[2001:db8::/32]/32", "allow-list entry 1", "[2001:db8::/32]/32", "given twice"},
		{"zone", "fe80::1%eth0", "allow-list entry 1", "fe80::1%eth0", "zoned"},
		{"mapped prefix host bits", "::ffff:10.0.0.1/104", "allow-list entry 1", "::ffff:10.0.0.1/104", "did you mean 10.0.0.0/8"},
		{"bad char", "exa$mple.com", "allow-list entry 1", "exa$mple.com", "invalid character"},
		{"hyphen", "-bad.example.com", "allow-list entry 1", "-bad.example.com", "starts or ends with '-'"},
		{"empty label", "a..example", "allow-list entry 1", "a..example", "empty label"},
		{"long label", strings.Repeat("a", 64) + ".example", "allow-list entry 1", strings.Repeat("a", 64) + ".example", "longer than 63"},
		{"long name", strings.Repeat("abcdefgh.", 29) + "example", "allow-list entry 1", strings.Repeat("abcdefgh.", 29) + "example", "longer than 253"},
		{"long entry", strings.Repeat("a", 301), "allow-list entry 1", strings.Repeat("a", 300) + "...", "longer than 300"},
		{"too many", strings.Repeat("a.example ", MaxRules+1), "allow list", strings.Repeat("a.example ", 7)[:64] + "...", "at most 1024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := ParseAllowList(tt.in)
			if err == nil {
				t.Fatalf("ParseAllowList(%q) = %v, want error", tt.in, rules)
			}
			if rules != nil {
				t.Errorf("rules = %v alongside error, want nil", rules)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("errors.Is(%v, ErrInvalid) = false", err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if pe.What != tt.what || pe.Entry != tt.entry || !strings.Contains(pe.Reason, tt.reason) {
				t.Fatalf("ParseError{What:%q Entry:%q Reason:%q}, want What %q Entry %q Reason containing %q",
					pe.What, pe.Entry, pe.Reason, tt.what, tt.entry, tt.reason)
			}
			if !strings.Contains(err.Error(), tt.what) {
				t.Errorf("message %q does not name %q", err.Error(), tt.what)
			}
		})
	}
}

func TestParseMode(t *testing.T) {
	tests := []struct {
		in      string
		want    Mode
		wantErr bool
	}{
		{"", Block, false},
		{"block", Block, false},
		{" Block ", Block, false},
		{"monitor", Monitor, false},
		{"MONITOR", Monitor, false},
		{"enforce", Block, true},
		{"off", Block, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseMode(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseMode(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) || pe.What != "mode" || pe.Entry != tt.in || !errors.Is(err, ErrInvalid) {
					t.Fatalf("ParseMode(%q) error = %#v, want *ParseError naming the mode", tt.in, err)
				}
				return
			}
			if got != tt.want {
				t.Fatalf("ParseMode(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
	if s := Mode(7).String(); s != "Mode(7)" {
		t.Errorf("Mode(7).String() = %q", s)
	}
}

func TestRuleZeroValue(t *testing.T) {
	var r Rule
	if s := r.String(); s != "<invalid rule>" {
		t.Errorf("zero Rule String() = %q", s)
	}
	if r.matchName("example.com") {
		t.Error("zero Rule matches a name")
	}
}

func TestWildcardMatching(t *testing.T) {
	rules, err := ParseAllowList("*.example.com")
	if err != nil {
		t.Fatal(err)
	}
	r := rules[0]
	tests := []struct {
		host string
		want bool
	}{
		{"a.example.com", true},
		{"a.b.example.com", true},
		{"example.com", false},
		{".example.com", false},
		{"badexample.com", false},
		{"example.com.evil.net", false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			if got := r.matchName(tt.host); got != tt.want {
				t.Fatalf("%s matches %q = %v, want %v", r, tt.host, got, tt.want)
			}
		})
	}
}
