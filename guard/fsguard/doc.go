// Package fsguard stops path traversal at the file open: Open and OpenFile
// are os.Open and os.OpenFile after a check of the path against the inputs
// of the invocation in ctx (the middlewares put it there; elsewhere use
// guard.NewContext). Check judges a path for any other file API.
//
//	f, err := fsguard.Open(ctx, filepath.Join("/var/task/public", name))
//	if errors.Is(err, guard.ErrBlocked) { ... } // name was "../../etc/passwd"
//
// An input is an injection when it contributes ".." segments that climb out
// of the directory it was joined to (file.traversal) — whether it was
// concatenated or joined with filepath.Join, which cleans the ".." away
// (the rest of the input then ends the path) — when it is an absolute path
// the call opens, or a path under it (file.absolute), or when it carries a
// NUL byte (file.nul). URL-escaped input is also judged decoded. ".." that
// stays inside ("a/../b") and file names with dots are not findings.
//
// For new code prefer os.Root (Go 1.24+), which confines every open to a
// directory whatever the name says:
//
//	root, err := os.OpenRoot("/var/task/public")
//	f, err := root.Open(name) // "../x" and absolute names fail
//
// fsguard is the net under code that builds paths by hand, and records the
// attempt (source "sink:file") either way; FNGUARD_SINK_MODE=monitor
// records without blocking.
package fsguard
