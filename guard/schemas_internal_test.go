package guard

import (
	"errors"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// Without guard/schema linked, FNGUARD_SCHEMAS must fail New, never leave
// bodies unvalidated.
func TestSchemasNotLinked(t *testing.T) {
	saved := hooks.Schemas
	hooks.Schemas = nil
	defer func() { hooks.Schemas = saved }()
	t.Setenv("FNGUARD_SCHEMAS", "POST /orders=order.json")
	_, err := New()
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Var != "FNGUARD_SCHEMAS" || !strings.Contains(err.Error(), "guard/schema") {
		t.Fatalf("err = %v", err)
	}
}

func TestRouteSpecificity(t *testing.T) {
	order := []string{"POST /orders/new", "POST /orders/{id}", "POST /orders/*", "/orders/new", "/orders/*", "ANY /orders/*"}
	for i := 1; i < len(order); i++ {
		if routeSpecificity(order[i-1]) < routeSpecificity(order[i]) {
			t.Errorf("%q ranks below %q", order[i-1], order[i])
		}
	}
}
