package sqlguard

import "testing"

// FuzzLexer: the lexer terminates, never panics and returns ordered tokens
// inside the statement; Judge never panics, in any dialect.
func FuzzLexer(f *testing.F) {
	for _, c := range injections {
		f.Add(uint8(0), c.statement(Generic), c.input)
	}
	for _, c := range benign {
		f.Add(uint8(1), c.statement(PostgreSQL), c.input)
	}
	f.Add(uint8(1), "SELECT $a$ x $a$, E'\\'', /* /* */ */ 1", "x")
	f.Add(uint8(2), "SELECT `a`, \"b\\\"\", # c\n 1--1", "1--1")
	f.Fuzz(func(t *testing.T, db uint8, stmt, input string) {
		d := Dialect(db % 4)
		l := lexer{src: stmt, d: d}
		last := 0
		for i := 0; ; i++ {
			if i > len(stmt)+1 {
				t.Fatalf("lexer does not terminate on %q", stmt)
			}
			tok := l.next()
			if tok.start < last || tok.end < tok.start || tok.end > len(stmt) || tok.kind != tEOF && tok.end == tok.start {
				t.Fatalf("token %+v out of order (last %d) in %q", tok, last, stmt)
			}
			last = tok.end
			if tok.kind == tEOF {
				break
			}
		}
		Judge(d, stmt, input)
	})
}
