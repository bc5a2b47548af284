//go:build !linux

package cpushare

const lowerable = false

func lower() error { return nil }
