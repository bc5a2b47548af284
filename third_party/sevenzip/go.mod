module github.com/bodgit/sevenzip

go 1.21

require (
	github.com/andybalholm/brotli v1.1.1
	github.com/bodgit/plumbing v1.3.0
	github.com/bodgit/windows v1.0.1
	github.com/hashicorp/golang-lru/v2 v2.0.7
	github.com/klauspost/compress v1.17.11
	github.com/pierrec/lz4/v4 v4.1.22
	github.com/spf13/afero v1.11.0
	github.com/stretchr/testify v1.10.0
	github.com/ulikunitz/xz v0.5.12
	go4.org v0.0.0-20200411211856-f5505b9728dd
	golang.org/x/sync v0.10.0
	golang.org/x/text v0.21.0
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/stretchr/objx v0.5.2 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
