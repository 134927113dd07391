/** Buffers lines and writes them to stdout in large chunks, waiting when the pipe is full (bounded memory). */
export class LineWriter {
  private buffer: string[] = [];
  private size = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stdout,
    private readonly chunkSize = 64 * 1024,
  ) {}

  async line(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length + 1;
    if (this.size >= this.chunkSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('\n') + '\n';
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise((resolve) => this.stream.once('drain', resolve));
  }
}

/** Control characters in names are escaped on every line printed. */
export {escapeControl} from '../util/control-characters.js';
