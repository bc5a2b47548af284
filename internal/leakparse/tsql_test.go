package leakparse

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func FuzzMSSQL(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte("INSERT [dbo].[T] ([a]) VALUES (CAST(CONVERT(int, N'1', 1) AS [x](1)))\nGO 3\n"))
	f.Add([]byte("INSERT [T] ([a], [b]) SELECT N'x', 0x00 UNION ALL SELECT N'y]', 1 AS [c]]d]\nGO\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data, FormatMSSQL) })
}

// TestDetectTSQL: SQL Server scripts are told apart from MySQL and
// PostgreSQL dumps, whose INSERTs look alike.
func TestDetectTSQL(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       Format
	}{
		{"ssms", "INSERT [dbo].[Users] ([Id], [Email]) VALUES (1, N'a@b.example')\nGO\n", FormatMSSQL},
		{"ssms into", "INSERT INTO [Users] ([Email]) VALUES (N'a@b.example')\n", FormatMSSQL},
		{"dbo names", "INSERT INTO dbo.Users (Email) VALUES ('a@b.example');\n", FormatMSSQL},
		{"GO separated", "INSERT INTO Users (Email) VALUES ('a@b.example')\nGO\n", FormatMSSQL},
		{"national strings", "INSERT INTO Users (Email, Name) VALUES (N'a@b.example', N'Ann');\n", FormatMSSQL},
		{"identity insert", "SET IDENTITY_INSERT Users ON\nINSERT INTO Users (Id, Email) VALUES (1, 'a@b.example')\n", FormatMSSQL},
		{"mysql", "INSERT INTO `users` VALUES (1,'ADMIN','a@b.example'),(2,'JOHN N','c@d.example');\n", FormatMySQL},
		{"mysql plain", "INSERT INTO users (email) VALUES ('a@b.example');\n", FormatMySQL},
		{"pg inserts", "SET standard_conforming_strings = on;\nINSERT INTO public.users (email) VALUES ('a@b.example');\n", FormatMySQL},
		{"pg copy", "COPY public.users (id, email) FROM stdin;\n1\ta@b.example\n\\.\n", FormatPGDump},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sn, err := Sniff([]byte(tc.text), Options{})
			if err != nil || sn.Format != tc.want {
				t.Errorf("Sniff = %s, %v; want %s", sn.Format, err, tc.want)
			}
		})
	}
}

// TestTSQLBounded: names and CASTs that never end are read in bounded
// memory and time, and quarantined; what follows them is read.
func TestTSQLBounded(t *testing.T) {
	in := "INSERT [dbo].[Users] ([Email], [Password]) VALUES (N'ok@example.com', CAST(N'x' AS " + strings.Repeat("(", 10000) + "))\nGO\n" +
		"INSERT [dbo].[" + strings.Repeat("n", 100000) + "] ([Email]) VALUES (N'long.name@example.com')\nGO\n" +
		"INSERT [dbo].[Users] ([Email], [Password]) VALUES (N'after@example.com', N'Pass1234')\nGO\n"
	rec := &recorder{}
	st, err := Parse(context.Background(), strings.NewReader(in), Options{}, rec)
	if err != nil || st.Format != FormatMSSQL {
		t.Fatalf("Parse = %+v, %v", st, err)
	}
	out := rec.out.String()
	if !strings.Contains(out, "quarantine bad-tuple") || !strings.Contains(out, `email="long.name@example.com"`) ||
		!strings.Contains(out, `email="after@example.com" password="Pass1234"`) {
		t.Errorf("got:\n%s", out)
	}
}

// TestTSQLFormatGiven: --format mssql reads a script whose head shows
// nothing of SQL Server.
func TestTSQLFormatGiven(t *testing.T) {
	in := "insert into people (email, pwd) values ('back\\slash@example.com', 'a\\nb')\n"
	rec := &recorder{}
	if _, err := Parse(context.Background(), bytes.NewReader([]byte(in)), Options{Format: FormatMSSQL}, rec); err != nil {
		t.Fatal(err)
	}
	if want := "1 email=\"back\\\\slash@example.com\" password=\"a\\\\nb\"\n"; rec.out.String() != want {
		t.Errorf("got %q, want %q", rec.out.String(), want)
	}
}
