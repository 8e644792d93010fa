/** Everything the CLI touches in the outside world, injected so tests run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of stdin; rejects once more than `maxBytes` arrive. */
  readonly readStdin: (maxBytes: number) => Promise<Buffer>;
  /** stdin as a stream, for inputs read without holding them whole (audit logs). */
  readonly stdinChunks?: () => AsyncIterable<Buffer>;
  /**
   * Writes a file, creating its directory. With `root`, the write must stay inside `root` and never
   * pass through a symbolic link below it (`write-inside.ts`): `fix` writes where input files chose.
   */
  readonly writeFile: (path: string, content: string, root?: string) => Promise<void>;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdoutIsTty: boolean;
  /** Progress displays are drawn only on a terminal. */
  readonly stderrIsTty?: boolean;
  /**
   * Writes kfguard's own progress display to stderr unescaped (it redraws its line with CR and an
   * erase-line sequence, which `stderr` would show as escapes). Only counts go through it, never
   * text from input.
   */
  readonly stderrRaw?: (text: string) => void;
  /** Where the pod's service-account files are looked for, as a stand-in for `/` (tests only). */
  readonly serviceAccountRoot?: string;
  /** V8's `setFlagsFromString` in the CLI; tests that run the CLI in process record what is set instead. */
  readonly setV8Flags?: (flag: string) => void;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
