module github.com/leakwatch/leakwatch/test/libphonenumber

go 1.26.8

require (
	github.com/leakwatch/leakwatch v0.0.0-00010101000000-000000000000
	github.com/nyaruka/phonenumbers v1.8.1
)

require (
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	google.golang.org/protobuf v1.36.11 // indirect
)

replace github.com/leakwatch/leakwatch => ../..
