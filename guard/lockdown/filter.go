package lockdown

import "golang.org/x/net/bpf"

// Values from the Linux UAPI (linux/audit.h, linux/seccomp.h, asm/unistd*.h),
// spelled out so the filter can be built and tested on any GOOS.
const (
	auditArchX86_64  = 0xc000003e
	auditArchI386    = 0x40000003
	auditArchAARCH64 = 0xc00000b7
	auditArchARM     = 0x40000028

	x32SyscallBit = 0x40000000

	seccompRetAllow = 0x7fff0000
	seccompRetErrno = 0x00050000
	seccompRetLog   = 0x7ffc0000
	errnoEPERM      = 1

	// Offsets in struct seccomp_data.
	offsetNr   = 0
	offsetArch = 4
)

// archFilter describes, for one GOARCH, the audit architecture the process
// runs as, the execve/execveat numbers, and the 32-bit compat architecture
// the same kernel also accepts system calls from.
type archFilter struct {
	native   uint32
	nr       []uint32 // execve, execveat
	denyX32  bool     // x86-64: refuse the x32 ABI (numbers with bit 30 set)
	compat   uint32   // 0: none
	compatNr []uint32 // execve, execveat in the compat table
}

// archFilters covers the architectures serverless platforms run Go on.
var archFilters = map[string]archFilter{
	"amd64": {
		native: auditArchX86_64, nr: []uint32{59, 322}, denyX32: true,
		compat: auditArchI386, compatNr: []uint32{11, 358},
	},
	"arm64": {
		native: auditArchAARCH64, nr: []uint32{221, 281},
		compat: auditArchARM, compatNr: []uint32{11, 387},
	},
}

// execFilter builds the seccomp program: execve and execveat fail with EPERM
// in the native ABI, the x32 ABI (wholesale, x86-64) and the 32-bit compat
// ABI, so the check cannot be sidestepped by switching ABI; calls from any
// other audit architecture fail with EPERM; everything else is allowed.
//
// Layout (A is the BPF accumulator):
//
//	A = arch; if A != native goto compat
//	A = nr; [if A >= x32 bit goto deny]; if A == execve goto deny; if A == execveat goto deny; allow; deny
//	compat: if A != compatArch goto other
//	A = nr; if A == execve goto deny; if A == execveat goto deny; allow; deny
//	other: deny
func execFilter(a archFilter) []bpf.Instruction {
	return execFilterAction(a, seccompRetErrno|errnoEPERM)
}

// execFilterAction is execFilter with another action than EPERM for the
// calls it catches: ExecMonitor uses SECCOMP_RET_LOG (allow, and log).
func execFilterAction(a archFilter, action uint32) []bpf.Instruction {
	deny := bpf.RetConstant{Val: action}
	allow := bpf.RetConstant{Val: seccompRetAllow}
	block := func(nrs []uint32, denyX32 bool) []bpf.Instruction {
		n := len(nrs)
		b := []bpf.Instruction{bpf.LoadAbsolute{Off: offsetNr, Size: 4}}
		if denyX32 {
			b = append(b, bpf.JumpIf{Cond: bpf.JumpGreaterOrEqual, Val: x32SyscallBit, SkipTrue: uint8(n + 1)})
		}
		for i, nr := range nrs {
			b = append(b, bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr, SkipTrue: uint8(n - i)})
		}
		return append(b, allow, deny)
	}
	native := block(a.nr, a.denyX32)
	prog := []bpf.Instruction{
		bpf.LoadAbsolute{Off: offsetArch, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.native, SkipFalse: uint8(len(native))},
	}
	prog = append(prog, native...)
	if a.compat != 0 {
		compat := block(a.compatNr, false)
		prog = append(prog, bpf.JumpIf{Cond: bpf.JumpEqual, Val: a.compat, SkipFalse: uint8(len(compat))})
		prog = append(prog, compat...)
	}
	return append(prog, deny)
}
