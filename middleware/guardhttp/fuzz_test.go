package guardhttp_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardhttp"
)

// FuzzMiddleware sends arbitrary methods, paths, queries, headers and bodies
// through the middleware: it must never panic, must answer with one of its
// statuses, and whenever the handler runs it must see the body byte for byte.
func FuzzMiddleware(f *testing.F) {
	seeds := []struct{ method, path, query, header, ct, body string }{
		{"GET", "/products", "q=blue+shoes&page=2", "Mozilla/5.0", "", ""},
		{"POST", "/orders", "", "curl/8", "application/json", `{"name":"O'Brien","items":[{"sku":"A1","qty":2}]}`},
		{"GET", "/search", "q=%27%20OR%201%3D1--", "", "", ""},
		{"GET", "/search", "q=%zz%27%20OR%201%3D1--&x", "", "", ""},
		{"GET", "/files/..%2f..%2fetc%2fpasswd", "", "", "", ""},
		{"POST", "/c", "", "${jndi:ldap://x/a}", "application/json", `{"comment":"<script>alert(1)</script>"}`},
		{"POST", "/f", "", "", "application/x-www-form-urlencoded", "a=1&b=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"},
		{"POST", "/m", "", "", "multipart/form-data; boundary=X", "--X\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n--X--\r\n"},
		{"PUT", "/x", "", "", "application/json", `{"a":`},
		{"DELETE", "/", "a[$ne]=1", "", "text/plain", "\xff\xfe binary"},
		{"PATCH", "/p", "__proto__[x]=1", "", "application/xml", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.header, s.ct, []byte(s.body))
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithMaxBodyBytes(4096), guard.WithMaxDepth(16))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path, query, header, ct string, body []byte) {
		var got []byte
		ran := false
		h := guardhttp.Handler(g, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ran = true
			got, _ = io.ReadAll(r.Body)
			w.WriteHeader(299)
		}))
		r := &http.Request{
			Method:     method,
			URL:        &url.URL{Path: path, RawQuery: query},
			Header:     http.Header{"User-Agent": {header}, "Content-Type": {ct}, "X-Weird": {header}},
			Host:       "example.com",
			RemoteAddr: header,
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		r = r.WithContext(t.Context())
		if len(body)%2 == 0 {
			r.ContentLength = int64(len(body))
		} else {
			r.ContentLength = -1
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch w.Code {
		case 299:
			if !ran || !bytes.Equal(got, body) {
				t.Fatalf("handler ran=%v and read %d bytes of %d", ran, len(got), len(body))
			}
		case 403, 400, 413, 503:
			if ran {
				t.Fatalf("handler ran for a %d", w.Code)
			}
		default:
			t.Fatalf("unexpected status %d", w.Code)
		}
	})
}
