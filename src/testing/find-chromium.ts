import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Names a Chromium or Chrome binary goes by on PATH: Debian's, Ubuntu's older package, Google's builds. */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/** Variables users already set for other tools (Lighthouse, Puppeteer setups; Playwright), first found wins. */
const ENV_VARIABLES = ['CHROME_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'] as const;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface ChromiumSearch {
  /** The browser to launch, or undefined when none was found. */
  readonly path: string | undefined;
  /** Where it was looked for, for the skip or failure message. */
  readonly looked: string;
}

/**
 * The Chromium the browser tests launch, found as users have it: a path in CHROME_PATH or
 * PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, else `chromium`, `chromium-browser`, `google-chrome` or
 * `google-chrome-stable` on PATH. A variable naming no executable file is skipped, not trusted.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumSearch {
  for (const name of ENV_VARIABLES) {
    const value = env[name];
    if (value && isAbsolute(value) && isExecutableFile(value)) return { path: value, looked: name };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return { path: candidate, looked: 'PATH' };
    }
  }
  return { path: undefined, looked: `${ENV_VARIABLES.join(', ')} and ${NAMES.join(', ')} on PATH` };
}
