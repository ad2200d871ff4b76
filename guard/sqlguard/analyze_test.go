package sqlguard

import (
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard"
)

// sqlCase is a statement as the vulnerable (or safe) code built it, and the
// input the code put in it.
type sqlCase struct {
	name    string
	dialect Dialect
	stmt    string // with {} where the code inserted the input; no {} means the input did not go in
	input   string
	rule    string
}

// statement builds the statement for dialect d: {p} is d's placeholder.
func (c sqlCase) statement(d Dialect) string {
	p := "?"
	if d == PostgreSQL {
		p = "$1"
	}
	return strings.ReplaceAll(strings.ReplaceAll(c.stmt, "{p}", p), "{}", c.input)
}

// notMySQL marks a case that holds in every dialect but MySQL.
const notMySQL Dialect = 255

var all = []Dialect{Generic, PostgreSQL, MySQL, SQLite}

// injections: the input changes the statement, in every dialect unless
// stated otherwise.
var injections = []sqlCase{
	{name: "quote tautology", stmt: "SELECT * FROM users WHERE name = '{}'", input: "x' OR '1'='1", rule: RuleTautology},
	{name: "numeric tautology", stmt: "SELECT * FROM users WHERE id = {}", input: "1 OR 1=1", rule: RuleTautology},
	{name: "or true", stmt: "SELECT * FROM users WHERE id = {}", input: "0 or true", rule: RuleTautology},
	{name: "literal equals itself", stmt: "SELECT * FROM users WHERE name = '{}'", input: "a'='a", rule: RuleTautology},
	{name: "comment cuts password check", dialect: notMySQL, stmt: "SELECT * FROM users WHERE name = '{}' AND password = 'x'", input: "admin'--", rule: RuleComment},
	{name: "block comment", stmt: "SELECT * FROM users WHERE name = '{}' AND active", input: "admin'/*", rule: RuleComment},
	{name: "stacked drop", stmt: "SELECT * FROM items WHERE id = {}", input: "1; DROP TABLE items", rule: RuleStacked},
	{name: "union in string", stmt: "SELECT name FROM items WHERE category = '{}'", input: "' UNION SELECT password FROM users WHERE '1'='1", rule: RuleUnion},
	{name: "union numeric", stmt: "SELECT name, price FROM items WHERE id = {} LIMIT 1", input: "-1 UNION SELECT username, password FROM users", rule: RuleUnion},
	{name: "sort column subquery", stmt: "SELECT * FROM items ORDER BY {}", input: "(SELECT password FROM users LIMIT 1)", rule: RuleStructure},
	{name: "sort column case", stmt: "SELECT * FROM items ORDER BY {}", input: "CASE WHEN 1=1 THEN name ELSE price END"},
	{name: "time based", stmt: "SELECT * FROM items WHERE id = {}", input: "1 AND sleep(5)", rule: RuleStructure},
	{name: "function call", stmt: "SELECT * FROM items WHERE id = {}", input: "pg_sleep(10)", rule: RuleStructure},
	{name: "breaks out of IN list", stmt: "SELECT * FROM items WHERE id IN ({})", input: "1) AND (SELECT 1", rule: RuleStructure},
	{name: "limit clause", stmt: "SELECT * FROM items LIMIT {}", input: "1 INTO OUTFILE '/tmp/x'", rule: RuleStructure},
	{name: "whole statement from input", stmt: "{}", input: "DELETE FROM users", rule: RuleStructure},
	{name: "like pattern escape", stmt: "SELECT * FROM items WHERE name LIKE '%{}%'", input: "%' AND 1=0 UNION SELECT password FROM users --"},
	{name: "subquery comparison", stmt: "SELECT * FROM t WHERE a = '{}'", input: "x' AND (SELECT COUNT(*) FROM users) > 0 AND 'b'='b", rule: RuleTautology},
	{name: "keyword in number position", stmt: "UPDATE items SET price = {} WHERE id = 3", input: "0, name = (SELECT password FROM users LIMIT 1)", rule: RuleStructure},

	{name: "mysql hash comment", dialect: MySQL, stmt: "SELECT * FROM users WHERE name = '{}' AND password = 'x'", input: "admin'#", rule: RuleComment},
	{name: "mysql double-quoted string", dialect: MySQL, stmt: `SELECT * FROM users WHERE name = "{}"`, input: `x" OR "1"="1`, rule: RuleTautology},
	{name: "mysql pipes are or", dialect: MySQL, stmt: "SELECT * FROM users WHERE id = {}", input: "1 || 1", rule: RuleTautology},
	{name: "mysql dash-dash-space", dialect: MySQL, stmt: "SELECT * FROM users WHERE name = '{}' AND password = 'x'", input: "admin'-- ", rule: RuleComment},
	{name: "mysql executable comment", dialect: MySQL, stmt: "SELECT * FROM t WHERE id = {}", input: "1 /*!UNION*/ SELECT 2", rule: RuleComment},
	{name: "postgres backslash is not an escape", dialect: PostgreSQL, stmt: "SELECT * FROM users WHERE name = '{}'", input: `\' OR 1=1 --`, rule: RuleComment},
	{name: "postgres dollar quote", dialect: PostgreSQL, stmt: "SELECT * FROM t WHERE id = {}", input: "1; DO $$ BEGIN PERFORM pg_sleep(5); END $$", rule: RuleStacked},
	{name: "postgres cast", dialect: PostgreSQL, stmt: "SELECT * FROM t WHERE id = {}", input: "1::int OR 1=1", rule: RuleTautology},
	{name: "sqlite attach", dialect: SQLite, stmt: "SELECT * FROM t WHERE id = {}", input: "1; ATTACH DATABASE '/tmp/x' AS x", rule: RuleStacked},
}

// benign: the input occurs in the statement and changes nothing.
var benign = []sqlCase{
	{name: "numeric id", stmt: "SELECT * FROM items WHERE id = {}", input: "42"},
	{name: "negative number", stmt: "SELECT * FROM items WHERE delta = {}", input: "-15"},
	{name: "decimal", stmt: "SELECT * FROM items WHERE price < {}", input: "19.99"},
	{name: "search word inside a literal", stmt: "SELECT * FROM items WHERE name LIKE '%{}%'", input: "select"},
	{name: "sentence inside a literal", stmt: "SELECT * FROM posts WHERE title = '{}'", input: "Drop the table or leave it -- your call; 1=1"},
	{name: "sort column", stmt: "SELECT * FROM items ORDER BY {}", input: "created_at"},
	{name: "sort column with direction", stmt: "SELECT * FROM items ORDER BY {}", input: "price DESC"},
	{name: "sort list", stmt: "SELECT * FROM items ORDER BY {} LIMIT 10", input: "category ASC, price DESC NULLS LAST"},
	{name: "qualified sort column", stmt: "SELECT * FROM items i ORDER BY {}", input: "i.name"},
	{name: "numeric list", stmt: "SELECT * FROM items WHERE id IN ({})", input: "1, 2, 3"},
	{name: "IN list of literals", stmt: "SELECT * FROM items WHERE tag IN ({})", input: "'red','green'"},
	{name: "IN list with parentheses", stmt: "SELECT * FROM items WHERE id IN {}", input: "(4,5,6)"},
	{name: "one whole literal", stmt: "SELECT * FROM items WHERE name = {}", input: "'lamp'"},
	{name: "name with apostrophe as parameter", stmt: "SELECT * FROM users WHERE name = {p}", input: "O'Brien"},
	{name: "attack text as parameter", stmt: "SELECT * FROM users WHERE name = {p}", input: "' OR '1'='1"},
	{name: "search words coincide with the statement", stmt: "SELECT id FROM docs WHERE body = {p} ORDER BY rank", input: "ORDER BY"},
	{name: "statement prefix coincidence", stmt: "SELECT * FROM docs WHERE q = {p}", input: "SELECT *"},
	{name: "table name coincidence", stmt: "SELECT * FROM docs WHERE q = {p}", input: "FROM docs"},
	{name: "column coincidence", stmt: "SELECT name, email FROM users WHERE id = {p}", input: "name, email"},
	{name: "value in a comment of the program", stmt: "SELECT 1 /* {} */", input: "health check"},
	{name: "escaped apostrophe", stmt: "SELECT * FROM users WHERE name = 'O''Brien'", input: "O'Brien"},
	{name: "email", stmt: "SELECT * FROM users WHERE email = '{}'", input: "ann.o-neil+tag@example.com"},
	{name: "uuid", stmt: "SELECT * FROM orders WHERE id = '{}'", input: "6f1c2a1e-8d4b-4c41-9a0e-1b2c3d4e5f60"},
	{name: "date", stmt: "SELECT * FROM orders WHERE day >= '{}'", input: "2024-01-31"},
	{name: "two words unquoted are identifiers", stmt: "SELECT {} FROM t", input: "first_name, last_name"},
	{name: "mysql backslash keeps it in the string", dialect: MySQL, stmt: "SELECT * FROM users WHERE name = '{}'", input: `\' OR 1=1 --`},
	{name: "postgres dollar-quoted text", dialect: PostgreSQL, stmt: "SELECT $${}$$", input: "it's OR 1=1 -- fine"},
	{name: "postgres E string", dialect: PostgreSQL, stmt: "SELECT * FROM t WHERE a = E'{}'", input: `\' OR 1=1`},
	{name: "sqlite bracket identifier", dialect: SQLite, stmt: "SELECT [{}] FROM t", input: "order id"},
}

func TestJudgeInjections(t *testing.T) {
	for _, c := range injections {
		for _, d := range dialects(c) {
			t.Run(d.String()+"/"+c.name, func(t *testing.T) {
				stmt := c.statement(d)
				v, rule := Judge(d, stmt, c.input)
				if v != guard.SinkInjection || c.rule != "" && rule != c.rule {
					t.Errorf("Judge(%s, %q, %q) = %v %q, want injection %q", d, stmt, c.input, v, rule, c.rule)
				}
			})
		}
	}
}

func TestJudgeBenign(t *testing.T) {
	for _, c := range benign {
		for _, d := range dialects(c) {
			t.Run(d.String()+"/"+c.name, func(t *testing.T) {
				stmt := c.statement(d)
				if strings.Contains(c.stmt, "{}") && !strings.Contains(stmt, c.input) {
					t.Fatalf("bad case: input not in statement")
				}
				if v, rule := Judge(d, stmt, c.input); v != guard.SinkSafe {
					t.Errorf("Judge(%s, %q, %q) = %v %q, want safe", d, stmt, c.input, v, rule)
				}
			})
		}
	}
}

// dialects lists the dialects a case applies to: its own, or all four.
func dialects(c sqlCase) []Dialect {
	if c.dialect == notMySQL {
		return []Dialect{Generic, PostgreSQL, SQLite}
	}
	if c.dialect != Generic {
		return []Dialect{c.dialect}
	}
	return all
}

func TestJudgeSyntaxIsMonitorOnly(t *testing.T) {
	for _, d := range all {
		stmt := "SELECT * FROM users WHERE name = 'O'Brien'"
		v, rule := Judge(d, stmt, "O'Brien")
		if v != guard.SinkSuspect || rule != RuleSyntax {
			t.Errorf("%s: O'Brien concatenated = %v %q, want suspect %q", d, v, rule, RuleSyntax)
		}
		// A statement broken before the input is not the input's doing.
		if v, _ := Judge(d, "SELECT 'unterminated, 42 FROM t", "42"); v != guard.SinkSafe {
			t.Errorf("%s: broken statement blamed on an input inside it: %v", d, v)
		}
	}
}

func TestJudgeShortAndAbsentInputs(t *testing.T) {
	stmt := "SELECT * FROM t WHERE a = 1 OR b = 2"
	for _, in := range []string{"", "'", "1", "not there", stmt + " and more"} {
		if v, _ := Judge(Generic, stmt, in); v != guard.SinkSafe {
			t.Errorf("Judge(%q) = %v, want safe", in, v)
		}
	}
}

func TestDialectFor(t *testing.T) {
	for name, want := range map[string]Dialect{
		"postgres": PostgreSQL, "pgx": PostgreSQL, "pgx/v5": PostgreSQL, "cloudsqlpostgres": PostgreSQL,
		"mysql": MySQL, "mariadb": MySQL, "sqlite": SQLite, "sqlite3": SQLite, "oracle": Generic, "": Generic,
	} {
		if got := DialectFor(name); got != want {
			t.Errorf("DialectFor(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestLexerTokens(t *testing.T) {
	tests := []struct {
		d     Dialect
		stmt  string
		kinds []kind
	}{
		{Generic, "SELECT a, 'b''c' FROM t -- x", []kind{tKeyword, tIdent, tComma, tString, tKeyword, tIdent, tComment}},
		{PostgreSQL, "SELECT $1::text, $q$it's$q$ /* a /* b */ c */", []kind{tKeyword, tParam, tOperator, tIdent, tComma, tString, tComment}},
		{MySQL, `SELECT "a\"b", ` + "`c`" + ` # x`, []kind{tKeyword, tString, tComma, tQIdent, tComment}},
		{MySQL, "SELECT 1--1", []kind{tKeyword, tNumber, tOperator, tNumber}},
		{SQLite, "SELECT [a b], :n, ?2 FROM t WHERE x = -3", []kind{tKeyword, tQIdent, tComma, tParam, tComma, tParam, tKeyword, tIdent, tKeyword, tIdent, tOperator, tNumber}},
		{Generic, "SELECT 'open", []kind{tKeyword, tError}},
	}
	for _, tt := range tests {
		t.Run(tt.d.String()+"/"+tt.stmt, func(t *testing.T) {
			l := lexer{src: tt.stmt, d: tt.d}
			var got []kind
			for tok := l.next(); tok.kind != tEOF; tok = l.next() {
				got = append(got, tok.kind)
			}
			if len(got) != len(tt.kinds) {
				t.Fatalf("kinds = %v, want %v", got, tt.kinds)
			}
			for i := range got {
				if got[i] != tt.kinds[i] {
					t.Fatalf("kinds = %v, want %v", got, tt.kinds)
				}
			}
		})
	}
}
