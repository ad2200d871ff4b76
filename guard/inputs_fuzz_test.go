package guard

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fnguard/fnguard/guard/detect"
)

// FuzzHeaderGrammar checks the safety property of the header policy: a
// value that conforms to its header's grammar (and is therefore not shown
// to the detectors) carries nothing the detectors find but the grammar's
// own wildcards ("*/*" reads as an LDAP probe): with them replaced, the
// detectors find nothing.
func FuzzHeaderGrammar(f *testing.F) {
	names := []string{"accept", "accept-encoding", "accept-language", "content-type", "traceparent", "tracestate",
		"x-forwarded-proto", "content-length", "host", "content-language"}
	for _, v := range []string{"*/*", "text/html;q=0.9, */*;q=0.8", "gzip, br", "en-US,en;q=0.9", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
		"a=b,c=d", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", "https", "42", "localhost:8080", "*/*)(uid=*", "' OR 1=1--"} {
		for i := range names {
			f.Add(uint8(i), v)
		}
	}
	d, err := detect.New(detect.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, n uint8, v string) {
		name := names[int(n)%len(names)]
		if !headerConforms(name, v) {
			return
		}
		ms := d.Scan(nil, strings.ReplaceAll(v, "*", "x"), detect.Input{})
		for _, m := range ms {
			if name == "host" && m.Category == SSRF {
				continue // a host names the server itself; never a URL the function fetches
			}
			t.Fatalf("%s: %q conforms but the detectors find %s (%s)", name, v, m.Rule, m.Fragment)
		}
	})
}

// FuzzGraphQL: the lexer never panics, and judging a document visits the
// same values whether or not it was validated first, and the same verdict
// and values as the reference lexer (graphql_ref_test.go).
func FuzzGraphQL(f *testing.F) {
	for _, s := range []string{"{ id }", "query Q($a: Int = 1) { a(x: \"s\\u00e9\") @skip(if: $a) { id } }", "fragment F on T { ...G }",
		"mutation { m(t: \"\"\"\nblock \\\"\"\" x\n\"\"\") }", "{ a # comment\n b(c: [1, -2.5e3, {d: ENUM}]) }", "{ unbalanced", "query { \"unterminated }"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok := gqlDocument(s, nil)
		var vals []string
		ok2 := gqlDocument(s, func(arg, v string) { vals = append(vals, v) })
		if ok != ok2 {
			t.Fatalf("validation and visit disagree on %q", s)
		}
		if gqlMaybe(s) && ok != gqlDocument(s, nil) {
			t.Fatal("not deterministic")
		}
		var refVals []string
		if ref := gqlDocumentRef(s, func(arg, v string) { refVals = append(refVals, arg+"="+v) }); ref != ok {
			t.Fatalf("%q: gqlDocument %v, the reference lexer %v", s, ok, ref)
		}
		var args []string
		gqlDocument(s, func(arg, v string) { args = append(args, arg+"="+v) })
		if !slices.Equal(args, refVals) {
			t.Fatalf("%q: values %q, the reference lexer's %q", s, args, refVals)
		}
	})
}

// FuzzNormalizePath: the normalised path is absolute and has no empty, "."
// or ".." segments.
func FuzzNormalizePath(f *testing.F) {
	for _, s := range []string{"/", "/a/b/", "//a//b", "/a/./b/../c", "/a%2fb", "/..%2f..%2fetc", "/%zz", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		n := normalizePath(p)
		if p == "" {
			return
		}
		if !strings.HasPrefix(n, "/") {
			t.Fatalf("%q -> %q: not absolute", p, n)
		}
		if n == "/" {
			return
		}
		for _, seg := range strings.Split(n[1:], "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("%q -> %q: segment %q", p, n, seg)
			}
		}
	})
}

// FuzzBodies drives the body decoders (XML, GraphQL, multipart, gzip,
// nested JSON and base64, protobuf fields) through Inspect: no panic, and
// locations and reasons stay valid UTF-8.
func FuzzBodies(f *testing.F) {
	cts := []string{"application/xml", "application/graphql", "multipart/form-data; boundary=XyZ", "application/json", "application/octet-stream", "", "application/x-www-form-urlencoded"}
	for _, s := range []string{`<r xmlns="urn:x"><a b="c">t</a></r>`, "{ id }", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nx=3D1\r\n--XyZ--\r\n",
		"pre\n--XyZ\nContent-Disposition: form-data;\n name=\"a\"; filename=\"f.txt\"\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--XyZ\n\n--XyZ--",
		`{"m":"{\"n\":\"SGVsbG8gd29ybGQsIGhvdyBhcmUgeW91\"}"}`, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>`} {
		for i := range cts {
			f.Add(uint8(i), []byte(s), true)
		}
	}
	g, err := New(WithoutEnv(), WithLogRate(0, 0), WithMaxStringBytes(512), WithMaxBodyBytes(8192))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, n uint8, body []byte, asField bool) {
		inv := &Invocation{Source: SourceHTTP, Method: "POST", Path: "/x", ContentType: cts[int(n)%len(cts)], Body: body}
		if asField {
			inv.Fields = []Field{{Loc: "f", Value: string(body), Kind: KindProtobuf}, {Loc: "g", Value: string(body), Kind: KindBody}}
		}
		d := g.Inspect(context.Background(), inv)
		if !utf8.ValidString(d.Reason) {
			t.Fatalf("reason not UTF-8: %q", d.Reason)
		}
		for _, fd := range d.Findings {
			if !utf8.ValidString(fd.Location) || fd.Rule == "" {
				t.Fatalf("bad finding %+v", fd)
			}
		}
	})
}
