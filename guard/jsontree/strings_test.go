package jsontree

import "testing"

// refStringsOrNulls and refStringArraysOrNulls are StringsOrNulls and
// StringArraysOrNulls by Members, Elems and Kind.
func refStringsOrNulls(v Value) bool {
	var all func(yield func(Value) bool)
	switch v.Kind() {
	case Object:
		all = func(yield func(Value) bool) {
			for _, e := range v.Members() {
				if !yield(e) {
					return
				}
			}
		}
	case Array:
		all = func(yield func(Value) bool) {
			for _, e := range v.Elems() {
				if !yield(e) {
					return
				}
			}
		}
	default:
		return false
	}
	for e := range all {
		if k := e.Kind(); k != String && k != Null {
			return false
		}
	}
	return true
}

func refStringArraysOrNulls(v Value) bool {
	if v.Kind() != Object {
		return false
	}
	for _, e := range v.Members() {
		switch e.Kind() {
		case Null:
		case Array:
			if !refStringsOrNulls(e) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// checkStringsOrNulls compares both with their references at every value
// of the tree under v.
func checkStringsOrNulls(t *testing.T, src string, v Value) {
	t.Helper()
	if got, want := v.StringsOrNulls(), refStringsOrNulls(v); got != want {
		t.Fatalf("%s: StringsOrNulls of %s = %v, want %v", src, v.Raw(), got, want)
	}
	if got, want := v.StringArraysOrNulls(), refStringArraysOrNulls(v); got != want {
		t.Fatalf("%s: StringArraysOrNulls of %s = %v, want %v", src, v.Raw(), got, want)
	}
	for _, e := range v.Members() {
		checkStringsOrNulls(t, src, e)
	}
	for _, e := range v.Elems() {
		checkStringsOrNulls(t, src, e)
	}
}

func TestStringsOrNulls(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `"s"`, `null`, `1`,
		`{"a":"x","b":null,"c":"y"}`, `{"a":"x","b":1}`, `{"a":"x","b":{}}`, `{"a":[]}`,
		`["x",null,"y"]`, `["x",true]`, `[["x"]]`, `[{}]`,
		`{"e\u0041":"\u00e9\n","b":"p\"q"}`, `{"e\u0041":["\u00e9","x",null],"k":null,"m":[]}`,
		`{"a":["x",null],"b":["y",2]}`, `{"a":["x"],"b":"y"}`, `{"a":[["x"]]}`, `{"a":[{"b":"c"}]}`,
		`{"a":null,"b":[null,"\\\\"],"c\"":["z"]}`, `{"headers":{"A":"1"},"multi":{"A":["1","2"]},"q":null}`,
		`[{"a":"b"},"c",["d",["e",7]]]`,
	}
	for _, src := range docs {
		d, err := Parse([]byte(src), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		checkStringsOrNulls(t, src, d.Root())
	}
	if (Value{}).StringsOrNulls() || (Value{}).StringArraysOrNulls() {
		t.Fatal("an Invalid Value holds strings")
	}
}
