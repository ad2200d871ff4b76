package egress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// recorder collects OnDeny calls.
type recorder struct {
	mu      sync.Mutex
	denials []Denial
}

func (r *recorder) onDeny(_ context.Context, d Denial) {
	r.mu.Lock()
	r.denials = append(r.denials, d)
	r.mu.Unlock()
}

func (r *recorder) all() []Denial {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Denial(nil), r.denials...)
}

// loopbackOnly is a safety net for tests: a base dialer that refuses to open
// a socket to anything but loopback, so a policy bug can never send a packet
// to a metadata or public address from the test machine.
func loopbackOnly() *net.Dialer {
	return &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !ap.Addr().Unmap().IsLoopback() {
				return fmt.Errorf("test safety net: refusing to dial %s %s", network, address)
			}
			return nil
		},
	}
}

// okServer is an HTTP server on 127.0.0.1 that counts requests.
type okServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits int
}

func startOK(t testing.TB) *okServer {
	t.Helper()
	s := &okServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits++
		s.mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *okServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func (s *okServer) port() string {
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	return port
}

// echoListener accepts TCP connections on 127.0.0.1 and closes them; it
// reports how many it accepted.
func echoListener(t testing.TB) (port string, accepted func() int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	var mu sync.Mutex
	n := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 1000 { // bounded
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			n++
			mu.Unlock()
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); <-done })
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, func() int { mu.Lock(); defer mu.Unlock(); return n }
}

func testRecords() map[string][]string {
	return map[string][]string{
		"allowed.test": {"127.0.0.1"},
		"other.test":   {"127.0.0.1"},
		"meta.test":    {"169.254.169.254"},
		"mixed.test":   {"169.254.169.254", "127.0.0.1"},
		"v6meta.test":  {"fd00:ec2::254"},
		"far.test":     {"10.9.8.7"},
		"api.test":     {"127.0.0.1"},
	}
}

func TestDialContext(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	port, accepted := echoListener(t)

	tests := []struct {
		name       string
		allow      string
		mode       Mode
		addr       string // host part; port appended unless it has one
		network    string
		reason     string // "" = connection expected
		denials    int    // OnDeny calls expected
		noDNSQuery bool   // the name must not have been looked up
	}{
		{name: "allowed name", allow: "allowed.test", addr: "allowed.test"},
		{name: "allowed name with port", allow: "allowed.test:" + port, addr: "allowed.test"},
		{name: "allowed name upper case", allow: "allowed.test", addr: "ALLOWED.test."},
		{name: "allowed wildcard", allow: "*.test", addr: "allowed.test"},
		{name: "wrong port", allow: "allowed.test:1", addr: "allowed.test", reason: reasonUnresolved, denials: 1},
		{name: "denied name is not resolved", allow: "allowed.test", addr: "other.test", reason: reasonUnresolved, denials: 1, noDNSQuery: true},
		{name: "name resolving into allowed cidr", allow: "127.0.0.0/8", addr: "other.test"},
		{name: "name resolving outside cidr", allow: "127.0.0.0/8", addr: "far.test", reason: reasonNoMatch, denials: 1},
		{name: "ip literal allowed", allow: "127.0.0.1", addr: "127.0.0.1"},
		{name: "ip literal denied", allow: "allowed.test", addr: "127.0.0.1", reason: reasonNoMatch, denials: 1},
		{name: "metadata ip under any", allow: "*", addr: "169.254.169.254", reason: "metadata", denials: 1},
		{name: "metadata v6 ip under any", allow: "*", addr: "[fd00:ec2::254]", reason: "metadata", denials: 1},
		{name: "metadata name under any", allow: "*", addr: "meta.test", reason: "metadata", denials: 1},
		{name: "metadata v6 name under any", allow: "*", addr: "v6meta.test", reason: "metadata", denials: 1},
		{name: "metadata.google.internal not resolved", allow: "*", addr: "metadata.google.internal", reason: "metadata", denials: 1, noDNSQuery: true},
		{name: "mixed answer dials only the allowed ip", allow: "*", addr: "mixed.test", denials: 1},
		{name: "unknown name", allow: "*", addr: "nowhere.test", reason: "no such host"},
		{name: "unix socket refused", allow: "*", addr: "/tmp/x.sock", network: "unix", reason: "not policed", denials: 1},
		{name: "monitor lets denied name through", allow: "allowed.test", mode: Monitor, addr: "other.test", denials: 1},
		{name: "monitor lets denied ip through", allow: "allowed.test", mode: Monitor, addr: "127.0.0.1", denials: 1},
		{name: "monitor with mixed answer", allow: "127.0.0.1", mode: Monitor, addr: "far.test", reason: "test safety net", denials: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			p := mustPolicy(t, tt.allow, Config{Mode: tt.mode, OnDeny: rec.onDeny, Resolver: dns.resolver()})
			dial := p.DialContext(loopbackOnly())
			network := tt.network
			if network == "" {
				network = "tcp"
			}
			addr := tt.addr
			if network != "unix" {
				addr += ":" + port
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			before := accepted()
			host := strings.ToLower(strings.TrimSuffix(strings.Trim(strings.Split(tt.addr, ":")[0], "[]"), "."))
			queriesBefore := dns.count(host)
			conn, err := dial(ctx, network, addr)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("dial %s: %v", addr, err)
				}
				_ = conn.Close()
				waitFor(t, func() bool { return accepted() > before })
			} else {
				if err == nil {
					_ = conn.Close()
					t.Fatalf("dial %s succeeded, want error containing %q", addr, tt.reason)
				}
				if !strings.Contains(err.Error(), tt.reason) {
					t.Fatalf("dial %s: %v, want error containing %q", addr, err, tt.reason)
				}
				if strings.Contains(tt.reason, "metadata") || tt.reason == reasonNoMatch || tt.reason == reasonUnresolved {
					var de *DeniedError
					if !errors.As(err, &de) || !errors.Is(err, ErrDenied) {
						t.Fatalf("error %#v is not a *DeniedError", err)
					}
				}
			}
			got := rec.all()
			if len(got) != tt.denials {
				t.Fatalf("OnDeny called %d times (%+v), want %d", len(got), got, tt.denials)
			}
			for _, d := range got {
				if d.Monitored != (tt.mode == Monitor) {
					t.Errorf("Denial.Monitored = %v in mode %v", d.Monitored, tt.mode)
				}
				if d.Network != network || d.Reason == "" {
					t.Errorf("incomplete Denial %+v", d)
				}
			}
			if tt.noDNSQuery && dns.count(host) != queriesBefore {
				t.Errorf("%q was looked up; a name no rule can allow must not be resolved", host)
			}
		})
	}
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestDNSRebinding: a name rule allows the addresses the name resolved to
// for this dial only, and metadata or out-of-CIDR addresses a name later
// rebinds to are refused at connect time.
func TestDNSRebinding(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, map[string][]string{"app.test": {"127.0.0.1"}})
	port, accepted := echoListener(t)
	ctx := context.Background()

	for _, allow := range []string{"app.test", "127.0.0.0/8"} {
		t.Run(allow, func(t *testing.T) {
			dns.set("app.test", "127.0.0.1")
			var rec recorder
			p := mustPolicy(t, allow, Config{OnDeny: rec.onDeny, Resolver: dns.resolver()})
			dial := p.DialContext(loopbackOnly())

			before := accepted()
			c, err := dial(ctx, "tcp", "app.test:"+port)
			if err != nil {
				t.Fatalf("first dial: %v", err)
			}
			_ = c.Close()
			waitFor(t, func() bool { return accepted() == before+1 })

			dns.set("app.test", "169.254.169.254")
			if _, err := dial(ctx, "tcp", "app.test:"+port); err == nil || !strings.Contains(err.Error(), "metadata") {
				t.Fatalf("dial after rebinding to metadata = %v, want metadata denial", err)
			}

			dns.set("app.test", "10.1.2.3")
			_, err = dial(ctx, "tcp", "app.test:"+port)
			if allow == "app.test" {
				// A host-name rule trusts the name's own answer; the dial
				// goes to exactly that pinned IP (refused here by the test
				// safety net, proving no re-resolution to 127.0.0.1).
				if err == nil || !strings.Contains(err.Error(), "10.1.2.3") {
					t.Fatalf("dial = %v, want an attempt at the pinned 10.1.2.3", err)
				}
			} else if !errors.Is(err, ErrDenied) {
				t.Fatalf("dial after rebinding out of the CIDR = %v, want denial", err)
			}
			if accepted() != before+1 {
				t.Fatalf("a rebound dial reached the listener")
			}
		})
	}
}

func TestControl(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	port, _ := echoListener(t)
	ctx := context.Background()

	t.Run("ip rule", func(t *testing.T) {
		p := mustPolicy(t, "127.0.0.1:"+port, Config{})
		d := &net.Dialer{Timeout: 5 * time.Second, Control: p.Control}
		c, err := d.DialContext(ctx, "tcp", "127.0.0.1:"+port)
		if err != nil {
			t.Fatalf("allowed dial: %v", err)
		}
		_ = c.Close()
		if _, err := d.DialContext(ctx, "tcp", "127.0.0.1:1"); !errors.Is(err, ErrDenied) {
			t.Fatalf("dial to other port = %v, want denial", err)
		}
	})
	t.Run("host rule needs a recent resolution", func(t *testing.T) {
		var rec recorder
		p := mustPolicy(t, "allowed.test", Config{OnDeny: rec.onDeny, Resolver: dns.resolver()})
		d := &net.Dialer{Timeout: 5 * time.Second, Control: p.Control}
		if _, err := d.DialContext(ctx, "tcp", "127.0.0.1:"+port); !errors.Is(err, ErrDenied) {
			t.Fatalf("dial before resolution = %v, want denial", err)
		}
		if n := len(rec.all()); n != 1 {
			t.Fatalf("OnDeny called %d times, want 1", n)
		}
		c, err := p.DialContext(loopbackOnly())(ctx, "tcp", "allowed.test:"+port)
		if err != nil {
			t.Fatalf("policy dial: %v", err)
		}
		_ = c.Close()
		c, err = d.DialContext(ctx, "tcp", "127.0.0.1:"+port)
		if err != nil {
			t.Fatalf("dial after the policy resolved allowed.test: %v", err)
		}
		_ = c.Close()

		// After the TTL the association is forgotten.
		p.names.now = func() time.Time { return time.Now().Add(nameCacheTTL + time.Second) }
		if _, err := d.DialContext(ctx, "tcp", "127.0.0.1:"+port); !errors.Is(err, ErrDenied) {
			t.Fatalf("dial after cache expiry = %v, want denial", err)
		}
	})
	t.Run("direct", func(t *testing.T) {
		var rec recorder
		p := mustPolicy(t, "*", Config{OnDeny: rec.onDeny})
		if err := p.Control("tcp4", "169.254.169.254:80", nil); !errors.Is(err, ErrDenied) {
			t.Fatalf("metadata = %v, want denial", err)
		}
		if err := p.Control("tcp6", "[fd00:ec2::254%eth0]:80", nil); !errors.Is(err, ErrDenied) {
			t.Fatalf("zoned v6 metadata = %v, want denial", err)
		}
		if err := p.Control("unix", "/run/docker.sock", nil); !errors.Is(err, ErrDenied) {
			t.Fatalf("unix = %v, want denial", err)
		}
		if err := p.Control("tcp", "garbage", nil); err == nil || errors.Is(err, ErrDenied) {
			t.Fatalf("garbage address = %v, want a parse error", err)
		}
		if err := p.Control("udp", "8.8.8.8:53", nil); err != nil {
			t.Fatalf("udp under * = %v", err)
		}
		if n := len(rec.all()); n != 3 {
			t.Fatalf("OnDeny called %d times, want 3", n)
		}
	})
	t.Run("monitor", func(t *testing.T) {
		var rec recorder
		p := mustPolicy(t, "", Config{Mode: Monitor, OnDeny: rec.onDeny})
		if err := p.Control("tcp", "169.254.169.254:80", nil); err != nil {
			t.Fatalf("monitor Control = %v, want nil", err)
		}
		if got := rec.all(); len(got) != 1 || !got[0].Monitored {
			t.Fatalf("denials = %+v, want one monitored", got)
		}
	})
}

func TestNameCacheBounded(t *testing.T) {
	c := newNameCache()
	for i := range nameCacheMaxIPs + 500 {
		ip := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
		c.add("n.test", []netip.Addr{ip})
	}
	if n := c.len(); n > nameCacheMaxIPs {
		t.Fatalf("cache holds %d IPs, bound is %d", n, nameCacheMaxIPs)
	}
	ip := netip.MustParseAddr("10.200.0.1")
	for i := range nameCacheMaxPerIP + 5 {
		c.add(fmt.Sprintf("n%d.test", i), []netip.Addr{ip})
	}
	if n := len(c.byIP[ip]); n != nameCacheMaxPerIP {
		t.Fatalf("%d names for one IP, bound is %d", n, nameCacheMaxPerIP)
	}
	if !c.any(ip, func(s string) bool { return s == fmt.Sprintf("n%d.test", nameCacheMaxPerIP+4) }) {
		t.Fatal("newest name was evicted")
	}
	// Expired entries go first.
	c.now = func() time.Time { return time.Now().Add(2 * nameCacheTTL) }
	c.add("fresh.test", []netip.Addr{netip.MustParseAddr("192.0.2.1")})
	if n := c.len(); n > nameCacheMaxIPs {
		t.Fatalf("cache holds %d IPs", n)
	}
}

func TestDialErrors(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	p := mustPolicy(t, "*", Config{Resolver: dns.resolver()})
	dial := p.DialContext(nil)
	ctx := context.Background()
	if _, err := dial(ctx, "tcp", "no-port"); err == nil || !strings.Contains(err.Error(), "missing port") {
		t.Fatalf("dial without port = %v", err)
	}
	if _, err := dial(ctx, "tcp", "allowed.test:nosuchservice"); err == nil {
		t.Fatal("dial with unknown service name succeeded")
	}
	// Empty host means the local system: unspecified address, allowed by "*"
	// only because it is not a metadata address; a narrow list refuses it.
	narrow := mustPolicy(t, "api.test", Config{})
	if _, err := narrow.DialContext(nil)(ctx, "tcp6", ":1"); !errors.Is(err, ErrDenied) {
		t.Fatalf("dial to empty host = %v, want denial", err)
	}
}
