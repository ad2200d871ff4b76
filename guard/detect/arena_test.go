package detect

import (
	"bytes"
	"strings"
	"testing"
)

// The per-string stages share the state's scratch buffers: the shell
// grammar's view starts in a buffer of the text's length (it moves when
// an expansion makes it longer, shLexer.widen by append), and sqlJudge's
// tokens are carved from the scratch buffer when it is free (state.tokens).
// Neither may change a verdict, nor may what an earlier scan left in the
// buffers.

// garbage is a buffer of n bytes of cap filled with junk, as an earlier
// scan leaves it.
func garbage(n int) []byte {
	junk := []byte("'; union select $(id) ${IFS} \x00\xff")
	b := bytes.Repeat(junk, n/len(junk)+1)[:n]
	return b[:0]
}

func shellSame(t *testing.T, in []byte) {
	t.Helper()
	h0, v0, r0 := shellScan(make([]byte, 0, len(in)+shellSlack), in, true, string(in))
	want := string(v0)
	for _, dst := range [][]byte{nil, make([]byte, 0, len(in)), garbage(len(in)), garbage(len(in) + 1), garbage(2*len(in) + 200)} {
		h, v, r := shellScan(dst, in, true, string(in))
		if h.rule != h0.rule || string(h.frag) != string(h0.frag) || string(v) != want || r != r0 {
			t.Fatalf("%q with a buffer of cap %d: %+v %q %v, want %+v %q %v", in, cap(dst), h, v, r, h0, want, r0)
		}
	}
}

func TestShellViewRoom(t *testing.T) {
	for _, s := range []string{
		"", "a", "c'a't /etc/passwd", "a=bbbbbbbbbbbbbbbbbbbbbbbb;$a$a$a$a$a$a",
		"x=abcdefghijklmnopqrstuvw;$x$x$x$x$x$x$x$x$x$x$x$x", // the view grows past the text, to its limit
		"{cat,/etc/passwd}", "$'\\x69\\x64'", "set a=whoami&&%a%%a%%a%", strings.Repeat("a\";", 300),
	} {
		t.Run(s, func(t *testing.T) { shellSame(t, []byte(Normalize(s))) })
	}
}

func FuzzShellViewRoom(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{"a=bbbbbbbbbbbbbbbbbbbbbbbb;$a$a$a$a$a$a", "x=y;$x$x$x$x", "c'a't", "${IFS}", "{a,b}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		shellSame(t, []byte(Normalize(s)))
	})
}

// sqliWith judges s by detectSQLi on a state made ready as scanSlow
// makes it, whose buffers setUp sets first.
func sqliWith(s string, g catSet, setUp func(st *state)) hit {
	st := new(state)
	if setUp != nil {
		setUp(st)
	}
	st.prepare(s, classify(s), Input{})
	st.f, st.kw, _ = features(bufString(st.n), keywordIndex())
	st.g = g
	h := detectSQLi(st)
	h.frag = []byte(string(h.frag))
	st.release()
	return h
}

func sqliSame(t *testing.T, s string) {
	t.Helper()
	want := sqliWith(s, 0, nil) // the state's own token buffer
	for k, setUp := range []func(st *state){
		nil, // carved from a buffer made for the shell grammar too (when its gate holds)
		func(st *state) { st.b = garbage(16*len(s) + 4096) },                        // from the free buffer
		func(st *state) { st.a, st.b = garbage(16*len(s)+4096), garbage(4*len(s)) }, // either one
		func(st *state) { st.toks = make([]sqlToken, 3, 8) },
	} {
		got := sqliWith(s, allCats, setUp)
		if got.rule != want.rule || string(got.frag) != string(want.frag) {
			t.Fatalf("%q (set-up %d): %q %q, want %q %q", s, k, got.rule, got.frag, want.rule, want.frag)
		}
	}
}

func TestSQLTokensCarved(t *testing.T) {
	for _, s := range []string{
		"1' OR '1'='1' --", "a\";", strings.Repeat("A1\";", 400), strings.Repeat("'or'", 600),
		strings.Repeat("un/**/ion sel/**/ect ", 200), strings.Repeat("x';ls -la;'", 300),
		strings.Repeat("1 union select ", 2000), strings.Repeat("x';ls -la;'", 2000), strings.Repeat("A1\";", 8000),
		strings.Repeat("un/**/ion sel/**/ect ;id ", 2000),
	} {
		t.Run(s[:min(len(s), 24)], func(t *testing.T) { sqliSame(t, s) })
	}
}

func FuzzSQLTokensCarved(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		sqliSame(t, s)
		if len(s) < 64 {
			// past sqlTokensCounted, and long enough for the shell
			// grammar's buffer to hold the tokens
			sqliSame(t, strings.Repeat(s, 20000/max(1, len(s))))
		}
	})
}
