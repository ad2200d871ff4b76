package main

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/sqlguard"
)

// sqlCase is a call of vulnerable or safe code against a real database:
// stmt has {} where the code concatenated the input and {p} for the
// driver's placeholder (the input is then passed as the argument).
type sqlCase struct {
	name    string
	stmt    string
	input   string
	blocked bool
	rows    int // rows returned when not blocked (-1: not a query, or the database rejects it)
}

var sqlCases = []sqlCase{
	{"union exfiltration", "SELECT name FROM items WHERE id = {}", "0 UNION SELECT password FROM users", true, 0},
	{"tautology", "SELECT name FROM items WHERE id = {}", "1 OR 1=1", true, 0},
	{"quote tautology", "SELECT name FROM items WHERE name = '{}'", "x' OR 'a'='a", true, 0},
	{"comment", "SELECT name FROM users WHERE name = '{}' AND password = 'wrong'", "admin'--", true, 0},
	{"stacked drop", "SELECT name FROM items WHERE id = {}", "1; DROP TABLE users", true, 0},
	{"subquery in ORDER BY", "SELECT name FROM items ORDER BY {}", "(SELECT password FROM users LIMIT 1)", true, 0},
	{"IN list breakout", "SELECT name FROM items WHERE id IN ({})", "1) OR (1=1", true, 0},

	{"numeric id", "SELECT name FROM items WHERE id = {}", "2", false, 1},
	{"sort column", "SELECT name FROM items ORDER BY {}", "price DESC", false, 3},
	{"sort list", "SELECT name FROM items ORDER BY {}", "name ASC, id DESC", false, 3},
	{"numeric list", "SELECT name FROM items WHERE id IN ({})", "1, 3", false, 2},
	{"search word in a literal", "SELECT name FROM items WHERE name LIKE '%{}%'", "amp", false, 1},
	{"apostrophe as parameter", "SELECT name FROM users WHERE name = {p}", "O'Brien", false, 0},
	{"attack text as parameter", "SELECT name FROM items WHERE name = {p}", "x' OR 'a'='a", false, 0},
	{"union text as parameter", "SELECT name FROM items WHERE name = {p} ORDER BY name", "ORDER BY", false, 0},
}

func runSQLCases(t *testing.T, db *sql.DB, placeholder string) {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	ctx0 := context.Background()
	for _, s := range []string{
		"DROP TABLE IF EXISTS items", "DROP TABLE IF EXISTS users",
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)",
		"CREATE TABLE users (name TEXT, password TEXT)",
		"INSERT INTO items VALUES (1, 'lamp', 19.5), (2, 'desk', 120), (3, 'chair', 45)",
		"INSERT INTO users VALUES ('admin', 'hunter2')",
	} {
		if _, err := db.ExecContext(ctx0, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, c := range sqlCases {
		t.Run(c.name, func(t *testing.T) {
			inv := &guard.Invocation{Source: guard.SourceHTTP, Query: []guard.Param{{Name: "q", Value: c.input}}}
			ctx, end := guard.NewContext(ctx0, g, inv)
			defer end()
			stmt := strings.ReplaceAll(strings.ReplaceAll(c.stmt, "{p}", placeholder), "{}", c.input)
			var args []any
			if strings.Contains(c.stmt, "{p}") {
				args = append(args, c.input)
			}
			rows, err := db.QueryContext(ctx, stmt, args...)
			if c.blocked {
				if !errors.Is(err, guard.ErrBlocked) {
					if err == nil {
						rows.Close()
					}
					t.Fatalf("%q: error %v, want ErrBlocked", stmt, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%q: %v", stmt, err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != c.rows {
				t.Errorf("%q returned %d rows, want %d", stmt, n, c.rows)
			}
		})
	}
	// The stacked DROP never ran: users is still there.
	var n int
	if err := db.QueryRowContext(ctx0, "SELECT count(*) FROM users").Scan(&n); err != nil || n != 1 {
		t.Fatalf("users table after the attacks: %d rows, %v", n, err)
	}
}

// Real SQLite (modernc.org/sqlite, pure Go) in every go test.
func TestSQLiteSinks(t *testing.T) {
	db, err := sqlguard.Open("sqlite", t.TempDir()+"/test.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	runSQLCases(t, db, "?")
}

// Real PostgreSQL through pgx's database/sql driver. .ci/run starts a
// server and sets TEST_POSTGRES_DSN; without one the test skips,
// except in CI (CI=true), where it fails.
func TestPostgresSinks(t *testing.T) {
	dsn := os.Getenv("TEST_POSTGRES_DSN")
	unavailable := func(why string) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL integration test cannot run in CI: %s (.ci/run must start the server and export TEST_POSTGRES_DSN)", why)
		}
		t.Skipf("no PostgreSQL server: %s; set TEST_POSTGRES_DSN (e.g. postgres://postgres@127.0.0.1:5432/postgres) or run .ci/run", why)
	}
	if dsn == "" {
		unavailable("TEST_POSTGRES_DSN is not set")
	}
	db, err := sqlguard.Open("pgx", dsn)
	if err != nil {
		unavailable(err.Error())
	}
	defer db.Close()
	if err := db.PingContext(context.Background()); err != nil {
		unavailable("cannot reach " + dsn + ": " + err.Error())
	}
	runSQLCases(t, db, "$1")
}
