// Command wafsuite is an end-to-end probe of fnguard in the manner of a WAF
// test tool: every payload of payloads.go is encoded by every encoder and
// placed by every placeholder, sent over HTTP to guardhttp.Middleware on a
// loopback httptest server, and (with -lambda) as API Gateway REST and
// Function URL events through guardlambda.WrapHandler(lambda.NewHandler).
// It prints blocked % per encoder × placeholder for the attacks and the
// benign requests refused (FP).
//
//	cd benchmarks && GOWORK=off go run ./cmd/wafsuite [-lambda] [-v] [-only enc/place]
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

type encoder struct {
	name string
	enc  func(string) string
}

var encoders = []encoder{
	{"plain", func(s string) string { return s }},
	{"url", url.QueryEscape},
	{"url2", func(s string) string { return url.QueryEscape(url.QueryEscape(s)) }},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }},
	{"base64flat", func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }},
	{"jsunicode", func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r > 0xffff {
				r1, r2 := r>>10+0xd7c0, r&0x3ff+0xdc00
				fmt.Fprintf(&b, "\\u%04x\\u%04x", r1, r2)
				continue
			}
			fmt.Fprintf(&b, "\\u%04x", r)
		}
		return b.String()
	}},
	{"xmlentity", eachRune("&#x%x;")},
	{"urlall", eachByte("%%%02X")},
	{"jsuniU", eachRune("\\u%04X")},
	{"xmldec", eachRune("&#%d;")},
	{"b64(url)", func(s string) string { return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(s))) }},
	{"htmlnamed", strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace},
	{"percentu", func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				b.WriteRune(r)
				continue
			}
			fmt.Fprintf(&b, "%%u%04X", r)
		}
		return b.String()
	}},
	{"es6esc", eachRune("\\u{%x}")},
	{"octesc", eachByte("\\%03o")},
	{"overlong", func(s string) string {
		// two-byte overlong UTF-8 of every ASCII byte, percent-encoded
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				fmt.Fprintf(&b, "%%%02X", c)
				continue
			}
			fmt.Fprintf(&b, "%%%02X%%%02X", 0xc0|c>>6, 0x80|c&0x3f)
		}
		return b.String()
	}},
	{"hexesc", eachByte("\\x%02x")},
}

// eachRune is an encoder that writes every rune of s with format.
func eachRune(format string) func(string) string {
	return func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, format, r)
		}
		return b.String()
	}
}

// eachByte is an encoder that writes every byte of s with format.
func eachByte(format string) func(string) string {
	return func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			fmt.Fprintf(&b, format, s[i])
		}
		return b.String()
	}
}

// request is what a placeholder makes: sent as is over HTTP.
type request struct {
	method  string
	target  string // path and raw query as on the request line
	headers [][2]string
	body    []byte
}

type placeholder struct {
	name string
	make func(p string) request
}

const param = "f3a9"

// uriSafe escapes what cannot stand on a request line (blanks, controls,
// '#', non-ASCII, a '%' that starts no escape) and nothing else, as a test
// tool's HTTP client does with a raw payload.
func uriSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c <= ' ' || c == 0x7f || c >= 0x80 || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}':
			fmt.Fprintf(&b, "%%%02X", c)
		case c == '%' && !(i+2 < len(s) && ishex(s[i+1]) && ishex(s[i+2])):
			b.WriteString("%25")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func jsonStr(s string) string { b, _ := json.Marshal(s); return string(b) }

func xmlDoc(inner string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?><order><id>17</id><note>` + inner + `</note></order>`)
}

func grpcFrame(p string) []byte {
	// field 1, wire type 2 (a string), varint length
	msg := []byte{0x0a}
	n := len(p)
	for n >= 0x80 {
		msg = append(msg, byte(n)|0x80)
		n >>= 7
	}
	msg = append(msg, byte(n))
	msg = append(msg, p...)
	fr := []byte{0, byte(len(msg) >> 24), byte(len(msg) >> 16), byte(len(msg) >> 8), byte(len(msg))}
	return append(fr, msg...)
}

var placeholders = []placeholder{
	{"urlparam", func(p string) request {
		return request{method: "GET", target: "/api/items?" + param + "=" + uriSafe(p)}
	}},
	{"urlparamname", func(p string) request { return request{method: "GET", target: "/api/items?" + uriSafe(p) + "=1"} }},
	{"urlpath", func(p string) request { return request{method: "GET", target: "/" + uriSafe(p)} }},
	{"noncrudpath", func(p string) request { return request{method: "GET", target: "/static/files/" + uriSafe(p)} }},
	{"header", func(p string) request {
		return request{method: "GET", target: "/api/items", headers: [][2]string{{"X-" + param, p}}}
	}},
	{"useragent", func(p string) request {
		return request{method: "GET", target: "/api/items", headers: [][2]string{{"User-Agent", p}}}
	}},
	{"cookie", func(p string) request {
		return request{method: "GET", target: "/api/items", headers: [][2]string{{"Cookie", param + "=" + p}}}
	}},
	{"jsonbody", func(p string) request {
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", "application/json"}},
			body: []byte(`{"id":17,"` + param + `":` + jsonStr(p) + `}`)}
	}},
	{"jsonrequest", func(p string) request {
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", "application/json"}}, body: []byte(p)}
	}},
	{"htmlform", func(p string) request {
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}},
			body: []byte(param + "=" + p)}
	}},
	{"multipart", func(p string) request {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		_ = w.SetBoundary("xYzZY0123456789")
		fw, _ := w.CreateFormField(param)
		_, _ = fw.Write([]byte(p))
		_ = w.Close()
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", w.FormDataContentType()}}, body: b.Bytes()}
	}},
	{"mpfilename", func(p string) request {
		body := "--xYzZY0123456789\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"" + strings.ReplaceAll(p, `"`, "%22") + "\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--xYzZY0123456789--\r\n"
		return request{method: "POST", target: "/api/upload", headers: [][2]string{{"Content-Type", "multipart/form-data; boundary=xYzZY0123456789"}}, body: []byte(body)}
	}},
	{"mpfile", func(p string) request {
		body := "--xYzZY0123456789\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n" + p + "\r\n--xYzZY0123456789--\r\n"
		return request{method: "POST", target: "/api/upload", headers: [][2]string{{"Content-Type", "multipart/form-data; boundary=xYzZY0123456789"}}, body: []byte(body)}
	}},
	{"jsonkey", func(p string) request {
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", "application/json"}},
			body: []byte(`{"id":17,` + jsonStr(p) + `:"x"}`)}
	}},
	{"xmlattr", func(p string) request {
		a := strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;").Replace(p)
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", "application/xml"}},
			body: []byte(`<?xml version="1.0"?><order id="17" note="` + a + `"/>`)}
	}},
	{"referer", func(p string) request {
		return request{method: "GET", target: "/api/items", headers: [][2]string{{"Referer", "https://shop.example/search?q=" + p}}}
	}},
	{"soap", func(p string) request {
		body := `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body><ns:lookup xmlns:ns="urn:shop"><ns:` + param + `>` + p + `</ns:` + param + `></ns:lookup></soapenv:Body></soapenv:Envelope>`
		return request{method: "POST", target: "/ws", headers: [][2]string{{"Content-Type", "text/xml; charset=utf-8"}, {"SOAPAction", "urn:lookup"}}, body: []byte(body)}
	}},
	{"xmlbody", func(p string) request {
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", "application/xml"}}, body: xmlDoc(p)}
	}},
	{"rawbody", func(p string) request {
		return request{method: "POST", target: "/api/items", headers: [][2]string{{"Content-Type", "text/plain"}}, body: []byte(p)}
	}},
	{"graphql", func(p string) request {
		q := `query { search(text: ` + jsonStr(p) + `) { id name } }`
		return request{method: "POST", target: "/graphql", headers: [][2]string{{"Content-Type", "application/json"}},
			body: []byte(`{"query":` + jsonStr(q) + `}`)}
	}},
	{"graphqlvar", func(p string) request {
		return request{method: "POST", target: "/graphql", headers: [][2]string{{"Content-Type", "application/json"}},
			body: []byte(`{"query":"query S($t: String!) { search(text: $t) { id } }","variables":{"t":` + jsonStr(p) + `}}`)}
	}},
	{"graphqlraw", func(p string) request {
		return request{method: "POST", target: "/graphql", headers: [][2]string{{"Content-Type", "application/json"}},
			body: []byte(`{"query":` + jsonStr(p) + `}`)}
	}},
	{"graphqlget", func(p string) request {
		q := `{ search(text: ` + jsonStr(p) + `) { id } }`
		return request{method: "GET", target: "/graphql?query=" + url.QueryEscape(q)}
	}},
	{"grpc", func(p string) request {
		return request{method: "POST", target: "/shop.Items/Lookup", headers: [][2]string{{"Content-Type", "application/grpc"}, {"TE", "trailers"}}, body: grpcFrame(p)}
	}},
}

// sendable: a header value with a line break cannot be sent.
func (r request) sendable() bool {
	for _, h := range r.headers {
		if strings.ContainsAny(h[1], "\r\n\x00") {
			return false
		}
	}
	return true
}

func (r request) wire() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: shop.example\r\n", r.method, r.target)
	for _, h := range r.headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	if r.method == "POST" {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(r.body))
	}
	b.WriteString("\r\n")
	b.Write(r.body)
	return b.Bytes()
}

type client struct {
	addr string
	c    net.Conn
	br   *bufio.Reader
}

func (c *client) do(r request) (int, error) {
	for try := 0; try < 2; try++ {
		if c.c == nil {
			conn, err := net.DialTimeout("tcp", c.addr, 2*time.Second)
			if err != nil {
				return 0, err
			}
			c.c, c.br = conn, bufio.NewReader(conn)
		}
		_ = c.c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.c.Write(r.wire()); err != nil {
			c.c.Close()
			c.c = nil
			continue
		}
		resp, err := http.ReadResponse(c.br, nil)
		if err != nil {
			c.c.Close()
			c.c = nil
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.Close {
			c.c.Close()
			c.c = nil
		}
		return resp.StatusCode, nil
	}
	return 0, fmt.Errorf("no response")
}

// lambda events

// parseQuery splits a query as API Gateway does: at '&' only (Go's
// url.ParseQuery refuses a ';'), '+' a blank, bad escapes kept.
func parseQuery(rq string) url.Values {
	q := url.Values{}
	for _, kv := range strings.Split(rq, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if d, err := url.QueryUnescape(k); err == nil {
			k = d
		}
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
		q[k] = append(q[k], v)
	}
	return q
}

func split(target string) (path, rawQuery string) {
	path, rawQuery, _ = strings.Cut(target, "?")
	return
}

func bodyField(r request, binary bool) (string, bool) {
	if len(r.body) == 0 {
		return "", false
	}
	if binary || !utf8.Valid(r.body) {
		return base64.StdEncoding.EncodeToString(r.body), true
	}
	return string(r.body), false
}

func isBinaryType(r request) bool {
	for _, h := range r.headers {
		if strings.EqualFold(h[0], "content-type") {
			return strings.HasPrefix(h[1], "multipart/") || strings.HasPrefix(h[1], "application/grpc")
		}
	}
	return false
}

func restEvent(r request) []byte {
	path, rq := split(r.target)
	dp, err := url.PathUnescape(path)
	if err != nil {
		dp = path
	}
	ev := events.APIGatewayProxyRequest{HTTPMethod: r.method, Path: dp, Resource: "/{proxy+}",
		Headers: map[string]string{"Host": "abc.execute-api.eu-west-1.amazonaws.com"}, MultiValueHeaders: map[string][]string{"Host": {"abc.execute-api.eu-west-1.amazonaws.com"}},
		RequestContext: events.APIGatewayProxyRequestContext{RequestID: "r1", Stage: "prod", HTTPMethod: r.method, Path: "/prod" + dp}}
	if q := parseQuery(rq); len(q) > 0 {
		ev.QueryStringParameters, ev.MultiValueQueryStringParameters = map[string]string{}, map[string][]string{}
		for k, v := range q {
			ev.QueryStringParameters[k] = v[len(v)-1]
			ev.MultiValueQueryStringParameters[k] = v
		}
	}
	for _, h := range r.headers {
		ev.Headers[h[0]] = h[1]
		ev.MultiValueHeaders[h[0]] = []string{h[1]}
	}
	ev.Body, ev.IsBase64Encoded = bodyField(r, isBinaryType(r))
	b, _ := json.Marshal(ev)
	if ev.QueryStringParameters == nil {
		return b
	}
	// API Gateway writes the parameters in the order they were sent (a
	// Go map would sort them): keep it, as an event producer that keeps
	// order does.
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	single, multi := []byte{'{'}, []byte{'{'}
	seen := map[string]bool{}
	for _, kv := range strings.Split(rq, "&") {
		k, _, _ := strings.Cut(kv, "=")
		k, err := url.QueryUnescape(k)
		if err != nil || seen[k] {
			continue
		}
		seen[k] = true
		if len(single) > 1 {
			single, multi = append(single, ','), append(multi, ',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(ev.QueryStringParameters[k])
		mb, _ := json.Marshal(ev.MultiValueQueryStringParameters[k])
		single = append(append(append(single, kb...), ':'), vb...)
		multi = append(append(append(multi, kb...), ':'), mb...)
	}
	m["queryStringParameters"], m["multiValueQueryStringParameters"] = append(single, '}'), append(multi, '}')
	b, _ = json.Marshal(m)
	return b
}

func furlEvent(r request) []byte {
	path, rq := split(r.target)
	ev := events.LambdaFunctionURLRequest{Version: "2.0", RawPath: path, RawQueryString: rq,
		Headers:        map[string]string{"host": "abc.lambda-url.eu-west-1.on.aws"},
		RequestContext: events.LambdaFunctionURLRequestContext{RequestID: "r2", HTTP: events.LambdaFunctionURLRequestContextHTTPDescription{Method: r.method, Path: path}}}
	if q := parseQuery(rq); len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for k, v := range q {
			ev.QueryStringParameters[k] = strings.Join(v, ",")
		}
	}
	for _, h := range r.headers {
		if strings.EqualFold(h[0], "cookie") {
			ev.Cookies = append(ev.Cookies, strings.Split(h[1], "; ")...)
			continue
		}
		ev.Headers[strings.ToLower(h[0])] = h[1]
	}
	ev.Body, ev.IsBase64Encoded = bodyField(r, isBinaryType(r))
	b, _ := json.Marshal(ev)
	return b
}

type cell struct{ blocked, total, other int }

func main() {
	withLambda := flag.Bool("lambda", false, "also send every request as REST and Function URL events")
	verbose := flag.Bool("v", false, "print every attack that passed and every benign request refused")
	only := flag.String("only", "", "encoder/placeholder to run alone (either may be empty)")
	flag.Parse()

	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.Copy(io.Discard, r.Body); w.WriteHeader(200) })
	srv := httptest.NewServer(guardhttp.Middleware(g)(ok))
	defer srv.Close()
	cl := &client{addr: strings.TrimPrefix(srv.URL, "http://")}

	lh := guardlambda.WrapHandler(g, lambda.NewHandler(func(ctx context.Context, _ json.RawMessage) (map[string]any, error) {
		return map[string]any{"statusCode": 200, "body": "ok"}, nil
	}))
	lctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "id1"})
	lambdaStatus := func(ev []byte) int {
		out, err := lh.Invoke(lctx, ev)
		if err != nil {
			return 500
		}
		var resp struct {
			StatusCode int `json:"statusCode"`
		}
		_ = json.Unmarshal(out, &resp)
		return resp.StatusCode
	}

	onlyEnc, onlyPl, _ := strings.Cut(*only, "/")
	att, ben := map[key]*cell{}, map[key]*cell{}
	get := func(m map[key]*cell, k key) *cell {
		if m[k] == nil {
			m[k] = &cell{}
		}
		return m[k]
	}
	unsendable, sent := 0, 0
	deadline := time.Now().Add(8 * time.Minute)
	for _, e := range encoders {
		if onlyEnc != "" && e.name != onlyEnc {
			continue
		}
		for _, pl := range placeholders {
			if onlyPl != "" && pl.name != onlyPl {
				continue
			}
			for _, set := range sets {
				for _, p := range set.items {
					r := pl.make(e.enc(p))
					if !r.sendable() {
						unsendable++
						continue
					}
					if sent >= 100000 || time.Now().After(deadline) {
						fmt.Fprintln(os.Stderr, "bound reached")
						os.Exit(2)
					}
					sent++
					vias := []string{"http"}
					if *withLambda {
						vias = append(vias, "rest", "furl")
					}
					for _, via := range vias {
						var st int
						switch via {
						case "http":
							st, err = cl.do(r)
							if err != nil {
								fmt.Fprintln(os.Stderr, err)
								os.Exit(1)
							}
						case "rest":
							st = lambdaStatus(restEvent(r))
						case "furl":
							st = lambdaStatus(furlEvent(r))
						}
						m := att
						if set.benign {
							m = ben
						}
						c := get(m, key{via, e.name, pl.name})
						c.total++
						blocked := st >= 400 // refused: 403, or 400/413 for a malformed or oversized request
						if blocked {
							c.blocked++
						} else if st != 200 {
							c.other++
						}
						if *verbose && (blocked == set.benign || st != 200 && st != 403) {
							what := "PASS"
							if set.benign {
								what = "FP"
							}
							if st != 200 && st != 403 {
								what = fmt.Sprintf("ST%d", st)
							}
							fmt.Printf("%s\t%s\t%s/%s\t%s\t%q\n", what, via, e.name, pl.name, set.category, p)
						}
					}
				}
			}
		}
	}
	vias := []string{"http"}
	if *withLambda {
		vias = append(vias, "rest", "furl")
	}
	for _, via := range vias {
		report(via, att, ben)
	}
	fmt.Printf("requests %d, unsendable (line break in a header) %d\n", sent, unsendable)
}

type key struct{ via, enc, pl string }

func sum(m map[key]*cell, via, enc, pl string) *cell {
	c := &cell{}
	for k, v := range m {
		if k.via == via && (enc == "" || k.enc == enc) && (pl == "" || k.pl == pl) {
			c.blocked += v.blocked
			c.total += v.total
			c.other += v.other
		}
	}
	return c
}

// report prints blocked % of the attacks per placeholder (rows) and
// encoder (columns), then the benign requests refused.
func report(via string, att, ben map[key]*cell) {
	for _, part := range []struct {
		title string
		m     map[key]*cell
	}{{"attacks blocked %", att}, {"benign refused % (FP)", ben}} {
		fmt.Printf("\n== %s: %s\n%-13s", via, part.title, "")
		for _, e := range encoders {
			fmt.Printf(" %10s", e.name)
		}
		fmt.Printf(" %10s\n", "all")
		for _, pl := range placeholders {
			fmt.Printf("%-13s", pl.name)
			for _, e := range encoders {
				fmt.Printf(" %10s", pct(sum(part.m, via, e.name, pl.name)))
			}
			fmt.Printf(" %10s\n", pct(sum(part.m, via, "", pl.name)))
		}
		fmt.Printf("%-13s", "all")
		for _, e := range encoders {
			fmt.Printf(" %10s", pct(sum(part.m, via, e.name, "")))
		}
		t := sum(part.m, via, "", "")
		fmt.Printf(" %10s   (%d/%d, other status %d)\n", pct(t), t.blocked, t.total, t.other)
	}
}

func pct(c *cell) string {
	if c.total == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", 100*float64(c.blocked)/float64(c.total))
}
