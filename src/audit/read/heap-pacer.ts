import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * What is alive while a log is judged is small (about 15 MB after a full collection, measured on
 * 20 MB and 100 MB logs), but V8 lets the old generation grow with the rate of allocation, which a
 * log read at full speed makes high: a 1 GB log reached 340 MB of RSS. A full collection every
 * `everyBytes` of input keeps the peak near the live size for a few milliseconds each.
 */
export class HeapPacer {
  private sinceLast = 0;
  private readonly collect: (() => void) | undefined;

  constructor(private readonly everyBytes: number) {
    this.collect = fullCollection();
  }

  read(bytes: number): void {
    this.sinceLast += bytes;
    if (this.sinceLast < this.everyBytes) return;
    this.sinceLast = 0;
    this.collect?.();
  }
}

function fullCollection(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    // The flag exposes `gc` to contexts created after it is set; the main context keeps its globals.
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
