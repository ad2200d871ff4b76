package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are shared by the fuzz targets, in addition to the files under
// testdata/ and testdata/fuzz/.
var fuzzSeeds = []string{
	``, ` `, `null`, `true`, `false`, `0`, `-0.0e-0`, `1E+2`, `01`, `1.`, `-`, `"`, `"\`, `"\u"`, `"\ud800"`,
	`"\ud83d\ude00"`, `"\ud800\u0041"`, `""`, `"a\"b\\c\/d\be\ff\ng\rh\ti"`, "\"\xff\"", "\"\xed\xa0\x80\"",
	"\xef\xbb\xbf{}", `[]`, `{}`, `[1,2,[3,{"a":[]}]]`, `{"a":1,"a":2}`, `{"a":1,"\u0061":2}`,
	`{"a":{"a":{"b":1,"b":2}},"a":3}`, `{"\u0061":1,"a":2}`, `{"":1,"":2}`, `[{"a":1},{"b":[{"c":1,"d":2}],"b":1}]`, `{"a":1,"b":2,"a":3}`,
	`{"a":{"b":{"c":"d"}}}`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `[1 2]`, `{}}`, `[[[[[[`, `]]]`,
	`{"constructor":{"prototype":{"x":1}}}`, `{"x y":{"p.q":["\n"]}}`, "[\"\x00\"]", `nul`, `tru`, `falsy`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,` +
		`"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":18,"k19":19,"k20":20,"k21":21,"k22":22,"k23":23,` +
		`"k24":24,"k25":25,"k26":26,"k27":27,"k28":28,"k29":29,"k30":30,"k31":31,"k32":32,"k33":33,"k5":0}`,
}

func addSeeds(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(genBody(600, true))
}

// FuzzParse checks that Parse and Walk never panic, agree with each other on
// every input and under tight limits, and that accepted documents round-trip
// through Raw.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	// reused holds the previous inputs' documents: ParseInto must give what
	// Parse gives whatever the Doc held before.
	var reused Doc
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, lim := range []Limits{
			{},
			{MaxDepth: 3, MaxStringBytes: 8, MaxElements: 20},
			{MaxDepth: -1, AllowDuplicateKeys: true},
		} {
			d, perr := Parse(src, lim)
			rerr := ParseInto(&reused, src, lim)
			if (perr == nil) != (rerr == nil) || perr != nil && perr.Error() != rerr.Error() {
				t.Fatalf("limits %+v: Parse error %v, ParseInto error %v", lim, perr, rerr)
			}
			if perr == nil {
				checkStringsOrNulls(t, string(src), d.Root())
			}
			if perr == nil && !reflect.DeepEqual(toAny(reused.Root()), toAny(d.Root())) {
				t.Fatalf("limits %+v: ParseInto into a reused Doc differs from Parse on %q", lim, src)
			}
			if perr != nil && reused.Root().Exists() {
				t.Fatalf("limits %+v: ParseInto left a document after error %v", lim, rerr)
			}
			werr := Walk(src, lim, func(*Path, string, bool) error { return nil })
			if (perr == nil) != (werr == nil) {
				t.Fatalf("limits %+v: Parse error %v, Walk error %v", lim, perr, werr)
			}
			if perr != nil {
				checkErr(t, perr)
				if perr.Error() != werr.Error() {
					t.Fatalf("limits %+v: Parse error %q, Walk error %q", lim, perr, werr)
				}
				continue
			}
			if !utf8.Valid(src) {
				t.Fatalf("accepted invalid UTF-8 %q", src)
			}
			root := d.Root()
			if got, want := root.Raw(), bytes.Trim(src, " \t\r\n"); !bytes.Equal(got, want) {
				t.Fatalf("Root().Raw() = %q, want %q", got, want)
			}
			// Every container's Raw is itself a document with the same tree.
			if k := root.Kind(); k == Array || k == Object {
				for _, v := range children(root) {
					sub, err := Parse(v.Raw(), lim)
					if err != nil {
						t.Fatalf("Raw %q of a child does not re-parse: %v", v.Raw(), err)
					}
					if !reflect.DeepEqual(toAny(sub.Root()), toAny(v)) {
						t.Fatalf("re-parsed %q differs", v.Raw())
					}
				}
			}
		}
	})
}

func children(v Value) []Value {
	var out []Value
	for _, e := range v.Elems() {
		out = append(out, e)
	}
	for _, e := range v.Members() {
		out = append(out, e)
	}
	return out
}

// FuzzParseVsStdlib is the differential test against encoding/json: on valid
// UTF-8 input, Parse accepts exactly what json.Valid accepts (except for the
// duplicate-key policy), and the decoded tree equals encoding/json's
// (numbers compared as literals).
func FuzzParseVsStdlib(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		// encoding/json nests at most 10000 levels; use the same bound.
		lim := Limits{MaxDepth: 10000}
		valid := json.Valid(src)
		d, err := Parse(src, lim)
		if err == nil {
			if !valid {
				t.Fatalf("Parse accepted %q, encoding/json rejects it", src)
			}
			want, serr := stdDecode(src)
			if serr != nil {
				t.Fatalf("encoding/json cannot decode valid %q: %v", src, serr)
			}
			if got := toAny(d.Root()); !reflect.DeepEqual(got, want) {
				t.Fatalf("Parse(%q) = %#v, encoding/json = %#v", src, got, want)
			}
			return
		}
		checkErr(t, err)
		var le *LimitError
		switch {
		case errors.As(err, &le) && le.Limit == LimitDuplicateKey:
			d2, err2 := Parse(src, Limits{MaxDepth: 10000, AllowDuplicateKeys: true})
			if (err2 == nil) != (valid && utf8.Valid(src)) {
				t.Fatalf("with duplicates allowed: err %v, json.Valid %v for %q", err2, valid, src)
			}
			if err2 == nil {
				// encoding/json lets the last duplicate win.
				want, serr := stdDecode(src)
				if serr != nil {
					t.Fatalf("encoding/json cannot decode valid %q: %v", src, serr)
				}
				if got := toAnyDup(d2.Root(), true); !reflect.DeepEqual(got, want) {
					t.Fatalf("Parse(%q) = %#v, encoding/json = %#v", src, got, want)
				}
			}
		case errors.As(err, &le):
			if valid {
				t.Fatalf("limit %v on %q, which encoding/json accepts", err, src)
			}
		default: // syntax error
			if valid && utf8.Valid(src) {
				t.Fatalf("Parse rejected valid %q: %v", src, err)
			}
		}
	})
}

// FuzzWalk checks Walk's visits against encoding/json's token stream (keys
// and strings, in order) and against the tree built by Parse (paths, parent
// keys, depths).
func FuzzWalk(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		lim := Limits{MaxDepth: 10000, AllowDuplicateKeys: true}
		recs, err := walkRecords(src, lim)
		if err != nil {
			checkErr(t, err)
			if json.Valid(src) && utf8.Valid(src) {
				t.Fatalf("Walk rejected valid %q: %v", src, err)
			}
			return
		}
		toks, terr := stdTokens(src)
		if terr != nil {
			t.Fatalf("encoding/json tokens of %q: %v", src, terr)
		}
		if len(toks) != len(recs) {
			t.Fatalf("Walk made %d visits, encoding/json has %d strings", len(recs), len(toks))
		}
		for i := range toks {
			if toks[i].S != recs[i].S || toks[i].Key != recs[i].Key {
				t.Fatalf("visit %d = %q key=%v, encoding/json %q key=%v", i, recs[i].S, recs[i].Key, toks[i].S, toks[i].Key)
			}
		}
		d, err := Parse(src, lim)
		if err != nil {
			t.Fatalf("Walk accepted %q, Parse: %v", src, err)
		}
		if want := treeRecords(d.Root()); !reflect.DeepEqual(recs, want) {
			t.Fatalf("Walk visits %+v\nfrom tree %+v", recs, want)
		}
	})
}

// FuzzAppendKey checks that rendered keys are either identifiers or quoted
// JSON strings that decode back to the key (invalid UTF-8 bytes as U+FFFD),
// and never contain raw control characters.
func FuzzAppendKey(f *testing.F) {
	for _, s := range []string{"", "a", "a b", "x.y", "\n", "\"", "\\", "\xff", "\u2028", "é", "9a", "_$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		out := string(AppendKey(nil, key))
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
				t.Fatalf("AppendKey(%q) = %q contains %U", key, out, r)
			}
		}
		if !utf8.ValidString(out) {
			t.Fatalf("AppendKey(%q) = %q is not valid UTF-8", key, out)
		}
		if strings.HasPrefix(out, ".") {
			if out[1:] != key || !isIdent(key) {
				t.Fatalf("AppendKey(%q) = %q", key, out)
			}
			return
		}
		if !strings.HasPrefix(out, `["`) || !strings.HasSuffix(out, `"]`) {
			t.Fatalf("AppendKey(%q) = %q", key, out)
		}
		var got string
		if err := json.Unmarshal([]byte(out[1:len(out)-1]), &got); err != nil {
			t.Fatalf("AppendKey(%q) = %q is not a JSON string: %v", key, out, err)
		}
		var want strings.Builder
		for _, r := range key { // range yields U+FFFD per invalid byte
			want.WriteRune(r)
		}
		if got != want.String() {
			t.Fatalf("AppendKey(%q) = %q decodes to %q", key, out, got)
		}
	})
}

// A string longer than bigString, escaped, is visited as encoding/json
// decodes it, and each such string keeps its own bytes after the next
// one is visited (an array of them; a limit just over and under one).
func TestWalkBigEscapedStrings(t *testing.T) {
	one := strings.Repeat(`a\"b\\c\u00e9\n\/`, bigString/8)
	other := strings.Repeat(`x\tyz`, bigString/3)
	src := []byte(`{"k":["` + one + `","` + other + `","` + one + `"]}`)
	recs, err := walkRecords(src, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	toks, err := stdTokens(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(toks) {
		t.Fatalf("%d visits, encoding/json has %d strings", len(recs), len(toks))
	}
	for i := range toks {
		if toks[i].S != recs[i].S {
			t.Fatalf("visit %d: %d bytes differ from encoding/json's %d", i, len(recs[i].S), len(toks[i].S))
		}
	}
	n := len(toks[2].S)
	if _, err := walkRecords(src, Limits{MaxStringBytes: n}); err != nil {
		t.Errorf("limit %d = the longest string: %v", n, err)
	}
	if _, err := walkRecords(src, Limits{MaxStringBytes: n - 1}); err == nil {
		t.Errorf("limit %d under a string of %d bytes: accepted", n-1, n)
	}
}

// Escaped strings under bigString share the walk's slabs: each visited
// string keeps its bytes after the walk goes on (through several slabs,
// past a big string that has its own array, and past a limit error's
// stop), as encoding/json decodes it.
func TestWalkEscapedStringsKeep(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"logEvents":[`)
	for i := range 400 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"%d","message":"2026-12-06T14:00:%02d.000Z\tINFO\t{\"n\":%d,\"note\":\"caf\u00e9 %s\"}"}`, i, i%60, i, strings.Repeat("x", i%97))
		if i == 200 {
			sb.WriteString(`,"` + strings.Repeat(`a\"b`, bigString/3) + `"`)
		}
	}
	sb.WriteString(`]}`)
	src := []byte(sb.String())
	recs, err := walkRecords(src, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	toks, err := stdTokens(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(toks) {
		t.Fatalf("%d visits, encoding/json has %d strings", len(recs), len(toks))
	}
	for i := range toks {
		if toks[i].S != recs[i].S {
			t.Fatalf("visit %d: %q, encoding/json %q", i, recs[i].S, toks[i].S)
		}
	}
	// a limit under the longest message: the strings visited before the
	// error keep their bytes too
	var got []string
	err = Walk(src, Limits{MaxStringBytes: 150}, func(p *Path, s string, key bool) error {
		got = append(got, s)
		return nil
	})
	if err == nil {
		t.Fatal("a message over MaxStringBytes accepted")
	}
	if len(got) == 0 || len(got) >= len(toks) {
		t.Fatalf("%d visits before the limit error, of %d", len(got), len(toks))
	}
	for i, s := range got {
		if s != toks[i].S {
			t.Fatalf("visit %d before the limit error: %q, encoding/json %q", i, s, toks[i].S)
		}
	}
}

// FuzzFastMembers checks runTree's fast path for plain members
// (fastMembers, taken under no string or element limit) against its own
// loop (the same document under an element limit it cannot reach, which
// takes no fast path): the same nodes, the same unescaped strings, the same
// error, with and without the duplicate-key check.
func FuzzFastMembers(f *testing.F) {
	addSeeds(f)
	long := strings.Repeat("k", 70)
	for _, s := range []string{
		`{"a":"x","a":"y"}`, `{"a":"x","b":"y","a":"z"}`, `{"a":null,"b":true,"c":false,"d":nul}`,
		`{"` + long + `":"v","w":"` + long + `"}`, `{"a":"b\"c","d":"e"}`, `{"a": "b","c" :"d"}`,
		`{"a":"b",` + "\n" + `"c":"d"}`, `{"a":"b","c":{"d":"e","f":["g"]},"h":"i"}`, `{"a":"\u00e9","b":"x"}`,
		"{\"a\":\"\xc3\xa9\",\"b\":\"x\"}", `{"a":"b","c":"d",}`, `{"a":"b""c":"d"}`, `{"a":tru,"b":"c"}`,
		`{"a":"b","c":"d"`, `{"a":"b","c`, `{"a":"b"}x`, `[{"a":"b","a":"c"}]`,
		`{"a":[],"b":["x"],"c":["x","y"],"d":["x",null],"e":[ "x"],"f":["x" ],"g":[1],"h":["x",],"i":["x"`,
		strings.Repeat(`{"a":`, DefaultMaxDepth) + `["x"]` + strings.Repeat("}", DefaultMaxDepth),
		strings.Repeat(`{"a":`, DefaultMaxDepth) + `[]` + strings.Repeat("}", DefaultMaxDepth),
		strings.Repeat(`{"a":`, DefaultMaxDepth-1) + `["x"]` + strings.Repeat("}", DefaultMaxDepth-1),
		`{"a":["x","y","z"],"b":[["x"]],"c":["` + long + `"],"d":["\u0041"],"e":["x"]}`,
		`{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"],[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
	} {
		f.Add([]byte(s))
	}
	// fastMembers reads whole words only: a member within 64 bytes of
	// the end is left to the loop; every input is tried again followed by
	// blanks.
	pad := []byte(strings.Repeat(" ", 80))
	f.Fuzz(func(t *testing.T, in []byte) {
		for k := range 4 {
			src, dups := in, k&1 == 1
			if k >= 2 {
				src = append(slices.Clip(in), pad...)
			}
			fast, ferr := Parse(src, Limits{AllowDuplicateKeys: dups})
			slow, serr := Parse(src, Limits{AllowDuplicateKeys: dups, MaxElements: math.MaxInt - 1})
			if (ferr == nil) != (serr == nil) || ferr != nil && ferr.Error() != serr.Error() {
				t.Fatalf("%q (duplicates allowed %v): fast path error %v, own loop %v", src, dups, ferr, serr)
			}
			if ferr != nil {
				continue
			}
			if !slices.Equal(fast.nodes, slow.nodes) || !bytes.Equal(fast.buf, slow.buf) {
				t.Fatalf("%q (duplicates allowed %v): fast path nodes %v buf %q, own loop %v %q", src, dups, fast.nodes, fast.buf, slow.nodes, slow.buf)
			}
		}
	})
}
