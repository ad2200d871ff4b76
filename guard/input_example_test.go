package guard_test

import (
	"fmt"

	"github.com/fnguard/fnguard/guard"
)

// One client-address derivation for every adapter: with two trusted
// proxies, the client is the second entry from the right, whatever the
// client wrote further left.
func ExampleClientAddr() {
	xff := []string{"6.6.6.6, 203.0.113.9", "10.0.0.2"}
	fmt.Println(guard.ClientAddr(xff, "X-Forwarded-For", 2))
	fmt.Println(guard.ClientAddr([]string{`for="[2001:db8::7]:443";proto=https`}, "Forwarded", 1))
	// Output:
	// 203.0.113.9
	// 2001:db8::7
}

func ExampleAppendCookies() {
	for _, c := range guard.AppendCookies(nil, `session=abc; theme="dark"; ; flag`) {
		fmt.Printf("%s=%q\n", c.Name, c.Value)
	}
	// Output:
	// session="abc"
	// theme="dark"
	// flag=""
}
