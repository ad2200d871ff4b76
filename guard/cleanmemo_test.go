package guard

import (
	"context"
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard/detect"
)

// TestCleanMemoVerdicts: with the guard's memos of clean JSON names and
// header values filled by earlier invocations (each event judged three
// times, every event after every other), every decision is the one the
// guard gives without the memos, for guards whose detectors, exclusions
// and deny patterns differ. The events mix clean names and values with
// attacks in names, in header values, and in values remembered clean in
// one header but not in another (a metadata address is no SSRF in
// X-Forwarded-For but is one in any other header).
func TestCleanMemoVerdicts(t *testing.T) {
	ua := "Mozilla/5.0 Firefox/128.0"
	b64SSRF := base64.StdEncoding.EncodeToString([]byte("http://169.254.169.254/latest/meta-data/"))
	ev := func(headers []Param, body string) func() *Invocation {
		return func() *Invocation {
			return &Invocation{Source: SourceAPIGatewayREST, Method: "POST", Path: "/orders", ContentType: "application/json",
				Headers: append([]Param{{Name: "content-type", Value: "application/json"}}, headers...), Body: []byte(body)}
		}
	}
	invs := []struct {
		name string
		inv  func() *Invocation
	}{
		{"clean", ev([]Param{{Name: "user-agent", Value: ua}, {Name: "x-forwarded-for", Value: "198.51.100.23"}},
			`{"customer":{"name":"Siobhan"},"items":[{"sku":"A-1","qty":2,"note":"gift wrap"}]}`)},
		{"metadata address from a proxy", ev([]Param{{Name: "x-forwarded-for", Value: "169.254.169.254"}}, `{"customer":{"name":"Ann"}}`)},
		{"metadata address elsewhere", ev([]Param{{Name: "x-target", Value: "169.254.169.254"}}, `{"customer":{"name":"Ann"}}`)},
		{"attack in the user agent", ev([]Param{{Name: "user-agent", Value: "x' OR '1'='1' --"}}, `{"customer":{"name":"Ann"}}`)},
		{"bearer token", ev([]Param{{Name: "authorization", Value: "Bearer " + testJWT(`{"sub":"6d1f2a","email":"ann@example.com","scope":"orders.read orders.write","iss":"https://idp.example.com/pool"}`)}}, `{"customer":{"name":"Ann"}}`)},
		{"attack in a bearer token's claims", ev([]Param{{Name: "authorization", Value: "Bearer " + testJWT(`{"sub":"6d1f2a","email":"' OR 1=1--","scope":"orders.read orders.write","iss":"https://idp.example.com/pool"}`)}}, `{"customer":{"name":"Ann"}}`)},
		{"long clean value", ev(nil, `{"note":"`+strings.Repeat("Please leave the parcel with the neighbour at number twelve. ", 20)+`"}`)},
		{"attack in a name", ev([]Param{{Name: "user-agent", Value: ua}}, `{"customer":{"name' OR '1'='1' --":"Ann"},"items":[]}`)},
		{"prototype as a plain name", ev(nil, `{"prototype":{"x":1},"a":{"prototype":1}}`)},
		{"prototype under constructor", ev(nil, `{"constructor":{"prototype":{"isAdmin":true}}}`)},
		{"names of a parent key", ev(nil, `{"$where":"sleep(5000)","customer":{"$gt":""}}`)},
		{"deny pattern in a name", ev([]Param{{Name: "user-agent", Value: ua}}, `{"customer":{"red shoes":1}}`)},
		{"deny pattern in a header", ev([]Param{{Name: "user-agent", Value: "red shoes"}, {Name: "x-forwarded-for", Value: "198.51.100.23"}}, `{"customer":1}`)},
		{"query, cookie and path", func() *Invocation {
			return &Invocation{Source: SourceAPIGatewayREST, Method: "GET", Path: "/orders/1234",
				Query:   []Param{{Name: "expand", Value: "items"}, {Name: "q", Value: "1' OR '1'='1"}, {Name: "items", Value: "expand"}},
				Cookies: []Param{{Name: "JSESSIONID", Value: "abc"}, {Name: "theme", Value: "items"}}, PathParams: []Param{{Name: "id", Value: "1234"}}}
		}},
		{"attack in the path", func() *Invocation {
			return &Invocation{Source: SourceAPIGatewayREST, Method: "GET", Path: "/orders/../../etc/passwd", Query: []Param{{Name: "expand", Value: "items"}}}
		}},
		{"records", func() *Invocation {
			rec := func(kind, body string) Record {
				return Record{ID: kind, EventSource: "arn:aws:sqs:eu-west-1:123456789012:q", Body: []byte(body),
					Fields: []Field{{Loc: "messageAttributes.kind.stringValue", Value: kind}}}
			}
			return &Invocation{Source: SourceSQS, Records: []Record{
				rec("order.created", `{"customer":{"name":"Ann"},"currency":"EUR"}`),
				rec("order.created", `{"customer":{"name":"Ann"},"currency":"EUR"}`),
				rec("<script>alert(1)</script>", `{"currency":"EUR' UNION SELECT password FROM users--"}`),
				rec("order.created", `{"customer":"{\"name\":\"x' OR '1'='1' --\"}","currency":"EUR"}`),
			}}
		}},
		{"nested and encoded values", ev(nil, `{"doc":"{\"customer\":{\"name\":\"Ann\"}}","b64":"PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==","name":"Ann","customer":"EUR"}`)},
		{"base64 metadata address from a proxy", ev([]Param{{Name: "x-forwarded-for", Value: b64SSRF}}, `{"id":"T3JkZXJz"}`)},
		{"base64 metadata address elsewhere", ev([]Param{{Name: "x-target", Value: b64SSRF}}, `{"id":"T3JkZXJz"}`)},
		{"base64-looking path", func() *Invocation {
			return &Invocation{Source: SourceAPIGatewayREST, Method: "GET", Path: "/orders/1234/items", Query: []Param{{Name: "page", Value: "QUJD"}}}
		}},
		{"long user agent", ev([]Param{{Name: "user-agent", Value: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"}}, `{"items":[]}`)},
	}
	guards := map[string][]Option{
		"default":        nil,
		"sqli monitored": {WithCategoryMode(SQLi, Monitor)},
		"sqli off":       {WithCategoryMode(SQLi, Off)},
		"ssrf off":       {WithCategoryMode(SSRF, Off)},
		"excluded body":  {WithExclusion("body.customer**")},
		"custom rule":    {WithDenyPattern("no-shoes", `red shoes`)},
	}
	defer func() { noCleanMemo = false }()
	found, hits := 0, 0
	for gname, opts := range guards {
		g, err := New(append([]Option{WithoutEnv(), WithLogger(zap.NewNop())}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]Decision, len(invs))
		noCleanMemo = true
		for i, iv := range invs {
			want[i] = g.Inspect(context.Background(), iv.inv())
			found += len(want[i].Findings)
		}
		noCleanMemo = false
		// each event three times in a row (its strings remembered
		// whatever the others do to the slots), then every event after
		// every other
		for round := range 3 {
			for i, iv := range invs {
				for range 3 - 2*min(round, 1) {
					if got := g.Inspect(context.Background(), iv.inv()); !reflect.DeepEqual(got, want[i]) {
						t.Errorf("%s, %s, round %d: with the memos\n%+v\nwant\n%+v", gname, iv.name, round, got, want[i])
					}
				}
			}
		}
		if g.clean[detect.Value].hit(ua) && g.clean[detect.Key].hit("customer") && g.clean[detect.Value].hit("/orders/1234/items") {
			hits++
		}
		if g.det.Enabled(SSRF) && (g.clean[detect.Value].hit("169.254.169.254") || g.clean[detect.Value].hit(b64SSRF)) {
			t.Errorf("%s: a value with an SSRF match (not kept in X-Forwarded-For) remembered clean", gname)
		}
		if g.clean[detect.Key].hit("$where") || g.clean[detect.Key].hit("$gt") {
			t.Errorf("%s: a name judged with its parent key remembered", gname)
		}
		if len(g.custom) > 0 && (g.clean[detect.Value].hit(ua) || g.clean[detect.Key].hit("customer")) {
			t.Errorf("%s: a string remembered clean by a guard with deny patterns", gname)
		}
	}
	if found == 0 {
		t.Fatal("no finding at all: the test says little")
	}
	if hits != len(guards)-1 {
		t.Fatalf("clean names and values remembered by %d guards, want %d (all but the one with a deny pattern)", hits, len(guards)-1)
	}
}

// TestCleanMemo: a string found clean twice in a row is remembered (a
// copy), one found clean once is not, and a string in the slot of a
// remembered one is not taken for it.
func TestCleanMemo(t *testing.T) {
	var m cleanMemo
	m.offer("customer")
	if m.hit("customer") {
		t.Fatal("remembered after one offer")
	}
	buf := []byte("customer")
	m.offer(string(buf))
	if !m.hit("customer") {
		t.Fatal("not remembered after two offers")
	}
	copy(buf, "Customer")
	if m.hit(string(buf)) {
		t.Fatal("the memo aliases the caller's bytes")
	}
	// other strings of the same set
	var others []string
	for i := 0; len(others) < maxStores+2; i++ {
		if s := fmt.Sprintf("k%d", i); memoHash(s)%memoSets == memoHash("customer")%memoSets {
			others = append(others, s)
		}
	}
	if m.hit(others[0]) {
		t.Fatalf("%q taken for %q", others[0], "customer")
	}
	m.offer(others[0])
	m.offer(others[0])
	if !m.hit(others[0]) || !m.hit("customer") {
		t.Fatal("two strings of one set are not both kept")
	}
	m.offer(others[1])
	m.offer(others[1])
	if !m.hit(others[1]) || m.hit("customer") == m.hit(others[0]) {
		t.Fatal("a third string of the set did not take exactly one way")
	}
	// a set takes maxStores stores, then keeps what it holds
	stores := 3
	for _, o := range others[2:] {
		m.offer(o)
		m.offer(o)
		if stores++; stores <= maxStores != m.hit(o) {
			t.Fatalf("store %d of a set (bound %d): remembered = %v", stores, maxStores, m.hit(o))
		}
	}
	long := strings.Repeat("a", cleanMax+1) // a long set's
	m.offer(long)
	m.offer(long)
	if !m.hit(long) || m.hit(long[1:]+"b") {
		t.Fatal("a string over cleanMax (up to cleanLongMax) not remembered, or another taken for it")
	}
	tooLong := strings.Repeat("a", cleanLongMax+1)
	m.offer(tooLong)
	m.offer(tooLong)
	if m.hit(tooLong) || m.hit("") {
		t.Fatal("a string over cleanLongMax (or the empty one) remembered")
	}
}

// TestCleanMemoConcurrent: invocations in parallel, each with its own
// names and header values and a shared set, fill and read the memos
// (run with -race); every decision is the one given without them.
func TestCleanMemoConcurrent(t *testing.T) {
	g, _ := newTestGuard(t)
	inv := func(w, i int) *Invocation {
		body := fmt.Sprintf(`{"customer":{"name":"n%d"},"k%d":"v","id":%d}`, i, w*7+i%5, i)
		if i%9 == 4 {
			body = fmt.Sprintf(`{"customer":{"name":"x' OR '1'='1' --"},"k%d":1}`, w)
		}
		return &Invocation{Source: SourceAPIGatewayREST, Method: "POST", Path: "/o", ContentType: "application/json",
			Headers: []Param{{Name: "user-agent", Value: fmt.Sprintf("client/%d.%d", w, i%3)}, {Name: "x-forwarded-for", Value: "198.51.100.23"}},
			Body:    []byte(body)}
	}
	want := func(w, i int) int { // findings without the memos
		noCleanMemo = true
		defer func() { noCleanMemo = false }()
		return len(g.Inspect(context.Background(), inv(w, i)).Findings)
	}
	expect := make([][]int, 4)
	for w := range expect {
		for i := range 40 {
			expect[w] = append(expect[w], want(w, i))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				if n := len(g.Inspect(context.Background(), inv(w, i)).Findings); n != expect[w][i] {
					errs <- fmt.Sprintf("worker %d, invocation %d: %d findings, want %d", w, i, n, expect[w][i])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if !g.clean[detect.Key].hit("customer") || !g.clean[detect.Value].hit("198.51.100.23") {
		t.Fatal("the shared name and header value are not remembered")
	}
}

// TestMemoWordsExact: for strings of at most 16 bytes, cleanEntry.is
// compares memoWords instead of the bytes; every byte of such a string
// must show in them (a change of any one byte changes x or y).
func TestMemoWordsExact(t *testing.T) {
	for n := 1; n <= 16; n++ {
		b := []byte(strings.Repeat("a", n))
		x0, y0 := memoWords(string(b))
		for i := range n {
			b[i] = 'b'
			if x, y := memoWords(string(b)); x == x0 && y == y0 {
				t.Fatalf("length %d: byte %d is not in memoWords", n, i)
			}
			b[i] = 'a'
		}
	}
	e := &cleanEntry{s: "customer"}
	e.x, e.y = memoWords(e.s)
	x, y := memoWords("customers")
	if e.is("customers", x, y) {
		t.Fatal("a string of another length taken for the entry's")
	}
	long := strings.Repeat("k", 20)
	e = &cleanEntry{s: long}
	e.x, e.y = memoWords(long)
	other := long[:10] + "x" + long[11:] // same first and last 8 bytes
	if x, y := memoWords(other); x != e.x || y != e.y || e.is(other, x, y) {
		t.Fatal("a string over 16 bytes is not compared whole")
	}
}

// testJWT is a JSON Web Token of the claims given, with a fixed header and
// a signature of 256 bytes (RS256's length), longer than cleanMax.
func testJWT(claims string) string {
	enc := base64.RawURLEncoding
	sig := make([]byte, 256)
	for i := range sig {
		sig[i] = byte(i*73 + 11)
	}
	return enc.EncodeToString([]byte(`{"kid":"k1","alg":"RS256"}`)) + "." + enc.EncodeToString([]byte(claims)) + "." + enc.EncodeToString(sig)
}
