package egress

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// benchAllow is a realistic, fairly long allow list.
const benchAllow = "api.stripe.com:443, hooks.slack.com:443, api.github.com:443, *.amazonaws.com:443, " +
	"*.s3.amazonaws.com, sqs.us-east-1.amazonaws.com, *.googleapis.com:443, oauth2.googleapis.com, " +
	"api.sendgrid.com:443, api.twilio.com:443, *.datadoghq.com:443, sentry.io:443, " +
	"10.0.0.0/8:5432, 172.16.0.0/12, 192.168.0.0/16:6379, [2001:db8::]/32:443, 203.0.113.10:8443"

func BenchmarkCheck(b *testing.B) {
	b.Setenv(RuntimeAPIEnv, "127.0.0.1:9001")
	rules, err := ParseAllowList(benchAllow)
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(Config{Allow: rules})
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, host, ip string
		port           int
		allowed        bool
	}{
		{"exact_first", "api.stripe.com", "54.187.216.72", 443, true},
		{"wildcard", "bucket.s3.eu-west-1.amazonaws.com", "52.218.1.1", 443, true},
		{"cidr", "", "10.20.30.40", 5432, true},
		{"runtime_api", "", "127.0.0.1", 9001, true},
		{"upper_case_host", "API.GitHub.com", "140.82.112.6", 443, true},
		{"metadata_denied", "", "169.254.169.254", 80, false},
		{"no_match_denied", "attacker.example", "203.0.113.66", 443, false},
	}
	for _, c := range cases {
		ip := netip.MustParseAddr(c.ip)
		if got := p.Check(c.host, ip, c.port) == nil; got != c.allowed {
			b.Fatalf("%s: allowed = %v, want %v", c.name, got, c.allowed)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = p.Check(c.host, ip, c.port)
			}
		})
	}
}

func BenchmarkParseAllowList(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAllowList(benchAllow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckManyRules(b *testing.B) {
	var sb strings.Builder
	for i := range 200 {
		fmt.Fprintf(&sb, "svc%d.example.com:443,", i)
	}
	rules, err := ParseAllowList(sb.String())
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(Config{Allow: rules})
	if err != nil {
		b.Fatal(err)
	}
	ip := netip.MustParseAddr("198.51.100.1")
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Check("svc199.example.com", ip, 443)
	}
}
