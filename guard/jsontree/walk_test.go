package jsontree

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestWalkVisits(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []visitRec
	}{
		{"top-level string", `"hi"`, []visitRec{{"", "hi", false, "", 0}}},
		{"scalars not visited", `[1,true,null,-2.5e3]`, nil},
		{"object", `{"a":"x","b":2}`, []visitRec{
			{".a", "a", true, "", 1}, {".a", "x", false, "a", 1}, {".b", "b", true, "", 1},
		}},
		{"nested", `{"items":[{"note":"n0"},{"note":"n\u00e9"}],"x y":{"x.y":["q"]}}`, []visitRec{
			{".items", "items", true, "", 1},
			{".items[0].note", "note", true, "items", 3},
			{".items[0].note", "n0", false, "note", 3},
			{".items[1].note", "note", true, "items", 3},
			{".items[1].note", "né", false, "note", 3},
			{`["x y"]`, "x y", true, "", 1},
			{`["x y"]["x.y"]`, "x.y", true, "x y", 2},
			{`["x y"]["x.y"][0]`, "q", false, "x.y", 3},
		}},
		{"prototype pollution shape", `{"constructor":{"prototype":{"isAdmin":"1"}}}`, []visitRec{
			{".constructor", "constructor", true, "", 1},
			{".constructor.prototype", "prototype", true, "constructor", 2},
			{".constructor.prototype.isAdmin", "isAdmin", true, "prototype", 3},
			{".constructor.prototype.isAdmin", "1", false, "isAdmin", 3},
		}},
		{"array of arrays", `[["a"],[],["b","c"]]`, []visitRec{
			{"[0][0]", "a", false, "", 2}, {"[2][0]", "b", false, "", 2}, {"[2][1]", "c", false, "", 2},
		}},
		{"quoted keys", `{"":"e","a\"b":"q","\n":"nl","1a":"d","$ok_1":"i"}`, []visitRec{
			{`[""]`, "", true, "", 1}, {`[""]`, "e", false, "", 1},
			{`["a\"b"]`, `a"b`, true, "", 1}, {`["a\"b"]`, "q", false, `a"b`, 1},
			{`["\n"]`, "\n", true, "", 1}, {`["\n"]`, "nl", false, "\n", 1},
			{`["1a"]`, "1a", true, "", 1}, {`["1a"]`, "d", false, "1a", 1},
			{`.$ok_1`, "$ok_1", true, "", 1}, {`.$ok_1`, "i", false, "$ok_1", 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := walkRecords([]byte(tt.src), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("visits\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestWalkPathPrefix(t *testing.T) {
	var got []string
	err := Walk([]byte(`{"items":[{"note":"x"}],"a b":"y"}`), Limits{}, func(p *Path, s string, key bool) error {
		if !key {
			got = append(got, p.String("body"), string(p.AppendTo([]byte("> "), "event.body")))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"body.items[0].note", "> event.body.items[0].note", `body["a b"]`, `> event.body["a b"]`}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestWalkVisitErrorUnchanged(t *testing.T) {
	stop := errors.New("blocked")
	src := []byte(`{"a":"ok","b":"evil","c":"never"}`)
	var seen []string
	err := Walk(src, Limits{}, func(p *Path, s string, key bool) error {
		seen = append(seen, s)
		if s == "evil" {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Fatalf("Walk returned %v, want the visitor's error unchanged", err)
	}
	if want := []string{"a", "ok", "b", "evil"}; !reflect.DeepEqual(seen, want) {
		t.Fatalf("visited %q, want %q", seen, want)
	}
	// An error on a key stops too.
	err = Walk(src, Limits{}, func(p *Path, s string, key bool) error {
		if key && s == "b" {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Fatalf("Walk returned %v on key error", err)
	}
}

func TestWalkValidatesAfterVisiting(t *testing.T) {
	n := 0
	err := Walk([]byte(`["a","b",`), Limits{}, func(*Path, string, bool) error { n++; return nil })
	if !errors.Is(err, ErrSyntax) || n != 2 {
		t.Fatalf("err %v after %d visits", err, n)
	}
}

func TestWalkReentrant(t *testing.T) {
	// A visitor may itself Walk (e.g. a JSON-encoded body inside an event).
	outer := []byte(`{"body":"{\"q\":\"' OR 1=1 --\"}","other":"x"}`)
	var inner []string
	err := Walk(outer, Limits{}, func(p *Path, s string, key bool) error {
		if key || p.ParentKey() != "body" {
			return nil
		}
		prefix := p.String("event")
		return Walk([]byte(s), Limits{}, func(q *Path, s2 string, key2 bool) error {
			if !key2 {
				inner = append(inner, q.String(prefix)+"="+s2)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"event.body.q=' OR 1=1 --"}; !reflect.DeepEqual(inner, want) {
		t.Fatalf("got %q, want %q", inner, want)
	}
}

func TestAppendKeyIndex(t *testing.T) {
	tests := []struct {
		key  string
		want string
	}{
		{"a", ".a"},
		{"camelCase_09$", ".camelCase_09$"},
		{"_", "._"},
		{"", `[""]`},
		{"a b", `["a b"]`},
		{"x.y", `["x.y"]`},
		{"9lives", `["9lives"]`},
		{"x-forwarded-for", `["x-forwarded-for"]`},
		{`q"uote`, `["q\"uote"]`},
		{`back\slash`, `["back\\slash"]`},
		{"nl\nret\rtab\t", `["nl\nret\rtab\t"]`},
		{"\x00\x1f\x7f", `["\u0000\u001f\u007f"]`},
		{"ünïcode", `["ünïcode"]`},
		{"line\u2028para\u2029", `["line\u2028para\u2029"]`},
		{"bad\xffutf8", `["bad\ufffdutf8"]`},
		{"real\uFFFD", "[\"real\uFFFD\"]"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := string(AppendKey([]byte("p"), tt.key)); got != "p"+tt.want {
				t.Errorf("AppendKey(%q) = %q, want %q", tt.key, got, "p"+tt.want)
			}
		})
	}
	for _, tt := range []struct {
		i    int
		want string
	}{{0, "[0]"}, {7, "[7]"}, {12345, "[12345]"}} {
		t.Run(tt.want, func(t *testing.T) {
			if got := string(AppendIndex([]byte("x"), tt.i)); got != "x"+tt.want {
				t.Errorf("AppendIndex(%d) = %q", tt.i, got)
			}
		})
	}
}

func TestZeroPath(t *testing.T) {
	var p Path
	if p.String("body") != "body" || p.ParentKey() != "" || p.Depth() != 0 {
		t.Fatalf("zero Path: %q %q %d", p.String("body"), p.ParentKey(), p.Depth())
	}
}

func TestAllocations(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("allocation counts are not meaningful with -race")
	}
	apigw := readTestdata(t, "apigw_v1.json")
	body := genBody(1<<10, false)
	escaped := []byte(`{"a":"x\ny","b\u0021":"z"}`)
	big := []byte(bigObject(200, ""))
	visit := func(*Path, string, bool) error { return nil }
	tests := []struct {
		name string
		max  float64
		fn   func()
	}{
		{"Parse apigw_v1", 4, func() { _, _ = Parse(apigw, Limits{}) }},
		{"Walk 1KB body", 0, func() { _ = Walk(body, Limits{}, visit) }},
		{"Walk apigw_v1 (one escaped string)", 1, func() { _ = Walk(apigw, Limits{}, visit) }},
		{"Walk escaped key and value", 2, func() { _ = Walk(escaped, Limits{}, visit) }},
		{"Walk big object (duplicate map pooled)", 0, func() { _ = Walk(big, Limits{}, visit) }},
		{"validate only", 0, func() { _ = Walk(apigw, Limits{AllowDuplicateKeys: true}, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn() // warm the pool
			if got := testing.AllocsPerRun(200, tt.fn); got > tt.max {
				t.Errorf("%.1f allocs per run, want <= %.0f", got, tt.max)
			}
		})
	}
}

func TestWalkMemoryIsODepth(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("allocation counts are not meaningful with -race")
	}
	src := genBody(1<<20, false) // 1 MB, no escapes
	_ = Walk(src, Limits{}, nil)
	avg := testing.AllocsPerRun(5, func() {
		if err := Walk(src, Limits{}, func(*Path, string, bool) error { return nil }); err != nil {
			t.Fatal(err)
		}
	})
	if avg != 0 {
		t.Fatalf("Walk of 1 MB clean body allocated %.1f times", avg)
	}
	if !strings.Contains(string(src[:20]), "customer") {
		t.Fatal("unexpected body")
	}
}

func TestConcurrentUse(t *testing.T) {
	docs := [][]byte{
		readTestdata(t, "apigw_v1.json"),
		readTestdata(t, "sqs.json"),
		[]byte(escapedBigObject(40, -1)),
		[]byte(`{"a":[1,2,{"b":"c\n"}]`), // truncated
	}
	want := make([][]visitRec, len(docs))
	wantErr := make([]string, len(docs))
	for i, src := range docs {
		recs, err := walkRecords(src, Limits{})
		want[i] = recs
		if err != nil {
			wantErr[i] = err.Error()
		}
	}
	shared, err := Parse(docs[0], Limits{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	for g := range 4 {
		go func() {
			for n := range 50 {
				i := (g + n) % len(docs)
				recs, err := walkRecords(docs[i], Limits{})
				es := ""
				if err != nil {
					es = err.Error()
				}
				if es != wantErr[i] || !reflect.DeepEqual(recs, want[i]) {
					done <- errors.New("concurrent Walk differs for doc " + itoa(i))
					return
				}
				if shared.Root().Path("requestContext", "identity", "sourceIp").StrOr("") != "203.0.113.7" {
					done <- errors.New("concurrent read of a shared Doc differs")
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
