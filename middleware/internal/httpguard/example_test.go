package httpguard_test

import (
	"fmt"
	"net/http"

	"github.com/fnguard/fnguard/middleware/internal/httpguard"
)

func ExampleParseQuery() {
	// A malformed escape keeps the raw text, so the detectors still see it.
	for _, p := range httpguard.ParseQuery("q=O%27Brien&tag=a&tag=b&id=%zz%27%20OR%201%3D1--") {
		fmt.Printf("%s=%q\n", p.Name, p.Value)
	}
	// Output:
	// q="O'Brien"
	// tag="a"
	// tag="b"
	// id="%zz%27%20OR%201%3D1--"
}

func ExampleClientIP() {
	r := &http.Request{RemoteAddr: "10.0.0.1:52000", Header: http.Header{}}
	// The client wrote the first entry; the trusted proxy appended the second.
	r.Header.Set("X-Forwarded-For", "1.2.3.4, 198.51.100.7")
	fmt.Println(httpguard.ClientIP(r, "", 1))                // no trusted header
	fmt.Println(httpguard.ClientIP(r, "X-Forwarded-For", 1)) // one trusted proxy
	fmt.Println(httpguard.ClientIP(r, "X-Forwarded-For", 2)) // two: the first entry is trusted too
	// Output:
	// 10.0.0.1
	// 198.51.100.7
	// 1.2.3.4
}
