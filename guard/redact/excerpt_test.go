package redact

import (
	"slices"
	"strings"
	"testing"
)

func TestExcerptRedactsBeforeCutting(t *testing.T) {
	r, err := New(Config{Secrets: []string{"EnvSecretValue-4242"}})
	if err != nil {
		t.Fatal(err)
	}
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	for _, tc := range []struct {
		name, s    string
		start, end int
		want       string
	}{
		{"whole secret after the attack", "' OR 1=1 -- AKIAIOSFODNN7EXAMPLE", 0, 33, "' OR 1=1 -- [REDACTED]"},
		{"window ends inside a card", "' OR 1=1 -- 4111111111111111 end", 0, 20, "' OR 1=1 -- [REDACTED]"},
		{"window ends inside a token", "' OR 1=1 -- ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 x", 0, 20, "' OR 1=1 -- [REDACTED]"},
		{"window ends inside a JWT signature", "x' OR 1=1 -- " + jwt, 1, 80, "' OR 1=1 -- [REDACTED]"},
		{"window starts inside a secret", "sk_live_4eC39HqLyjWDarjtT1zdp7dc <script>", 12, 41, "[REDACTED] <script>"},
		{"env credential in lower case", "' or 1=1 -- envsecretvalue-4242", 0, 31, "' or 1=1 -- [REDACTED]"},
		{"partial unrecognised token dropped", "<script>alert(1)</script>abcdefghijkl", 0, 30, "<script>alert(1)</script>…"},
		{"lower-cased AWS key id", "' or 1=1 -- akiaiosfodnn7example", 0, 32, "' or 1=1 -- [REDACTED]"},
		{"clean text unchanged", "' OR 1=1 --", 0, 11, "' OR 1=1 --"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Excerpt(tc.s, tc.start, tc.end, 64); got != tc.want {
				t.Errorf("Excerpt(%q, %d, %d) = %q, want %q", tc.s, tc.start, tc.end, got, tc.want)
			}
		})
	}
}

func TestExcerptAlsoMasksGivenSecrets(t *testing.T) {
	got := (*Redactor)(nil).Excerpt("' OR 1=1 -- abc/DEF 123", 0, 23, 64, "abc/def 123")
	if got != "' OR 1=1 -- [REDACTED]" {
		t.Errorf("got %q", got)
	}
}

func TestExcerptBounds(t *testing.T) {
	r := (*Redactor)(nil)
	for _, tc := range []struct{ start, end int }{{-5, 3}, {2, 1}, {10, 100}, {100, 200}} {
		_ = r.Excerpt("abc def", tc.start, tc.end, 64) // must not panic
	}
	long := strings.Repeat("ab ", 100)
	if got := r.Excerpt(long, 0, len(long), 64); len(got) > 64+len(Ellipsis) || !strings.HasSuffix(got, Ellipsis) {
		t.Errorf("not cut to 64 bytes: %q", got)
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abc defghij", 6, "abc …"},
		{"abc [REDACTED] x", 8, "abc …"},
		{"ééé", 3, "é…"},
		{"abcdef", 0, "…"},
	} {
		if got := Cut(tc.s, tc.n); got != tc.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestStringFold(t *testing.T) {
	r := (*Redactor)(nil)
	for _, tc := range []struct{ in, want string }{
		{"headers.akiaiosfodnn7example", "headers.[REDACTED]"},
		{"headers.aizasyd-9tsrke72pouqmnmx-a7ezsw0jkfmbwy", "headers.[REDACTED]"},
		{"body.eyjhbgcioijiuzi1nij9.eyjzdwiioiixmjm0in0.abcdefghij", "body.[REDACTED]"},
		{"query.ghp_abcdefghijklmnopqrstuvwxyz0123456789", "query.[REDACTED]"},
		{`body["wjalrxutnfemi%2fk7mdeng%2bbpxrficyexamplekey"]`, `body["[REDACTED]"]`},
		{"query.user_name", "query.user_name"},
		{"records[3].body.items[0].note", "records[3].body.items[0].note"},
	} {
		if got := r.StringFold(tc.in); got != tc.want {
			t.Errorf("StringFold(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := r.String(tc.in); len(got) > len(r.StringFold(tc.in)) && got != tc.in {
			t.Errorf("String masks more than StringFold for %q", tc.in)
		}
	}
}

func TestLiteralSecretsAnyCase(t *testing.T) {
	r, err := New(Config{Secrets: []string{"wJalrXUtnFEMI/K7MDENG"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"x wJalrXUtnFEMI/K7MDENG y", "x WJALRXUTNFEMI/K7MDENG y", "x wjalrxutnfemi%2fk7mdeng y"} {
		if got := r.String(in); got != "x [REDACTED] y" {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
}

func TestSecrets(t *testing.T) {
	got := (*Redactor)(nil).Secrets("a AKIAIOSFODNN7EXAMPLE b password=hunter2x c")
	if len(got) != 2 || got[0] != "AKIAIOSFODNN7EXAMPLE" || got[1] != "hunter2x" {
		t.Errorf("Secrets = %q", got)
	}
	if (*Redactor)(nil).Secrets("nothing here") != nil {
		t.Error("Secrets of clean text is not nil")
	}
}

// TestSearchedExcerpts: excerpts of a text searched once are the excerpts
// of the text, and its secret spans are SecretSpans'.
func TestSearchedExcerpts(t *testing.T) {
	r, err := New(Config{Secrets: []string{"EnvSecretValue-4242"}})
	if err != nil {
		t.Fatal(err)
	}
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	text := `{"q":"' OR 1=1 -- AKIAIOSFODNN7EXAMPLE","card":"4111111111111111","t":"` + jwt +
		`","n":"<script>alert(1)</script>abcdefghijkl","e":"' or 1=1 -- envsecretvalue-4242","k":"sk_live_4eC39HqLyjWDarjtT1zdp7dc [REDACTED]"}`
	s := r.Search(text)
	if got, want := s.SecretSpans(), r.SecretSpans(text); !slices.Equal(got, want) || len(want) < 4 {
		t.Errorf("SecretSpans %v, want %v (at least 4)", got, want)
	}
	masks := []Span{{3, 5}, {40, 44}, {len(text) - 3, len(text) + 10}}
	for start := 0; start < len(text); start += 7 {
		for _, n := range []int{0, 5, 20, 90} {
			want := r.ExcerptMasking(text, start, start+n, 64, masks, nil)
			if got := r.ExcerptMaskingSearched(s, start, start+n, 64, masks, nil); got != want {
				t.Errorf("[%d:%d]: %q, want %q", start, start+n, got, want)
			}
		}
	}
	// the search is not changed by the excerpts (their masks are merged into a copy)
	if got, want := s.SecretSpans(), r.SecretSpans(text); !slices.Equal(got, want) {
		t.Errorf("after excerpts: SecretSpans %v, want %v", got, want)
	}
}

// A prefix search is settled once a byte that ends every read the search
// makes lies between where it stopped and the last prefixSlack bytes; a
// quoted value still open at the end of the prefix, or a text with no
// such byte, asks for more.
func TestSearchPrefixSettles(t *testing.T) {
	r, _ := New(Config{})
	words := strings.Repeat("ab cd ", 100)
	if _, ok := r.SearchPrefix(words, 10, false); !ok {
		t.Errorf("prefix of words not settled")
	}
	if _, ok := r.SearchPrefix(strings.Repeat("abcd", 300), 10, false); ok {
		t.Errorf("prefix of one token settled")
	}
	if _, ok := r.SearchPrefix(strings.Repeat("abcd", 300), 10, true); !ok {
		t.Errorf("whole text not settled")
	}
	open := `password="s3cret ` + words
	tp, ok := r.SearchPrefix(open, 10, false)
	if ok {
		t.Errorf("prefix holding an open quoted secret settled (searched to %d)", tp.upTo)
	}
	whole, _ := r.SearchPrefix(open+`"`+words, 10, true)
	if got := r.ExcerptMaskingSearched(whole, 10, 20, 64, nil, nil); strings.Contains(got, "s3cret") {
		t.Errorf("excerpt %q shows the secret", got)
	}
}

// TestCutSlack: what a long excerpt's text is built past its max covers
// what a cuttable function may read around a cut (cutReach).
func TestCutSlack(t *testing.T) {
	if cutSlack <= cutReach {
		t.Fatalf("cutSlack %d does not exceed cutReach %d", cutSlack, cutReach)
	}
}
