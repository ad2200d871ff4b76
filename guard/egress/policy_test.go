package egress

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func mustPolicy(t testing.TB, allow string, cfg Config) *Policy {
	t.Helper()
	rules, err := ParseAllowList(allow)
	if err != nil {
		t.Fatalf("ParseAllowList(%q): %v", allow, err)
	}
	cfg.Allow = rules
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func TestCheck(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	tests := []struct {
		name          string
		allow         string
		allowMetadata bool
		host          string
		ip            string
		port          int
		reason        string // "" = allowed, else substring of the denial reason
	}{
		{"exact host and port", "api.stripe.com:443", false, "api.stripe.com", "54.187.216.72", 443, ""},
		{"exact host other port", "api.stripe.com:443", false, "api.stripe.com", "54.187.216.72", 80, reasonNoMatch},
		{"exact host any port", "api.stripe.com", false, "api.stripe.com", "54.187.216.72", 8443, ""},
		{"host case and dot", "api.stripe.com", false, "API.Stripe.com.", "54.187.216.72", 443, ""},
		{"other host", "api.stripe.com", false, "evil.example", "54.187.216.72", 443, reasonNoMatch},
		{"no host only ip", "api.stripe.com", false, "", "54.187.216.72", 443, reasonNoMatch},
		{"ip literal host ignores host rules", "10.0.0.1.nip.example", false, "10.0.0.1", "10.0.0.1", 443, reasonNoMatch},
		{"wildcard deep", "*.amazonaws.com", false, "s3.eu-west-1.amazonaws.com", "52.218.1.1", 443, ""},
		{"wildcard apex", "*.amazonaws.com", false, "amazonaws.com", "52.218.1.1", 443, reasonNoMatch},
		{"ip rule", "10.1.2.3:5432", false, "db.internal", "10.1.2.3", 5432, ""},
		{"ip rule wrong port", "10.1.2.3:5432", false, "", "10.1.2.3", 5433, reasonNoMatch},
		{"cidr", "10.0.0.0/8", false, "", "10.200.0.1", 80, ""},
		{"cidr miss", "10.0.0.0/8", false, "", "11.0.0.1", 80, reasonNoMatch},
		{"mapped ip matches v4 cidr", "10.0.0.0/8", false, "", "::ffff:10.0.0.1", 80, ""},
		{"ipv6 cidr port", "[2001:db8::]/32:443", false, "", "2001:db8:1::5", 443, ""},
		{"ipv6 cidr wrong port", "[2001:db8::]/32:443", false, "", "2001:db8:1::5", 80, reasonNoMatch},
		{"any", "*", false, "anything.example", "93.184.216.34", 443, ""},
		{"any port", "*:443", false, "", "93.184.216.34", 80, reasonNoMatch},
		{"empty list denies", "", false, "example.com", "93.184.216.34", 443, reasonNoMatch},

		{"metadata under any", "*", false, "", "169.254.169.254", 80, "metadata"},
		{"ecs creds under any", "*", false, "", "169.254.170.2", 80, "metadata"},
		{"eks pod identity under any", "*", false, "", "169.254.170.23", 80, "metadata"},
		{"imds v6 under any", "*", false, "", "fd00:ec2::254", 80, "metadata"},
		{"alibaba under any", "*", false, "", "100.100.100.200", 80, "metadata"},
		{"mapped metadata", "*", false, "", "::ffff:169.254.169.254", 80, "metadata"},
		{"nat64 metadata", "*", false, "", "64:ff9b::a9fe:a9fe", 80, "metadata"},
		{"metadata under default route", "0.0.0.0/0", false, "", "169.254.169.254", 80, "metadata"},
		{"default route still works", "0.0.0.0/0", false, "", "8.8.8.8", 53, ""},
		{"v6 metadata under ula /8", "fd00::/8", false, "", "fd00:ec2::254", 80, "metadata"},
		{"metadata via allowed name", "evil.example", false, "evil.example", "169.254.169.254", 80, "metadata"},
		{"metadata via wildcard", "*.example", false, "rebind.example", "169.254.169.254", 80, "metadata"},
		{"metadata name under any", "*", false, "metadata.google.internal", "10.9.9.9", 80, "metadata host name"},
		{"metadata name host rule", "metadata.google.internal", false, "metadata.google.internal", "169.254.169.254", 80, "metadata"},
		{"metadata explicit ip", "169.254.169.254:80", false, "metadata.google.internal", "169.254.169.254", 80, ""},
		{"metadata explicit ip wrong port", "169.254.169.254:80", false, "", "169.254.169.254", 443, "metadata"},
		{"metadata explicit link-local cidr", "169.254.0.0/16", false, "", "169.254.170.2", 80, ""},
		{"metadata explicit v6", "fd00:ec2::254", false, "", "fd00:ec2::254", 80, ""},
		{"nat64 metadata needs exact", "64:ff9b::/96", false, "", "64:ff9b::a9fe:a9fe", 80, "metadata"},
		{"nat64 metadata exact", "64:ff9b::a9fe:a9fe", false, "", "64:ff9b::a9fe:a9fe", 80, ""},
		{"allow metadata opt-in", "*", true, "", "169.254.169.254", 80, ""},
		{"allow metadata still needs a rule", "api.stripe.com", true, "", "169.254.169.254", 80, reasonNoMatch},
		{"allow metadata name", "*", true, "metadata.google.internal", "169.254.169.254", 80, ""},

		{"port zero", "*", false, "", "8.8.8.8", 0, reasonPort},
		{"port too big", "*", false, "", "8.8.8.8", 70000, reasonPort},
		{"invalid ip", "*", false, "example.com", "", 80, reasonNoIP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustPolicy(t, tt.allow, Config{AllowMetadata: tt.allowMetadata})
			var ip netip.Addr
			if tt.ip != "" {
				ip = netip.MustParseAddr(tt.ip)
			}
			err := p.Check(tt.host, ip, tt.port)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Check(%q, %v, %d) = %v, want allowed", tt.host, ip, tt.port, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check(%q, %v, %d) allowed, want denial %q", tt.host, ip, tt.port, tt.reason)
			}
			var de *DeniedError
			if !errors.As(err, &de) || !errors.Is(err, ErrDenied) {
				t.Fatalf("Check error %#v is not a *DeniedError matching ErrDenied", err)
			}
			if !strings.Contains(de.Reason, tt.reason) {
				t.Fatalf("reason %q, want it to contain %q", de.Reason, tt.reason)
			}
			if de.Port != tt.port {
				t.Errorf("DeniedError.Port = %d, want %d", de.Port, tt.port)
			}
		})
	}
}

func TestDeniedErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  DeniedError
		want string
	}{
		{"host and addr", DeniedError{Host: "x.example", Addr: netip.MustParseAddrPort("169.254.169.254:80"), Port: 80, Reason: "r"},
			"egress: connection to x.example [169.254.169.254:80] denied: r"},
		{"host only", DeniedError{Host: "x.example", Port: 443, Reason: "r"}, "egress: connection to x.example:443 denied: r"},
		{"host no port", DeniedError{Host: "/tmp/sock", Reason: "r"}, "egress: connection to /tmp/sock denied: r"},
		{"addr only", DeniedError{Addr: netip.MustParseAddrPort("[fd00:ec2::254]:80"), Port: 80, Reason: "r"},
			"egress: connection to [fd00:ec2::254]:80 denied: r"},
		{"nothing", DeniedError{Reason: "r"}, "egress: connection to <unknown destination> denied: r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	t.Run("bad mode", func(t *testing.T) {
		_, err := New(Config{Mode: Mode(9)})
		var pe *ParseError
		if !errors.As(err, &pe) || pe.What != "Config.Mode" {
			t.Fatalf("New with Mode(9) = %v, want ParseError naming Config.Mode", err)
		}
	})
	t.Run("zero rule", func(t *testing.T) {
		rules, _ := ParseAllowList("a.example")
		_, err := New(Config{Allow: append(rules, Rule{})})
		var pe *ParseError
		if !errors.As(err, &pe) || pe.What != "Config.Allow[1]" {
			t.Fatalf("New with zero rule = %v, want ParseError naming Config.Allow[1]", err)
		}
	})
	for _, bad := range []string{"127.0.0.1", "*", "10.0.0.0/8:9001", "*.example:9001", "[::1:9001", "localhost:99999"} {
		t.Run("runtime api "+bad, func(t *testing.T) {
			t.Setenv(RuntimeAPIEnv, bad)
			_, err := New(Config{})
			var pe *ParseError
			if !errors.As(err, &pe) || pe.What != RuntimeAPIEnv || pe.Entry != bad {
				t.Fatalf("New with %s=%q: %v, want ParseError naming the variable", RuntimeAPIEnv, bad, err)
			}
		})
	}
	t.Run("runtime api allowed implicitly", func(t *testing.T) {
		t.Setenv(RuntimeAPIEnv, "127.0.0.1:9001")
		p := mustPolicy(t, "api.stripe.com:443", Config{})
		if err := p.Check("", netip.MustParseAddr("127.0.0.1"), 9001); err != nil {
			t.Fatalf("runtime API denied: %v", err)
		}
		if err := p.Check("", netip.MustParseAddr("127.0.0.1"), 9002); err == nil {
			t.Fatal("only the runtime API port should be allowed on loopback")
		}
		rules := p.Rules()
		if got := rules[len(rules)-1].String(); got != "127.0.0.1:9001" {
			t.Fatalf("last rule = %q, want the runtime API", got)
		}
	})
	t.Run("runtime api by name", func(t *testing.T) {
		t.Setenv(RuntimeAPIEnv, "localhost:9001")
		p := mustPolicy(t, "", Config{})
		if err := p.Check("localhost", netip.MustParseAddr("::1"), 9001); err != nil {
			t.Fatalf("runtime API denied: %v", err)
		}
	})
	t.Run("mode accessor", func(t *testing.T) {
		t.Setenv(RuntimeAPIEnv, "")
		if m := mustPolicy(t, "", Config{Mode: Monitor}).Mode(); m != Monitor {
			t.Fatalf("Mode() = %v", m)
		}
	})
}

func TestNameDenial(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	tests := []struct {
		allow string
		host  string
		port  uint16
		want  bool
	}{
		{"api.stripe.com:443", "api.stripe.com", 443, true},
		{"api.stripe.com:443", "api.stripe.com", 80, false},
		{"api.stripe.com:443", "evil.example", 443, false},
		{"10.0.0.0/8", "evil.example", 443, true}, // might resolve into the CIDR
		{"10.0.0.0/8:5432", "evil.example", 443, false},
		{"*", "metadata.google.internal", 80, false},
		{"0.0.0.0/0", "metadata.google.internal", 80, false},
		{"169.254.169.254", "metadata.google.internal", 80, true},
		{"*.example", "a.example", 80, true},
	}
	for _, tt := range tests {
		t.Run(tt.allow+"/"+tt.host, func(t *testing.T) {
			p := mustPolicy(t, tt.allow, Config{})
			if got := p.nameDenial(tt.host, tt.port) == ""; got != tt.want {
				t.Fatalf("nameDenial(%q, %d) allows = %v, want %v", tt.host, tt.port, got, tt.want)
			}
		})
	}
}
