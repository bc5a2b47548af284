#!/bin/sh
# Makes the 7-Zip fixtures of archive_test.go with Debian's p7zip-full
# (7-Zip [64] 16.02): run it in this directory. The RAR and zip archives of
# the tests are built by the tests themselves.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f ./*.7z ./*.tar ./*.zip
mkdir -p "$tmp/stealer/[US]203.0.113.7"
printf 'alice@example.com:Summer2024!\nbob@example.net:hunter22\ncarol@example.org:P@ss:w0rd\n' >"$tmp/combo.txt"
printf 'URL: https://login.example.com/\nUsername: dave@example.com\nPassword: Tr0ub4dor&3\n===============\nHost: https://mail.example.org\nLogin: erin@example.com\nPASS: correcthorse\n' >"$tmp/stealer/[US]203.0.113.7/Passwords.txt"
printf 'Windows 10 Pro\nRAM: 8 GB\n' >"$tmp/stealer/[US]203.0.113.7/System.txt"
find "$tmp" -exec touch -d 2026-01-01T00:00:00Z {} +
here=$(pwd)
cd "$tmp"
7z a -bd -m0=lzma2 "$here/plain.7z" combo.txt >/dev/null              # LZMA2, plain
7z a -bd -m0=lzma "$here/lzma.7z" combo.txt >/dev/null                 # LZMA, plain
7z a -bd -pSecret7 "$here/aes.7z" combo.txt >/dev/null                 # AES-256, names readable
7z a -bd -pSecret7 -mhe=on "$here/aes-he.7z" combo.txt >/dev/null      # AES-256, headers encrypted too
7z a -bd -pSecret7 -mhe=on "$here/stealer.7z" stealer >/dev/null       # a stealer log folder, encrypted
7z a -bd -tzip -pZip1 -mem=ZipCrypto "$here/zipcrypto.zip" combo.txt stealer >/dev/null  # zip, ZipCrypto, deflated
7z a -bd -tzip -pZip1 -mem=AES256 "$here/aes.zip" combo.txt stealer >/dev/null           # zip, WinZip AES-256
cd "$here"
tar --owner=0 --group=0 --mtime=2026-01-01 -cf nested.tar aes.7z      # an encrypted 7z in a tar
7z a -bd -tzip nested.zip aes-he.7z >/dev/null                         # an encrypted 7z in a zip
7z a -bd -pOuter -mhe=on nested.7z aes.7z >/dev/null                   # an encrypted 7z in an encrypted 7z (other password)
ls -l ./*.7z ./*.tar ./*.zip
