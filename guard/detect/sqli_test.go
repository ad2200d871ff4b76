package detect

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// sqlRule scans s and returns the SQL rule reported ("" for none).
func sqlRule(d *Detector, s string) string {
	for _, m := range d.Scan(nil, s, Input{Kind: Value}) {
		if m.Category == SQLi {
			return m.Rule
		}
	}
	return ""
}

// TestSQLWindows checks that the windowed judgement of long token streams
// finds position-independent injections wherever they sit relative to the
// window boundaries, and keeps long benign streams clean.
func TestSQLWindows(t *testing.T) {
	d := mustNew(t, Config{})
	attacks := []struct{ name, in, rule string }{
		{"union", "x) union select 1,2 from users", "sqli.union"},
		{"stacked", "x; drop table users; x", "sqli.stacked"},
		{"time", "x and sleep(5)", "sqli.time"},
		{"function", "x and extractvalue(1,concat(0x7e,version()))", "sqli.function"},
	}
	// "a, " lexes to two tokens: a pad of k units puts the payload at
	// token 2k, on both sides of each boundary.
	// (the big pads use the largest window: 40000 units are 120 KB)
	big := (sqlWindowMax - sqlLook) / 2
	for _, k := range []int{0, 300, (sqlWindow-sqlLook)/2 - 3, (sqlWindow-sqlLook)/2 + 1, sqlWindow/2 - 2, sqlWindow, 5000,
		40000 - 40000%big - 3, 40000 - 40000%big + 1, 40000 + sqlWindowMax/2 - 2} {
		pad := strings.Repeat("a, ", k)
		for _, a := range attacks {
			t.Run(a.name, func(t *testing.T) {
				if got := sqlRule(d, pad+a.in); got != a.rule {
					t.Errorf("after %d pad tokens: %q reported %q, want %q", 2*k, a.in, got, a.rule)
				}
			})
		}
	}
	for _, b := range []string{"It's O'Brien's, and D'Angelo's (1 or 2) - ", "x = 1, y = 2; ", "select the 3rd (or 4th) item; "} {
		t.Run("benign", func(t *testing.T) {
			s := strings.Repeat(b, 3*sqlWindow/len(b)+7)
			if got := sqlRule(d, s); got != "" {
				t.Errorf("%d bytes of %q reported %q", len(s), b, got)
			}
		})
	}
}

// TestSQLGrammar runs the SQL grammar over the contexts a fragment can be
// spliced into: numeric, string ('... and "...), identifier (backtick),
// ORDER BY, and the dialect syntax that hides keywords and literals.
// Benign rows are look-alikes from prose, math, code and SQL tutorials.
func TestSQLGrammar(t *testing.T) {
	d := mustNew(t, Config{})
	tests := []struct {
		name, in, rule string // rule "" = no SQL match
	}{
		// numeric context
		{"num or true", "12 or true", "sqli.numeric"},
		{"num and false", "3 AND FALSE", "sqli.numeric"},
		{"glued parens", "(5)or(5)", "sqli.numeric"},
		{"glued break", "5)or(5", "sqli.numeric"},
		{"symbolic and", "9 && 9", "sqli.numeric"},
		{"xor", "4 xor 4", "sqli.numeric"},
		{"div", "6 div 3", "sqli.numeric"},
		{"negated literal", "6 or not 0", "sqli.numeric"},
		{"not prose", "6 or not 7 apples", ""},
		{"like", "2 and 7 like 7", "sqli.tautology"},
		{"like literal", "2 and 7 like 8", "sqli.tautology"},
		{"between", "2 or 5 between 1 and 9", "sqli.boolean"},
		{"in list", "2 or 5 in (5,6)", "sqli.boolean"},
		{"is not null", "8 or 8 is not null", "sqli.tautology"},
		{"union no punctuation", "-3 union select password from accounts", "sqli.union"},
		{"scientific union", "2e0union select 3", "sqli.union"},
		// string and identifier contexts
		{"backtick break", "name`) or 2=2#", "sqli.tautology"},
		{"backtick at start", "`) or 3=3-- -", "sqli.tautology"},
		{"prefixed literals", "' or x'41'=x'41'--", "sqli.tautology"},
		{"bit literals", "5 and b'1'=b'1'", "sqli.tautology"},
		{"national literal", "' or N'q'=N'q'--", "sqli.tautology"},
		// ORDER BY / identifier: conditionals
		{"order by case", "(CASE WHEN 2=2 THEN title ELSE id END)", "sqli.conditional"},
		{"case nested parens", "price,(case when ((3>1)) then 1 else 2 end)", "sqli.conditional"},
		{"case probing", "(case when @@version like '8%' then 1 else 2 end)", "sqli.conditional"},
		{"if constant", "if(4=4,name,price)", "sqli.conditional"},
		// PostgreSQL
		{"cast chain", "' and 1=version()::int--", "sqli.boolean"},
		{"jsonb path", "' or meta->>'role'='admin'--", "sqli.boolean"},
		{"jsonb contains", "' or tags @> '{a}'--", "sqli.boolean"},
		{"jsonb path #>", "' or doc#>>'{a,b}'='x'--", "sqli.boolean"},
		{"dollar quoted", "1 and $q$x$q$=$q$x$q$", "sqli.tautology"},
		{"dollar union", "$$a$$ union select 3", "sqli.union"},
		{"pg_sleep stacked", "4; select pg_sleep(7)", "sqli.stacked"},
		// MySQL comments
		{"versioned comment", "2 /*!40000UNION*/ /*!40000SELECT*/ 3", "sqli.union"},
		{"inline comment space", "9 union/*x*/select 9", "sqli.union"},
		{"versioned keyword", "/*!12345select*/ name from t", "sqli.comment"},
		{"break then end", "x';", "sqli.comment"},
		{"catalog after from", "5 from information_schema.columns-- -", "sqli.catalog"},
		{"union without digits", "union select login from accounts", "sqli.union"},
		{"union nbsp", "3 union%a0select 3", "sqli.union"},
		{"line comment as space", "7--x\nOR--y\n7=7", "sqli.tautology"},
		{"hash comment as space", "7#x\nAND#y\n2>1", "sqli.tautology"},
		{"control byte blanks", "4\x01union\x01select\x014", "sqli.union"},
		{"parenthesised operands", "3 and (3)=(3)", "sqli.tautology"},
		{"comment still cuts", "adm'--\n", "sqli.comment"},
		{"concat any call", "x' || billing.refund('all', 99) || '", "sqli.concat"},
		{"declare batch", "DECLARE @q nvarchar(99) SET @q=0x41 EXEC(@q)", "sqli.statement"},
		// prose, math, code, tutorials
		{"declare prose", "I declare @maria the winner (by 3 votes)", ""},
		{"declare handle", "declare @maria the winner (by 3 votes)", ""},
		{"concat prose", "O'Reilly || Sons (2nd ed.) || 'x", ""},
		{"multi-line prose", "see the list -- items\nare 1 or 2 (today)", ""},
		{"union prose", "the union select committee met", ""},
		{"utf8 a0 byte", "voilà 1 union of both", ""},
		{"apostrophe semicolon", "It's done'; next step", ""},
		{"version prose", "What does version() return", ""},
		{"sleep prose", "I need sleep (8 hours)", ""},
		{"database plural", "Choose the database(s) you need", ""},
		{"select in prose", "Run SELECT version() to see your server version", ""},
		{"apples", "1 or 2 apples", ""},
		{"answer", "2 or 3", ""},
		{"like prose", "2 and 3 like this", ""},
		{"in prose", "1 or 2 in (the box)", ""},
		{"math", "x - 1", ""},
		{"names", "D'Angelo and O'Neil (2 people)", ""},
		{"markdown code", "use `SELECT count(*) FROM t` to count", ""},
		{"markdown where", "In SQL, `WHERE a = 1 OR b = 2` filters rows", ""},
		{"case tutorial", "CASE WHEN qty > 10 THEN 'bulk' ELSE 'single' END", ""},
		{"spreadsheet", "=IF(A1=1,\"yes\",\"no\")", ""},
		{"js", "if (a == 1 && b == 2) { return true; }", ""},
		{"dollars", "I'll pay $$ for it", ""},
		{"cpp", "a::b in C++", ""},
		{"cyrillic", "Часть 1 или 2 (вариант)", ""},
		{"japanese", "東京タワーは1958年に完成しました (東京)", ""},
		{"div prose", "we have 3 div elements", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sqlRule(d, tc.in); got != tc.rule {
				t.Errorf("%q: SQL rule %q, want %q", tc.in, got, tc.rule)
			}
		})
	}
}

// FuzzSQLLex checks the SQL lexer's invariants: tokens are non-empty,
// in order and inside the input, and lexing resumed where a bounded run
// stopped (as the windows of sqlJudge do) yields exactly the tokens of an
// unbounded run. It also runs the whole judgement (no panics).
func FuzzSQLLex(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{
		"$$a$$ union select 1", "$t$x$t$", "$a$ $b$ $c$", "x'41' b'1' N'a' e'\\n'", "n'a pas", "data->>'a' #>> '{a}' @> <@ ?| ?&",
		"1::int::text[]", "/*!50000union*/ /*", "`a``b`", "1e0union 0x1f 1.5e-3", "'a''b' \"c\"\"d\"", "#> #>>x # c\n1",
	} {
		f.Add(s)
	}
	d, err := New(Config{Categories: []Category{SQLi}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		all, stop := sqlLex(nil, b, 0, false, len(b)+1)
		if stop != len(b) {
			t.Fatalf("unbounded lex of %q stopped at %d", s, stop)
		}
		prev := 0
		for _, tk := range all {
			if tk.start < int32(prev) || tk.end <= tk.start || int(tk.end) > len(b) {
				t.Fatalf("lex %q: bad token [%d,%d) after %d", s, tk.start, tk.end, prev)
			}
			if want := tokProp[int(tk.typ)<<6|int(tk.kw)]; tk.p != want {
				t.Fatalf("lex %q: token %+v has properties %b, tokProp %b", s, tk, tk.p, want)
			}
			prev = int(tk.end)
		}
		var got []sqlToken
		for pos := 0; pos < len(b); {
			var part []sqlToken
			part, pos = sqlLex(nil, b, pos, false, 3)
			got = append(got, part...)
			if len(part) == 0 {
				break
			}
		}
		if len(got) != len(all) {
			t.Fatalf("lex %q: resumed in runs of 3 tokens: %d tokens, want %d", s, len(got), len(all))
		}
		for i := range all {
			if got[i] != all[i] {
				t.Fatalf("lex %q: token %d resumed %+v, want %+v", s, i, got[i], all[i])
			}
		}
		checkSQLTokensAtMost(t, b)
		_ = d.Scan(nil, s, Input{Kind: Value})
	})
}

// TestMinCatalogWord checks the length bound strongWord uses to reject
// short words early.
func TestMinCatalogWord(t *testing.T) {
	for _, w := range sqlCatalogWords {
		if len(w) < minCatalogWord {
			t.Errorf("sqlCatalogWords has %q, shorter than minCatalogWord %d", w, minCatalogWord)
		}
	}
}

// TestNumberBounds checks that numberBounds holds 2^k-1, 2^k and 2^k+1
// for k = 31, 32, 63, 64, and the whole-value forms overflowValue reads.
func TestNumberBounds(t *testing.T) {
	want := map[string]bool{}
	for _, k := range []uint{31, 32, 63, 64} {
		p := new(big.Int).Lsh(big.NewInt(1), k)
		for _, d := range []int64{-1, 0, 1} {
			want[new(big.Int).Add(p, big.NewInt(d)).String()] = true
		}
	}
	for _, b := range numberBounds {
		if !want[b] {
			t.Errorf("numberBounds has %s, not 2^k or one beside it", b)
		}
		delete(want, b)
	}
	for w := range want {
		t.Errorf("numberBounds lacks %s", w)
	}
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"2147483648", true}, {" -2147483649 ", true}, {"+4294967296", true}, {"9223372036854775807", true},
		{"0x7FFFFFFF", true}, {"0x80000000", true}, {"0xffffffffffffffff", true}, {"1e309", true}, {"1.5E+400", true},
		{"2.2250738585072011e-308", true}, {"2147483646", false}, {"02147483648", false}, {"0x7fffff", false},
		{"0x7ffffffe", false}, {"1e308", false}, {"1e-309", false}, {"2.2250738585072e-300", false}, {"1e", false},
		{"4294967296 bytes", false}, {"12345", false},
	} {
		t.Run(c.in, func(t *testing.T) {
			if got := overflowValue(c.in); got != c.want {
				t.Errorf("overflowValue(%q) = %v, want %v", c.in, got, c.want)
			}
		})
	}
	// a key is a name: JSON keys are often numbers or hex ("1e309")
	d := mustNew(t, Config{})
	for _, k := range []string{"1e309", "4294967296"} {
		for _, m := range d.Scan(nil, k, Input{Kind: Key}) {
			if m.Rule == "sqli.overflow" {
				t.Errorf("key %q reported %v", k, m)
			}
		}
	}
}

// TestCatalogWordHint checks the pre-filter's shortcut for a catalog
// object named alone: every name catalogObject accepts has a '_' or starts
// with "sys"/"msys" (or is Oracle's v$version), in any case and with blanks
// around it.
func TestCatalogWordHint(t *testing.T) {
	for _, w := range sqlCatalogWords {
		for _, v := range []string{w, strings.ToUpper(w), " " + w + " "} {
			if catalogObject([]byte(w)) && !catalogWordHint(v, classify(v)) {
				t.Errorf("catalogWordHint(%q) = false, but catalogObject(%q) holds", v, w)
			}
		}
	}
}

// TestSQLCatalogRefs checks qualified references to system catalogs as
// identifiers: alone as the value or where a table name goes, in any
// case, and the dotted names of code and prose that are not catalogs.
func TestSQLCatalogRefs(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"information_schema alone", "information_schema.columns", "sqli.catalog"},
		{"upper case", "INFORMATION_SCHEMA.TABLES", "sqli.catalog"},
		{"mysql grants", "mysql.db", "sqli.catalog"},
		{"sql server view", "sys.sql_logins", "sqli.catalog"},
		{"three parts", "master.dbo.sysdatabases", "sqli.catalog"},
		{"double dot", "master..sysobjects", "sqli.catalog"},
		{"after from", "select host from mysql.user", "sqli.catalog"},
		{"after join", "a join sys.objects", "sqli.catalog"},
		{"catalog word after from", "select name from sysobjects", "sqli.catalog"},
		{"oracle view after from", "select owner from all_tables", "sqli.catalog"},
		{"terminated", "pg_catalog.pg_user;", "sqli.catalog"},
		{"python module", "sys.path", ""},
		{"python call", "sys.exit", ""},
		{"host name", "mysql.example.com", ""},
		{"sentence", "mysql.user is a table in the docs", ""},
		{"tutorial", "Read about information schema views", ""},
		{"catalog table alone", "sysobjects", "sqli.catalog"},
		{"sqlite catalog alone", "sqlite_master", "sqli.catalog"},
		{"sqlite catalog terminated", "SQLITE_MASTER;", "sqli.catalog"},
		{"catalog column name alone", "table_name", ""},
		{"english plural alone", "schemata", ""},
		{"catalog word in a question", "what is sqlite_master", ""},
		{"from a prose word", "a letter from sysadmin", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sqlRule(d, c.in); got != c.want {
				t.Errorf("%q reported %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestSQLExpressionShapes checks the numeric-context operators, strings
// built from character codes and time functions judged by what surrounds
// the call.
func TestSQLExpressionShapes(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"unary not", "1 or !0", "sqli.numeric"},
		{"double not", "5 and !!5", "sqli.numeric"},
		{"bitwise not", "2 or ~1", "sqli.numeric"},
		{"rlike", "3 rlike 3", "sqli.numeric"},
		{"regexp", "7 regexp 7", "sqli.numeric"},
		{"an answer", "1 or 2", ""},
		{"exclamation", "1 or more!", ""},
		{"css", "3 or !important", ""},
		{"char plus char", "char(65)+char(66)", "sqli.char_build"},
		{"chr pipes", "chr(104)||chr(105)", "sqli.char_build"},
		{"form-encoded plus", "char(104)+char(105)+char(33)", "sqli.char_build"},
		{"concat of chars", "concat(char(104),char(105))", "sqli.char_build"},
		{"hex codes", "char(0x68)+char(0x69)", "sqli.char_build"},
		{"several codes", "char(104,105,33)", "sqli.char_build"},
		{"one code", "chr(10)", ""},
		{"variables", "char(a)+char(b)", ""},
		{"prose", "use char(10) to break a line", ""},
		{"sleep alone", "sleep(3)", "sqli.time"},
		{"sleep then comment", "sleep(3)-- -", "sqli.time"},
		{"sleep is null", "1 and sleep(3) is not null", "sqli.time"},
		{"sleep in prose", "sleep(8) hours tonight", ""},
		{"sleep is prose", "Sleep(8) is what I need", ""},
		{"sleep after a word", "I sleep(8) hours", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sqlRule(d, c.in); got != c.want {
				t.Errorf("%q reported %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestSQLBreakExpressions checks the expressions that continue a broken
// string: literals joined by operators right after the quote break, into
// the application's closing quote or a comment, and the quotes of prose.
func TestSQLBreakExpressions(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"or a string", "' or 'x", "sqli.boolean"},
		{"or a number, or the quote", "'or 7 or'", "sqli.boolean"},
		{"string minus the quote", "' or ''-'", "sqli.boolean"},
		{"xor of strings", "' xor ''^'", "sqli.boolean"},
		{"double quotes", `" or ""*"`, "sqli.boolean"},
		{"into a comment", "x' and 5 #", "sqli.boolean"},
		{"sounds like", "a' sounds like 'b", "sqli.boolean"},
		{"after leading blanks", "  ' / 2 / 2 ='", "sqli.boolean"},
		{"numeric order by", "4 order by 2", "sqli.order_by"},
		{"concatenation stays concat", "'||'", "sqli.concat"},
		{"expression then comment", " ( ( @v % 'q') )  --", "sqli.comment"},
		{"functions then comment", " ( BINARY TAN ( BINARY ( 'z')) )  #", "sqli.comment"},
		{"break, expression, comment", "' + ( CHAR ( 'k') )  --", "sqli.comment"},
		{"arithmetic then comment", "(3 * 4) --", ""},
		{"prose word in parentheses", "(note 'x') --", ""},
		{"expression with a remark", "(@a + 'b') -- see above", ""},
		{"adjacent literals", "' '", "sqli.concat"},
		{"adjacent after a token", "x' '", "sqli.concat"},
		{"adjacent, form-encoded", "7'+'", "sqli.concat"},
		{"quoted words", "'hi' 'there'", ""},
		{"empty string equals a word", "'='or'", "sqli.boolean"},
		{"equals a word, double quotes", `"="x"`, "sqli.boolean"},
		{"equals a phrase", "'='two words'", ""},
		{"quoted keywords of prose", `"and" or "or"?`, ""},
		{"order by with direction", "3 order by 1 desc", "sqli.order_by"},
		{"remark after a function name", "database (SQL)", ""},
		{"glued call", "database()", "sqli.function"},
		{"prose quote", "I said ' or 'maybe", ""},
		{"heights", "5' - 6'", ""},
		{"song", "rock 'n' roll or 'jazz", ""},
		{"long tail", "' or 'a long remark", ""},
		{"order by a time", "2 order by 5pm", ""},
		{"arithmetic", "5 > 3 and 2 < 4", ""},
		{"equalities stay", "1=1 and 2=2", "sqli.tautology"},
		{"equations", "1 + 1 = 2 and 2 * 3 = 6", ""},
		{"three equations", "3 * 4 = 12 or 4 * 3 = 12 and 10 / 2 = 5", ""},
		{"an equation then a literal condition", "1 + 1 = 2 and 2 = 2", "sqli.tautology"},
		{"equations after a quote", "' or 1 + 1 = 2 and 2 * 3 = 6", "sqli.tautology"},
		{"inequality after a number", "1 or 2>1", "sqli.tautology"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sqlRule(d, c.in); got != c.want {
				t.Errorf("%q reported %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestSQLWholeStatements checks whole values that are data- or schema-
// changing statements without SQL punctuation, judged by their grammar,
// against prose and labels that start with the same verb; and the other
// whole-value shapes of numeric context and information functions.
func TestSQLWholeStatements(t *testing.T) {
	d := mustNew(t, Config{})
	cases := []struct{ name, in, want string }{
		{"update set", "update accounts set role=2", "sqli.statement"},
		{"update set where", "UPDATE accounts SET role='admin' WHERE id=7", "sqli.statement"},
		{"update two columns", "update t set a=1, b='x';", "sqli.statement"},
		{"delete from", "delete from orders", "sqli.statement"},
		{"delete where", "delete from orders where id=1;", "sqli.statement"},
		{"delete, keywords in capitals", "DELETE FROM orders", "sqli.statement"},
		{"drop table", "drop table sessions", "sqli.statement"},
		{"truncate table", "truncate table logs", "sqli.statement"},
		{"drop if exists", "drop table if exists sessions", "sqli.statement"},
		{"alter add", "alter table accounts add column x int", "sqli.statement"},
		{"create user identified", "create user eve identified by 'pw'", "sqli.statement"},
		{"charset switch", "ALTER TABLE t CONVERT TO CHARACTER SET latin1", "sqli.statement"},
		{"exec dynamic sql", "exec(@q)", "sqli.statement"},
		{"execute immediate", "EXECUTE IMMEDIATE 'SELECT 2'", "sqli.statement"},
		{"exec prose", "exec summary due friday", ""},
		{"select a number", "SELECT 7", ""},
		{"select null", "select null", "sqli.statement"},
		{"select a server function", "select session_user", "sqli.statement"},
		{"select from dual", "select 1 from dual", "sqli.statement"},
		{"select words terminated", "select email from accounts;", "sqli.statement"},
		{"select words", "select email from accounts", ""},
		{"select instruction", "select size from dropdown", ""},
		{"select with a clause", "select email from accounts where id = 2", "sqli.statement"},
		{"select with an empty clause", "select a from b where", ""},
		{"select with order by", "select email from accounts order by 1", "sqli.statement"},
		{"select a count of things", "select 3 colors", ""},
		{"verb alone", "truncate", ""},
		{"drop table without a name", "drop table", ""},
		{"verb and blanks", "select  ", ""},
		{"t-sql if statement", "IF(4=5) SELECT 4 ELSE DROP FUNCTION f--", "sqli.conditional"},
		{"if of code", "if(a=b) then c", ""},
		{"exec parenthetical", "exec (the plan)", ""},
		{"exec remark", "exec (ceo)", ""},
		{"delete prose", "delete from orders that were cancelled", ""},
		{"update prose", "update accounts set by the admin team", ""},
		{"sentence-case label", "Delete from cart", ""},
		{"sentence-case drop", "Drop table tennis", ""},
		{"title-case label", "Delete From Cart", ""},
		{"capitals of a search", "DROP TABLE LAMP", ""},
		{"upper-case keywords, lower-case name", "DROP TABLE sessions", "sqli.statement"},
		{"create label", "create user account", ""},
		{"update then prose", "update t set a=1 for me", ""},
		{"signed after or", "1 or -1", "sqli.numeric"},
		{"hex after or", "7 or 0x1", "sqli.numeric"},
		{"signs on both sides", "+1 or -1", ""},
		{"numbers listed", "5 and -3", ""},
		{"signed with a unit", "1 or -1 degrees", ""},
		{"user call alone", "user()", "sqli.function"},
		{"user call after or", "1 or user()", "sqli.function"},
		{"user call in code", "print(user())", ""},
		{"users plural", "user(s)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := sqlRule(d, c.in); got != c.want {
				t.Errorf("%q reported %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// checkSQLTokensAtMost checks that sqlTokensAtMost bounds the tokens the
// lexer makes of b from every position (sqlJudge sizes its token buffer
// by it), in both modes of '+'.
func checkSQLTokensAtMost(t *testing.T, b []byte) {
	t.Helper()
	for from := 0; from < len(b); from++ {
		for _, plus := range []bool{false, true} {
			toks, _ := sqlLex(nil, b, from, plus, len(b)+1)
			if bound := sqlTokensAtMost(b[from:], len(b)+1); len(toks) > bound {
				t.Fatalf("%q from %d (plus %v): %d tokens, bound %d", b, from, plus, len(toks), bound)
			}
		}
	}
}

func TestSQLTokensAtMost(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", "select from users ", "$$$$$$$$$$$$", "$a$x$a$bc$$", "1e0union 0x41select 1.5e-3x", "'a''b' \"c\"\"d\"",
		"x'41' b'1' N'a' e'\\n'", "/*!50000union*/ /* x", "a.b.c d. .5e", "`a``b` `c", "1,1,1,1", "@@version @a.b", "-- x\n--\n1",
		"\xc3\xa0\xa0a \xa0b", "+a+b+", "#> #>>x # c\n1", "'or''or''or'", "ｓｅｌｅｃｔ",
	} {
		checkSQLTokensAtMost(t, []byte(s))
	}
	if got := sqlTokensAtMost([]byte("select from users "), 100); got != 3 {
		t.Errorf("sqlTokensAtMost(3 words) = %d, want 3", got)
	}
	if got := sqlTokensAtMost([]byte(",,,,,,,,"), 5); got != 5 {
		t.Errorf("sqlTokensAtMost stops at its limit: %d, want 5", got)
	}
}

// FuzzSQLLexResume: sqlJudge starts a window with the last one's tokens
// from a position on, and lexes on where the last one stopped; that must be
// what lexing again from the first of those tokens gives (the lexer reads
// nothing before its position).
func FuzzSQLLexResume(f *testing.F) {
	for _, s := range []string{"'or''or''or''or'", "a, b /* c */ d -- e\n f # g\n 'h' 1e5 x'41' @@v $$q$$ `t` (1)", "union/**/select 1--", "+a+b", strings.Repeat("x = 1, ", 20)} {
		f.Add(s, uint8(3), uint8(1), false)
	}
	f.Fuzz(func(t *testing.T, s string, max, back uint8, plus bool) {
		b := []byte(s)
		m := int(max%24) + 1
		first, stop := sqlLex(nil, b, 0, plus, m)
		if len(first) == 0 || stop >= len(b) {
			return
		}
		j := int(back) % len(first)
		carried, s1 := sqlLex(append([]sqlToken(nil), first[j:]...), b, stop, plus, m)
		again, s2 := sqlLex(nil, b, int(first[j].start), plus, m)
		if s1 != s2 || !slices.Equal(carried, again) {
			t.Fatalf("%q from token %d of %d: carried %v stop %d, lexed again %v stop %d", s, j, len(first), carried, s1, again, s2)
		}
	})
}

// comparableRef is comparable as it read the token types and keywords
// before tokProp: opLeaves, comparable and continuesOperand must answer as
// it (and boolLeaves) does at every position of every value.
func comparableRef(x *sqlCtx, i int) bool {
	continues := func(i int) bool {
		if i >= len(x.t) {
			return true
		}
		t := &x.t[i]
		return t.typ == tkOp || t.typ == tkLParen || t.typ == tkWord && kwContinues[t.kw]
	}
	if i < len(x.t) {
		if t := &x.t[i]; t.typ == tkNum || t.typ == tkStr || t.typ == tkVar || t.typ == tkWord && kwOperand[t.kw] {
			return continues(i + 1)
		} else if t.typ == tkWord && t.kw != kwNot {
			return false
		}
	}
	return x.comparableAfter(i)
}

// TestTokProp checks comparable and opLeaves (tokProp's readers) against
// comparableRef and boolLeaves on the tokens of SQL, prose and storms,
// with the literal run (litEnd) before and after each position.
func TestTokProp(t *testing.T) {
	for typ := range sqlTokType(16) {
		for kw := range uint8(64) {
			p := tokProp[int(typ)<<6|int(kw)]
			if p&propOperand != 0 && p&propPlain != 0 {
				t.Fatalf("tokProp[%d,%d] = %b: an operand and a plain word", typ, kw, p)
			}
		}
	}
	values := []string{
		"' or 1=1--", "1 or 'a'='a'", "x or not y", "a or -1 like 2", "a and (b) or c is null", "a or b(1) or c.d or @v or 'x' between 1 and 2",
		"or true or false or null or case when 1 then 2 end or x in (1) or y regexp 'z' or 1 div 2 or 'a' sounds like 'b'",
		strings.Repeat("'or'", 40), strings.Repeat(" or 1", 40), strings.Repeat(" or ((1))=1", 30), strings.Repeat("a or ~b or !c or +d ", 10),
		"1)))) and 1=1 or x", "select a from b where c or d and e xor f || g && h",
	}
	for _, v := range values {
		b := []byte(v)
		toks, _ := sqlLex(nil, b, 0, false, len(b)+1)
		for _, litEnd := range []int{0, len(toks)} {
			x := &sqlCtx{b: b, t: toks, litEnd: litEnd}
			for i := range len(toks) + 2 {
				if got, want := x.comparable(i), comparableRef(x, i); got != want {
					t.Fatalf("%q: comparable(%d) = %v, comparableRef %v", v, i, got, want)
				}
				if i < len(toks) {
					if got, want := x.opLeaves(i), x.boolLeaves(i); got != want {
						t.Fatalf("%q: opLeaves(%d) = %v, boolLeaves %v", v, i, got, want)
					}
				}
			}
		}
	}
}

// TestKeyword2 checks the lexer's two-byte keyword2 against keyword on
// every two-byte word.
func TestKeyword2(t *testing.T) {
	for c := range 1 << 16 {
		w := []byte{byte(c >> 8), byte(c)}
		if got, want := keyword2(w[0], w[1]), keyword(w); got != want {
			t.Fatalf("keyword2(%q) = %d, keyword %d", w, got, want)
		}
	}
}

// fromCatalogRef is fromCatalog as it read every byte: the eight-byte
// skip to the next f or j must find what it finds.
func fromCatalogRef(s string) bool {
	for i := 0; i+5 < len(s); i++ {
		if c := s[i] | 0x20; c != 'f' && c != 'j' || i > 0 && isWordByte[s[i-1]] && !numberGlued(s, i) || !foldPrefix(s[i:], "from") && !foldPrefix(s[i:], "join") {
			continue
		}
		k := i + 4
		if !isSpace(s[k]) {
			continue
		}
		for k < len(s) && isSpace(s[k]) {
			k++
		}
		var buf [96]byte
		e := k
		for e < len(s) && e-k < len(buf) && (isWordByte[s[e]] || s[e] == '.' || s[e] == '$') {
			buf[e-k] = lower(s[e])
			e++
		}
		if w := buf[:e-k]; e > k && (e == len(s) || !isWordByte[s[e]] && s[e] != '.') && (strongWord(w) || catalogRef(w)) {
			return true
		}
		i = k - 1
	}
	return false
}

// TestFromCatalogSkip compares fromCatalog with fromCatalogRef on values
// built of FROM/JOIN (any case), catalog names, other words and bytes
// that fold to f and j, at every offset of the eight-byte blocks.
func TestFromCatalogSkip(t *testing.T) {
	parts := []string{"from ", "FROM ", "join ", "JoIn ", "information_schema.tables", "sysobjects", "users", "mysql.user", " ", "f", "j", "F", "J", "\x46", "x", "1", ".", "$", "fromage ", "9from ", "\tfrom\t", "pg_shadow", "ｆｒｏｍ "}
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		var b strings.Builder
		for range 1 + r.IntN(12) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		s := b.String()
		for k := range min(len(s), 9) {
			if got, want := fromCatalog(s[k:]), fromCatalogRef(s[k:]); got != want {
				t.Fatalf("fromCatalog(%q) = %v, fromCatalogRef %v", s[k:], got, want)
			}
		}
	}
}

// FuzzFromCatalog compares fromCatalog with fromCatalogRef.
func FuzzFromCatalog(f *testing.F) {
	for _, s := range []string{"select a from information_schema.tables", "x JOIN sysobjects", "ffffffffjjjjjjjj from users", "1from pg_user"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fromCatalog(s), fromCatalogRef(s); got != want {
			t.Fatalf("fromCatalog(%q) = %v, fromCatalogRef %v", s, got, want)
		}
	})
}

func TestDollarDelimEnd(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"$$ || x", 2},
		{"$tag$ union", 5},
		{"x$_t1$;", 6},
		{"$5 and $10", -1},
		{"$1$abc", -1}, // a tag does not start with a digit; "$abc" is not closed
		{"price $", -1},
		{"", -1},
		{"$a b$", -1},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := dollarDelimEnd([]byte(c.in)); got != c.want {
				t.Errorf("dollarDelimEnd(%q) = %d, want %d", c.in, got, c.want)
			}
		})
	}
}
