package guard

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/zap"
)

// fakeDNS answers names from a table; each name may give a sequence of
// answers (a rebinding name answers differently the second time).
type fakeDNS struct {
	mu  sync.Mutex
	ans map[string][]netip.Addr
	n   map[string]int
}

func (f *fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.ans[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	i := min(f.n[host], len(a)-1)
	f.n[host]++
	return a[i : i+1], nil
}

func withDNS(t *testing.T, ans map[string][]netip.Addr) {
	t.Helper()
	saved := resolver
	resolver = &fakeDNS{ans: ans, n: map[string]int{}}
	t.Cleanup(func() { resolver = saved })
}

// local maps every dialled address to the test server, as if the public
// address answered there.
func localDial(srv string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv)
	}
}

func sinkGuard(t *testing.T, opts ...Option) *Guard {
	t.Helper()
	g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func get(ctx context.Context, c *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

func TestTransportBlocksHostFromInput(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	g := sinkGuard(t)
	client := &http.Client{Transport: g.Transport(srv.Client().Transport.(*http.Transport).Clone())}
	u, _ := url.Parse(srv.URL)

	for _, c := range []struct {
		name, input, url string
	}{
		{"whole URL", srv.URL + "/latest/meta-data", srv.URL + "/latest/meta-data"},
		{"authority", u.Host, "http://" + u.Host + "/v1/items"},
		{"host only", u.Hostname(), "http://" + u.Hostname() + ":" + u.Port() + "/x"},
		{"authority with a trick", u.Host + "/#", "http://" + u.Host + "/#.example.com/api"},
	} {
		t.Run(c.name, func(t *testing.T) {
			inv := &Invocation{Source: SourceHTTP, Query: []Param{{Name: "target", Value: c.input}}}
			ctx, end := NewContext(context.Background(), g, inv)
			defer end()
			err := get(ctx, client, c.url)
			var be *BlockedError
			if !errors.Is(err, ErrBlocked) || !errors.As(err, &be) {
				t.Fatalf("GET %s = %v, want ErrBlocked", c.url, err)
			}
			if f := be.Decision.Findings[0]; f.Rule != ruleHTTPLoopback || f.Location != "query.target" || f.Category != SSRF {
				t.Errorf("finding = %+v", f)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server was reached %d times", n)
	}

	// A host the program chose itself is left to the egress allowlist,
	// even with inputs present; so is a request without an invocation.
	inv := &Invocation{Source: SourceHTTP, Query: []Param{{Name: "q", Value: "latest/meta-data"}}}
	ctx, end := NewContext(context.Background(), g, inv)
	defer end()
	if err := get(ctx, client, srv.URL+"/search?q=latest/meta-data"); err != nil {
		t.Fatalf("program's own host blocked: %v", err)
	}
	if err := get(context.Background(), client, srv.URL); err != nil {
		t.Fatalf("request without an invocation blocked: %v", err)
	}
	if n := hits.Load(); n != 2 {
		t.Fatalf("server hits = %d, want 2", n)
	}
}

func TestTransportRedirectRebindingKeepAlive(t *testing.T) {
	var internalHits atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { internalHits.Add(1) }))
	defer internal.Close()
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, internal.URL+"/latest/meta-data", http.StatusFound)
		}
	}))
	defer public.Close()
	pu, _ := url.Parse(public.URL)
	withDNS(t, map[string][]netip.Addr{
		"files.example.com":  {netip.MustParseAddr("203.0.113.10")},
		"rebind.example.com": {netip.MustParseAddr("203.0.113.11"), netip.MustParseAddr("169.254.169.254")},
	})
	g := sinkGuard(t)
	base := &http.Transport{DialContext: localDial(pu.Host)}
	client := &http.Client{Transport: g.Transport(base)}
	run := func(input, target string) error {
		inv := &Invocation{Source: SourceHTTP, Query: []Param{{Name: "url", Value: input}}}
		ctx, end := NewContext(context.Background(), g, inv)
		defer end()
		return get(ctx, client, target)
	}

	// A public host from input works...
	if err := run("http://files.example.com:"+pu.Port()+"/a", "http://files.example.com:"+pu.Port()+"/a"); err != nil {
		t.Fatalf("public host from input: %v", err)
	}
	// ...but its redirect to an internal host does not.
	err := run("http://files.example.com:"+pu.Port()+"/redirect", "http://files.example.com:"+pu.Port()+"/redirect")
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("redirect to loopback = %v, want ErrBlocked", err)
	}
	if internalHits.Load() != 0 {
		t.Fatal("redirect reached the internal server")
	}
	// DNS rebinding: the first answer is public, the one at connect time
	// is the metadata address.
	err = run("rebind.example.com", "http://rebind.example.com:"+pu.Port()+"/")
	var be *BlockedError
	if !errors.As(err, &be) || be.Decision.Findings[0].Rule != ruleHTTPMetadata {
		t.Fatalf("rebinding = %v, want a %s block", err, ruleHTTPMetadata)
	}
}

// A kept-alive connection whose peer is internal is refused for a request
// whose host came from input, even though no new connection is dialled.
func TestTransportKeptAliveConnection(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	su, _ := url.Parse(srv.URL)
	withDNS(t, map[string][]netip.Addr{"api.example.com": {netip.MustParseAddr("203.0.113.20")}})
	g := sinkGuard(t)
	// Only the first dial reaches the server: a later request can only
	// get there over the pooled connection (the transport retries a
	// refused reused connection on a new one, which then fails).
	var dials atomic.Int32
	ld := localDial(su.Host)
	base := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) > 1 {
			return nil, errors.New("no route")
		}
		return ld(ctx, network, addr)
	}}
	client := &http.Client{Transport: g.Transport(base)}
	target := "http://api.example.com:" + su.Port() + "/"
	// The program's own request opens and pools the connection.
	if err := get(context.Background(), client, target); err != nil {
		t.Fatal(err)
	}
	inv := &Invocation{Source: SourceHTTP, Query: []Param{{Name: "host", Value: "api.example.com"}}}
	ctx, end := NewContext(context.Background(), g, inv)
	defer end()
	err := get(ctx, client, target)
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("request on a kept-alive internal connection = %v, want ErrBlocked", err)
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("server hits = %d, want 1", n)
	}
}

func TestProtectInstallsOnDefaultTransport(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	saved := http.DefaultTransport
	http.DefaultTransport = saved.(*http.Transport).Clone()
	defer func() { http.DefaultTransport = saved }()

	g := sinkGuard(t)
	if err := g.Protect(); err != nil {
		t.Fatal(err)
	}
	inv := &Invocation{Source: SourceHTTP, Query: []Param{{Name: "u", Value: srv.URL}}}
	ctx, end := NewContext(context.Background(), g, inv)
	defer end()
	if err := get(ctx, http.DefaultClient, srv.URL); !errors.Is(err, ErrBlocked) {
		t.Fatalf("DefaultClient request = %v, want ErrBlocked", err)
	}
	if err := get(context.Background(), http.DefaultClient, srv.URL); err != nil {
		t.Fatalf("request without invocation: %v", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("hits = %d, want 1", hits.Load())
	}
	// Monitor: recorded, not blocked.
	gm := sinkGuard(t, WithSinkMode(Monitor))
	client := &http.Client{Transport: gm.Transport(nil)}
	ctx2, end2 := NewContext(context.Background(), gm, inv)
	defer end2()
	if err := get(ctx2, client, srv.URL); err != nil {
		t.Fatalf("monitor mode blocked: %v", err)
	}
}

func TestHostFromInput(t *testing.T) {
	for _, c := range []struct {
		url, input string
		want       bool
	}{
		{"http://10.0.0.5/x", "10.0.0.5", true},
		{"http://10.0.0.5:8080/x", "10.0.0.5:8080", true},
		{"http://user@10.0.0.5/x", "user@10.0.0.5", true},
		{"https://api.example.com/items?q=10.0.0.5", "10.0.0.5", false},
		{"https://api.example.com/files/10.0.0.5", "files/10.0.0.5", false},
		{"https://tenant-a.example.com/x", "tenant-a", true},
		{"https://api.example.com/x", "https://api.example.com/y", true},
	} {
		u, _ := url.Parse(c.url)
		if got := hostFromInput(u, u.String(), c.input); got != c.want {
			t.Errorf("hostFromInput(%q, %q) = %v, want %v", c.url, c.input, got, c.want)
		}
	}
	if !strings.Contains(internalRule(netip.MustParseAddr("::ffff:169.254.169.254")), "metadata") {
		t.Error("IPv4-mapped metadata address not recognised")
	}
}

// Run hands the handler a context that carries the invocation, and ends it
// when the handler returns.
func TestRunHandlerContextCarriesInvocation(t *testing.T) {
	g := sinkGuard(t)
	inv := &Invocation{Source: SourceHTTP, Method: "GET", Path: "/x", Query: []Param{{Name: "id", Value: "42"}}}
	var hctx context.Context
	x := &ctxExchange{deliver: func(ctx context.Context) {
		hctx = ctx
		got, ok := FromContext(ctx)
		if !ok || got != inv {
			t.Errorf("handler ctx carries %v, %v; want the invocation", got, ok)
		}
	}}
	g.Run(context.Background(), inv, x)
	if hctx == nil {
		t.Fatal("handler not called")
	}
	if _, ok := FromContext(hctx); ok {
		t.Error("invocation still attached after the handler returned")
	}
}

type ctxExchange struct{ deliver func(ctx context.Context) }

func (ctxExchange) Map(context.Context, *Invocation) error               { return nil }
func (ctxExchange) Refuse(context.Context, Decision)                     {}
func (x *ctxExchange) Deliver(ctx context.Context, _ Decision, _ *Batch) { x.deliver(ctx) }
