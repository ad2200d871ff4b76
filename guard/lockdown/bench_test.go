package lockdown

import (
	"testing"

	"golang.org/x/net/bpf"
)

func BenchmarkParseSpec(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSpec("exec"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFilter runs the exec filter in the x/net/bpf interpreter for an
// ordinary system call: a rough, pessimistic stand-in for the per-syscall
// cost the kernel's JIT-compiled copy adds.
func BenchmarkFilter(b *testing.B) {
	vm, err := bpf.NewVM(execFilter(archFilters["amd64"]))
	if err != nil {
		b.Fatal(err)
	}
	data := seccompData(0, auditArchX86_64) // read(2)
	b.ReportAllocs()
	for b.Loop() {
		if r, err := vm.Run(data); err != nil || uint32(r) != seccompRetAllow {
			b.Fatalf("run = %#x, %v", r, err)
		}
	}
}
