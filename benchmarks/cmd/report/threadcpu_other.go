//go:build !(linux || darwin || freebsd)

package main

import "time"

// threadCPU is 0 where the thread CPU clock is not read: the adversarial
// table's CPU column is then 0 and only the wall clock is measured.
func threadCPU() time.Duration { return 0 }
