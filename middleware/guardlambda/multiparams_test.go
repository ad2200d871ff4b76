package guardlambda

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// multiParamsRef is multiParams with every single value looked up in the
// multi map by name (lastValueIs), the reference for its in-order
// comparison.
func multiParamsRef(multi, single jsontree.Value) []guard.Param {
	var out []guard.Param
	for k, vs := range multi.Members() {
		for _, e := range vs.Elems() {
			if s, ok := e.Str(); ok {
				out = append(out, guard.Param{Name: k, Value: s})
			}
		}
		if s, ok := vs.Str(); ok {
			out = append(out, guard.Param{Name: k, Value: s})
		}
	}
	for k, v := range single.Members() {
		if s, ok := v.Str(); ok && !lastValueIs(multi, k, s) {
			out = append(out, guard.Param{Name: k, Value: s})
		}
	}
	return out
}

// TestMultiParamsInOrder: the single map's values are inspected again
// exactly when they are not the last value of their name in the multi map,
// whether the two maps list names in the same order (API Gateway), in
// another order, with names missing from either, more names than the
// in-order table holds, null and empty arrays, or single strings.
func TestMultiParamsInOrder(t *testing.T) {
	many := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f(i))
		}
		return b.String()
	}
	cases := []struct{ multi, single string }{
		{`{"a":["1"],"b":["2"]}`, `{"a":"1","b":"2"}`},
		{`{"a":["1"],"b":["2"]}`, `{"b":"2","a":"1"}`},
		{`{"a":["1","x"],"b":["2"]}`, `{"a":"1","b":"3"}`},
		{`{"a":["1"]}`, `{"a":"1","b":"2"}`},
		{`{"a":["1"],"b":["2"],"c":["3"]}`, `{"a":"1","c":"3"}`},
		{`{"a":[],"b":["2",null]}`, `{"a":"","b":""}`},
		{`{"a":[null],"b":"2"}`, `{"a":"","b":"2"}`},
		{`{"a":null,"b":["2"]}`, `{"a":"1","b":"2","c":null}`},
		{`{}`, `{"a":"1"}`},
		{`{"a":["1"]}`, `{}`},
		{`{` + many(20, func(i int) string { return fmt.Sprintf(`"h%d":["v%d"]`, i, i) }) + `}`,
			`{` + many(20, func(i int) string { return fmt.Sprintf(`"h%d":"v%d"`, i, i%18) }) + `}`},
		{`{` + many(20, func(i int) string { return fmt.Sprintf(`"h%d":["v%d"]`, i, i) }) + `}`,
			`{` + many(20, func(i int) string { return fmt.Sprintf(`"h%d":"v%d"`, 19-i, 19-i) }) + `}`},
	}
	for _, c := range cases {
		doc, err := jsontree.Parse([]byte(`{"m":`+c.multi+`,"s":`+c.single+`}`), jsontree.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		multi, single := doc.Root().Get("m"), doc.Root().Get("s")
		st := getState()
		var got []guard.Param
		if rej := st.multiParams(&got, "headers", multi, single, false, false); rej != nil {
			t.Errorf("%s / %s: rejected: %v", c.multi, c.single, rej)
		}
		st.release(false)
		if want := multiParamsRef(multi, single); !slices.Equal(got, want) {
			t.Errorf("%s / %s:\n got %v\nwant %v", c.multi, c.single, got, want)
		}
	}
}
