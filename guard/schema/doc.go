// Package schema validates HTTP bodies against a JSON Schema chosen by
// route ("POST /orders", "/orders/*").
//
// All schemas are compiled by Load or LoadFS, so a broken schema is a
// start-up error (*ConfigError), never a surprise at request time. Schemas
// default to draft 2020-12 ($schema may select 4, 6, 7 or 2019-09),
// "format" is asserted (a "format": "email" property must hold an email
// address), and patterns use Go's linear-time regexp engine, so a pattern
// cannot be turned into a ReDoS. No schema is ever fetched over the network:
// references resolve within the given documents, the standard meta-schemas,
// and, for LoadFS, other files of the same fs.FS.
//
// Set.Validate reports violations as a *ValidationError whose Failures carry
// fnguard-style locations ("body.items[2].qty: must be >= 1") and messages
// that never quote the client's data.
//
// The package does not import the fnguard engine: build a *Set and hand it
// to the engine, which calls Validate with the route it matched.
package schema
