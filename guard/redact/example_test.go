package redact_test

import (
	"fmt"

	"github.com/fnguard/fnguard/guard/redact"
)

func ExampleRedactor_String() {
	r, err := redact.New(redact.Config{Secrets: []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.String(`q=' OR 1=1-- Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig`))
	fmt.Println(r.String(`{"user":"bob","password":"hunter2"}`))
	fmt.Println(r.String("postgres://app:s3cr3t@db:5432/shop"))
	fmt.Println(r.String("card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE"))
	fmt.Println(r.String("echo wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
	// Output:
	// q=' OR 1=1-- Authorization: Bearer [REDACTED]
	// {"user":"bob","password":"[REDACTED]"}
	// postgres://app:[REDACTED]@db:5432/shop
	// card [REDACTED], key [REDACTED]
	// echo [REDACTED]
}

func ExampleRedactor_Field() {
	r, err := redact.New(redact.Config{ExtraKeys: []string{"x-*-hash"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Field("password", "' OR 1=1--"))
	fmt.Println(r.Field("X-Shop-Hash", "abc"))
	fmt.Println(r.Field("author", "Jane"))
	fmt.Println(r.IsSecretKey("authorization"), r.IsSecretKey("author"))
	// Output:
	// [REDACTED]
	// [REDACTED]
	// Jane
	// true false
}

func ExampleNew() {
	_, err := redact.New(redact.Config{ExtraKeys: []string{"ssn", "x-[a-z]-sig"}})
	fmt.Println(err)
	// Output:
	// redact: Config.ExtraKeys[1] "x-[a-z]-sig": unsupported glob syntax '[' at byte 2: only * and ? are wildcards
}
