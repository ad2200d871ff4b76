package egress

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// testDNS is a tiny authoritative DNS server on 127.0.0.1 UDP that answers A
// and AAAA queries from a mutable table and NXDOMAIN for unknown names. Tests
// point a pure-Go net.Resolver at it, so name resolution is real (the stdlib
// resolver, real packets) yet hermetic.
type testDNS struct {
	conn net.PacketConn

	mu      sync.Mutex
	records map[string][]netip.Addr
	queries map[string]int
}

// maxDNSQueries bounds the serving loop: no test needs more.
const maxDNSQueries = 10000

func startDNS(t testing.TB, records map[string][]string) *testDNS {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("dns listen: %v", err)
	}
	s := &testDNS{conn: conn, records: map[string][]netip.Addr{}, queries: map[string]int{}}
	for name, addrs := range records {
		s.set(name, addrs...)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.serve()
	}()
	t.Cleanup(func() {
		_ = conn.Close()
		<-done
	})
	return s
}

func (s *testDNS) set(name string, addrs ...string) {
	ips := make([]netip.Addr, len(addrs))
	for i, a := range addrs {
		ips[i] = netip.MustParseAddr(a)
	}
	s.mu.Lock()
	s.records[strings.ToLower(name)] = ips
	s.mu.Unlock()
}

// count returns how many questions were asked about name.
func (s *testDNS) count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[name]
}

func (s *testDNS) resolver() *net.Resolver {
	addr := s.conn.LocalAddr().String()
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", addr)
		},
	}
}

func (s *testDNS) serve() {
	buf := make([]byte, 1500)
	for range maxDNSQueries {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if resp := s.answer(buf[:n]); resp != nil {
			_, _ = s.conn.WriteTo(resp, from)
		}
	}
}

func (s *testDNS) answer(req []byte) []byte {
	var p dnsmessage.Parser
	h, err := p.Start(req)
	if err != nil {
		return nil
	}
	q, err := p.Question()
	if err != nil {
		return nil
	}
	name := strings.TrimSuffix(strings.ToLower(q.Name.String()), ".")

	s.mu.Lock()
	s.queries[name]++
	ips, known := s.records[name]
	s.mu.Unlock()

	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired}
	if !known {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), rh)
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil
	}
	if err := b.Question(q); err != nil {
		return nil
	}
	if err := b.StartAnswers(); err != nil {
		return nil
	}
	hdr := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 1}
	for _, ip := range ips {
		switch {
		case q.Type == dnsmessage.TypeA && ip.Is4():
			if err := b.AResource(hdr, dnsmessage.AResource{A: ip.As4()}); err != nil {
				return nil
			}
		case q.Type == dnsmessage.TypeAAAA && ip.Is6():
			if err := b.AAAAResource(hdr, dnsmessage.AAAAResource{AAAA: ip.As16()}); err != nil {
				return nil
			}
		}
	}
	out, err := b.Finish()
	if err != nil {
		return nil
	}
	return out
}

func TestTestDNS(t *testing.T) {
	dns := startDNS(t, map[string][]string{"a.test": {"127.0.0.1", "::1"}})
	r := dns.resolver()
	ips, err := r.LookupNetIP(context.Background(), "ip", "a.test")
	if err != nil {
		t.Fatalf("lookup: %v", err)
	}
	if len(ips) != 2 {
		t.Fatalf("got %v, want 127.0.0.1 and ::1", ips)
	}
	if _, err := r.LookupNetIP(context.Background(), "ip", "missing.test"); err == nil {
		t.Fatal("lookup of unknown name succeeded")
	}
	if dns.count("a.test") == 0 {
		t.Fatal("query not counted")
	}
}
