import { Writable } from 'node:stream';

/** A pino destination that keeps every line, for tests that read what the app logged. */
export class LogCapture extends Writable {
  private readonly chunks: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk.toString());
    done();
  }

  /** Everything logged so far, as written. */
  text(): string {
    return this.chunks.join('');
  }

  /** Every line as parsed JSON. */
  lines(): Record<string, unknown>[] {
    return this.text()
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}
