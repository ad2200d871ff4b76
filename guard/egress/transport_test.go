package egress

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// testTransport is a Transport whose real dials are confined to loopback.
func testTransport() *http.Transport {
	return &http.Transport{DialContext: loopbackOnly().DialContext, Proxy: nil}
}

func get(t testing.TB, c *http.Client, u string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("request %s: %v", u, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

func TestTransportRedirect(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	target := startOK(t)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	t.Cleanup(redirector.Close)
	_, rport, _ := net.SplitHostPort(redirector.Listener.Addr().String())

	tests := []struct {
		name   string
		allow  string
		to     string
		reason string // "" = followed successfully
	}{
		{"redirect to allowed host", "allowed.test, api.test", "http://api.test:" + target.port() + "/", ""},
		{"redirect to denied host", "allowed.test", "http://other.test:" + target.port() + "/", reasonUnresolved},
		{"redirect to metadata ip under any", "*", "http://169.254.169.254/latest/meta-data/iam/", "metadata"},
		{"redirect to metadata name under any", "*", "http://meta.test/latest/meta-data/", "metadata"},
		{"redirect to metadata.google.internal", "*", "http://metadata.google.internal/computeMetadata/v1/", "metadata"},
		{"redirect to loopback ip", "allowed.test", "http://127.0.0.1:" + target.port() + "/", reasonNoMatch},
	}
	for _, tt := range tests {
		for _, wrap := range []string{"Transport", "RoundTripper"} {
			t.Run(tt.name+"/"+wrap, func(t *testing.T) {
				var rec recorder
				p := mustPolicy(t, tt.allow, Config{OnDeny: rec.onDeny, Resolver: dns.resolver()})
				var rt http.RoundTripper = p.Transport(testTransport())
				if wrap == "RoundTripper" {
					rt = p.RoundTripper(rt)
				}
				client := &http.Client{Transport: rt}
				hits := target.count()
				u := "http://allowed.test:" + rport + "/?to=" + url.QueryEscape(tt.to)
				body, err := get(t, client, u)
				if tt.reason == "" {
					if err != nil || body != "ok" {
						t.Fatalf("GET = %q, %v; want ok", body, err)
					}
					return
				}
				if err == nil {
					t.Fatalf("redirect to %s was followed (%q)", tt.to, body)
				}
				var de *DeniedError
				if !errors.As(err, &de) || !errors.Is(err, ErrDenied) || !strings.Contains(de.Reason, tt.reason) {
					t.Fatalf("GET error = %v, want *DeniedError with reason containing %q", err, tt.reason)
				}
				if target.count() != hits {
					t.Fatal("denied redirect reached the target")
				}
				if n := len(rec.all()); n != 1 {
					t.Fatalf("OnDeny called %d times, want 1", n)
				}
			})
		}
	}
}

// countingRT records which URLs reach the base RoundTripper.
type countingRT struct {
	mu   sync.Mutex
	urls []string
}

func (c *countingRT) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.urls = append(c.urls, req.URL.String())
	c.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("base")), Request: req}, nil
}

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

func TestRoundTripperPrecheck(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	tests := []struct {
		name   string
		allow  string
		url    string
		reason string // "" = reaches base
	}{
		{"allowed name", "api.stripe.com:443", "https://api.stripe.com/v1/charges", ""},
		{"allowed name default port mismatch", "api.stripe.com:443", "http://api.stripe.com/", reasonUnresolved},
		{"denied name", "api.stripe.com", "https://attacker.example/x", reasonUnresolved},
		{"name deferred to dial when a cidr could match", "10.0.0.0/8", "https://internal.example/", ""},
		{"ip literal allowed", "10.0.0.0/8", "http://10.1.1.1:8080/", ""},
		{"ip literal denied", "10.0.0.0/8", "http://11.1.1.1/", reasonNoMatch},
		{"metadata ip", "*", "http://169.254.169.254/latest/api/token", "metadata"},
		{"metadata v6 ip", "*", "http://[fd00:ec2::254]/latest/", "metadata"},
		{"metadata mapped", "*", "http://[::ffff:a9fe:a9fe]/", "metadata"},
		{"metadata name", "*", "http://metadata.google.internal/computeMetadata/v1/", "metadata"},
		{"wss default port", "*.example:443", "wss://a.example/socket", ""},
		{"unknown scheme passes to base", "api.stripe.com", "ftp://attacker.example/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			p := mustPolicy(t, tt.allow, Config{OnDeny: rec.onDeny})
			base := &countingRT{}
			rt := p.RoundTripper(base)
			body := &closeTracker{Reader: strings.NewReader("payload")}
			req, err := http.NewRequest(http.MethodPost, tt.url, body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := rt.RoundTrip(req)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("RoundTrip: %v", err)
				}
				_ = resp.Body.Close()
				if len(base.urls) != 1 {
					t.Fatalf("base saw %v", base.urls)
				}
				return
			}
			if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("RoundTrip error = %v, want denial containing %q", err, tt.reason)
			}
			if len(base.urls) != 0 {
				t.Fatalf("denied request reached base: %v", base.urls)
			}
			if !body.closed {
				t.Error("request body not closed on denial")
			}
			if n := len(rec.all()); n != 1 {
				t.Fatalf("OnDeny called %d times, want 1", n)
			}
		})
	}
	t.Run("nil URL", func(t *testing.T) {
		p := mustPolicy(t, "*", Config{})
		if _, err := p.RoundTripper(&countingRT{}).RoundTrip(&http.Request{}); err == nil {
			t.Fatal("RoundTrip without URL succeeded")
		}
	})
}

// TestMonitorMode: the connection goes through and OnDeny hears about it
// exactly once, even with both the pre-check and the dial check in the chain.
func TestMonitorMode(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	target := startOK(t)
	for _, u := range []string{
		"http://other.test:" + target.port() + "/",
		"http://127.0.0.1:" + target.port() + "/",
	} {
		t.Run(u, func(t *testing.T) {
			var rec recorder
			p := mustPolicy(t, "allowed.test", Config{Mode: Monitor, OnDeny: rec.onDeny, Resolver: dns.resolver()})
			client := &http.Client{Transport: p.RoundTripper(p.Transport(testTransport()))}
			hits := target.count()
			body, err := get(t, client, u)
			if err != nil || body != "ok" {
				t.Fatalf("GET in monitor mode = %q, %v", body, err)
			}
			if target.count() != hits+1 {
				t.Fatal("request did not reach the server")
			}
			got := rec.all()
			if len(got) != 1 || !got[0].Monitored {
				t.Fatalf("denials = %+v, want exactly one monitored", got)
			}
		})
	}
}

// proxyServer is a minimal forward HTTP proxy that answers every request
// itself, recording the absolute URL it was asked for.
func proxyServer(t testing.TB) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var seen []string
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.String())
		mu.Unlock()
		_, _ = io.WriteString(w, "proxied")
	}))
	t.Cleanup(s.Close)
	return s, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

func TestTransportProxy(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	proxy, seen := proxyServer(t)
	_, pport, _ := net.SplitHostPort(proxy.Listener.Addr().String())
	proxyURL, _ := url.Parse("http://allowed.test:" + pport)

	tests := []struct {
		name   string
		allow  string
		url    string
		reason string
	}{
		{"destination allowed by name", "allowed.test, api.stripe.com", "http://api.stripe.com/v1", ""},
		{"destination not allowed", "allowed.test", "http://attacker.example/", reasonProxy},
		{"cidr cannot allow a proxied name", "allowed.test, 10.0.0.0/8", "http://internal.example/", reasonProxy},
		{"ip literal through proxy", "allowed.test, 10.0.0.0/8", "http://10.1.2.3/", ""},
		{"metadata through proxy", "*", "http://169.254.169.254/latest/", "metadata"},
		{"metadata name through proxy", "*", "http://metadata.google.internal/", "metadata"},
		{"proxy itself not allowed", "api.stripe.com", "http://api.stripe.com/v1", reasonUnresolved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustPolicy(t, tt.allow, Config{Resolver: dns.resolver()})
			base := testTransport()
			base.Proxy = http.ProxyURL(proxyURL)
			client := &http.Client{Transport: p.Transport(base)}
			n := len(seen())
			body, err := get(t, client, tt.url)
			if tt.reason == "" {
				if err != nil || body != "proxied" {
					t.Fatalf("GET via proxy = %q, %v", body, err)
				}
				if s := seen(); len(s) != n+1 || s[n] != tt.url {
					t.Fatalf("proxy saw %v, want %s", s, tt.url)
				}
				return
			}
			if !errors.Is(err, ErrDenied) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("GET via proxy = %v, want denial containing %q", err, tt.reason)
			}
			if len(seen()) != n {
				t.Fatal("denied request reached the proxy")
			}
		})
	}
}

func TestTransportClearsCustomTLSDial(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	p := mustPolicy(t, "*", Config{})
	base := &http.Transport{
		DialTLSContext: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("custom TLS dialer would bypass the policy")
		},
	}
	//lint:ignore SA1019 a legacy hook the policy must clear
	base.Dial = func(string, string) (net.Conn, error) { return nil, errors.New("legacy dial used") }
	tr := p.Transport(base)
	//lint:ignore SA1019 checking the deprecated hooks are cleared
	if tr.DialTLSContext != nil || tr.DialTLS != nil || tr.Dial != nil {
		t.Fatal("custom dial hooks survived")
	}
	if base.DialTLSContext == nil {
		t.Fatal("Transport modified its argument")
	}
	// The legacy Dial still performs the connection, after the check.
	if _, err := tr.DialContext(context.Background(), "tcp", "10.0.0.1:80"); err == nil || err.Error() != "legacy dial used" {
		t.Fatalf("DialContext = %v, want the legacy Dial to be used", err)
	}
}

// TestInstall exercises the process-wide hook on the real
// http.DefaultTransport. It must not run in parallel with anything.
func TestInstall(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	dns := startDNS(t, testRecords())
	target := startOK(t)
	var rec recorder
	p := mustPolicy(t, "allowed.test", Config{OnDeny: rec.onDeny, Resolver: dns.resolver()})

	// A client built before Install with the DefaultTransport object.
	early := &http.Client{Transport: http.DefaultTransport}
	loop := "http://127.0.0.1:" + target.port() + "/"
	if _, err := get(t, http.DefaultClient, loop); err != nil {
		t.Fatalf("before Install: %v", err)
	}

	restore := p.Install()
	t.Cleanup(restore)
	for name, c := range map[string]*http.Client{"DefaultClient": http.DefaultClient, "early client": early} {
		if _, err := get(t, c, loop); !errors.Is(err, ErrDenied) {
			t.Fatalf("%s after Install = %v, want denial (idle connections must be closed too)", name, err)
		}
	}
	if body, err := get(t, http.DefaultClient, "http://allowed.test:"+target.port()+"/"); err != nil || body != "ok" {
		t.Fatalf("allowed GET after Install = %q, %v", body, err)
	}
	// Clones made after Install (as aws-lambda-go's runtime client is) inherit it.
	clone := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	if _, err := get(t, clone, "http://169.254.169.254/latest/meta-data/"); !errors.Is(err, ErrDenied) {
		t.Fatalf("clone after Install = %v, want denial", err)
	}
	// Transport(nil) after Install checks once, not twice.
	before := len(rec.all())
	if _, err := get(t, &http.Client{Transport: p.Transport(nil)}, loop); !errors.Is(err, ErrDenied) {
		t.Fatalf("Transport(nil) after Install = %v, want denial", err)
	}
	if n := len(rec.all()) - before; n != 1 {
		t.Fatalf("nested wrappers reported %d times, want 1", n)
	}

	restore()
	restore() // idempotent
	if _, err := get(t, http.DefaultClient, loop); err != nil {
		t.Fatalf("after restore: %v", err)
	}
}

func TestInstallNonTransportDefault(t *testing.T) {
	t.Setenv(RuntimeAPIEnv, "")
	orig := http.DefaultTransport
	base := &countingRT{}
	http.DefaultTransport = base
	t.Cleanup(func() { http.DefaultTransport = orig })

	p := mustPolicy(t, "api.stripe.com", Config{})
	restore := p.Install()
	if _, err := http.Get("http://169.254.169.254/"); !errors.Is(err, ErrDenied) {
		t.Fatalf("GET metadata = %v, want denial", err)
	}
	resp, err := http.Get("https://api.stripe.com/")
	if err != nil {
		t.Fatalf("allowed GET: %v", err)
	}
	_ = resp.Body.Close()
	restore()
	if http.DefaultTransport != http.RoundTripper(base) {
		t.Fatal("restore did not put the original RoundTripper back")
	}
	if len(base.urls) != 1 {
		t.Fatalf("base saw %v, want only the allowed request", base.urls)
	}
}
