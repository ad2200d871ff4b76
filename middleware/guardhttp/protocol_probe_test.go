package guardhttp_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// Protocol probes: raw HTTP/1.x requests sent on a connection to a real
// net/http server on 127.0.0.1 whose handler is protected by guardhttp.
// An attack must not reach the handler (fnguard answers 403, or Go's
// server refuses it first: 400, 501, 505); a benign look-alike must.

// protoServer starts the protected server; reached counts the requests
// the handler saw.
func protoServer(t *testing.T, opts ...guard.Option) (addr string, reached *atomic.Int64) {
	t.Helper()
	g, err := guard.New(append([]guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.NewNop())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	reached = new(atomic.Int64)
	srv := httptest.NewServer(guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), reached
}

// rawSend writes one request (its head's lines joined by CRLF) on a new
// connection and reads the status; -1 when the server closed without an
// answer. Each exchange is bounded by a deadline.
func rawSend(t *testing.T, addr, raw string) int {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	wire := strings.ReplaceAll(head, "\n", "\r\n") + "\r\nConnection: close\r\n\r\n" + body
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, wire); err != nil {
		return -1
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return -1
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	return resp.StatusCode
}

// checkProbe sends one probe and checks that an attack was refused before
// the handler and a benign request answered 200 by it.
func checkProbe(t *testing.T, addr string, reached *atomic.Int64, name, raw string, attack bool) {
	t.Helper()
	before := reached.Load()
	code := rawSend(t, addr, raw)
	got := reached.Load() > before
	switch {
	case attack && (got || code == http.StatusOK):
		t.Errorf("%s: attack reached the handler (status %d): %q", name, code, raw)
	case attack && code == -1:
		t.Errorf("%s: attack got no answer: %q", name, raw)
	case !attack && (!got || code != http.StatusOK):
		t.Errorf("%s: benign request refused (status %d): %q", name, code, raw)
	}
}

// TestProtocolRulesThroughServer replays every protocol rule's examples.
// Go's server reads a request with both Content-Length and
// Transfer-Encoding: chunked by the chunks and deletes Content-Length
// (RFC 9112 6.3), so protocol.length_conflict never sees one here:
// TestLengthConflictNormalised checks what the handler gets instead.
func TestProtocolRulesThroughServer(t *testing.T) {
	addr, reached := protoServer(t)
	for _, r := range guard.ProtocolRules() {
		if r.ID == "protocol.length_conflict" {
			continue
		}
		for _, a := range r.Attacks {
			checkProbe(t, addr, reached, r.ID, a, true)
		}
		for _, b := range r.Benign {
			checkProbe(t, addr, reached, r.ID, b, false)
		}
	}
}

// TestLengthConflictNormalised: behind net/http, a request with both
// Content-Length and Transfer-Encoding reaches the handler as a chunked
// body (Go deletes the Content-Length) that fnguard reads whole: the
// handler gets the chunks' bytes and their true length.
func TestLengthConflictNormalised(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		cl   int64
		hdr  string
		body string
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.ContentLength, r.Header.Get("Content-Length"), string(b)}
	})))
	defer srv.Close()
	raw := "POST /items HTTP/1.1\n" + probeHost + "Content-Length: 4\nTransfer-Encoding: chunked\n\n5\r\nhello\r\n0\r\n\r\n"
	if code := rawSend(t, strings.TrimPrefix(srv.URL, "http://"), raw); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	// fnguard read the chunks and hands the body on with its true length
	if s := <-got; s.body != "hello" || s.cl != 5 || s.hdr == "4" {
		t.Errorf("handler saw Content-Length %d, header %q, body %q; want 5, not \"4\", \"hello\"", s.cl, s.hdr, s.body)
	}
}

const probeHost = "Host: api.example.com\n"

// TestProtocolFamiliesThroughServer covers the request-level families the
// injection detectors and Go's server answer (smuggling and splitting in
// a payload, LDAP, Transfer-Encoding tricks, %-escapes in the path).
func TestProtocolFamiliesThroughServer(t *testing.T) {
	addr, reached := protoServer(t)
	for _, p := range []struct {
		name, raw string
		attack    bool
	}{
		// Go's server: only "chunked" is a Transfer-Encoding (501).
		{"TE identity", "POST /a HTTP/1.1\n" + probeHost + "Transfer-Encoding: identity\nContent-Length: 5\n\nhello", true},
		{"TE gzip, chunked", "POST /a HTTP/1.1\n" + probeHost + "Transfer-Encoding: gzip, chunked\n\n5\r\nhello\r\n0\r\n\r\n", true},
		{"TE xchunked", "POST /a HTTP/1.1\n" + probeHost + "Transfer-Encoding: xchunked\n\n5\r\nhello\r\n0\r\n\r\n", true},
		// Go's server: a NUL or a bad escape in the request line or a header (400).
		{"header raw NUL", "GET /a HTTP/1.1\n" + probeHost + "X-A: a\x00b\n\n", true},
		{"path bad escape", "GET /a%zzb HTTP/1.1\n" + probeHost + "\n", true},
		{"missing host 1.1", "GET /a HTTP/1.1\n\n", true},
		// request smuggling and response splitting in a payload (crlf.*)
		{"request line in query", "GET /a?x=%0d%0a%0d%0aGET%20/admin%20HTTP/1.1%0d%0aHost:%20x HTTP/1.1\n" + probeHost + "\n", true},
		{"set-cookie in query", "GET /a?lang=en%0d%0aSet-Cookie:%20s=1 HTTP/1.1\n" + probeHost + "\n", true},
		{"location after LF", "GET /a?lang=en%0aLocation:%20http://evil.example/ HTTP/1.1\n" + probeHost + "\n", true},
		{"header in arg name", "GET /a?foo%0d%0aSet-Cookie:%20a=b=1 HTTP/1.1\n" + probeHost + "\n", true},
		{"status line in form", "POST /a HTTP/1.1\n" + probeHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 40\n\nq=x%0d%0a%0d%0aHTTP/1.1%20200%20OK%0d%0a", true},
		{"LDAP in arg", "GET /a?user=*)(uid=*))(|(uid=* HTTP/1.1\n" + probeHost + "\n", true},
		{"multiline note", "POST /a HTTP/1.1\n" + probeHost + "Content-Type: application/x-www-form-urlencoded\nContent-Length: 22\n\nnote=line+1%0D%0Aline+2", false},
		{"GET with Content-Length 0", "GET /a HTTP/1.1\n" + probeHost + "Content-Length: 0\n\n", false},
		{"plain POST", "POST /a HTTP/1.1\n" + probeHost + "Content-Type: application/json\nContent-Length: 13\n\n{\"name\":\"Jo\"}", false},
		{"HTTP/1.0 with host", "GET /a?q=shoes HTTP/1.0\n" + probeHost + "\n", false},
	} {
		checkProbe(t, addr, reached, p.name, p.raw, p.attack)
	}
}

// TestScannerUserAgentMode: a scanner's User-Agent (tool.signature) is
// logged but let through by default, and refused with attack_tool=block.
func TestScannerUserAgentMode(t *testing.T) {
	nikto := "GET /a HTTP/1.1\n" + probeHost + "User-Agent: Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)\n\n"
	curl := "GET /a HTTP/1.1\n" + probeHost + "User-Agent: curl/8.4.0\n\n"
	addr, reached := protoServer(t)
	checkProbe(t, addr, reached, "nikto, default mode", nikto, false)
	addr, reached = protoServer(t, guard.WithCategoryMode(guard.AttackTool, guard.Block))
	checkProbe(t, addr, reached, "nikto, attack_tool=block", nikto, true)
	checkProbe(t, addr, reached, "curl, attack_tool=block", curl, false)
}
