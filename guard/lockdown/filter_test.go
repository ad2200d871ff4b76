package lockdown

import (
	"encoding/binary"
	"testing"

	"golang.org/x/net/bpf"
)

// seccompData builds the struct seccomp_data prefix the filter reads. The
// x/net/bpf VM loads words big-endian, so they are stored that way here; the
// kernel loads them in native order from its own struct.
func seccompData(nr, arch uint32) []byte {
	b := make([]byte, 64)
	binary.BigEndian.PutUint32(b[offsetNr:], nr)
	binary.BigEndian.PutUint32(b[offsetArch:], arch)
	return b
}

func TestExecFilter(t *testing.T) {
	const (
		allow = seccompRetAllow
		deny  = seccompRetErrno | errnoEPERM
	)
	tests := []struct {
		name   string
		goarch string
		arch   uint32
		nr     uint32
		want   uint32
	}{
		{"amd64 execve", "amd64", auditArchX86_64, 59, deny},
		{"amd64 execveat", "amd64", auditArchX86_64, 322, deny},
		{"amd64 read", "amd64", auditArchX86_64, 0, allow},
		{"amd64 clone", "amd64", auditArchX86_64, 56, allow},
		{"amd64 clone3", "amd64", auditArchX86_64, 435, allow},
		{"amd64 seccomp", "amd64", auditArchX86_64, 317, allow},
		{"amd64 x32 execve", "amd64", auditArchX86_64, x32SyscallBit | 520, deny},
		{"amd64 x32 execveat", "amd64", auditArchX86_64, x32SyscallBit | 545, deny},
		{"amd64 x32 getpid", "amd64", auditArchX86_64, x32SyscallBit | 39, deny},
		{"amd64 i386 execve", "amd64", auditArchI386, 11, deny},
		{"amd64 i386 execveat", "amd64", auditArchI386, 358, deny},
		{"amd64 i386 getpid", "amd64", auditArchI386, 20, allow},
		{"amd64 foreign arch", "amd64", auditArchAARCH64, 1, deny},
		{"arm64 execve", "arm64", auditArchAARCH64, 221, deny},
		{"arm64 execveat", "arm64", auditArchAARCH64, 281, deny},
		{"arm64 read", "arm64", auditArchAARCH64, 63, allow},
		{"arm64 high nr allowed", "arm64", auditArchAARCH64, x32SyscallBit | 1, allow},
		{"arm64 aarch32 execve", "arm64", auditArchARM, 11, deny},
		{"arm64 aarch32 execveat", "arm64", auditArchARM, 387, deny},
		{"arm64 aarch32 write", "arm64", auditArchARM, 4, allow},
		{"arm64 foreign arch", "arm64", auditArchX86_64, 59, deny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := archFilters[tt.goarch]
			if !ok {
				t.Fatalf("no filter for %s", tt.goarch)
			}
			vm, err := bpf.NewVM(execFilter(a))
			if err != nil {
				t.Fatalf("filter does not verify: %v", err)
			}
			got, err := vm.Run(seccompData(tt.nr, tt.arch))
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			if uint32(got) != tt.want {
				t.Fatalf("filter returned %#x for nr %#x arch %#x, want %#x", got, tt.nr, tt.arch, tt.want)
			}
		})
	}
}

func TestExecFilterAssembles(t *testing.T) {
	for goarch, a := range archFilters {
		t.Run(goarch, func(t *testing.T) {
			raw, err := bpf.Assemble(execFilter(a))
			if err != nil {
				t.Fatalf("assemble: %v", err)
			}
			// The kernel limit is 4096 instructions; this filter must stay tiny
			// because it runs on every system call.
			if len(raw) > 32 {
				t.Fatalf("filter has %d instructions", len(raw))
			}
			t.Logf("%s filter: %d instructions", goarch, len(raw))
		})
	}
}
