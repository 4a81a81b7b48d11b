/**
 * Checking an attestation without this page or the registry: standard tools only (jq, base64,
 * xxd, openssl). The signature is Ed25519 over the DSSE pre-authentication encoding of the
 * payload bytes; the key is in the signed statement (the registry checked it belongs to the
 * builder's principal; so does this page).
 */
export function offlineVerificationScript(fileName: string): string {
  return [
    `f=${fileName}`,
    `jq -r .payload "$f" | base64 -d > statement.json`,
    `jq -r '.signatures[0].sig' "$f" | base64 -d > sig.bin`,
    `type=$(jq -r .payloadType "$f")`,
    `# the signed bytes: "DSSEv1 <len(type)> <type> <len(body)> <body>"`,
    `printf 'DSSEv1 %d %s %d ' "\${#type}" "$type" "$(wc -c < statement.json)" > signed.bin`,
    `cat statement.json >> signed.bin`,
    `# the builder's Ed25519 key as DER SubjectPublicKeyInfo`,
    `{ echo 302a300506032b6570032100 | xxd -r -p; jq -r .predicate.builder.publicKey statement.json | base64 -d; } > key.der`,
    `openssl pkey -pubin -inform DER -in key.der -out key.pem`,
    `openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in signed.bin -sigfile sig.bin`,
    `# the key's principal: base32(crc32 ‖ sha224(key.der) ‖ 02), must be the builder shown`,
    `openssl dgst -sha224 -binary key.der > id.bin && printf '\\002' >> id.bin`,
    `set -- $(gzip -c < id.bin | tail -c 8 | head -c 4 | od -An -to1)`,
    `{ printf "\\\\$4\\\\$3\\\\$2\\\\$1"; cat id.bin; } | base32 | tr -d '=\\n' | tr A-Z a-z | fold -w 5 | paste -sd- -`,
  ].join('\n');
}
