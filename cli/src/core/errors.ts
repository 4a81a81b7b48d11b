/**
 * Exit codes of `repro`, part of its public interface (scripts switch on them).
 * 0 success, 1 a verification found a mismatch (or a bad signature), 2 usage or input error,
 * 3 network error, 4 the registry rejected the request, 5 a bug in repro itself.
 */
export const ExitCode = {
  SUCCESS: 0,
  MISMATCH: 1,
  USAGE: 2,
  NETWORK: 3,
  REJECTED: 4,
  INTERNAL: 5,
  /** A registry answer whose certificate, witness or proof does not verify: never a network error. */
  VERIFICATION: 6,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can act on: one line saying what is wrong and what to do, an exit code,
 * and (for registry rejections) the registry's stable error code.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly code: string | undefined;
  readonly hint: string | undefined;

  constructor(args: {
    message: string;
    exitCode: ExitCode;
    code?: string;
    hint?: string;
    cause?: unknown;
  }) {
    super(args.message, args.cause === undefined ? undefined : { cause: args.cause });
    this.name = 'CliError';
    this.exitCode = args.exitCode;
    this.code = args.code;
    this.hint = args.hint;
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError(
    hint === undefined
      ? { message, exitCode: ExitCode.USAGE }
      : { message, exitCode: ExitCode.USAGE, hint },
  );
}

export function networkError(message: string, hint?: string, cause?: unknown): CliError {
  return new CliError({
    message,
    exitCode: ExitCode.NETWORK,
    ...(hint === undefined ? {} : { hint }),
    cause,
  });
}

export function rejectedError(code: string, message: string, hint?: string): CliError {
  return new CliError({
    message,
    exitCode: ExitCode.REJECTED,
    code,
    ...(hint === undefined ? {} : { hint }),
  });
}

/**
 * A registry answer that failed verification (certificate, witness, proof): the registry, or a
 * node answering for it, said something the IC did not certify. `code` is the check's code.
 */
export function verificationError(code: string, message: string, cause?: unknown): CliError {
  return new CliError({
    message: `failed verification: ${code}: ${message}`,
    exitCode: ExitCode.VERIFICATION,
    code,
    hint: 'the answer is not what the IC certified for this registry: do not rely on it, and report it',
    cause,
  });
}
