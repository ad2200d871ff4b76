package main

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/dns/dnsmessage"
)

// testDNS is a tiny authoritative DNS server on 127.0.0.1 UDP, as in
// guard/egress's tests: it answers A queries from a fixed table, AAAA
// queries with no records, and NXDOMAIN for any other name. The function
// processes resolve through it, so resolution is real (the Go resolver,
// real packets) yet never leaves the machine.
type testDNS struct {
	conn    net.PacketConn
	records map[string]netip.Addr

	mu      sync.Mutex
	queries map[string]int
}

// maxDNSQueries bounds the serving loop: no test needs more.
const maxDNSQueries = 10000

func startDNS(t testing.TB, records map[string]string) *testDNS {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("dns listen: %v", err)
	}
	s := &testDNS{conn: conn, records: map[string]netip.Addr{}, queries: map[string]int{}}
	for name, a := range records {
		s.records[strings.ToLower(name)] = netip.MustParseAddr(a)
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

func (s *testDNS) addr() string { return s.conn.LocalAddr().String() }

// count returns how many questions were asked about name.
func (s *testDNS) count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[name]
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
	s.mu.Unlock()
	ip, known := s.records[name]

	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired}
	if !known {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(make([]byte, 0, 512), rh)
	if b.StartQuestions() != nil || b.Question(q) != nil || b.StartAnswers() != nil {
		return nil
	}
	if known && q.Type == dnsmessage.TypeA && ip.Is4() {
		hdr := dnsmessage.ResourceHeader{Name: q.Name, Class: dnsmessage.ClassINET, TTL: 1}
		if b.AResource(hdr, dnsmessage.AResource{A: ip.As4()}) != nil {
			return nil
		}
	}
	out, err := b.Finish()
	if err != nil {
		return nil
	}
	return out
}
