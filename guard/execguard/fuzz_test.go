package execguard

import (
	"testing"
)

// FuzzLexer: the lexer terminates, never panics, returns tokens in order
// inside the script, and JudgeScript never panics.
func FuzzLexer(f *testing.F) {
	for _, c := range shInjections {
		f.Add(uint8(c.sh-1), c.build(), c.input)
	}
	for _, c := range shBenign {
		f.Add(uint8(c.sh-1), c.build(), c.input)
	}
	f.Add(uint8(POSIX-1), `a "b $(c "d ${e}" `+"`f`"+`)" g`, "d")
	f.Fuzz(func(t *testing.T, shb uint8, script, input string) {
		sh := Shell(shb%3 + 1)
		l := newLexer(script, sh)
		last := 0
		for i := 0; ; i++ {
			if i > 4*len(script)+8 {
				t.Fatalf("lexer does not terminate on %q", script)
			}
			tok := l.next()
			if tok.start < last || tok.end < tok.start || tok.end > len(script) {
				t.Fatalf("token %+v out of order (last end %d) in %q", tok, last, script)
			}
			last = tok.start
			if tok.kind == tEOF || tok.kind == tError {
				break
			}
		}
		JudgeScript(sh, script, input)
		JudgeArgs(input, "sh", "-c", script)
	})
}
