package sanitize_test

import (
	"fmt"

	"github.com/fnguard/fnguard/guard/sanitize"
)

func ExampleSanitizer_HTML() {
	s, err := sanitize.New(sanitize.UGC)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.HTML(`<b>Great</b> post!<script>steal()</script><a href="javascript:alert(1)">me</a>`))
	// Output:
	// <b>Great</b> post!me
}

func ExampleSanitizer_JSONFields() {
	p, err := sanitize.ParsePolicy("strict")
	if err != nil {
		panic(err)
	}
	s, err := sanitize.New(p)
	if err != nil {
		panic(err)
	}
	body := []byte(`{"id": 7, "comment": "<img src=x onerror=alert(1)>hi", "items": [{"note": "<b>a</b>"}, {"note": 3}]}`)
	out, err := s.JSONFields(body, []string{"comment", "items[*].note"})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))

	_, err = s.JSONFields(body, []string{"items[x].note"})
	fmt.Println(err)
	// Output:
	// {"id": 7, "comment": "hi", "items": [{"note": "a"}, {"note": 3}]}
	// sanitize: field path "items[x].note": array index must be a non-negative integer, '*' or a quoted member name at byte 6
}
