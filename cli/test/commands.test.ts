/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- tests read the CLI's JSON output, which is untyped by nature */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { principalFromEd25519PublicKey, verifyAttestation } from '@repro-registry/attestation';
import { fixturesDir, repro, tempDir } from './helpers';
import { pkcs8V2Der, privateKeyPem } from './pem-keys';
import { COMMIT, attestArgs } from './scenarios';

const archives = path.join(fixturesDir, 'archives');

describe('repro key', () => {
  it('creates a key with mode 0600, shows it, refuses to overwrite without --force', async () => {
    const configDir = tempDir('key');
    const created = await repro(['key', 'new', '--json'], { configDir });
    expect(created.code).toBe(0);
    const { principal, publicKey, path: keyPath } = created.json();
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(principalFromEd25519PublicKey(Buffer.from(publicKey, 'base64'))).toBe(principal);

    const shown = await repro(['key', 'show', '--json'], { configDir });
    expect(shown.json()).toMatchObject({ principal, publicKey });

    const again = await repro(['key', 'new'], { configDir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^error: a builder key already exists at .* — keep it, or replace it with --force/,
    );
    expect((await repro(['key', 'show', '--json'], { configDir })).json().principal).toBe(
      principal,
    );

    const replaced = await repro(['key', 'new', '--force', '--json'], { configDir });
    expect(replaced.code).toBe(0);
    expect(replaced.json().principal).not.toBe(principal);
  });

  it('imports an openssl-generated Ed25519 PEM (the dfx format) and exports the same key', async () => {
    const configDir = tempDir('import');
    const pemFile = path.join(configDir, 'identity.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', pemFile]);
    const opensslPublic = execFileSync('openssl', [
      'pkey',
      '-in',
      pemFile,
      '-pubout',
      '-outform',
      'DER',
    ]).subarray(12);
    const imported = await repro(['key', 'import', pemFile, '--json'], { configDir });
    expect(imported.code).toBe(0);
    expect(imported.json().principal).toBe(
      principalFromEd25519PublicKey(Uint8Array.from(opensslPublic)),
    );
    const exported = await repro(['key', 'export'], { configDir });
    const roundTrip = path.join(configDir, 'roundtrip.pem');
    writeFileSync(roundTrip, exported.stdout);
    // openssl reads what we write, and it is the same key.
    expect(
      execFileSync('openssl', ['pkey', '-in', roundTrip, '-pubout', '-outform', 'DER']).subarray(
        12,
      ),
    ).toEqual(opensslPublic);
  });

  it('refuses a key file others can read, a missing key, and non-Ed25519 PEM, each with exit 2 and a clear line', async () => {
    const configDir = tempDir('perm');
    const missing = await repro(['key', 'show'], { configDir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no builder key at .* — create one with `repro key new`/);

    const { path: keyPath } = (await repro(['key', 'new', '--json'], { configDir })).json();
    chmodSync(keyPath, 0o644);
    const loose = await repro(['key', 'show'], { configDir });
    expect(loose.code).toBe(2);
    expect(loose.stderr).toContain('can be read by other users (mode 0644)');
    expect(loose.stderr).toContain(`chmod 600 ${keyPath}`);

    const ecPem = path.join(configDir, 'ec.pem');
    execFileSync('openssl', ['ecparam', '-name', 'secp256k1', '-genkey', '-noout', '-out', ecPem]);
    const ec = await repro(['key', 'import', ecPem, '--force'], { configDir });
    expect(ec.code).toBe(2);
    expect(ec.stderr).toContain('secp256k1 (EC) key, not Ed25519');
    const garbage = path.join(configDir, 'garbage.pem');
    writeFileSync(garbage, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect((await repro(['key', 'import', garbage, '--force'], { configDir })).code).toBe(2);
    expect(
      (await repro(['key', 'import', path.join(configDir, 'nope.pem')], { configDir })).stderr,
    ).toMatch(/cannot read .*nope\.pem: ENOENT/);
  });
});

describe('repro env', () => {
  it('prints a fixture root with sources, and JSON for scripts', async () => {
    const configDir = tempDir('env');
    const result = await repro(
      ['env', '--root', path.join(fixturesDir, 'hosts', 'wsl2'), '--json'],
      { configDir },
    );
    expect(result.code).toBe(0);
    const { environment, sources } = result.json();
    expect(environment).toMatchObject({
      osName: 'Ubuntu',
      osVersion: '22.04.2 LTS',
      virtualization: 'wsl2',
      gitVersion: null,
    });
    expect(sources.gitVersion).toMatch(/^not found/);
    const human = await repro(['env', '--root', path.join(fixturesDir, 'hosts', 'kvm')], {
      configDir,
    });
    expect(human.stdout).toMatch(/virtualization\s+kvm\s+\/sys\/class\/dmi\/id/);
    expect(human.stdout).toMatch(/gitVersion\s+unknown/);
  });
});

describe('repro hash', () => {
  it('prints sha256sum-style lines, hashes archive members, and fails clearly on a missing file', async () => {
    const configDir = tempDir('hash');
    const file = path.join(archives, 'update-img-a.tar.zst');
    const expected = execFileSync('sha256sum', [file]).toString().split(' ')[0];
    const plain = await repro(['hash', file], { configDir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(`${expected}  ${file}\n`);
    const members = await repro(['hash', '--members', file, '--json'], { configDir });
    expect(members.json().files[0].members.map((m: { path: string }) => m.path)).toEqual([
      'VERSION.TXT',
      'boot.img',
      'root.img',
    ]);
    const missing = await repro(['hash', path.join(configDir, 'missing.img')], { configDir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: no such file: .*missing\.img\n$/);
  });
});

describe('repro attest --out, verify and diff, offline', () => {
  it('signs from image files with member hashes, verifies offline, and names root.img as the difference', async () => {
    const configDir = tempDir('attest');
    await repro(['key', 'new'], { configDir });
    const a = path.join(archives, 'update-img-a.tar.zst');
    const b = path.join(archives, 'update-img-b.tar.zst');
    const expectedA = execFileSync('sha256sum', [a]).toString().split(' ')[0];
    const base = [
      'attest',
      '--proposal',
      '139768',
      '--commit',
      COMMIT,
      '--expected',
      `guestos=${expectedA}`,
      '--clean-cache',
      'yes',
    ];

    const mine = await repro([...base, '--artifact', `guestos=${a}`, '--out', 'mine.json'], {
      configDir,
    });
    expect(mine.code).toBe(0);
    expect(mine.stdout).toContain('not submitted');
    const theirs = await repro(
      [...base, '--artifact', `guestos=${b}`, '--out', 'theirs.json', '--note', 'built on WSL2'],
      { configDir },
    );
    expect(theirs.code).toBe(1); // a mismatch is exit 1, even offline

    const envelope = readFileSync(path.join(configDir, 'mine.json'));
    const verified = verifyAttestation(Uint8Array.from(envelope.subarray(0, envelope.length - 1)));
    expect(verified.ok).toBe(true);
    if (verified.ok) {
      const [artifact] = verified.value.predicate.artifacts;
      expect(artifact).toMatchObject({
        kind: 'guestos',
        name: 'update-img-a.tar.zst',
        sha256: expectedA,
        verdict: 'match',
      });
      expect(artifact.members!.map((m) => m.path)).toEqual(['VERSION.TXT', 'boot.img', 'root.img']);
      expect(verified.value.predicate.build.cleanCache).toBe(true);
    }

    const check = await repro(['verify', 'mine.json'], { configDir });
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/signature\s+valid/);
    expect(check.stdout).toMatch(/guestos\s+match update-img-a\.tar\.zst/);

    const diff = await repro(['diff', 'mine.json', 'theirs.json'], { configDir });
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/differs\s+root\.img/);
    expect(diff.stdout).toContain('identical:   VERSION.TXT, boot.img');
    const diffJson = (await repro(['diff', 'mine.json', b, '--json'], { configDir })).json();
    expect(diffJson.differences.map((d: { path: string }) => d.path)).toEqual(['root.img']);
    const same = await repro(['diff', a, 'mine.json'], { configDir });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('identical');
  });

  it('rejects a tampered envelope with exit 1 and the format code', async () => {
    const configDir = tempDir('tamper');
    await repro(['key', 'new'], { configDir });
    const h = 'ab'.repeat(32);
    await repro(
      attestArgs(
        { proposal: '7', artifact: `hostos=${h}`, expected: `hostos=${h}` },
        '--out',
        'a.json',
      ),
      { configDir },
    );
    const envelope = JSON.parse(readFileSync(path.join(configDir, 'a.json'), 'utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
    statement.predicate.proposal.id = '8';
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    writeFileSync(path.join(configDir, 'b.json'), JSON.stringify(envelope));
    const result = await repro(['verify', 'b.json', '--json'], { configDir });
    expect(result.code).toBe(1);
    expect(result.json().error.code).toBe('SIGNATURE_INVALID');
  });

  it('explains bad input: non-hex hash, missing file, no expected hash offline, bad proposal id', async () => {
    const configDir = tempDir('badinput');
    await repro(['key', 'new'], { configDir });
    const base = ['attest', '--proposal', '139768', '--commit', COMMIT];
    const nonHex = await repro([...base, '--artifact', 'guestos=deadbeef', '--out', 'x.json'], {
      configDir,
    });
    expect(nonHex.code).toBe(2);
    expect(nonHex.stderr).toContain(
      '"deadbeef" is neither a SHA-256 (64 hex digits) nor an existing file',
    );
    const missing = await repro(
      [...base, '--artifact', 'guestos=./nope.tar.zst', '--out', 'x.json'],
      { configDir },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read \.\/nope\.tar\.zst \(ENOENT\)/);
    const noExpected = await repro(
      [...base, '--artifact', `guestos=${'cd'.repeat(32)}`, '--out', 'x.json'],
      { configDir },
    );
    expect(noExpected.code).toBe(2);
    expect(noExpected.stderr).toContain('add --expected guestos=<sha256 from the proposal>');
    const badId = await repro(
      ['attest', '--proposal', '01', '--commit', COMMIT, '--failed', 'guestos', '--out', 'x.json'],
      { configDir },
    );
    expect(badId.code).toBe(2);
    const unknownOption = await repro([...base, '--frobnicate'], { configDir });
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toMatch(/unknown option '--frobnicate'/);
    const missingRequired = await repro(['attest', '--commit', COMMIT], { configDir });
    expect(missingRequired.code).toBe(2);
    expect(missingRequired.stderr).toMatch(/required option '--proposal <id>' not specified/);
    expect(existsSync(path.join(configDir, 'x.json'))).toBe(false);
  });
});

describe("repro attest with the release's other sources (--sha256sums, --package-url-hash)", () => {
  // The SHA256SUMS fixture is GNU sha256sum's output (test/fixtures/sources/README.md).
  const sumsFile = path.join(fixturesDir, 'sources', 'SHA256SUMS.binary');
  const listed = readFileSync(sumsFile, 'utf8').split(' ')[0];
  const url = (host: string) =>
    `https://${host}/ic/${COMMIT}/guest-os/update-img/update-img.tar.zst`;

  it('records them next to the expected hash; a second URL serving other bytes is a warning', async () => {
    const configDir = tempDir('sources');
    await repro(['key', 'new'], { configDir });
    const servedFile = path.join(configDir, 'served.bin');
    writeFileSync(servedFile, 'other bytes');
    const result = await repro(
      [
        'attest',
        ...['--proposal', '139768', '--commit', COMMIT],
        ...['--artifact', `guestos=${listed}`, '--expected', `guestos=${listed}`],
        ...['--sha256sums', `guestos=${sumsFile}`],
        ...['--package-url-hash', `${url('download.dfinity.systems')}=${listed}`],
        ...['--package-url-hash', `${url('download.dfinity.network')}=${servedFile}`],
        ...['--out', 'a.json', '--json'],
      ],
      { configDir },
    );
    expect(result.code).toBe(0);
    const other = createHash('sha256').update('other bytes').digest('hex');
    expect(result.json().warnings).toEqual([
      `guestos: the release's sources disagree with the expected hash (${url('download.dfinity.network')}) — a reason to reject the proposal`,
    ]);
    const envelope = readFileSync(path.join(configDir, 'a.json'));
    const verified = verifyAttestation(Uint8Array.from(envelope.subarray(0, envelope.length - 1)));
    expect(verified.ok && verified.value.predicate.artifacts[0].sources).toEqual([
      {
        kind: 'sha256sums',
        url: `https://download.dfinity.systems/ic/${COMMIT}/guest-os/update-img/SHA256SUMS`,
        sha256: listed,
      },
      { kind: 'package_url', url: url('download.dfinity.systems'), sha256: listed },
      { kind: 'package_url', url: url('download.dfinity.network'), sha256: other },
    ]);
  });

  it('refuses bad source input with a stable code and writes nothing', async () => {
    const configDir = tempDir('badsources');
    await repro(['key', 'new'], { configDir });
    const base = [
      ...['attest', '--proposal', '139768', '--commit', COMMIT],
      ...['--artifact', `guestos=${listed}`, '--expected', `guestos=${listed}`],
      ...['--out', 'x.json', '--json'],
    ];
    const notSums = path.join(configDir, 'page.html');
    writeFileSync(notSums, '<html>404</html>\n');
    for (const [extra, code] of [
      [['--sha256sums', `guestos=${notSums}`], 'SHA256SUMS_INVALID'],
      [['--sha256sums', sumsFile], 'SOURCE_ARGUMENT_INVALID'],
      [['--sha256sums', `hostos=${sumsFile}`], 'SOURCE_ARGUMENT_INVALID'],
      [['--package-url-hash', `javascript:alert(1)=${listed}`], 'SOURCE_URL_INVALID'],
      [['--package-url-hash', `${url('a.example')}=./missing.bin`], 'SOURCE_ARGUMENT_INVALID'],
      [['--package-url-hash', 'https://a.example/x.tar.zst=' + listed], 'SOURCE_ARGUMENT_INVALID'],
    ] as const) {
      const result = await repro([...base, ...extra], { configDir });
      expect(result.code, extra.join(' ')).toBe(2);
      expect(result.json().error.code, extra.join(' ')).toBe(code);
    }
    const noEntry = path.join(configDir, 'SHA256SUMS');
    writeFileSync(noEntry, `${listed}  disk-img.tar.zst\n`);
    const missing = await repro([...base, '--sha256sums', `guestos=${noEntry}`], { configDir });
    expect(missing.json().error.code).toBe('SHA256SUMS_NO_ENTRY');
    expect(existsSync(path.join(configDir, 'x.json'))).toBe(false);
  });
});

describe('a canister id that is not one', () => {
  it('is a usage error (exit 2), found before any network call', async () => {
    const configDir = tempDir('bad-canister-id');
    const result = await repro(
      ['status', '139768', '--network', 'http://127.0.0.1:9', '--canister-id', 'not-a-canister'],
      { configDir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"not-a-canister" is not a canister id/);
  });
});

describe('network settings', () => {
  it('reads network settings from a config file, overridden by environment and flags', async () => {
    const configDir = tempDir('config');
    writeFileSync(
      path.join(configDir, 'config.json'),
      JSON.stringify({ network: 'http://127.0.0.1:9', canisterId: 'bkyz2-fmaaa-aaaaa-qaaaq-cai' }),
    );
    const fromFile = await repro(['status', '1'], { configDir });
    expect(fromFile.code).toBe(3);
    expect(fromFile.stderr).toContain('http://127.0.0.1:9');
    const fromEnv = await repro(['status', '1'], {
      configDir,
      env: { REPRO_NETWORK: 'http://127.0.0.1:10' },
    });
    expect(fromEnv.stderr).toContain('http://127.0.0.1:10');
    const fromFlag = await repro(['status', '1', '--network', 'nowhere'], {
      configDir,
      env: { REPRO_NETWORK: 'http://127.0.0.1:10' },
    });
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toContain('unknown network "nowhere"');
    writeFileSync(path.join(configDir, 'config.json'), '{"network": 5}');
    expect((await repro(['status', '1'], { configDir })).stderr).toContain('setting "network" in');
  });
});

describe('help', () => {
  it('every command has help with examples', async () => {
    const configDir = tempDir('help');
    for (const command of [
      'key',
      'key new',
      'env',
      'proposal',
      'hash',
      'check',
      'attest',
      'submit',
      'status',
      'list',
      'verify',
      'diff',
    ]) {
      const result = await repro([...command.split(' '), '--help'], { configDir });
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toMatch(/Examples:\n {2}\$ repro /);
    }
  });
});

describe('repro key import of a v2 PEM whose public key is not its own', () => {
  it('refuses it as corrupt', async () => {
    const configDir = tempDir('v2');
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    const wrongPublic = new Uint8Array(32).fill(7);
    const file = path.join(configDir, 'v2.pem');
    writeFileSync(file, privateKeyPem(pkcs8V2Der(seed, wrongPublic)));
    const result = await repro(['key', 'import', file], { configDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'the public key in the file does not belong to its private key',
    );
  });
});

describe('repro diff names the layer that differs', () => {
  it('only the compression, the tar layout, or root.img — on archives built as IC builds them', async () => {
    const configDir = tempDir('layers');
    const { buildArchive, makeImageTree } = await import('./gnu-tar');
    const tree = makeImageTree({ rootBytes: 4 * 1024 * 1024 });
    const other = makeImageTree({ rootBytes: 4 * 1024 * 1024, variant: 'b' });
    const base = buildArchive({ tree, out: path.join(configDir, 'base.tar.zst'), format: 'gnu' });
    const recompressed = buildArchive({
      tree,
      out: path.join(configDir, 'zstd19.tar.zst'),
      format: 'gnu',
      zstdLevel: 19,
    });
    const pax = buildArchive({
      tree,
      out: path.join(configDir, 'pax.tar.zst'),
      format: 'posix-1.0',
    });
    const b = buildArchive({ tree: other, out: path.join(configDir, 'b.tar.zst'), format: 'gnu' });

    const compression = await repro(['diff', base.zst!, recompressed.zst!], { configDir });
    expect(compression.code).toBe(1);
    expect(compression.stdout).toMatch(/^only the compression differs \(same tar\)/);
    const layout = await repro(['diff', base.zst!, pax.zst!, '--json'], { configDir });
    expect(layout.json()).toMatchObject({
      layer: 'tar',
      summary: 'same files, different tar layout (sparse map, ordering, metadata)',
      differences: [],
    });
    const files = await repro(['diff', base.zst!, b.zst!], { configDir });
    expect(files.stdout).toMatch(/^root\.img differs/);
    expect(files.stdout).toMatch(/differs\s+root\.img/);
    const usage = await repro(['diff', base.zst!, '--json'], { configDir });
    expect(usage.code).toBe(2);
    expect(usage.json().error.message).toBe('diff compares two sides, got 1');
  });
});

describe('usage errors honour --json', () => {
  it('an unknown option is a JSON error with exit 2, and plain text without --json', async () => {
    const configDir = tempDir('usage');
    const asJson = await repro(['hash', '--bogus', '--json'], { configDir });
    expect(asJson.code).toBe(2);
    expect(asJson.stderr).toBe('');
    expect(asJson.json().error).toEqual({
      code: 'USAGE',
      message: "unknown option '--bogus'",
      hint: 'see repro --help',
      exitCode: 2,
    });
    const text = await repro(['hash', '--bogus'], { configDir });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/unknown option '--bogus'/);
    expect(text.stdout).toBe('');
  });
});
