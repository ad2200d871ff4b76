package recipes

import (
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// tfBlocks indexes the blocks of type typ by "name/type" for two labels
// (resource "aws_sqs_queue" "orders" -> "orders/aws_sqs_queue") and
// "name/name" for one (variable "architecture").
func tfBlocks(body *hclsyntax.Body, typ string) map[string]*hclsyntax.Block {
	out := map[string]*hclsyntax.Block{}
	for _, b := range body.Blocks {
		if b.Type == typ && len(b.Labels) > 0 {
			out[b.Labels[len(b.Labels)-1]+"/"+b.Labels[0]] = b
		}
	}
	return out
}

// traversal is the dotted name of a reference expression such as
// aws_sqs_queue.orders.arn, or "" when expr is not a plain reference.
func traversal(expr hclsyntax.Expression) string {
	st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok {
		return ""
	}
	var s string
	for _, step := range st.Traversal {
		switch v := step.(type) {
		case hcl.TraverseRoot:
			s = v.Name
		case hcl.TraverseAttr:
			s += "." + v.Name
		default:
			return ""
		}
	}
	return s
}

// literalStrings evaluates a constant expression (no references) that is a
// string or a list of strings, or fails the test.
func literalStrings(t *testing.T, what string, expr hclsyntax.Expression) []string {
	t.Helper()
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", what, diags)
	}
	if v.Type() == cty.String {
		return []string{v.AsString()}
	}
	if !v.Type().IsTupleType() && !v.Type().IsListType() {
		t.Fatalf("%s is %s, want a string or a list of strings", what, v.Type().FriendlyName())
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.Type() != cty.String {
			t.Fatalf("%s: element is %s, want a string", what, e.Type().FriendlyName())
		}
		out = append(out, e.AsString())
	}
	return out
}

// TestTerraform parses terraform/main.tf (there is no terraform binary here)
// and checks the function, its architectures, its FNGUARD_* settings and
// the event source mapping's ReportBatchItemFailures.
func TestTerraform(t *testing.T) {
	f, diags := hclparse.NewParser().ParseHCLFile("terraform/main.tf")
	if diags.HasErrors() {
		t.Fatalf("terraform/main.tf: %v", diags)
	}
	body := f.Body.(*hclsyntax.Body)
	resources := tfBlocks(body, "resource")

	fn := resources["orders/aws_lambda_function"]
	if fn == nil {
		t.Fatal(`no resource "aws_lambda_function" "orders"`)
	}
	attrs := fn.Body.Attributes
	for k, want := range map[string]string{"runtime": "provided.al2023", "handler": "bootstrap"} {
		a := attrs[k]
		if a == nil {
			t.Errorf("aws_lambda_function.orders has no %s", k)
			continue
		}
		if got := literalStrings(t, "aws_lambda_function.orders."+k, a.Expr); !slices.Equal(got, []string{want}) {
			t.Errorf("aws_lambda_function.orders.%s = %v, want %q", k, got, want)
		}
	}
	// Reserved concurrency, as fnguard audit asks of the other recipes
	// (no-reserved-concurrency): a positive literal.
	if a := attrs["reserved_concurrent_executions"]; a == nil {
		t.Error("aws_lambda_function.orders has no reserved_concurrent_executions")
	} else if v, diags := a.Expr.Value(nil); diags.HasErrors() || v.Type() != cty.Number || v.LessThanOrEqualTo(cty.Zero).True() {
		t.Errorf("aws_lambda_function.orders.reserved_concurrent_executions is not a positive number: %v", diags)
	}
	if a := attrs["architectures"]; a == nil {
		t.Error("aws_lambda_function.orders has no architectures")
	} else if tup, ok := a.Expr.(*hclsyntax.TupleConsExpr); !ok || len(tup.Exprs) != 1 || traversal(tup.Exprs[0]) != "var.architecture" {
		t.Error("aws_lambda_function.orders.architectures is not [var.architecture]")
	}
	variable := tfBlocks(body, "variable")["architecture/architecture"]
	if variable == nil {
		t.Fatal(`no variable "architecture"`)
	}
	if d := variable.Body.Attributes["default"]; d == nil || !slices.Equal(literalStrings(t, "var.architecture default", d.Expr), []string{"arm64"}) {
		t.Error(`variable "architecture" has no default "arm64"`)
	}
	var validated bool
	for _, b := range variable.Body.Blocks {
		if b.Type != "validation" || b.Body.Attributes["condition"] == nil {
			continue
		}
		call, ok := b.Body.Attributes["condition"].Expr.(*hclsyntax.FunctionCallExpr)
		if ok && call.Name == "contains" && len(call.Args) == 2 {
			allowed := literalStrings(t, "architecture validation", call.Args[0])
			validated = slices.Equal(allowed, []string{"arm64", "x86_64"}) && traversal(call.Args[1]) == "var.architecture"
		}
	}
	if !validated {
		t.Error(`variable "architecture" is not validated as one of arm64, x86_64`)
	}

	env := map[string]string{}
	var sawEnv bool
	for _, b := range fn.Body.Blocks {
		if b.Type != "environment" || b.Body.Attributes["variables"] == nil {
			continue
		}
		sawEnv = true
		obj, ok := b.Body.Attributes["variables"].Expr.(*hclsyntax.ObjectConsExpr)
		if !ok {
			t.Fatal("environment.variables is not an object")
		}
		for _, item := range obj.Items {
			kv, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() || kv.Type() != cty.String {
				t.Fatalf("environment variable name: %v", diags)
			}
			name := kv.AsString()
			if traversal(item.ValueExpr) == "aws_sqs_queue.orders.arn" {
				env[name] = "arn:aws:sqs:eu-west-1:123456789012:orders-20261206"
				continue
			}
			env[name] = literalStrings(t, "environment variable "+name, item.ValueExpr)[0]
		}
	}
	if !sawEnv {
		t.Fatal("aws_lambda_function.orders has no environment.variables")
	}
	recipeEnv(t, env)

	esm := resources["orders/aws_lambda_event_source_mapping"]
	if esm == nil {
		t.Fatal(`no resource "aws_lambda_event_source_mapping" "orders"`)
	}
	a := esm.Body.Attributes
	if a["function_response_types"] == nil {
		t.Fatal("the event source mapping has no function_response_types: Lambda would ignore batchItemFailures")
	}
	if got := literalStrings(t, "function_response_types", a["function_response_types"].Expr); !slices.Equal(got, []string{"ReportBatchItemFailures"}) {
		t.Errorf("function_response_types = %v, want [ReportBatchItemFailures]", got)
	}
	if a["event_source_arn"] == nil || traversal(a["event_source_arn"].Expr) != "aws_sqs_queue.orders.arn" {
		t.Error("the event source mapping does not read aws_sqs_queue.orders")
	}
	if a["function_name"] == nil || traversal(a["function_name"].Expr) != "aws_lambda_function.orders.arn" {
		t.Error("the event source mapping does not invoke aws_lambda_function.orders")
	}
	if q := resources["orders/aws_sqs_queue"]; q == nil || q.Body.Attributes["redrive_policy"] == nil {
		t.Error("the orders queue has no redrive_policy: failed records would be retried until they expire")
	}
}
