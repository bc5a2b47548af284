package leakparse

import (
	"fmt"
	"strings"
	"testing"
)

func TestCutCapture(t *testing.T) {
	tests := []struct {
		in, pass string
		fields   string // "class=value" of the fields kept, space-separated
	}{
		{"CapOne#1 | Plan = Premium | Country = US | Checked by @SomeBot", "CapOne#1", "geo=US"},
		{"CapOne#1 | Plan: Premium", "CapOne#1", ""},
		{"CapOne#1 - Plan = Premium - Country = DE", "CapOne#1", "geo=DE"},
		{"CapOne#1 [Plan: Premium] [Country: FR]", "CapOne#1", "geo=FR"},
		{"CapOne#1[Plan: Premium]", "CapOne#1", ""},
		{"CapOne#1 | Subscription = Gold | Expiry = 2026-01-01 |", "CapOne#1", ""},
		{"CapOne#1 | Config by SomeCrew", "CapOne#1", ""},
		{"CapOne#1 | BOT: @SomeBot", "CapOne#1", ""},
		{"CapOne#1 | @SomeBot", "CapOne#1", ""},
		{"CapOne#1|Plan=Premium|Country=BR", "CapOne#1", "geo=BR"},
		{"CapOne#1 | Name = Jean Dupont | Address = 1 rue de la Paix", "CapOne#1", "name=Jean Dupont address=1 rue de la Paix"},
		{"Cap|One | 1 | Points: 300", "Cap|One | 1", ""},
		{"Cap:One:1 | Region = EU", "Cap:One:1", "geo=EU"},
		{"CapOne#1 | Expiry: 2025-12-01 12:00:00", "CapOne#1", ""},
		// Identifiers and passwords captured are never kept.
		{"CapOne#1 | Email = other@mail.example | Phone = +447946000111 | Password = x", "CapOne#1", ""},
		// No capture: kept whole.
		{"CapOne#1", "CapOne#1", ""},
		{"Cap | One | 1", "Cap | One | 1", ""},
		{"Cap - One - 1", "Cap - One - 1", ""},
		{"Cap[One]", "Cap[One]", ""},
		{"| Plan = Premium", "| Plan = Premium", ""},                                         // nothing before it
		{"pw | Plan = Premium | and some words", "pw | Plan = Premium | and some words", ""}, // not all fields
		{"pw | a key that is far too long to be a field = x", "pw | a key that is far too long to be a field = x", ""},
	}
	for _, tc := range tests {
		var buf [maxCaptured]Field
		pass, fields := cutCapture([]byte(tc.in), buf[:0])
		var got []string
		for _, f := range fields {
			got = append(got, fmt.Sprintf("%s=%s", className(f.Class), f.Value))
		}
		if string(pass) != tc.pass || strings.Join(got, " ") != tc.fields {
			t.Errorf("cutCapture(%q) = %q %q, want %q %q", tc.in, pass, got, tc.pass, tc.fields)
		}
	}
}

func TestCaptureHead(t *testing.T) {
	caps := [][]byte{[]byte("a | Plan = X"), []byte("b | Plan = Y")}
	clean := [][]byte{[]byte("Summer2024!"), []byte("p|a|s|s"), []byte("x")}
	var many [][]byte // two captures among 14 passwords: fewer than a fifth
	many = append(many, caps...)
	for range 4 {
		many = append(many, clean...)
	}
	for _, tc := range []struct {
		passes [][]byte
		want   bool
	}{
		{caps, true},
		{append(append([][]byte{}, caps...), clean...), true},
		{caps[:1], false}, // one is no evidence
		{many, false},
		{clean, false},
	} {
		if _, got := captureHead(tc.passes); got != tc.want {
			t.Errorf("captureHead(%q) = %v, want %v", tc.passes, got, tc.want)
		}
	}
}
