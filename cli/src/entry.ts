import { checkCertificatesWithoutGeneratorTable } from '@repro-registry/client/certificate-checks';

import { main } from './main';

// Most commands check a certificate (a verified read, an update's answer): the first costs 0.3 s less.
checkCertificatesWithoutGeneratorTable();

// `repro … | head` closes the pipe early: that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

void main();
