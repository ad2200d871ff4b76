// Package sqlguard stops SQL injection at the statement: a database/sql
// driver wrapper that checks every statement against the inputs of the
// invocation in the call's context before the driver sees it.
//
//	db, err := sqlguard.Open("pgx", os.Getenv("DATABASE_URL"))
//	...
//	// in the handler, with the ctx the middleware gave it:
//	rows, err := db.QueryContext(ctx, "SELECT name FROM items WHERE id = "+id)
//	if errors.Is(err, guard.ErrBlocked) { ... } // id was "1 OR 1=1": never sent
//
// QueryContext, ExecContext and PrepareContext (on a DB, Conn, Tx or Stmt)
// are checked. The non-context forms (Query, Exec) carry no invocation and
// pass through, as does any call whose ctx has none: a context lookup is all
// they cost. The middlewares (guardlambda, guardgcf, guardhttp) put the
// invocation in the handler's ctx; elsewhere use guard.NewContext.
//
// # How a statement is judged
//
// Each input of the invocation (query and path parameters, headers,
// cookies, JSON, form and multipart body values, record bodies and fields)
// that is at least guard.MinSinkInput bytes long and occurs verbatim in the
// statement is located in the statement's tokens, lexed by the rules of the
// driver's dialect (PostgreSQL, MySQL/MariaDB, SQLite, or standard SQL for
// other drivers: quotes, escapes, comments, dollar quoting, placeholders).
// It is an injection when:
//
//   - it opens a comment (sql.comment);
//   - it spans several tokens, and they include a statement separator
//     (sql.stacked), UNION (sql.union), OR, XOR, MySQL's || or a literal
//     compared with itself (sql.tautology), or a keyword, operator, function
//     call or unbalanced parenthesis (sql.structure).
//
// An input inside one token (a search word inside a string literal, a
// numeric id, one whole quoted literal) is not, and neither is a list of
// identifiers and literals: an ORDER BY column list with ASC/DESC/NULLS
// LAST, a numeric list, an IN (...) of literals. A parameterised statement
// never contains the input, so it is never blocked; multi-token inputs that
// merely coincide with the program's own text (a search for "ORDER BY"
// against "... = $1 ORDER BY rank") line up with whole tokens right after a
// complete operand, where no inserted value can be, and are not findings. A
// statement that no longer tokenises only because of an input (O'Brien
// concatenated between quotes) is a monitor finding, sql.syntax: the driver
// would reject it anyway.
//
// A blocked call returns an error for which errors.Is(err, guard.ErrBlocked)
// holds and errors.As finds the *guard.BlockedError with the finding; the
// finding is logged, counted and put on the span like an input finding,
// with source "sink:sql", the rule, the input's location (query.id) and an
// excerpt of the statement. FNGUARD_SINK_MODE=monitor records without
// blocking; off turns the check off.
//
// Parameterised queries remain the fix: sqlguard is the net under code that
// was not written that way.
package sqlguard
