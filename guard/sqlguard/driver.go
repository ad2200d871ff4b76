package sqlguard

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/fnguard/fnguard/guard"
)

// Open opens a database like sql.Open, with every statement checked against
// the inputs of the invocation in the call's context before it reaches the
// driver. The dialect is picked from driverName (postgres, pgx, mysql,
// mariadb, sqlite, sqlite3...; anything else is Generic).
//
// driverName must be registered (import the driver). As with sql.Open, the
// DSN is only parsed, not connected to, when the driver implements
// driver.DriverContext.
func Open(driverName, dataSourceName string) (*sql.DB, error) {
	probe, err := sql.Open(driverName, "")
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	_ = probe.Close()
	d := DialectFor(driverName)
	if dc, ok := drv.(driver.DriverContext); ok {
		c, err := dc.OpenConnector(dataSourceName)
		if err != nil {
			return nil, fmt.Errorf("sqlguard: %s: %w", driverName, err)
		}
		return sql.OpenDB(&connector{inner: c, d: d}), nil
	}
	return sql.OpenDB(&dsnConnector{dsn: dataSourceName, drv: &wrappedDriver{inner: drv, d: d}}), nil
}

// WrapDriver returns drv with every statement checked (see Open). The
// dialect is guessed from the driver's package and type name; register the
// result under a name of your own with sql.Register.
func WrapDriver(drv driver.Driver) driver.Driver {
	if drv == nil {
		return nil
	}
	if w, ok := drv.(*wrappedDriver); ok {
		return w
	}
	d := dialectOf(drv)
	if dc, ok := drv.(driver.DriverContext); ok {
		return &wrappedDriverContext{wrappedDriver{inner: drv, d: d}, dc}
	}
	return &wrappedDriver{inner: drv, d: d}
}

// WrapConnector returns c with every statement checked (see Open), for
// sql.OpenDB. The dialect is guessed from c.Driver().
func WrapConnector(c driver.Connector) driver.Connector {
	if c == nil {
		return nil
	}
	if w, ok := c.(*connector); ok {
		return w
	}
	return &connector{inner: c, d: dialectOf(c.Driver())}
}

// DialectFor returns the dialect of a database/sql driver name.
func DialectFor(driverName string) Dialect {
	n := strings.ToLower(driverName)
	switch {
	case strings.Contains(n, "postgres") || strings.Contains(n, "pgx") || n == "pq" || strings.Contains(n, "cockroach") || strings.Contains(n, "redshift"):
		return PostgreSQL
	case strings.Contains(n, "mysql") || strings.Contains(n, "maria") || strings.Contains(n, "tidb"):
		return MySQL
	case strings.Contains(n, "sqlite") || strings.Contains(n, "libsql"):
		return SQLite
	}
	return Generic
}

// dialectOf guesses the dialect from the driver's Go type: its package path
// names the engine for every common driver (jackc/pgx, lib/pq,
// go-sql-driver/mysql, modernc.org/sqlite, mattn/go-sqlite3).
func dialectOf(drv driver.Driver) Dialect {
	if drv == nil {
		return Generic
	}
	t := reflect.TypeOf(drv)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	path := strings.ToLower(t.PkgPath() + "." + t.Name())
	if strings.HasSuffix(t.PkgPath(), "/pq") {
		return PostgreSQL
	}
	return DialectFor(path)
}

// Check judges one statement of dialect d against the inputs of the
// invocation in ctx, as the wrapped drivers do before every statement; use
// it for a database API that does not go through database/sql.
func Check(ctx context.Context, d Dialect, query string) error {
	return check(ctx, d, query)
}

// check judges one statement against the inputs in ctx.
func check(ctx context.Context, d Dialect, query string) error {
	return guard.CheckSink(ctx, guard.SinkCheck{Kind: guard.SinkSQL, Statement: query,
		Judge: func(in string) (guard.SinkVerdict, string) { return Judge(d, query, in) }})
}

type wrappedDriver struct {
	inner driver.Driver
	d     Dialect
}

func (w *wrappedDriver) Open(name string) (driver.Conn, error) {
	c, err := w.inner.Open(name)
	if err != nil {
		return nil, err
	}
	return &conn{inner: c, d: w.d}, nil
}

type wrappedDriverContext struct {
	wrappedDriver
	dc driver.DriverContext
}

func (w *wrappedDriverContext) OpenConnector(name string) (driver.Connector, error) {
	c, err := w.dc.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return &connector{inner: c, d: w.d}, nil
}

type connector struct {
	inner driver.Connector
	d     Dialect
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{inner: cn, d: c.d}, nil
}

func (c *connector) Driver() driver.Driver { return &wrappedDriver{inner: c.inner.Driver(), d: c.d} }

// Close closes the inner connector when it is an io.Closer (sql.DB.Close
// calls it).
func (c *connector) Close() error {
	if cl, ok := c.inner.(interface{ Close() error }); ok {
		return cl.Close()
	}
	return nil
}

type dsnConnector struct {
	dsn string
	drv *wrappedDriver
}

func (c *dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c *dsnConnector) Driver() driver.Driver                        { return c.drv }

// conn checks statements before the inner connection sees them. It
// implements every optional interface database/sql looks for and falls back
// (driver.ErrSkip, or the plain form) where the inner connection does not.
type conn struct {
	inner driver.Conn
	d     Dialect
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := check(ctx, c.d, query); err != nil {
		return nil, err
	}
	if p, ok := c.inner.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.inner.Prepare(query)
}

func (c *conn) Close() error { return c.inner.Close() }

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.inner.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	if opts.Isolation != 0 || opts.ReadOnly {
		return nil, errors.New("sqlguard: the driver does not support transaction options")
	}
	//lint:ignore SA1019 the driver has nothing else
	return c.inner.Begin()
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := check(ctx, c.d, query); err != nil {
		return nil, err
	}
	if e, ok := c.inner.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, query, args)
	}
	return nil, driver.ErrSkip // database/sql prepares the statement: PrepareContext checks it again, cheaply
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := check(ctx, c.d, query); err != nil {
		return nil, err
	}
	if q, ok := c.inner.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.inner.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}
