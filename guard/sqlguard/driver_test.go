package sqlguard_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/sqlguard"
)

// recDriver is a minimal database/sql driver that records every statement
// that reaches it; the real-database tests live in the integration module.
type recDriver struct {
	mu    sync.Mutex
	seen  []string
	plain bool // implement only driver.Conn (no ExecerContext/QueryerContext)
}

func (d *recDriver) Open(string) (driver.Conn, error) {
	c := &recConn{d: d}
	if d.plain {
		return plainConn{c}, nil
	}
	return c, nil
}

func (d *recDriver) saw(q string) {
	d.mu.Lock()
	d.seen = append(d.seen, q)
	d.mu.Unlock()
}

func (d *recDriver) statements() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.seen...)
}

type recConn struct{ d *recDriver }

func (c *recConn) Prepare(q string) (driver.Stmt, error) { c.d.saw(q); return recStmt{}, nil }
func (c *recConn) Close() error                          { return nil }
func (c *recConn) Begin() (driver.Tx, error)             { return recTx{}, nil }
func (c *recConn) ExecContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Result, error) {
	c.d.saw(q)
	return driver.RowsAffected(1), nil
}
func (c *recConn) QueryContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Rows, error) {
	c.d.saw(q)
	return &recRows{}, nil
}

// plainConn hides the context interfaces, so database/sql prepares.
type plainConn struct{ c *recConn }

func (p plainConn) Prepare(q string) (driver.Stmt, error) { return p.c.Prepare(q) }
func (p plainConn) Close() error                          { return nil }
func (p plainConn) Begin() (driver.Tx, error)             { return recTx{}, nil }

type recStmt struct{}

func (recStmt) Close() error                               { return nil }
func (recStmt) NumInput() int                              { return -1 }
func (recStmt) Exec([]driver.Value) (driver.Result, error) { return driver.RowsAffected(1), nil }
func (recStmt) Query([]driver.Value) (driver.Rows, error)  { return &recRows{}, nil }

type recTx struct{}

func (recTx) Commit() error   { return nil }
func (recTx) Rollback() error { return nil }

type recRows struct{}

func (*recRows) Columns() []string         { return []string{"n"} }
func (*recRows) Close() error              { return nil }
func (*recRows) Next([]driver.Value) error { return io.EOF }

var registerOnce sync.Once
var shared = &recDriver{}

func newGuard(t *testing.T, opts ...guard.Option) (*guard.Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	g, err := guard.New(append([]guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.New(core))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g, logs
}

func invocation(id string) *guard.Invocation {
	return &guard.Invocation{Source: guard.SourceHTTP, RequestID: "req-1", Method: "GET", Path: "/items",
		Query: []guard.Param{{Name: "id", Value: id}}}
}

func TestWrapDriverBlocksBeforeTheDriver(t *testing.T) {
	for _, plain := range []bool{false, true} {
		name := "context interfaces"
		if plain {
			name = "prepare only"
		}
		t.Run(name, func(t *testing.T) {
			rd := &recDriver{plain: plain}
			db := sql.OpenDB(sqlguard.WrapConnector(dsnConn{rd}))
			defer db.Close()
			g, logs := newGuard(t)
			ctx, end := guard.NewContext(context.Background(), g, invocation("1 OR 1=1"))
			defer end()

			q := "SELECT name FROM items WHERE id = 1 OR 1=1"
			_, err := db.QueryContext(ctx, q)
			if !errors.Is(err, guard.ErrBlocked) {
				t.Fatalf("QueryContext error = %v, want ErrBlocked", err)
			}
			var be *guard.BlockedError
			if !errors.As(err, &be) || len(be.Decision.Findings) != 1 {
				t.Fatalf("no *guard.BlockedError with one finding in %v", err)
			}
			f := be.Decision.Findings[0]
			if f.Rule != sqlguard.RuleTautology || f.Location != "query.id" || f.Category != guard.SQLi || f.Action != guard.ActionBlock {
				t.Errorf("finding = %+v", f)
			}
			if _, err := db.ExecContext(ctx, "DELETE FROM items WHERE id = 1 OR 1=1"); !errors.Is(err, guard.ErrBlocked) {
				t.Errorf("ExecContext error = %v, want ErrBlocked", err)
			}
			if _, err := db.PrepareContext(ctx, q); !errors.Is(err, guard.ErrBlocked) {
				t.Errorf("PrepareContext error = %v, want ErrBlocked", err)
			}
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, "UPDATE items SET n = 0 WHERE id = 1 OR 1=1"); !errors.Is(err, guard.ErrBlocked) {
				t.Errorf("Tx.ExecContext error = %v, want ErrBlocked", err)
			}
			_ = tx.Rollback()
			for _, s := range rd.statements() {
				if strings.Contains(s, "1 OR 1=1") {
					t.Errorf("blocked statement reached the driver: %q", s)
				}
			}

			// The parameterised form of the same call runs, and so does a
			// call without an invocation in its context.
			rows, err := db.QueryContext(ctx, "SELECT name FROM items WHERE id = ?", "1 OR 1=1")
			if err != nil {
				t.Fatalf("parameterised query blocked: %v", err)
			}
			rows.Close()
			rows, err = db.QueryContext(context.Background(), q)
			if err != nil {
				t.Fatalf("query without an invocation blocked: %v", err)
			}
			rows.Close()

			// One log line per blocked call, with the sink, rule, location
			// and an excerpt of the statement.
			lines := logs.FilterField(zap.String("fnguard.source", "sink:sql")).All()
			if len(lines) < 4 {
				t.Fatalf("%d sink log lines, want 4: %v", len(lines), logs.All())
			}
			m := lines[0].ContextMap()
			if m["fnguard.action"] != "block" || m["fnguard.location"] != "query.id" || m["fnguard.rule"] != sqlguard.RuleTautology ||
				m["sink"] != "sql" || !strings.Contains(m["fnguard.excerpt"].(string), "1 OR 1=1") {
				t.Errorf("log line = %v", m)
			}
		})
	}
}

type dsnConn struct{ d *recDriver }

func (c dsnConn) Connect(context.Context) (driver.Conn, error) { return c.d.Open("") }
func (c dsnConn) Driver() driver.Driver                        { return c.d }

func TestMonitorAndOffModes(t *testing.T) {
	for _, m := range []guard.Mode{guard.Monitor, guard.Off} {
		t.Run(m.String(), func(t *testing.T) {
			rd := &recDriver{}
			db := sql.OpenDB(sqlguard.WrapConnector(dsnConn{rd}))
			defer db.Close()
			g, logs := newGuard(t, guard.WithSinkMode(m))
			ctx, end := guard.NewContext(context.Background(), g, invocation("1; DROP TABLE items"))
			defer end()
			if _, err := db.ExecContext(ctx, "DELETE FROM items WHERE id = 1; DROP TABLE items"); err != nil {
				t.Fatalf("%s mode blocked: %v", m, err)
			}
			n := logs.FilterField(zap.String("fnguard.source", "sink:sql")).Len()
			if want := map[guard.Mode]int{guard.Monitor: 1, guard.Off: 0}[m]; n != want {
				t.Errorf("%d sink log lines, want %d", n, want)
			}
		})
	}
}

func TestEndedInvocationPassesThrough(t *testing.T) {
	rd := &recDriver{}
	db := sql.OpenDB(sqlguard.WrapConnector(dsnConn{rd}))
	defer db.Close()
	g, _ := newGuard(t)
	ctx, end := guard.NewContext(context.Background(), g, invocation("1 OR 1=1"))
	end()
	if _, err := db.ExecContext(ctx, "DELETE FROM t WHERE id = 1 OR 1=1"); err != nil {
		t.Fatalf("check after the invocation ended: %v", err)
	}
}

func TestOpenRegisteredDriver(t *testing.T) {
	registerOnce.Do(func() { sql.Register("sqlguard-test-sqlite", shared) })
	db, err := sqlguard.Open("sqlguard-test-sqlite", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g, _ := newGuard(t)
	ctx, end := guard.NewContext(context.Background(), g, invocation("x' OR 'a'='a"))
	defer end()
	if _, err := db.ExecContext(ctx, "DELETE FROM t WHERE name = 'x' OR 'a'='a'"); !errors.Is(err, guard.ErrBlocked) {
		t.Fatalf("error = %v, want ErrBlocked", err)
	}
	if _, err := sqlguard.Open("no-such-driver", ""); err == nil {
		t.Error("Open of an unknown driver succeeded")
	}
}
