package guard

import (
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// SchemaSet validates JSON bodies by route; *schema.Set from package
// github.com/fnguard/fnguard/guard/schema implements it. Routes returns the
// route patterns that have a schema, written like FNGUARD_ALLOW_ROUTES
// entries ("POST /orders", "/orders/{id}"); Validate reports ok=false when
// it has no schema for the route, and otherwise nil for a conforming body
// or an error describing why it does not conform.
type SchemaSet interface {
	Routes() []string
	Validate(route string, body []byte) (ok bool, err error)
}

// failureLister is implemented by *schema.ValidationError.
type failureLister interface {
	EachFailure(fn func(location, keyword, message string))
}

// schemaRoutes is a SchemaSet with its routes ordered most specific first.
type schemaRoutes struct {
	set    SchemaSet
	routes []string
}

// compileSchemas takes the option's set, or loads FNGUARD_SCHEMAS through
// guard/schema's hook.
func compileSchemas(c *config) (*schemaRoutes, error) {
	set := c.schemas
	if set == nil && c.schemasEnv != "" {
		if hooks.Schemas == nil {
			return nil, &ConfigError{Var: "FNGUARD_SCHEMAS", Value: c.schemasEnv,
				Want: `JSON Schema validation linked into the program: add import _ "github.com/fnguard/fnguard/guard/schema"`}
		}
		root := os.Getenv("LAMBDA_TASK_ROOT")
		if root == "" {
			root = "."
		}
		s, err := hooks.Schemas(os.DirFS(root), c.schemasEnv)
		if err != nil {
			return nil, &ConfigError{Var: "FNGUARD_SCHEMAS", Value: c.schemasEnv,
				Want: `"<route>=<schema file>" entries separated by ';', files relative to LAMBDA_TASK_ROOT or the working directory`, Err: err}
		}
		set = s
	}
	if set == nil {
		return nil, nil
	}
	routes := set.Routes()
	if len(routes) == 0 {
		return nil, &ConfigError{Var: "FNGUARD_SCHEMAS", Value: c.schemasEnv, Want: "at least one route with a schema"}
	}
	for _, r := range routes {
		if err := checkGlob(r); err != nil {
			return nil, &ConfigError{Var: "FNGUARD_SCHEMAS", Value: r, Want: "route globs", Err: err}
		}
	}
	routes = slices.Clone(routes)
	slices.SortStableFunc(routes, func(a, b string) int { return routeSpecificity(b) - routeSpecificity(a) })
	return &schemaRoutes{set: set, routes: routes}, nil
}

// routeSpecificity ranks a route pattern: a method beats none, and more
// literal characters beat fewer, so "POST /orders/new" wins over
// "POST /orders/*", which wins over "/orders/*".
func routeSpecificity(r string) int {
	n := 0
	if m, p, ok := strings.Cut(r, " "); ok {
		if m != "*" && m != "ANY" {
			n += 1 << 16
		}
		r = p
	}
	for i := 0; i < len(r); i++ {
		switch r[i] {
		case '*', '{', '}':
		default:
			n++
		}
	}
	return n
}

// validateSchema checks an HTTP body against the schema of the most specific
// matching route. A failure rejects with 400 at the failing location; a
// validator that cannot judge the body fails closed.
func (s *scanner) validateSchema() {
	sr, inv := s.g.schemas, s.inv
	route := inv.Route
	if route == "" {
		route = normalizePath(inv.Path) // the path the handler routes on
	}
	body := s.plain // Content-Encoding undone
	if s.body != nil {
		body = s.body
	}
	for _, key := range sr.routes {
		if !matchOne(key, inv.Method, route) {
			continue
		}
		ok, err := sr.set.Validate(key, body)
		if !ok || err == nil {
			return
		}
		var fl failureLister
		if errors.As(err, &fl) {
			fl.EachFailure(func(loc, keyword, msg string) {
				s.reject(400, "validation.schema."+keyword, loc, "body does not match the schema of "+key+": "+loc+": "+msg)
			})
			return
		}
		s.reject(503, "validation.schema_error", "body", "the schema of "+key+" could not judge the body: "+err.Error())
		return
	}
}

func matchOne(glob, method, route string) bool {
	return matchRoute([]string{glob}, method, route)
}
