//go:build !linux

package cpushare

func nice() (int, error) { return 0, nil }
