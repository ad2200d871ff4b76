package guard

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"reflect"
	"strings"
	"testing"
)

// mpOutcome is what reading a multipart body gives: its parts, and how
// the reading ended ("end", "error", or "body error" for a last part
// whose body is not closed).
type mpOutcome struct {
	parts []mpPart
	end   string
	err   error
}

func readMP(body []byte, boundary string) mpOutcome {
	r := newMPReader(body, boundary)
	var out mpOutcome
	for {
		var p mpPart
		ok, err := r.next(&p)
		if ok {
			out.parts = append(out.parts, p)
			if err != nil {
				out.end, out.err = "body error", err
				return out
			}
			continue
		}
		if err != nil {
			out.end, out.err = "error", err
		} else {
			out.end = "end"
		}
		if ok2, err2 := r.next(&p); ok2 || err2 != nil {
			out.end = "read past its end"
		}
		return out
	}
}

// readGoMP reads body with mime/multipart as the engine did before mpReader.
func readGoMP(body []byte, boundary string) mpOutcome {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var out mpOutcome
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			out.end = "end"
			return out
		}
		if err != nil {
			out.end, out.err = "error", err
			return out
		}
		p := mpPart{disposition: part.Header.Get("Content-Disposition"), ctype: part.Header.Get("Content-Type"), cte: part.Header.Get("Content-Transfer-Encoding")}
		data, err := io.ReadAll(part)
		if err != nil {
			out.parts = append(out.parts, p)
			out.end, out.err = "body error", err
			return out
		}
		p.data = data
		out.parts = append(out.parts, p)
	}
}

func samePart(a, b mpPart, withData bool) bool {
	return a.disposition == b.disposition && a.ctype == b.ctype && a.cte == b.cte && (!withData || bytes.Equal(a.data, b.data))
}

// checkAgainstGo compares mpReader with mime/multipart on one body: the
// same parts, ending the same way, but for the refusals mpReader adds
// (a body that ends inside a part's headers, a boundary with a line break).
func checkAgainstGo(t *testing.T, body []byte, boundary string) {
	t.Helper()
	got, want := readMP(body, boundary), readGoMP(body, boundary)
	if got.end == "read past its end" {
		t.Fatalf("mpReader returned more after its end")
	}
	if strings.ContainsAny(boundary, "\r\n") {
		if got.end != "error" {
			t.Fatalf("boundary with a line break: %s, want an error", got.end)
		}
		return
	}
	if got.end == "error" && want.end == "end" && strings.Contains(got.err.Error(), "headers not ended") && len(got.parts) == len(want.parts) {
		return // mime/multipart stops silently in an unfinished header section; mpReader refuses it
	}
	if got.end != want.end || len(got.parts) != len(want.parts) {
		t.Fatalf("body %q boundary %q:\n mpReader: %d parts, %s (%v)\n multipart: %d parts, %s (%v)", body, boundary, len(got.parts), got.end, got.err, len(want.parts), want.end, want.err)
	}
	for i := range got.parts {
		last := i == len(got.parts)-1 && got.end == "body error"
		if !samePart(got.parts[i], want.parts[i], !last) {
			t.Fatalf("body %q boundary %q: part %d\n mpReader:  %+v\n multipart: %+v", body, boundary, i, got.parts[i], want.parts[i])
		}
	}
}

func TestMPReader(t *testing.T) {
	cd := func(name string) string { return "Content-Disposition: form-data; name=\"" + name + "\"" }
	cases := []struct {
		name, body string
		parts      []string // the bodies of the parts
		end        string
		errHas     string
	}{
		{"two parts", "--B\r\n" + cd("a") + "\r\n\r\none\r\n--B\r\n" + cd("b") + "\r\n\r\ntwo\r\n--B--\r\n", []string{"one", "two"}, "end", ""},
		{"preamble and epilogue", "hello\r\nworld\r\n--B\r\n" + cd("a") + "\r\n\r\nx\r\n--B--\r\nbye\r\n--B\r\n", []string{"x"}, "end", ""},
		{"LF line ends", "--B\n" + cd("a") + "\n\nx\n--B\n" + cd("b") + "\n\ny\n--B--", []string{"x", "y"}, "end", ""},
		{"close without line end", "--B\r\n" + cd("a") + "\r\n\r\nx\r\n--B--", []string{"x"}, "end", ""},
		{"close with spaces", "--B\r\n\r\nx\r\n--B-- \t\r\n", []string{"x"}, "end", ""},
		{"delimiter with spaces", "--B \t\r\n\r\nx\r\n--B\t\r\n\r\ny\r\n--B--\r\n", []string{"x", "y"}, "end", ""},
		{"empty part body", "--B\r\n\r\n--B\r\n\r\ny\r\n--B--\r\n", []string{"", "y"}, "end", ""},
		{"boundary look-alike in a body", "--B\r\n\r\nx\r\n--Bx\r\n--B-y\r\n--B--\r\n", []string{"x\r\n--Bx\r\n--B-y"}, "end", ""},
		{"CRLF inside a body", "--B\r\n\r\na\r\n\r\nb\r\n--B--\r\n", []string{"a\r\n\r\nb"}, "end", ""},
		{"no parts at all", "--B--\r\n", nil, "end", ""},
		{"continued header", "--B\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n--B--\r\n", []string{"x"}, "end", ""},
		{"no delimiter", "just text\r\n", nil, "error", "without a delimiter line"},
		{"no close delimiter", "--B\r\n\r\nx\r\n--B\r\n\r\ny", []string{"x", "(unread)"}, "body error", "not closed by a delimiter line"},
		{"ends after a part", "--B\r\n\r\nx\r\n--B", []string{"x"}, "error", "ends in"},
		{"garbage between parts", "--B\r\n\r\nx\r\n--B \r\nzz\r\n", []string{"x"}, "error", "header line without a colon"},
		{"line after a part", "--B\r\n\r\nx\r\n--B\rz\r\n", []string{"x"}, "error", "delimiter line expected"},
		{"header without colon", "--B\r\nno colon here\r\n\r\nx\r\n--B--\r\n", nil, "error", "without a colon"},
		{"header starting with a space", "--B\r\n X: y\r\n\r\nx\r\n--B--\r\n", nil, "error", "continuation line"},
		{"header with a bad name", "--B\r\nX(y): z\r\n\r\nx\r\n--B--\r\n", nil, "error", "invalid name"},
		{"header with a control byte", "--B\r\nX: y\x00z\r\n\r\nx\r\n--B--\r\n", nil, "error", "invalid byte"},
		{"headers cut by the end", "--B\r\nContent-Disposition: form-data; name=\"q\"", nil, "error", "not ended by a blank line"},
		{"long preamble line", strings.Repeat("p", 5000) + "\r\n--B\r\n\r\nx\r\n--B--\r\n", nil, "error", "longer than 4096"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := readMP([]byte(tc.body), "B")
			if got.end != tc.end || len(got.parts) != len(tc.parts) {
				t.Fatalf("%d parts, %s (%v); want %d parts, %s", len(got.parts), got.end, got.err, len(tc.parts), tc.end)
			}
			for i, p := range got.parts {
				last := i == len(got.parts)-1 && got.end == "body error"
				if !last && string(p.data) != tc.parts[i] {
					t.Errorf("part %d: %q, want %q", i, p.data, tc.parts[i])
				}
			}
			if tc.errHas != "" && (got.err == nil || !strings.Contains(got.err.Error(), tc.errHas)) {
				t.Errorf("error %v, want one saying %q", got.err, tc.errHas)
			}
			checkAgainstGo(t, []byte(tc.body), "B")
		})
	}
	t.Run("headers", func(t *testing.T) {
		body := "--B\r\ncontent-type: text/x\r\nCONTENT-DISPOSITION:   form-data; name=a\r\nContent-Type: second\r\nContent-Transfer-Encoding: base64 \r\nX Y: z\r\n\r\nx\r\n--B--\r\n"
		got := readMP([]byte(body), "B")
		if got.end != "end" || len(got.parts) != 1 {
			t.Fatalf("%+v", got)
		}
		if p := got.parts[0]; p.ctype != "text/x" || p.disposition != "form-data; name=a" || p.cte != "base64" {
			t.Fatalf("headers %+v", p)
		}
		checkAgainstGo(t, []byte(body), "B")
	})
	t.Run("errors", func(t *testing.T) {
		for _, b := range []string{"", "a\r\nb"} {
			if got := readMP([]byte("--\r\n\r\nx\r\n----\r\n"), b); got.end != "error" {
				t.Errorf("boundary %q: %+v, want an error", b, got)
			}
		}
	})
}

// TestMPReaderAllocs: reading a body of small parts allocates nothing.
func TestMPReaderAllocs(t *testing.T) {
	body := manyParts(8 << 10)
	n := testing.AllocsPerRun(20, func() {
		r := newMPReader(body, "XyZ")
		var p mpPart
		for {
			if ok, err := r.next(&p); !ok || err != nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
		}
	})
	if n > 1 { // the boundary's delimiter bytes
		t.Fatalf("%.0f allocations reading %d bytes of parts", n, len(body))
	}
}

func FuzzMultipartReader(f *testing.F) {
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--B--\r\n"), "B")
	f.Add([]byte("pre\n--B\nX: y\n z\n\nbody\n--B\n\n--B\n\n\n--B--"), "B")
	f.Add([]byte("--B\r\n\r\n--B \r\nContent-Type: text/plain\r\n\r\nx\r\n--B-\r\n--B--x\r\n--B--\r\n"), "B")
	f.Add([]byte("--a b\r\n\r\nx\r\n--a b--"), "a b")
	f.Add([]byte("--B\r\nA: b\r\n\r\n--Bx\r\n--B\r\n\r\n\r\n--B--"), "B")
	f.Add([]byte("--B\r\nA: b\r\n\r\nx\r\n--B\r\n\r\n\r\n--B\r\n"), "B")
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		if len(boundary) > 100 {
			return // mime/multipart's 4 KB buffer decides differently past this
		}
		checkAgainstGo(t, body, boundary)
	})
}

func TestDisposition(t *testing.T) {
	cases := []struct {
		v, typ, name, filename string
		ok                     bool
	}{
		{`form-data; name="f"`, "form-data", "f", "", true},
		{`form-data; name="f"; filename="a b.txt"`, "form-data", "f", "a b.txt", true},
		{`form-data;name=tok;filename=""`, "form-data", "tok", "", true},
		{` attachment `, "attachment", "", "", true},
		{`Form-Data; Name="f"`, "form-data", "f", "", true},
		{`form-data; name="a\"b"`, "form-data", `a"b`, "", true},
		{`form-data; name*=UTF-8''%C3%A9`, "form-data", "é", "", true},
		{`form-data; name="a"; name="b"`, "", "", "", false},
		{`form-data; name="a"; name="a"`, "form-data", "a", "", true},
		{`form-data; name="a"; x=1; x=2`, "", "", "", false},
		{`form-data; name="a`, "", "", "", false},
		{`form-data; name`, "", "", "", false},
		{`form-data; name="a";`, "form-data", "a", "", true},
		{`; name="a"`, "", "", "", false},
		{`form data; name="a"`, "", "", "", false},
		{``, "", "", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.v, func(t *testing.T) {
			typ, name, fn, ok := disposition(tc.v)
			if typ != tc.typ || name != tc.name || fn != tc.filename || ok != tc.ok {
				t.Fatalf("disposition(%q) = %q %q %q %v, want %q %q %q %v", tc.v, typ, name, fn, ok, tc.typ, tc.name, tc.filename, tc.ok)
			}
			checkDisposition(t, tc.v)
		})
	}
	if n := testing.AllocsPerRun(100, func() { disposition(`form-data; name="field"; filename="photo.jpg"`) }); n != 0 {
		t.Errorf("disposition of the common shape: %.0f allocations", n)
	}
}

func checkDisposition(t *testing.T, v string) {
	t.Helper()
	typ, name, fn, ok := disposition(v)
	wt, params, err := mime.ParseMediaType(v)
	if ok != (err == nil) || ok && (typ != wt || name != params["name"] || fn != params["filename"]) {
		t.Fatalf("disposition(%q) = %q %q %q %v; mime.ParseMediaType: %q %q %q %v", v, typ, name, fn, ok, wt, params["name"], params["filename"], err)
	}
}

func FuzzDisposition(f *testing.F) {
	for _, s := range []string{`form-data; name="f"; filename="a.txt"`, `attachment;filename=x`, `form-data; name="a"; name="a"`, `inline ; x = "y" ;`, "a/b; c=\"\\\"\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) { checkDisposition(t, v) })
}

func BenchmarkMPReader(b *testing.B) {
	body := manyParts(64 << 10)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		r := newMPReader(body, "XyZ")
		var p mpPart
		for {
			ok, err := r.next(&p)
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
		}
	}
}

// TestSinkInputsMultipart: the sink checks see a multipart body's part
// values and base file names, at the parts' locations.
func TestSinkInputsMultipart(t *testing.T) {
	g, _ := newTestGuard(t)
	body := "--B\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nsome value\r\n" +
		"--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"dir/report.txt\"\r\nContent-Type: application/json\r\n\r\n{\"k\":\"json value\"}\r\n--B--\r\n"
	s := &scope{Context: context.Background(), g: g, inv: bodyInv("multipart/form-data; boundary=B", []byte(body))}
	s.collect()
	want := map[string]string{"some value": "body.q", "report.txt": `body["f.filename"]`, "json value": "body.f.k"}
	for i, in := range s.inputs {
		if loc, ok := want[in.val]; ok {
			if got := s.location(i); got != loc {
				t.Errorf("%q at %s, want %s", in.val, got, loc)
			}
			delete(want, in.val)
		}
	}
	if len(want) > 0 {
		t.Fatalf("inputs not enumerated: %v (got %+v)", want, s.inputs)
	}
}

// TestMultipartMalformed: a malformed multipart body is refused with a
// reason naming what is wrong, and what could be read of it is judged.
func TestMultipartMalformed(t *testing.T) {
	g, _ := newTestGuard(t)
	cases := []struct{ name, body, says string }{
		{"headers cut by the end", "--B\r\nContent-Disposition: form-data; name=\"q\"", "not ended by a blank line"},
		{"part not closed", "--B\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nhello", `part "q"`},
		{"no delimiter", "a=1&b=2", "without a delimiter line"},
		{"bad header", "--B\r\nContent Disposition form-data\r\n\r\nx\r\n--B--\r\n", "without a colon"},
		{"junk after a part", "--B\r\n\r\nx\r\n--B\r\n\r\ny\r\n--Bz\r\n", "not closed by a delimiter line"},
		{"no close delimiter", "--B\r\n\r\nx\r\n--B", "not in its close delimiter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), bodyInv("multipart/form-data; boundary=B", []byte(tc.body)))
			f := findingRule(d, "validation.invalid_multipart")
			if d.Action != ActionReject || d.Status != 400 || f == nil || !strings.Contains(d.Reason, tc.says) {
				t.Fatalf("want a 400 refusal saying %q: %v %d %q %+v", tc.says, d.Action, d.Status, d.Reason, d.Findings)
			}
		})
	}
	t.Run("attack in an unclosed part's name", func(t *testing.T) {
		body := "--B\r\nContent-Disposition: form-data; name=\"<script>alert(1)</script>\"\r\n\r\nhello"
		d := g.Inspect(context.Background(), bodyInv("multipart/form-data; boundary=B", []byte(body)))
		if d.Action != ActionBlock || findingRule(d, "validation.invalid_multipart") == nil {
			t.Fatalf("want the name's XSS and the refusal: %v %+v", d.Action, d.Findings)
		}
	})
}

// FuzzMultipartRepeat: a body of parts whose header lines repeat (the
// fuzzer's, and variations of them) reads the same parts whether part
// reuses what it read of the last part's headers (mpReader.hdr) or reads
// each (noMPHeaderRepeat), and as mime/multipart reads it.
func FuzzMultipartRepeat(f *testing.F) {
	f.Add("Content-Disposition: form-data; name=\"f\"\r\n", "value", "Content-Type: text/plain\r\n", uint8(7))
	f.Add("X: y\r\n z\r\n", "a\r\n--XyZx", "Content-Transfer-Encoding: base64\r\n", uint8(3))
	f.Add("Content-Disposition: form-data;\n name=a\n", "", "A: b\n", uint8(2))
	f.Add("", "--XyZ", "\r\n", uint8(4))
	defer func() { noMPHeaderRepeat = false }()
	f.Fuzz(func(t *testing.T, h1, data, h2 string, n uint8) {
		if len(h1)+len(data)+len(h2) > 200 {
			return
		}
		var b strings.Builder
		for i := range int(n % 12) {
			b.WriteString("--XyZ\r\n")
			switch i % 4 {
			case 0, 1:
				b.WriteString(h1)
			case 2:
				b.WriteString(h1 + h2)
			default:
				b.WriteString(h2)
			}
			b.WriteString("\r\n" + data + "\r\n")
		}
		b.WriteString("--XyZ--\r\n")
		body := []byte(b.String())
		noMPHeaderRepeat = true
		want := readMP(body, "XyZ")
		noMPHeaderRepeat = false
		got := readMP(body, "XyZ")
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: with headers reused\n%+v\nwant\n%+v", body, got, want)
		}
		checkAgainstGo(t, body, "XyZ")
	})
}
