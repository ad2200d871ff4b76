package guard

import (
	"context"
	"sync"
	"testing"
)

// TestConformMemo: a value that conforms twice in a row is remembered for
// its grammar and answered from the memo after that, with the verdict a
// full pass gives; a value that does not conform, or conforms to another
// grammar, is never answered from it.
func TestConformMemo(t *testing.T) {
	cases := []struct {
		name, v string
		want    bool
	}{
		{"accept", "application/json", true},
		{"content-type", "application/json; charset=utf-8", true},
		{"x-forwarded-proto", "https", true},
		{"host", "api.example.com", true},
		{"host", "169.254.169.254", true}, // SSRF matches do not count for Host
		{"accept-encoding", "gzip, deflate, br", true},
		{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", true},
		{"accept", "*/*)(uid=*", false},
		{"content-type", "text/plain' OR 1=1--", false},
		{"x-forwarded-proto", "https://169.254.169.254/", false},
	}
	for _, tc := range cases {
		g := grammarOf(tc.name)
		for round := range 4 {
			if got := headerConforms(tc.name, tc.v); got != tc.want {
				t.Fatalf("round %d: headerConforms(%q, %q) = %v, want %v", round, tc.name, tc.v, got, tc.want)
			}
			if got := conformsTo(g, tc.v); got != tc.want {
				t.Fatalf("round %d: conformsTo(%q, %q) = %v, want %v", round, tc.name, tc.v, got, tc.want)
			}
		}
		if hit := conformsMemo(g, tc.v); hit != tc.want {
			t.Fatalf("%s %q: remembered = %v after four passes, want %v", tc.name, tc.v, hit, tc.want)
		}
	}
	// A remembered value is remembered for its own grammar only: "https"
	// is a coding token, not a host name the Host memo holds, and not a
	// media range.
	headerConforms("x-forwarded-proto", "https")
	headerConforms("x-forwarded-proto", "https")
	if conformsMemo(grammarMediaRanges, "https") || headerConforms("accept", "https") {
		t.Fatal(`"https" taken as a media range`)
	}
	// A value seen once is not remembered (it could change on every
	// request); the memo keeps the value it had.
	headerConforms("x-forwarded-proto", "http")
	if conformsMemo(grammarCodingTokens, "http") || !conformsMemo(grammarCodingTokens, "https") {
		t.Fatal("a value seen once replaced the remembered one")
	}
	// The remembered value is a copy: changing the bytes the event held
	// does not change what the memo answers.
	buf := []byte("text/html")
	for range 2 {
		headerConforms("accept", string(buf))
	}
	if !conformsMemo(grammarMediaRanges, "text/html") {
		t.Fatal("text/html not remembered")
	}
	copy(buf, "*/*)(uid")
	if conformsMemo(grammarMediaRanges, string(buf)) {
		t.Fatal("the memo aliases the caller's bytes")
	}
}

// TestConformMemoVerdicts: the decisions on a request whose header values
// are remembered are those on the first request, and an attack in a header
// whose previous value was remembered is still found.
func TestConformMemoVerdicts(t *testing.T) {
	g, _ := newTestGuard(t)
	benign := []Param{{Name: "accept", Value: "application/json"}, {Name: "content-type", Value: "application/json"},
		{Name: "host", Value: "shop.example.com"}, {Name: "x-forwarded-proto", Value: "https"}}
	for round := range 3 {
		d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = benign }))
		if d.Action != ActionAllow || len(d.Findings) != 0 {
			t.Fatalf("round %d: benign headers: %+v", round, d)
		}
	}
	attack := []Param{{Name: "accept", Value: "application/json"}, {Name: "content-type", Value: "application/json"},
		{Name: "host", Value: "shop.example.com"}, {Name: "x-forwarded-proto", Value: "https<script>alert(1)</script>"}}
	d := g.Inspect(context.Background(), httpInv(func(i *Invocation) { i.Headers = attack }))
	if d.Action != ActionBlock || findingAt(d, "headers.x-forwarded-proto", XSS) == nil {
		t.Fatalf("attack in x-forwarded-proto after a remembered value: %+v", d)
	}
}

// TestConformMemoConcurrent: invocations running at once (a Lambda
// runtime with AWS_LAMBDA_MAX_CONCURRENCY > 1) replace each other's
// remembered values; every answer stays the full pass's.
func TestConformMemoConcurrent(t *testing.T) {
	cases := []struct {
		name, v string
		want    bool
	}{
		{"accept", "application/json", true},
		{"accept", "text/html, */*;q=0.8", true},
		{"accept", "*/*)(uid=*", false},
		{"host", "a.example.com", true},
		{"host", "b.example.com:8443", true},
		{"host", "a.example.com'; DROP TABLE t--", false},
		{"content-length", "1024", true},
		{"content-length", "12; ls", false},
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 400 {
				tc := cases[(i*7+w)%len(cases)]
				if got := headerConforms(tc.name, tc.v); got != tc.want {
					errs <- tc.name + " " + tc.v
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("wrong answer under concurrency: %s", e)
	}
}
